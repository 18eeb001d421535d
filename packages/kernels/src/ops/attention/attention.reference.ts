// float64 reference attention: explicit scores, softmax, weighted sum; and its backward.
import type { AttentionDims } from './attention.ts';

function visible(
  b: number,
  i: number,
  j: number,
  T: number,
  causal: boolean,
  mask: Uint32Array | null,
): boolean {
  return (!causal || j <= i) && (mask === null || mask[b * T + j] !== 0);
}

/**
 * Index into qkv (B, T, C + 2·KVC) of part (0 q, 1 k, 2 v) for query head h, channel d at (b, t): the k and
 * v parts hold NKV heads, query head h reading kv head h / (NH / NKV).
 */
function qkvIndex({ T, C, NH, NKV = NH }: AttentionDims) {
  const HS = C / NH;
  const KVC = NKV * HS;
  const W = C + 2 * KVC;
  const group = NH / NKV;
  return (b: number, t: number, part: number, h: number, d: number) =>
    part === 0
      ? (b * T + t) * W + h * HS + d
      : (b * T + t) * W + C + (part - 1) * KVC + Math.floor(h / group) * HS + d;
}

export function attentionRef(qkv: Float64Array, mask: Uint32Array | null, dims: AttentionDims) {
  const { B, T, C, NH, causal } = dims;
  const HS = C / NH;
  const scale = 1 / Math.sqrt(HS);
  const out = new Float64Array(B * T * C);
  const P = new Float64Array(B * NH * T * T);
  const at = qkvIndex(dims);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < NH; h++)
      for (let i = 0; i < T; i++) {
        const row = ((b * NH + h) * T + i) * T;
        let m = Number.NEGATIVE_INFINITY;
        const s = new Float64Array(T);
        for (let j = 0; j < T; j++) {
          if (!visible(b, i, j, T, causal, mask)) continue;
          for (let d = 0; d < HS; d++) s[j] += qkv[at(b, i, 0, h, d)] * qkv[at(b, j, 1, h, d)] * scale;
          m = Math.max(m, s[j]);
        }
        let z = 0;
        for (let j = 0; j < T; j++) if (visible(b, i, j, T, causal, mask)) z += Math.exp(s[j] - m);
        for (let j = 0; j < T; j++) {
          if (!visible(b, i, j, T, causal, mask)) continue;
          P[row + j] = Math.exp(s[j] - m) / z;
          for (let d = 0; d < HS; d++)
            out[(b * T + i) * C + h * HS + d] += P[row + j] * qkv[at(b, j, 2, h, d)];
        }
      }
  return { out, P };
}

export function attentionBackwardRef(
  qkv: Float64Array,
  dout: Float64Array,
  mask: Uint32Array | null,
  dims: AttentionDims,
) {
  const { B, T, C, NH } = dims;
  const HS = C / NH;
  const scale = 1 / Math.sqrt(HS);
  const { P } = attentionRef(qkv, mask, dims);
  const dqkv = new Float64Array(qkv.length);
  const at = qkvIndex(dims);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < NH; h++)
      for (let i = 0; i < T; i++) {
        const row = ((b * NH + h) * T + i) * T;
        const dP = new Float64Array(T);
        let sum = 0;
        for (let j = 0; j < T; j++) {
          for (let d = 0; d < HS; d++) dP[j] += dout[(b * T + i) * C + h * HS + d] * qkv[at(b, j, 2, h, d)];
          sum += P[row + j] * dP[j];
        }
        for (let j = 0; j < T; j++) {
          const dS = P[row + j] * (dP[j] - sum);
          for (let d = 0; d < HS; d++) {
            dqkv[at(b, i, 0, h, d)] += dS * qkv[at(b, j, 1, h, d)] * scale;
            dqkv[at(b, j, 1, h, d)] += dS * qkv[at(b, i, 0, h, d)] * scale;
            dqkv[at(b, j, 2, h, d)] += P[row + j] * dout[(b * T + i) * C + h * HS + d];
          }
        }
      }
  return dqkv;
}
