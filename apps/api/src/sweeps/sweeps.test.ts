// Sweep search: W&B-format configs (errors name the path), grid enumeration, reproducible random search whose
// distributions stay in range with the right moments, TPE beating random search on Branin, and ASHA pruning
// exactly what its rung rule says.
import { describe, expect, it } from 'vitest';
import { type Curve, describePruning, rungs, shouldPrune, type Verdict } from './asha.ts';
import {
  type Dim,
  dimensions,
  gridProposals,
  parseSweepConfig,
  randomProposal,
  rng,
  type SweepConfigError,
  sampleDim,
} from './space.ts';
import { type Trial, tpeProposal } from './tpe.ts';

const issues = (input: unknown) => {
  try {
    parseSweepConfig(input);
  } catch (e) {
    return (e as SweepConfigError).issues;
  }
  return [];
};

describe('sweep configs (W&B format)', () => {
  it('reads a W&B sweep file in YAML, nested parameters included', () => {
    const c = parseSweepConfig(`
program: train.py
method: bayes
metric: { name: val/f1, goal: maximize }
parameters:
  optim:
    parameters:
      lr: { distribution: log_uniform_values, min: 1.0e-5, max: 1.0e-2 }
      weightDecay: { values: [0, 0.01, 0.1] }
  train.batchSize: { values: [16, 32] }
  seed: { value: 42 }
early_terminate: { type: hyperband, min_iter: 3 }
run_cap: 20
`);
    expect(c).toMatchObject({
      method: 'bayes',
      metric: { name: 'val/f1', goal: 'maximize' },
      run_cap: 20,
      max_parallel: 1,
      seed: 0,
    });
    expect(c.early_terminate).toEqual({ type: 'hyperband', min_iter: 3, eta: 3 });
    expect(dimensions(c.parameters).map((d) => [d.path, d.kind])).toEqual([
      ['optim.lr', 'float'],
      ['optim.weightDecay', 'categorical'],
      ['train.batchSize', 'categorical'],
      ['seed', 'constant'],
    ]);
  });

  it('names the path and the reason of every mistake', () => {
    expect(
      issues({ method: 'grid', metric: { name: 'x' }, parameters: { lr: { min: 1, max: 0.5 } } }),
    ).toEqual([{ path: 'parameters.lr.max', message: 'must be greater than min (1)' }]);
    expect(
      issues({
        method: 'random',
        metric: { name: 'x' },
        parameters: { a: { values: [1, 2], probabilities: [0.5, 0.6] } },
      }),
    ).toEqual([{ path: 'parameters.a.probabilities', message: 'must sum to 1' }]);
    expect(
      issues({ method: 'random', metric: { name: 'x' }, parameters: { a: { valuez: [1] } } })[0],
    ).toEqual({
      path: 'parameters.a',
      message: 'unknown key valuez',
      keys: ['valuez'],
    });
    expect(
      issues({ method: 'hill-climb', metric: { name: 'x' }, parameters: { a: { value: 1 } } })[0].path,
    ).toBe('method');
    expect(
      issues({
        method: 'random',
        metric: { name: 'x' },
        parameters: { lr: { distribution: 'log_uniform_values', min: 0, max: 1 } },
      }),
    ).toEqual([{ path: 'parameters.lr.min', message: 'log_uniform_values needs min > 0' }]);
    expect(issues('method: [unclosed')[0].message).toMatch(/not valid YAML or JSON/);
  });
});

