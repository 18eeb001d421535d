// Float64 references for the sampler and logits processors (sample.ts).

/** The arg max, lowest index on ties. */
export function argmaxRef(x: ArrayLike<number>): number {
  let at = 0;
  for (let i = 1; i < x.length; i++) if (x[i] > x[at]) at = i;
  return at;
}

/**
 * The distribution the sampler draws from for one row of logits: softmax(logits / temperature) restricted to
 * the top-k tokens (ties with the k-th kept), then to the smallest top set whose mass reaches topP (ties with
 * its smallest member kept), renormalised. Also returns each kept set's margin: how far the top-p boundary
 * mass is from topP, so a test can pick inputs where f32 and float64 cannot disagree.
 */
export function samplingDistributionRef(
  logits: ArrayLike<number>,
  { temperature, topK, topP }: { temperature: number; topK: number; topP: number },
): { probs: Float64Array; kept: boolean[]; margin: number } {
  const V = logits.length;
  const z = Float64Array.from(logits, (x) => x / temperature);
  const order = [...z.keys()].sort((a, b) => z[b] - z[a]);
  let kept = new Array<boolean>(V).fill(true);
  if (topK > 0 && topK < V) {
    const kth = z[order[topK - 1]];
    kept = Array.from(z, (x) => x >= kth);
  }
  const m = z[order[0]];
  const w = Float64Array.from(z, (x, i) => (kept[i] ? Math.exp(x - m) : 0));
  const total = w.reduce((a, b) => a + b, 0);
  let margin = Number.POSITIVE_INFINITY;
  if (topP < 1) {
    let mass = 0;
    let cutoff = Number.NEGATIVE_INFINITY;
    for (const i of order) {
      if (!kept[i]) break;
      mass += w[i];
      if (mass >= topP * total) {
        cutoff = z[i];
        margin = Math.min(mass - topP * total, topP * total - (mass - w[i])) / total;
        break;
      }
    }
    kept = kept.map((k, i) => k && z[i] >= cutoff);
  }
  const probs = Float64Array.from(w, (x, i) => (kept[i] ? x : 0));
  const sum = probs.reduce((a, b) => a + b, 0);
  for (let i = 0; i < V; i++) probs[i] /= sum;
  return { probs, kept, margin };
}

/** CTRL's repetition penalty on the seen tokens of each row (seen (R, V), 1 = seen). */
export function repetitionPenaltyRef(
  logits: ArrayLike<number>,
  seen: ArrayLike<number>,
  penalty: number,
): Float64Array {
  return Float64Array.from(logits, (x, i) => (seen[i] ? (x < 0 ? x * penalty : x / penalty) : x));
}

/** P(χ²_df >= x), the upper tail of the chi-square distribution (regularised upper incomplete gamma Q(df/2, x/2)). */
export function chiSquareSurvival(x: number, df: number): number {
  const a = df / 2;
  const y = x / 2;
  if (y <= 0) return 1;
  const lnGammaA = lnGamma(a);
  if (y < a + 1) {
    // Series for P(a, y), then Q = 1 - P.
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 1000; n++) {
      term *= y / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return 1 - sum * Math.exp(-y + a * Math.log(y) - lnGammaA);
  }
  // Continued fraction for Q(a, y) (modified Lentz).
  const tiny = 1e-300;
  let b = y + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.exp(-y + a * Math.log(y) - lnGammaA) * h;
}

/** ln Γ(x), Lanczos (g = 7, n = 9), accurate to ~1e-15 for x > 0. */
export function lnGamma(x: number): number {
  const g = 7;
  const coef = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  const xx = x - 1;
  let a = coef[0];
  const t = xx + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += coef[i] / (xx + i);
  return 0.5 * Math.log(2 * Math.PI) + (xx + 0.5) * Math.log(t) - t + Math.log(a);
}
