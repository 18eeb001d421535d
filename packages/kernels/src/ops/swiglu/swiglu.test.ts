import { describe, it } from 'vitest';
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
import { swigluBackwardRef, swigluRef } from './swiglu.reference.ts';
import { swigluBackward, swigluForward } from './swiglu.ts';

// f32 exp and a division: a few ulp relative, with an absolute floor where silu(g) → 0 for g → -∞.
const TOL = { atol: 2e-6, rtol: 4e-6 };

describe('swiglu', () => {
  it('reference backward matches finite differences', () => {
    const gate = f64(randn(9, 1, 4));
    const up = f64(randn(9, 2, 2));
    const dout = f64(randn(9, 3));
    const { dgate, dup } = swigluBackwardRef(dout, gate, up);
    const FD = { atol: 1e-7, rtol: 1e-7 };
    expectGrad('swiglu ref dgate', dgate, (g) => dot(swigluRef(g, up), dout), gate, FD);
    expectGrad('swiglu ref dup', dup, (u) => dot(swigluRef(gate, u), dout), up, FD);
  });

  // N: one element, odd, beyond one workgroup; scale 60 reaches the saturated tails (σ → 0 and 1, exp overflow).
  it.each([
    [1, 3],
    [1001, 3],
    [4099, 60],
  ])('forward and backward on the GPU, N=%i scale=%i', async (N, scale) => {
    const rt = await testRuntime();
    const gate = randn(N, N, scale);
    const up = randn(N, N + 1, 2);
    const dout = randn(N, N + 2);
    const t = {
      gate: rt.upload(gate, [N], 'gate'),
      up: rt.upload(up, [N], 'up'),
      dout: rt.upload(dout, [N], 'dout'),
      out: poisoned(rt, [N], 'out'),
      dgate: poisoned(rt, [N], 'dgate'),
      dup: poisoned(rt, [N], 'dup'),
    };
    const run = () =>
      rt.run('swiglu', (s) => {
        swigluForward(s, t.out, t.gate, t.up);
        swigluBackward(s, t.dgate, t.dup, t.dout, t.gate, t.up);
      });
    run();
    const out = await rt.read(t.out);
    expectClose(`swiglu.forward N=${N}`, out, swigluRef(f64(gate), f64(up)), {
      ...TOL,
      atol: TOL.atol * scale,
    });
    const want = swigluBackwardRef(f64(dout), f64(gate), f64(up));
    const tol = { ...TOL, atol: TOL.atol * scale };
    expectClose(`swiglu.backward dgate N=${N}`, await rt.read(t.dgate), want.dgate, tol);
    expectClose(`swiglu.backward dup N=${N}`, await rt.read(t.dup), want.dup, tol);
    run();
    expectBitEqual(`swiglu.forward determinism N=${N}`, await rt.read(t.out), out);
  });
});