describe('grid and random search', () => {
  it('grid enumerates exactly the Cartesian product', () => {
    const dims = dimensions(
      parseSweepConfig({
        method: 'grid',
        metric: { name: 'loss' },
        parameters: {
          a: { values: [1, 2, 3] },
          b: { parameters: { c: { values: ['x', 'y'] } } },
          d: { value: true },
          e: { min: 1, max: 2 },
        },
      }).parameters,
    );
    const grid = gridProposals(dims);
    expect(grid).toHaveLength(3 * 2 * 1 * 2);
    expect(new Set(grid.map((p) => JSON.stringify(p))).size).toBe(12);
    expect(grid[0]).toEqual({ a: 1, 'b.c': 'x', d: true, e: 1 });
    expect(grid.at(-1)).toEqual({ a: 3, 'b.c': 'y', d: true, e: 2 });
    const continuous = dimensions({ lr: { min: 0.1, max: 0.5 } });
    expect(() => gridProposals(continuous)).toThrow(/grid search needs value or values/);
  });

  it('random search is reproducible by seed', () => {
    const dims = dimensions({
      lr: { distribution: 'log_uniform_values', min: 1e-5, max: 1e-1 },
      bs: { values: [8, 16, 32] },
    });
    const run = (seed: number) => Array.from({ length: 20 }, (_, n) => randomProposal(dims, seed, n));
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it('every distribution stays in range and matches its moments', () => {
    const N = 40_000;
    const draw = (d: Dim) => {
      const rand = rng(123);
      return Array.from({ length: N }, () => sampleDim(d, rand) as number);
    };
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
    // Each check allows 5 standard errors of the estimate.
    const close = (got: number, want: number, se: number) =>
      expect(Math.abs(got - want)).toBeLessThan(5 * se);

    const [uniform] = dimensions({ x: { distribution: 'uniform', min: -2, max: 6 } });
    const u = draw(uniform);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...u)).toBeLessThanOrEqual(6);
    close(mean(u), 2, 8 / Math.sqrt(12 * N));
    close(sd(u), 8 / Math.sqrt(12), 0.02);

    const [int] = dimensions({ x: { distribution: 'int_uniform', min: 1, max: 6 } });
    const k = draw(int);
    expect(k.every((x) => Number.isInteger(x) && x >= 1 && x <= 6)).toBe(true);
    for (let v = 1; v <= 6; v++)
      close(k.filter((x) => x === v).length / N, 1 / 6, Math.sqrt(((1 / 6) * (5 / 6)) / N));

    const [logu] = dimensions({ x: { distribution: 'log_uniform_values', min: 1e-4, max: 1 } });
    const lu = draw(logu);
    expect(Math.min(...lu)).toBeGreaterThanOrEqual(1e-4);
    expect(Math.max(...lu)).toBeLessThanOrEqual(1);
    close(mean(lu.map(Math.log)), Math.log(1e-2), Math.log(1e4) / Math.sqrt(12 * N));

    const [wandbLog] = dimensions({ x: { distribution: 'log_uniform', min: 0, max: 2 } }); // bounds e^0 … e^2
    const wl = draw(wandbLog);
    expect(Math.min(...wl)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...wl)).toBeLessThanOrEqual(Math.exp(2));

    const [qu] = dimensions({ x: { distribution: 'q_uniform', min: 0, max: 10, q: 2.5 } });
    expect(draw(qu).every((x) => Math.abs(x / 2.5 - Math.round(x / 2.5)) < 1e-9 && x >= 0 && x <= 10)).toBe(
      true,
    );

    const [normal] = dimensions({ x: { distribution: 'normal', mu: 3, sigma: 2 } });
    const n = draw(normal);
    close(mean(n), 3, 2 / Math.sqrt(N));
    close(sd(n), 2, 2 / Math.sqrt(2 * N));

    const [lognormal] = dimensions({ x: { distribution: 'log_normal', mu: -1, sigma: 0.5 } });
    const ln = draw(lognormal);
    expect(ln.every((x) => x > 0)).toBe(true);
    close(mean(ln.map(Math.log)), -1, 0.5 / Math.sqrt(N));

    const [cat] = dimensions({ x: { values: ['a', 'b', 'c'], probabilities: [0.2, 0.5, 0.3] } });
    const rand = rng(9);
    const c = Array.from({ length: N }, () => sampleDim(cat, rand));
    for (const [v, p] of [
      ['a', 0.2],
      ['b', 0.5],
      ['c', 0.3],
    ] as const)
      close(c.filter((x) => x === v).length / N, p, Math.sqrt((p * (1 - p)) / N));
  });
});

