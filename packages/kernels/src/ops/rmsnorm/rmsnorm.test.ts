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
import { layernormVariants } from '../layernorm/layernorm.ts';
import { rmsnormBackwardRef, rmsnormForwardRef } from './rmsnorm.reference.ts';
import { rmsnormBackward, rmsnormForward } from './rmsnorm.ts';

const FD = { atol: 1e-6, rtol: 1e-6 };
// Row sums of squares over C in f32, then a reciprocal square root: ~1e-6 relative per element; the backward
// subtracts y·mean(g·y) from g, so its absolute error scales with |dout·weight|·rstd.
const FWD = { atol: 1e-5, rtol: 1e-5 };
const BWD = { atol: 5e-5, rtol: 1e-4 };

// [N, C, eps]: a single row, C below the workgroup, odd sizes, C above it; Llama's 1e-5 and 1e-6 eps.
const SHAPES: [number, number, number][] = [
  [1, 1, 1e-6],
  [1, 7, 1e-5],
  [3, 64, 1e-6],
  [5, 65, 1e-5],
  [17, 130, 1e-6],
  [64, 768, 1e-5],
];

describe('rmsnorm', () => {
  it('reference backward matches finite differences', () => {
    const [N, C, eps] = [3, 5, 1e-5];
    const inp = f64(randn(N * C, 1, 2));
    const w = f64(randn(C, 2));
    const dout = f64(randn(N * C, 4));
    const { dinp, dweight } = rmsnormBackwardRef(dout, inp, w, N, C, eps);
    const loss = (x: Float64Array, ww: Float64Array) => dot(rmsnormForwardRef(x, ww, N, C, eps).out, dout);
    expectGrad('rmsnorm ref dinp', dinp, (x) => loss(x, w), inp, FD);
    expectGrad('rmsnorm ref dweight', dweight, (ww) => loss(inp, ww), w, FD);
  });

  for (const variant of ['wg', 'sg'] as const)
    it.for(SHAPES)(
      `${variant}: forward and backward on the GPU, N=%i C=%i eps=%s`,
      async ([N, C, eps], ctx) => {
        const rt = await testRuntime();
        if (!layernormVariants(rt).includes(variant))
          ctx.skip(`the ${variant} variant needs a fixed subgroup size; this adapter has none`);
        const inp = randn(N * C, 5 + C, 3);
        const w = randn(C, 6);
        const dout = randn(N * C, 8);
        const acc = randn(N * C, 9);
        const t = {
          inp: rt.upload(inp, [N, C], 'inp'),
          w: rt.upload(w, [C], 'weight'),
          dout: rt.upload(dout, [N, C], 'dout'),
          out: poisoned(rt, [N, C], 'out'),
          rstd: poisoned(rt, [N], 'rstd'),
          dinp: poisoned(rt, [N, C], 'dinp'),
          dacc: rt.upload(acc, [N, C], 'dinp.acc'),
          dw: rt.upload(new Float32Array(C), [C], 'dweight'),
        };
        const run = () =>
          rt.run('rmsnorm', (s) => {
            rmsnormForward(s, t.out, t.rstd, t.inp, t.w, { N, C, eps, variant });
            rmsnormBackward(s, t.dinp, t.dw, t.dout, t.inp, t.w, t.rstd, {
              N,
              C,
              accumulate: false,
              variant,
            });
            rmsnormBackward(s, t.dacc, null, t.dout, t.inp, t.w, t.rstd, { N, C, accumulate: true, variant });
          });
        run();
        const what = `rmsnorm.${variant} N=${N} C=${C}`;
        const ref = rmsnormForwardRef(f64(inp), f64(w), N, C, eps);
        const gref = rmsnormBackwardRef(f64(dout), f64(inp), f64(w), N, C, eps);
        const out = await rt.read(t.out);
        expectClose(`${what} forward`, out, ref.out, FWD);
        expectClose(`${what} forward rstd`, await rt.read(t.rstd), ref.rstd, FWD);
        const dinp = await rt.read(t.dinp);
        expectClose(`${what} backward dinp`, dinp, gref.dinp, BWD);
        expectClose(
          `${what} backward dinp accumulated`,
          await rt.read(t.dacc),
          gref.dinp.map((v, i) => v + acc[i]),
          BWD,
        );
        expectClose(`${what} backward dweight`, await rt.read(t.dw), gref.dweight, BWD);
        run();
        expectBitEqual(`${what} forward determinism`, await rt.read(t.out), out);
        expectBitEqual(`${what} backward determinism`, await rt.read(t.dinp), dinp);
        expectClose(
          `${what} dweight accumulates`,
          await rt.read(t.dw),
          gref.dweight.map((v) => 2 * v),
          BWD,
        );
      },
    );
});
