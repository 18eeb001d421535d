import { describe, it } from 'vitest';
import type { Runtime } from '../../kernel.ts';
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
import { layernormBackwardRef, layernormForwardRef } from './layernorm.reference.ts';
import {
  type LayernormVariant,
  layernormBackward,
  layernormForward,
  layernormVariants,
} from './layernorm.ts';

// Float64 finite differences with h = 1e-6 are accurate to ~1e-9 here; 1e-6 leaves room.
const FD = { atol: 1e-6, rtol: 1e-6 };
// Row reductions over C in f32 (sums of ≤ 1000 terms, then normalisation): ~1e-5 relative; the backward
// subtracts two means of similar size, so its absolute error scales with |dout·weight|·rstd ≈ 1e-5.
const FWD = { atol: 1e-5, rtol: 1e-5 };
const BWD = { atol: 5e-5, rtol: 1e-4 };

// [N, C]: a single row, C smaller than the workgroup, odd sizes, C larger than the workgroup.
const SHAPES: [number, number][] = [
  [1, 1],
  [1, 7],
  [3, 64],
  [5, 65],
  [17, 130],
  [64, 768],
];

describe('layernorm', () => {
  it('reference backward matches finite differences', () => {
    const [N, C] = [3, 5];
    const inp = f64(randn(N * C, 1, 2));
    const w = f64(randn(C, 2));
    const b = f64(randn(C, 3));
    const dout = f64(randn(N * C, 4));
    const { dinp, dweight, dbias } = layernormBackwardRef(dout, inp, w, N, C);
    const loss = (x: Float64Array, ww: Float64Array, bb: Float64Array) =>
      dot(layernormForwardRef(x, ww, bb, N, C).out, dout);
    expectGrad('layernorm ref dinp', dinp, (x) => loss(x, w, b), inp, FD);
    expectGrad('layernorm ref dweight', dweight, (ww) => loss(inp, ww, b), w, FD);
    expectGrad('layernorm ref dbias', dbias, (bb) => loss(inp, w, bb), b, FD);
  });

  // Each variant is a test of its own: one this adapter cannot run (sg needs a fixed subgroup size) is reported
  // as skipped, with the reason, rather than silently left out.
  for (const variant of ['wg', 'sg'] as const)
    it.for(SHAPES)(`${variant}: forward and backward on the GPU, N=%i C=%i`, async ([N, C], ctx) => {
      const rt = await testRuntime();
      if (!layernormVariants(rt).includes(variant))
        ctx.skip(`the ${variant} variant needs a fixed subgroup size; this adapter has none`);
      await check(rt, N, C, variant);
    });
});

/** One variant against the float64 reference, with NaN-poisoned outputs, run twice for determinism. */
async function check(rt: Runtime, N: number, C: number, variant: LayernormVariant) {
  // Large values (×100) check the two-pass variance does not cancel catastrophically.
  const inp = randn(N * C, 5 + C, 100);
  const w = randn(C, 6);
  const b = randn(C, 7);
  const dout = randn(N * C, 8);
  const t = {
    inp: rt.upload(inp, [N, C], 'inp'),
    w: rt.upload(w, [C], 'weight'),
    b: rt.upload(b, [C], 'bias'),
    dout: rt.upload(dout, [N, C], 'dout'),
    out: poisoned(rt, [N, C], 'out'),
    mean: poisoned(rt, [N], 'mean'),
    rstd: poisoned(rt, [N], 'rstd'),
    dinp: poisoned(rt, [N, C], 'dinp'),
    dw: rt.upload(new Float32Array(C), [C], 'dweight'),
    db: rt.upload(new Float32Array(C), [C], 'dbias'),
  };
  const run = () =>
    rt.run('layernorm', (s) => {
      layernormForward(s, t.out, t.mean, t.rstd, t.inp, t.w, t.b, { N, C, variant });
      layernormBackward(s, t.dinp, t.dw, t.db, t.dout, t.inp, t.w, t.mean, t.rstd, {
        N,
        C,
        accumulate: false,
        variant,
      });
    });
  run();
  const ref = layernormForwardRef(f64(inp), f64(w), f64(b), N, C);
  const gref = layernormBackwardRef(f64(dout), f64(inp), f64(w), N, C);
  const what = `layernorm ${variant} N=${N} C=${C}`;
  const out1 = await rt.read(t.out);
  expectClose(`${what} forward out`, out1, ref.out, FWD);
  expectClose(`${what} forward mean`, await rt.read(t.mean), ref.mean, FWD);
  expectClose(`${what} forward rstd`, await rt.read(t.rstd), ref.rstd, FWD);
  const dinp1 = await rt.read(t.dinp);
  expectClose(`${what} backward dinp`, dinp1, gref.dinp, BWD);
  expectClose(`${what} backward dweight`, await rt.read(t.dw), gref.dweight, BWD);
  expectClose(`${what} backward dbias`, await rt.read(t.db), gref.dbias, BWD);
  // Same inputs, same bits; parameter gradients accumulated twice are exactly twice... in f32 (x+x = 2x).
  run();
  expectBitEqual(`${what} forward determinism`, await rt.read(t.out), out1);
  expectBitEqual(`${what} backward determinism`, await rt.read(t.dinp), dinp1);
  expectClose(
    `${what} dbias accumulates`,
    await rt.read(t.db),
    gref.dbias.map((v) => 2 * v),
    BWD,
  );
}