describe('TPE (bayes)', () => {
  // Branin on [-5, 10] × [0, 15]: global minimum 0.397887.
  const branin = (x: number, y: number) =>
    (y - (5.1 / (4 * Math.PI ** 2)) * x ** 2 + (5 / Math.PI) * x - 6) ** 2 +
    10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) +
    10;
  const dims = dimensions({
    x: { distribution: 'uniform', min: -5, max: 10 },
    y: { distribution: 'uniform', min: 0, max: 15 },
  });
  const search = (seed: number, budget: number, bayes: boolean) => {
    const trials: Trial[] = [];
    for (let n = 0; n < budget; n++) {
      const p = bayes ? tpeProposal(dims, trials, seed, n) : randomProposal(dims, seed, n);
      trials.push({ params: p, value: branin(p.x as number, p.y as number) });
    }
    return Math.min(...trials.map((t) => t.value));
  };

  it('beats random search on Branin in the median over 25 seeds at 50 trials', () => {
    const seeds = Array.from({ length: 25 }, (_, i) => i + 1);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const tpe = median(seeds.map((s) => search(s, 50, true)));
    const random = median(seeds.map((s) => search(s, 50, false)));
    expect(tpe).toBeLessThan(random);
    expect(tpe).toBeLessThan(1.0); // within reach of the optimum 0.398
  });

  it('handles categorical, integer and log-scaled parameters within their ranges', () => {
    const mixed = dimensions({
      lr: { distribution: 'log_uniform_values', min: 1e-5, max: 1e-1 },
      layers: { distribution: 'int_uniform', min: 1, max: 8 },
      opt: { values: ['adamw', 'sgd'] },
    });
    const trials: Trial[] = [];
    for (let n = 0; n < 40; n++) {
      const p = tpeProposal(mixed, trials, 3, n);
      expect(p.lr as number).toBeGreaterThanOrEqual(1e-5);
      expect(p.lr as number).toBeLessThanOrEqual(1e-1);
      expect(Number.isInteger(p.layers)).toBe(true);
      expect(['adamw', 'sgd']).toContain(p.opt);
      // Best near lr = 1e-3, 4 layers, adamw.
      const v =
        (Math.log10(p.lr as number) + 3) ** 2 +
        ((p.layers as number) - 4) ** 2 / 4 +
        (p.opt === 'adamw' ? 0 : 1);
      trials.push({ params: p, value: v });
    }
    const late = trials.slice(30);
    expect(late.filter((t) => t.params.opt === 'adamw').length).toBeGreaterThan(5);
  });
});

describe('ASHA early termination', () => {
  it('places rungs at min_iter·eta^k, or max_iter/eta^k with s', () => {
    expect(rungs({ min_iter: 2, eta: 3, max_iter: 100 })).toEqual([2, 6, 18, 54]);
    expect(rungs({ max_iter: 81, s: 3, eta: 3 })).toEqual([3, 9, 27]);
  });

  it('prunes exactly the runs outside the best ⌊n/eta⌋ at a rung they reach', () => {
    // Learning curves (loss, minimise), reported every step 1..10; rungs at 1, 3, 9 (eta 3).
    const e = { min_iter: 1, eta: 3 };
    const curve = (f: (t: number) => number): Curve =>
      Array.from({ length: 10 }, (_, i) => [i + 1, f(i + 1)]);
    const curves = new Map<string, Curve>([
      ['a', curve((t) => 1 / t)], // best throughout
      ['b', curve((t) => 1.2 / t)],
      ['c', curve((t) => 2 / t)],
      ['d', curve((t) => 0.9 + 0 * t)], // flat: good at step 1, bad later
      ['e', curve((t) => 3 / t)],
      ['f', curve(() => Number.NaN)], // diverged
    ]);
    // Rung 1 values: a 1, b 1.2, c 2, d 0.9, e 3, f NaN → 6 runs, keep ⌊6/3⌋ = 2: d and a.
    // Rung 3 values (all reached it): a 0.333, b 0.4, c 0.667, d 0.9, e 1, f NaN → keep 2: a, b — but b was
    // already out at rung 1.
    const verdict = Object.fromEntries(
      [...curves.keys()].map((r) => [r, shouldPrune(curves, r, e, 'minimize')]),
    );
    // Each decision names the rung, the run's value there and the last value kept (a at rung 1, b at rung 3).
    const at = (rung: number, value: number, cutoff: number) => ({
      prune: true,
      rung,
      value,
      cutoff,
      keep: 2,
      of: 6,
    });
    expect(verdict).toEqual({
      a: { prune: false },
      b: at(1, 1.2, 1),
      c: at(1, 2, 1),
      d: at(3, 0.9, 1.2 / 3),
      e: at(1, 3, 1),
      f: at(1, Number.NaN, 1),
    });
    expect(describePruning('val/loss', 'minimize', 3, verdict.d as Extract<Verdict, { prune: true }>)).toBe(
      'pruned at rung 3 (step ≥ 3): val/loss 0.9, outside the best 2 of the 6 runs there (minimize, eta 3; the last of those kept is 0.4)',
    );
    // The first run to reach a rung always continues; maximising flips the order.
    expect(shouldPrune(new Map([['x', curve(() => 5)]]), 'x', e, 'maximize')).toEqual({ prune: false });
    const acc = new Map<string, Curve>([
      ['hi', curve(() => 0.9)],
      ['lo', curve(() => 0.5)],
    ]);
    expect(shouldPrune(acc, 'lo', e, 'maximize')).toEqual({
      prune: true,
      rung: 1,
      value: 0.5,
      cutoff: 0.9,
      keep: 1,
      of: 2,
    });
    expect(shouldPrune(acc, 'hi', e, 'maximize')).toEqual({ prune: false });
  });
});
