import { describe, expect, it } from 'vitest';
import {
  dot,
  expectBitEqual,
  expectClose,
  expectGrad,
  f64,
  poisoned,
  randn,
  testRuntime,
} from '../../testing.ts';
import { erf, geluBackwardRef, geluExactBackwardRef, geluExactRef, geluRef } from './gelu.reference.ts';
import { geluBackward, geluForward } from './gelu.ts';

// f32 tanh is accurate to a few ulp and the polynomial adds a few roundings: ~1e-6 relative, with an
// absolute floor for outputs near zero (gelu(x) → 0 as x → -∞ while its inputs stay O(1)).
const TOL = { atol: 2e-6, rtol: 2e-6 };

describe('gelu', () => {
  // Each reference backward against float64 central finite differences of its own forward.
  it.each([
    ['tanh', geluRef, geluBackwardRef, 1, 4],
    ['exact (erf)', geluExactRef, geluExactBackwardRef, 3, 3],
  ] as const)('%s reference backward matches finite differences', (what, ref, backwardRef, seed, scale) => {
    const x = f64(randn(9, seed, scale));
    const dout = f64(randn(9, seed + 1));
    expectGrad(`gelu ${what} ref`, backwardRef(x, dout), (v) => dot(ref(v), dout), x, {
      atol: 1e-7,
      rtol: 1e-7,
    });
  });

  // N: one element, odd, beyond one workgroup; scale 30 reaches the saturated tails (tanh → ±1).
  it.each([
    [1, 3],
    [1001, 3],
    [4099, 30],
  ])('forward and backward on the GPU, N=%i scale=%i', async (N, scale) => {
    const rt = await testRuntime();
    const x = randn(N, N, scale);
    const dout = randn(N, 2);
    const tx = rt.upload(x, [N], 'x');
    const tg = rt.upload(dout, [N], 'dout');
    const out = poisoned(rt, [N], 'out');
    const dinp = poisoned(rt, [N], 'dinp');
    const acc = rt.upload(dout, [N], 'acc');
    rt.run('gelu', (s) => {
      geluForward(s, out, tx);
      geluBackward(s, dinp, tx, tg);
      geluBackward(s, acc, tx, tg, { accumulate: true });
    });
    const got = await rt.read(out);
    expectClose(`gelu.forward N=${N}`, got, geluRef(f64(x)), TOL);
    const want = geluBackwardRef(f64(x), f64(dout));
    expectClose(`gelu.backward N=${N}`, await rt.read(dinp), want, TOL);
    expectClose(
      `gelu.backward accumulate N=${N}`,
      await rt.read(acc),
      want.map((v, i) => v + dout[i]),
      TOL,
    );
    rt.run('gelu again', (s) => geluForward(s, out, tx));
    expectBitEqual(`gelu.forward determinism N=${N}`, await rt.read(out), got);
  });

  it('erf is good to 1e-14 at known values', () => {
    const known: [number, number][] = [
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [2, 0.9953222650189527],
      [3.5, 0.9999992569016276],
      [-1.3, -0.9340079449406524],
    ];
    for (const [x, want] of known) expect(Math.abs(erf(x) - want)).toBeLessThan(1e-14);
  });

  // The erf approximation in WGSL is good to 1.5e-7 absolute, so gelu to ~1e-7·|x|.
  it.each([
    [1001, 3],
    [4099, 12],
  ])('exact (erf) forward and backward on the GPU, N=%i scale=%i', async (N, scale) => {
    const rt = await testRuntime();
    const x = randn(N, N + 7, scale);
    const dout = randn(N, 5);
    const tx = rt.upload(x, [N], 'x');
    const tg = rt.upload(dout, [N], 'dout');
    const out = poisoned(rt, [N], 'out');
    const dinp = poisoned(rt, [N], 'dinp');
    rt.run('gelu exact', (s) => {
      geluForward(s, out, tx, { exact: true });
      geluBackward(s, dinp, tx, tg, { exact: true });
    });
    const tol = { atol: 4e-7 * scale, rtol: 2e-6 };
    expectClose(`gelu.forward exact N=${N}`, await rt.read(out), geluExactRef(f64(x)), tol);
    expectClose(
      `gelu.backward exact N=${N}`,
      await rt.read(dinp),
      geluExactBackwardRef(f64(x), f64(dout)),
      tol,
    );
  });
});
