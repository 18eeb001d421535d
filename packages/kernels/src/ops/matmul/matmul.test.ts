import { describe, expect, it } from 'vitest';
import { fromF16Bits } from '../../tensor.ts';
import { expectBitEqual, expectClose, f64, poisoned, randn, testRuntime } from '../../testing.ts';
import { matmulRef } from './matmul.reference.ts';
import {
  DEFAULT_TUNE_SHAPES,
  matmul,
  matmulF16Available,
  matmulShapeKey,
  matmulVariants,
  naiveMatmulKernel,
  tuneMatmul,
} from './matmul.ts';

// f32 dot products of length K with inputs in ±1 and float64 truth: the error grows like sqrt(K)·eps·Σ|a·b|
// in practice; 2e-5 relative plus 1e-5·sqrt(K) absolute covers K up to a few thousand with margin.
const tol = (K: number) => ({ atol: 1e-5 * Math.sqrt(K), rtol: 2e-5 });

// [M, N, K, batch]: odd sizes, single row/column, tile-plus-one, larger than one workgroup in each dim.
const SHAPES: [number, number, number, number][] = [
  [1, 1, 1, 1],
  [1, 37, 5, 1],
  [33, 1, 17, 1],
  [7, 9, 3, 2],
  [65, 129, 33, 1],
  [64, 96, 64, 3],
  [130, 70, 257, 1],
];
const LAYOUTS = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
] as const;

