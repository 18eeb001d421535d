// float64 references for sequence pooling.
export function gatherRef(h: Float64Array, idx: ArrayLike<number>, B: number, T: number, C: number) {
  const out = new Float64Array(B * C);
  for (let b = 0; b < B; b++)
    for (let c = 0; c < C; c++) out[b * C + c] = h[(b * T + Math.min(idx[b], T - 1)) * C + c];
  return out;
}

export function meanpoolRef(h: Float64Array, mask: ArrayLike<number>, B: number, T: number, C: number) {
  const out = new Float64Array(B * C);
  for (let b = 0; b < B; b++) {
    let n = 0;
    for (let t = 0; t < T; t++) if (mask[b * T + t]) n++;
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (let t = 0; t < T; t++) if (mask[b * T + t]) s += h[(b * T + t) * C + c];
      out[b * C + c] = s / Math.max(n, 1);
    }
  }
  return out;
}
