// Parameter importance lists every parameter of the space with a measure that suits it.
import { describe, expect, it } from 'vitest';
import { correlationRatio, importance } from './importance.ts';
import type { Dim } from './space.ts';

const dims: Dim[] = [
  { path: 'optim.lr', kind: 'float', min: 1e-5, max: 1e-1, log: true },
  { path: 'optim.kind', kind: 'categorical', values: ['adamw', 'sgd', 'lion'] },
  { path: 'layers', kind: 'categorical', values: [1, 2, 4] },
  { path: 'seed', kind: 'constant', value: 42 },
];

describe('parameter importance', () => {
  it('measures every parameter: ρ for numbers (ranges and numeric lists), η for categories, nothing for constants', () => {
    // loss rises with lr, falls with layers; sgd is worst, the others tie-ish.
    const trials = [
      { lr: 1e-4, kind: 'adamw', layers: 4, loss: 0.2 },
      { lr: 1e-3, kind: 'adamw', layers: 2, loss: 0.3 },
      { lr: 3e-3, kind: 'lion', layers: 2, loss: 0.35 },
      { lr: 1e-2, kind: 'sgd', layers: 1, loss: 0.9 },
      { lr: 3e-2, kind: 'sgd', layers: 1, loss: 1.1 },
      { lr: 5e-4, kind: 'lion', layers: 4, loss: 0.25 },
    ].map((t) => ({
      params: { 'optim.lr': t.lr, 'optim.kind': t.kind, layers: t.layers, seed: 42 },
      value: t.loss,
    }));
    const got = importance(dims, trials);
    expect(got.map((i) => i.parameter).sort()).toEqual(['layers', 'optim.kind', 'optim.lr', 'seed']);
    const by = Object.fromEntries(got.map((i) => [i.parameter, i]));
    expect(by['optim.lr']).toMatchObject({ measure: 'spearman', runs: 6 });
    expect(by['optim.lr'].value).toBeCloseTo(1, 10); // monotone: ρ = 1
    expect(by.layers.measure).toBe('spearman');
    expect(by.layers.value!).toBeLessThan(-0.9);
    expect(by['optim.kind'].measure).toBe('correlation_ratio');
    expect(by['optim.kind'].value!).toBeGreaterThan(0.8);
    expect(by['optim.kind'].value!).toBeLessThanOrEqual(1);
    expect(by.seed).toEqual({ parameter: 'seed', measure: 'constant', value: null, runs: 0 });
    // Strongest first, the constant last.
    expect(got.at(-1)!.parameter).toBe('seed');
  });

  it('says "not enough runs" (null) below 3 finished runs, and η is 0 when the category explains nothing', () => {
    const two = importance(dims.slice(0, 2), [
      { params: { 'optim.lr': 1e-3, 'optim.kind': 'sgd' }, value: 1 },
      { params: { 'optim.lr': 1e-2, 'optim.kind': 'adamw' }, value: 2 },
    ]);
    expect(two.map((i) => i.value)).toEqual([null, null]);
    expect(correlationRatio(['a', 'b', 'a', 'b'], [1, 1, 2, 2])).toBeCloseTo(0, 10);
    expect(correlationRatio(['a', 'a', 'b', 'b'], [1, 2, 3, 4])).toBeGreaterThan(0.85);
    expect(correlationRatio(['a', 'a', 'a'], [1, 2, 3])).toBeNaN();
  });
});
