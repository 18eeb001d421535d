// float64 references for rotary embeddings with packing (rope.ts): straight from HF's
// q·cos + rotate_half(q)·sin, with cos/sin computed in float64 from inv_freq.
import type { RopeDims } from './rope.ts';

function rotate(
  x: Float64Array,
  rows: number,
  heads: number,
  HS: number,
  T: number,
  inv: Float64Array,
  pos0: number,
  sign: number,
  positions?: ArrayLike<number>,
) {
  const out = new Float64Array(x.length);
  const half = HS / 2;
  for (let r = 0; r < rows; r++) {
    const pos = positions ? positions[r] : pos0 + (r % T);
    for (let h = 0; h < heads; h++)
      for (let i = 0; i < HS; i++) {
        const j = i < half ? i : i - half;
        const a = pos * inv[j];
        const base = (r * heads + h) * HS;
        // rotate_half(x)_i = -x_{i+half} for i < half, x_{i-half} otherwise
        const rot = i < half ? -x[base + i + half] : x[base + i - half];
        out[base + i] = x[base + i] * Math.cos(a) + sign * rot * Math.sin(a);
      }
  }
  return out;
}

/** qkv (B, T, C + 2·KVC); token r = b·T + t at positions[r] when given, else at pos0 + t. */
export function ropeForwardRef(
  q: Float64Array,
  k: Float64Array,
  v: Float64Array,
  inv: Float64Array,
  d: RopeDims,
  positions?: ArrayLike<number>,
) {
  const { B, T, NH, NKV, HS, pos0 = 0 } = d;
  const rows = B * T;
  const rq = rotate(q, rows, NH, HS, T, inv, pos0, 1, positions);
  const rk = rotate(k, rows, NKV, HS, T, inv, pos0, 1, positions);
  const C = NH * HS;
  const KVC = NKV * HS;
  const W = C + 2 * KVC;
  const qkv = new Float64Array(rows * W);
  for (let r = 0; r < rows; r++) {
    qkv.set(rq.subarray(r * C, (r + 1) * C), r * W);
    qkv.set(rk.subarray(r * KVC, (r + 1) * KVC), r * W + C);
    qkv.set(v.subarray(r * KVC, (r + 1) * KVC), r * W + C + KVC);
  }
  return qkv;
}

export function ropeBackwardRef(dqkv: Float64Array, inv: Float64Array, d: RopeDims) {
  const { B, T, NH, NKV, HS, pos0 = 0 } = d;
  const rows = B * T;
  const C = NH * HS;
  const KVC = NKV * HS;
  const W = C + 2 * KVC;
  const gq = new Float64Array(rows * C);
  const gk = new Float64Array(rows * KVC);
  const dv = new Float64Array(rows * KVC);
  for (let r = 0; r < rows; r++) {
    gq.set(dqkv.subarray(r * W, r * W + C), r * C);
    gk.set(dqkv.subarray(r * W + C, r * W + C + KVC), r * KVC);
    dv.set(dqkv.subarray(r * W + C + KVC, (r + 1) * W), r * KVC);
  }
  return {
    dq: rotate(gq, rows, NH, HS, T, inv, pos0, -1),
    dk: rotate(gk, rows, NKV, HS, T, inv, pos0, -1),
    dv,
  };
}