describe('matmul', async () => {
  const rt = await testRuntime();
  const variants = matmulVariants(rt);

  describe.each(variants)('variant %s', (variant) => {
    it.each(SHAPES)('M=%i N=%i K=%i batch=%i, every layout, bias and accumulate', async (M, N, K, batch) => {
      for (const [transA, transB] of LAYOUTS) {
        const a = randn(batch * M * K, 1 + M);
        const b = randn(batch * K * N, 2 + N);
        const bias = randn(N, 3);
        const c0 = randn(batch * M * N, 4);
        const ta = rt.upload(a, [batch * M * K], 'A');
        const tb = rt.upload(b, [batch * K * N], 'B');
        const tbias = rt.upload(bias, [N], 'bias');
        const out = poisoned(rt, [batch * M * N], 'C');
        const acc = rt.upload(c0, [batch * M * N], 'Cacc');
        rt.run('matmul', (s) => {
          matmul(s, out, ta, tb, tbias, { M, N, K }, { transA, transB, batch, variant });
          matmul(s, acc, ta, tb, null, { M, N, K }, { transA, transB, batch, variant, accumulate: true });
        });
        const got = await rt.read(out);
        const gotAcc = await rt.read(acc);
        for (let i = 0; i < batch; i++) {
          const sa = f64(a.subarray(i * M * K, (i + 1) * M * K));
          const sb = f64(b.subarray(i * K * N, (i + 1) * K * N));
          const what = `matmul.${variant} ${transA ? 'T' : 'N'}${transB ? 'T' : 'N'} M=${M} N=${N} K=${K} batch ${i}`;
          const want = matmulRef(sa, sb, f64(bias), { M, N, K }, { transA, transB });
          expectClose(what, got.subarray(i * M * N, (i + 1) * M * N), want, tol(K));
          const wantAcc = matmulRef(sa, sb, null, { M, N, K }, { transA, transB }).map(
            (v, j) => v + c0[i * M * N + j],
          );
          expectClose(`${what} accumulate`, gotAcc.subarray(i * M * N, (i + 1) * M * N), wantAcc, tol(K));
        }
        for (const t of [ta, tb, tbias, out, acc]) t.release();
      }
    });

    it('broadcasts a shared operand with stride 0 (one weight for every batch)', async () => {
      const [M, N, K, batch] = [5, 6, 7, 3];
      const a = randn(batch * M * K, 9);
      const w = randn(N * K, 10);
      const ta = rt.upload(a, [batch * M * K], 'A');
      const tw = rt.upload(w, [N * K], 'W');
      const out = poisoned(rt, [batch * M * N], 'C');
      rt.run('bcast', (s) =>
        matmul(s, out, ta, tw, null, { M, N, K }, { transB: true, batch, strideB: 0, variant }),
      );
      const got = await rt.read(out);
      for (let i = 0; i < batch; i++) {
        const want = matmulRef(
          f64(a.subarray(i * M * K, (i + 1) * M * K)),
          f64(w),
          null,
          { M, N, K },
          { transB: true },
        );
        expectClose(
          `matmul.${variant} broadcast batch ${i}`,
          got.subarray(i * M * N, (i + 1) * M * N),
          want,
          tol(K),
        );
      }
    });

    it('is bit-identical across runs', async () => {
      const [M, N, K] = [67, 45, 129];
      const ta = rt.upload(randn(M * K, 5), [M * K], 'A');
      const tb = rt.upload(randn(K * N, 6), [K * N], 'B');
      const runOnce = async () => {
        const out = poisoned(rt, [M * N], 'C');
        rt.run('det', (s) => matmul(s, out, ta, tb, null, { M, N, K }, { variant }));
        return rt.read(out);
      };
      expectBitEqual(`matmul.${variant} determinism`, await runOnce(), await runOnce());
    });
  });

  it('naive benchmark floor agrees with the reference', async () => {
    const [M, N, K] = [19, 23, 31];
    const a = randn(M * K, 7);
    const b = randn(K * N, 8);
    const out = poisoned(rt, [M * N], 'C');
    rt.run('naive', (s) =>
      s.dispatch(
        naiveMatmulKernel,
        { M, N, K },
        [out, rt.upload(a, [M * K], 'A'), rt.upload(b, [K * N], 'B')],
        [Math.ceil(N / 8), Math.ceil(M / 8)],
      ),
    );
    expectClose('matmul.naive', await rt.read(out), matmulRef(f64(a), f64(b), null, { M, N, K }), tol(K));
  });

  it('tunes one variant per layout and shape', async () => {
    const chosen = await tuneMatmul(rt);
    expect(Object.keys(chosen).sort()).toEqual(DEFAULT_TUNE_SHAPES.map(matmulShapeKey).sort());
    for (const v of Object.values(chosen)) expect(variants).toContain(v);
  });

  // f16 storage, f32 accumulation. The inputs are rounded to f16 on the CPU; the float64 reference takes the
  // same rounded values, so the only error left is the f32 accumulation's (the f32 tolerance): a kernel that
  // accumulated in f16 (11-bit mantissa) would miss it by orders of magnitude at K = 257.
  describe.skipIf(!matmulF16Available(rt))('f16 storage, f32 accumulation', () => {
    it.each(SHAPES)('M=%i N=%i K=%i batch=%i, every layout, bias and accumulate', async (M, N, K, batch) => {
      for (const [transA, transB] of LAYOUTS) {
        const a = randn(batch * M * K, 21 + M);
        const b = randn(batch * K * N, 22 + N);
        const bias = randn(N, 23);
        const c0 = randn(batch * M * N, 24);
        const ta = rt.upload(Array.from(a), [batch * M * K], 'A16', 'f16');
        const tb = rt.upload(Array.from(b), [batch * K * N], 'B16', 'f16');
        const a16 = Float64Array.from(await rt.read(ta), fromF16Bits);
        const b16 = Float64Array.from(await rt.read(tb), fromF16Bits);
        const tbias = rt.upload(bias, [N], 'bias');
        const out = poisoned(rt, [batch * M * N], 'C');
        const acc = rt.upload(c0, [batch * M * N], 'Cacc');
        rt.run('matmul.f16', (s) => {
          matmul(s, out, ta, tb, tbias, { M, N, K }, { transA, transB, batch });
          matmul(s, acc, ta, tb, null, { M, N, K }, { transA, transB, batch, accumulate: true });
        });
        const got = await rt.read(out);
        const gotAcc = await rt.read(acc);
        for (let i = 0; i < batch; i++) {
          const sa = a16.subarray(i * M * K, (i + 1) * M * K);
          const sb = b16.subarray(i * K * N, (i + 1) * K * N);
          const what = `matmul.f16 ${transA ? 'T' : 'N'}${transB ? 'T' : 'N'} M=${M} N=${N} K=${K} batch ${i}`;
          const want = matmulRef(sa, sb, f64(bias), { M, N, K }, { transA, transB });
          expectClose(what, got.subarray(i * M * N, (i + 1) * M * N), want, tol(K));
          const wantAcc = matmulRef(sa, sb, null, { M, N, K }, { transA, transB }).map(
            (v, j) => v + c0[i * M * N + j],
          );
          expectClose(`${what} accumulate`, gotAcc.subarray(i * M * N, (i + 1) * M * N), wantAcc, tol(K));
        }
        for (const t of [ta, tb, tbias, out, acc]) t.release();
      }
    });

    it('stays within f16 input rounding of the unrounded f32 product', async () => {
      // What a user of f16 weights gets against the f32 model: each input carries ≤ 2⁻¹¹ relative rounding,
      // so the product's error is bounded by 2·2⁻¹¹·Σ|a·b| per element.
      const [M, N, K] = [33, 47, 300];
      const a = randn(M * K, 31);
      const b = randn(N * K, 32);
      const out = poisoned(rt, [M * N], 'C');
      const ta = rt.upload(Array.from(a), [M * K], 'A16', 'f16');
      const tb = rt.upload(Array.from(b), [N * K], 'W16', 'f16');
      rt.run('f16 vs f32', (s) => matmul(s, out, ta, tb, null, { M, N, K }, { transB: true }));
      const got = await rt.read(out);
      const want = matmulRef(f64(a), f64(b), null, { M, N, K }, { transB: true });
      const absRef = matmulRef(
        f64(a.map(Math.abs)),
        f64(b.map(Math.abs)),
        null,
        { M, N, K },
        { transB: true },
      );
      for (let i = 0; i < got.length; i++) {
        const bound = 2 * 2 ** -11 * absRef[i] + 1e-5 * Math.sqrt(K);
        if (!(Math.abs(got[i] - want[i]) <= bound))
          throw new Error(`matmul.f16 element ${i}: got ${got[i]}, f32 product ${want[i]}, bound ${bound}`);
      }
    });

    it('refuses mixed f16/f32 operands and a forced f32 variant, naming them', () => {
      const s = rt.step('bad');
      const a16 = rt.empty([4], 'a16', 'f16');
      const b32 = rt.empty([4], 'b32');
      const c = rt.empty([4], 'c');
      expect(() => matmul(s, c, a16, b32, null, { M: 2, N: 2, K: 2 })).toThrow(
        /A a16 is f16 and B b32 is f32; f16 needs both f16/,
      );
      expect(() => matmul(s, c, a16, a16, null, { M: 2, N: 2, K: 2 }, { variant: 'rb' })).toThrow(
        /variant rb is f32-only/,
      );
    });
  });
  it.runIf(!matmulF16Available(rt))('f16 storage: skipped, this adapter has no shader-f16', () => {
    console.warn(
      `matmul f16: ${rt.gpu.info.description} lacks shader-f16; the f16 variant is not tested here`,
    );
  });

  it('rejects operands too small for the shape, naming them', () => {
    const s = rt.step('bad');
    const small = rt.empty([3], 'tiny');
    expect(() => matmul(s, small, small, small, null, { M: 2, N: 2, K: 2 })).toThrow(
      /A tiny \[3\] is too small/,
    );
  });
});
