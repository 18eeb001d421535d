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
import { residualBackwardRef, residualForwardRef } from './residual.reference.ts';
import { residualBackward, residualForward } from './residual.ts';

// f32 add of two f32 values is correctly rounded: 1 ulp (6e-8) relative covers it.
const TOL = { atol: 0, rtol: 1.2e-7 };

describe('residual', () => {
  it('reference backward matches finite differences', () => {
    const [a, b, dout] = [f64(randn(6, 1)), f64(randn(6, 2)), f64(randn(6, 3))];
    const { dinp1, dinp2 } = residualBackwardRef(dout);
    const FD = { atol: 1e-8, rtol: 1e-7 };
    expectGrad('residual ref dinp1', dinp1, (x) => dot(residualForwardRef(x, b), dout), a, FD);
    expectGrad('residual ref dinp2', dinp2, (x) => dot(residualForwardRef(a, x), dout), b, FD);
  });

  // 1 element, odd, one workgroup + 1, and beyond 65535 workgroups (2-D grid).
  it.each([1, 7, 257, 65535 * 256 + 3])('forward and backward, N=%i', async (N) => {
    const rt = await testRuntime();
    const a = randn(N, 1);
    const b = randn(N, 2);
    const g = randn(N, 3);
    const ta = rt.upload(a, [N], 'a');
    const tb = rt.upload(b, [N], 'b');
    const tg = rt.upload(g, [N], 'dout');
    const out = poisoned(rt, [N], 'out');
    const d1 = rt.upload(a, [N], 'dinp1'); // accumulate onto a
    const d2 = poisoned(rt, [N], 'dinp2');
    rt.run('residual', (s) => {
      residualForward(s, out, ta, tb);
      residualBackward(s, d1, d2, tg, { accumulate: true });
    });
    expectClose(`residual.forward N=${N}`, await rt.read(out), residualForwardRef(f64(a), f64(b)), TOL);
    expectClose(`residual.backward N=${N}`, await rt.read(d1), residualForwardRef(f64(a), f64(g)), TOL);
    // accumulate: false overwrites (d2 was NaN, out held a + b).
    rt.run('residual overwrite', (s) => residualBackward(s, d2, out, tg, { accumulate: false }));
    expectBitEqual(`residual.backward overwrite dinp1 N=${N}`, await rt.read(d2), g);
    expectBitEqual(`residual.backward overwrite dinp2 N=${N}`, await rt.read(out), g);
  });
});
