// `pnpm bench:sweeps`: what the sweep controller spends per proposal — TPE with 1,000 finished trials over a
// mixed 5-parameter space (log-scaled, uniform, integer, two categoricals), beside random search. Median of
// 50 proposals. Prints a table and writes bench/results/sweeps-*.json.
import { writeJson } from '../../../packages/kernels/bench/harness.ts';
import { dimensions, randomProposal } from '../src/sweeps/space.ts';
import { type Trial, tpeProposal } from '../src/sweeps/tpe.ts';

const dims = dimensions({
  lr: { distribution: 'log_uniform_values', min: 1e-5, max: 1e-1 },
  dropout: { distribution: 'uniform', min: 0, max: 0.5 },
  layers: { distribution: 'int_uniform', min: 1, max: 12 },
  optimizer: { values: ['adamw', 'sgd'] },
  batch: { values: [8, 16, 32, 64] },
});
const trials: Trial[] = Array.from({ length: 1000 }, (_, n) => {
  const p = randomProposal(dims, 1, n);
  return {
    params: p,
    value: (Math.log10(p.lr as number) + 3) ** 2 + (p.dropout as number) + (p.layers as number) / 10,
  };
});
const time = (fn: (n: number) => unknown) => {
  for (let n = 0; n < 5; n++) fn(n);
  const t: number[] = [];
  for (let n = 0; n < 50; n++) {
    const t0 = performance.now();
    fn(n);
    t.push(performance.now() - t0);
  }
  return t.sort((a, b) => a - b)[25];
};
const tpe = time((n) => tpeProposal(dims, trials, 7, 1000 + n));
const random = time((n) => randomProposal(dims, 7, 1000 + n));
console.log('\nsweep proposals (median of 50)');
console.log(`method  trials  ms/proposal`);
console.log(`tpe     1000    ${tpe.toFixed(3)}`);
console.log(`random  1000    ${random.toFixed(4)}`);
console.log(
  `\nwrote ${writeJson('sweeps', { trials: 1000, dims: dims.length, tpeMs: tpe, randomMs: random })}`,
);
