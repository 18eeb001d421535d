// Float64 references for the decode-step kernels (decode.ts).

/** k, v (B, maxT, KVC) after appending qkv (B, T, C + 2·KVC)'s keys and values at start[b] + t (copies). */
export function kvAppendRef(
  k: Float64Array,
  v: Float64Array,
  qkv: ArrayLike<number>,
  start: ArrayLike<number>,
  { B, T, C, KVC = C, maxT }: { B: number; T: number; C: number; KVC?: number; maxT: number },
): { k: Float64Array; v: Float64Array } {
  const W = C + 2 * KVC;
  const ko = k.slice();
  const vo = v.slice();
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++) {
      const pos = start[b] + t;
      if (pos >= maxT) continue;
      for (let c = 0; c < KVC; c++) {
        ko[(b * maxT + pos) * KVC + c] = qkv[(b * T + t) * W + C + c];
        vo[(b * maxT + pos) * KVC + c] = qkv[(b * T + t) * W + C + KVC + c];
      }
    }
  return { k: ko, v: vo };
}

/**
 * out (B, Tq, C): softmax attention of each new query over cached keys 0..start[b] + t; query head h reads
 * key/value head ⌊h·NKV/NH⌋ of the (B, maxT, NKV·HS) caches (grouped-query, as HF's repeat_kv).
 */
export function decodeAttentionRef(
  qkv: ArrayLike<number>,
  k: ArrayLike<number>,
  v: ArrayLike<number>,
  start: ArrayLike<number>,
  {
    B,
    Tq,
    C,
    NH,
    NKV = NH,
    maxT,
  }: { B: number; Tq: number; C: number; NH: number; NKV?: number; maxT: number },
): Float64Array {
  const HS = C / NH;
  const KVC = NKV * HS;
  const W = C + 2 * KVC;
  const scale = 1 / Math.sqrt(HS);
  const out = new Float64Array(B * Tq * C);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < Tq; t++)
      for (let h = 0; h < NH; h++) {
        const kh = Math.floor((h * NKV) / NH);
        const n = Math.min(start[b] + t + 1, maxT);
        const s = new Float64Array(n);
        let m = -Infinity;
        for (let j = 0; j < n; j++) {
          let dot = 0;
          for (let d = 0; d < HS; d++)
            dot += qkv[(b * Tq + t) * W + h * HS + d] * k[(b * maxT + j) * KVC + kh * HS + d];
          s[j] = dot * scale;
          m = Math.max(m, s[j]);
        }
        let l = 0;
        for (let j = 0; j < n; j++) {
          s[j] = Math.exp(s[j] - m);
          l += s[j];
        }
        for (let d = 0; d < HS; d++) {
          let acc = 0;
          for (let j = 0; j < n; j++) acc += s[j] * v[(b * maxT + j) * KVC + kh * HS + d];
          out[(b * Tq + t) * C + h * HS + d] = acc / l;
        }
      }
  return out;
}

/** out (R, C) = wte[tokens[r]] + wpe[positions[r]]. */
export function embedAtRef(
  tokens: ArrayLike<number>,
  positions: ArrayLike<number>,
  wte: ArrayLike<number>,
  wpe: ArrayLike<number>,
  { R, C }: { R: number; C: number },
): Float64Array {
  const out = new Float64Array(R * C);
  for (let r = 0; r < R; r++)
    for (let c = 0; c < C; c++) out[r * C + c] = wte[tokens[r] * C + c] + wpe[positions[r] * C + c];
  return out;
}
