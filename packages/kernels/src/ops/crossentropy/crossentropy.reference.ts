// float64 reference for softmax + cross-entropy: per-row losses, and the gradient of Σ_r scale·loss_r.
export function crossentropyRef(
  logits: Float64Array,
  targets: Int32Array,
  N: number,
  V: number,
  ignoreIndex = -100,
) {
  const losses = new Float64Array(N);
  const probs = new Float64Array(N * V);
  for (let r = 0; r < N; r++) {
    let m = Number.NEGATIVE_INFINITY;
    for (let v = 0; v < V; v++) m = Math.max(m, logits[r * V + v]);
    let s = 0;
    for (let v = 0; v < V; v++) s += Math.exp(logits[r * V + v] - m);
    const lse = m + Math.log(s);
    for (let v = 0; v < V; v++) probs[r * V + v] = Math.exp(logits[r * V + v] - lse);
    const t = targets[r];
    losses[r] = t === ignoreIndex ? 0 : lse - logits[r * V + t];
  }
  return { losses, probs };
}

export function crossentropyBackwardRef(
  logits: Float64Array,
  targets: Int32Array,
  N: number,
  V: number,
  scale: number,
  ignoreIndex = -100,
): Float64Array {
  const { probs } = crossentropyRef(logits, targets, N, V, ignoreIndex);
  const d = new Float64Array(N * V);
  for (let r = 0; r < N; r++) {
    if (targets[r] === ignoreIndex) continue;
    for (let v = 0; v < V; v++) d[r * V + v] = (probs[r * V + v] - (v === targets[r] ? 1 : 0)) * scale;
  }
  return d;
}
