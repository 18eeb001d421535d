// Bayesian search with a Tree-structured Parzen Estimator — univariate, as Optuna's default sampler: after
// `startup` random trials, split the finished trials into the best γ(n) = min(⌈0.1·n⌉, 25) ("good") and the
// rest ("bad"); per parameter, fit a Parzen density to each group (Gaussians on the observations, truncated
// to the range, plus one prior component; categorical: smoothed counts), draw `candidates` values from the
// good density and keep the one with the largest l(x) / g(x).

import { type Dim, gauss, type Proposal, pick, randomProposal, rng } from './space.ts';

export interface Trial {
  params: Proposal;
  /** The objective, lower is better (negate a maximised metric). */
  value: number;
}

export interface TpeOptions {
  startup?: number;
  candidates?: number;
}

/** The n-th proposal of a bayes sweep given the finished trials: deterministic in (seed, n, trials). */
export function tpeProposal(
  dims: Dim[],
  trials: Trial[],
  seed: number,
  n: number,
  o: TpeOptions = {},
): Proposal {
  const startup = o.startup ?? 10;
  const finite = trials.filter((t) => Number.isFinite(t.value));
  if (finite.length < startup) return randomProposal(dims, seed, n);
  const sorted = [...finite].sort((a, b) => a.value - b.value);
  const nGood = Math.min(Math.ceil(0.1 * sorted.length), 25);
  const good = sorted.slice(0, nGood).map((t) => t.params);
  const bad = sorted.slice(nGood).map((t) => t.params);
  const rand = rng((seed * 2_654_435_761 + n * 40_503 + 17) >>> 0);
  const out: Proposal = {};
  for (const d of dims) out[d.path] = proposeDim(d, good, bad, rand, o.candidates ?? 24);
  return out;
}

function proposeDim(
  d: Dim,
  good: Proposal[],
  bad: Proposal[],
  rand: () => number,
  candidates: number,
): unknown {
  if (d.kind === 'constant') return d.value;
  if (d.kind === 'categorical') {
    const index = (v: unknown) => d.values.findIndex((x) => JSON.stringify(x) === JSON.stringify(v));
    const weights = (obs: Proposal[]) => {
      // One pseudo-observation spread over the values (the prior), plus the counts.
      const w = d.values.map((_, i) => d.probabilities?.[i] ?? 1 / d.values.length);
      for (const p of obs) {
        const i = index(p[d.path]);
        if (i >= 0) w[i] += 1;
      }
      const s = w.reduce((a, b) => a + b, 0);
      return w.map((x) => x / s);
    };
    const l = weights(good);
    const g = weights(bad);
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < candidates; c++) {
      const i = pick(l, rand());
      const score = Math.log(l[i]) - Math.log(g[i]);
      if (score > bestScore) [best, bestScore] = [i, score];
    }
    return d.values[best];
  }
  // Numbers, in the internal space: log for log-scaled ranges and log-normals.
  const log = (d.kind === 'float' || d.kind === 'normal') && d.log;
  const to = (x: number) => (log ? Math.log(x) : x);
  const from = (u: number) => (log ? Math.exp(u) : u);
  const [lo, hi] =
    d.kind === 'normal'
      ? [d.mu - 4 * d.sigma, d.mu + 4 * d.sigma]
      : d.kind === 'int'
        ? [d.min - 0.5, d.max + 0.5]
        : [to(d.min), to(d.max)];
  const prior = d.kind === 'normal' ? { mu: d.mu, sigma: d.sigma } : { mu: (lo + hi) / 2, sigma: hi - lo };
  const obs = (ps: Proposal[]) => ps.map((p) => to(Number(p[d.path]))).filter(Number.isFinite);
  const l = parzen(obs(good), lo, hi, prior);
  const g = parzen(obs(bad), lo, hi, prior);
  let best = l.sample(rand);
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < candidates; c++) {
    const u = l.sample(rand);
    const score = l.logPdf(u) - g.logPdf(u);
    if (score > bestScore) [best, bestScore] = [u, score];
  }
  if (d.kind === 'int') return Math.min(d.max, Math.max(d.min, Math.round(best)));
  const x = from(best);
  const q = d.q;
  const v = q ? Math.round(x / q) * q : x;
  return d.kind === 'float' ? Math.min(d.max, Math.max(d.min, v)) : v;
}

/** A mixture of Gaussians truncated to [lo, hi]: one per observation, one for the prior, equal weights. */
function parzen(obs: number[], lo: number, hi: number, prior: { mu: number; sigma: number }) {
  const sorted = [...obs].sort((a, b) => a - b);
  const width = hi - lo;
  const minSigma = width / Math.min(100, 1 + sorted.length);
  const comps = sorted.map((mu, i) => {
    // Bandwidth: the larger gap to a neighbour (or a bound), clipped (Optuna's heuristic).
    const left = i > 0 ? mu - sorted[i - 1] : mu - lo;
    const right = i < sorted.length - 1 ? sorted[i + 1] - mu : hi - mu;
    return { mu, sigma: Math.min(width, Math.max(minSigma, left, right)) };
  });
  comps.push(prior);
  const mass = comps.map((c) => Phi((hi - c.mu) / c.sigma) - Phi((lo - c.mu) / c.sigma));
  return {
    sample(rand: () => number): number {
      const c = comps[Math.floor(rand() * comps.length)];
      for (let tries = 0; tries < 100; tries++) {
        const x = c.mu + c.sigma * gauss(rand);
        if (x >= lo && x <= hi) return x;
      }
      return Math.min(hi, Math.max(lo, c.mu));
    },
    logPdf(x: number): number {
      let s = 0;
      comps.forEach((c, i) => {
        const z = (x - c.mu) / c.sigma;
        s += Math.exp(-0.5 * z * z) / (c.sigma * Math.sqrt(2 * Math.PI) * Math.max(mass[i], 1e-12));
      });
      return Math.log(s / comps.length + 1e-300);
    },
  };
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 erf, |error| < 1.5e-7). */
function Phi(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}
