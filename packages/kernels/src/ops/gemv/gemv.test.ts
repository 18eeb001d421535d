import { afterAll, describe, expect, it } from 'vitest';
import { closeTestRuntime, expectClose, f64, poisoned, randn, testRuntime } from '../../testing.ts';
import { matmulRef } from '../matmul/matmul.reference.ts';
import { gemv, gemvFits } from './gemv.ts';

afterAll(closeTestRuntime);

describe('gemv', () => {
  // Every row count 1..8; vocabulary-like odd N for (N, K) weights; beyond 65535·64 columns is not needed.
  it.each([
    { M: 1, N: 768, K: 768, transB: false, bias: true },
    { M: 3, N: 36, K: 20, transB: false, bias: false },
    { M: 8, N: 3072, K: 768, transB: false, bias: true },
    { M: 1, N: 50257, K: 64, transB: true, bias: false },
    { M: 5, N: 97, K: 32, transB: true, bias: true },
    { M: 8, N: 1001, K: 192, transB: true, bias: false },
    { M: 2, N: 4, K: 4, transB: false, bias: true },
    // More rows than a block (8 + 5), and W bound in blocks of 64 rows (binding limit set to 100 rows' bytes).
    { M: 13, N: 200, K: 36, transB: false, bias: true },
    { M: 13, N: 1001, K: 64, transB: true, bias: true, limit: 100 * 64 * 4 },
    { M: 1, N: 300, K: 8, transB: true, bias: false, limit: 64 * 8 * 4 },
  ])(
    'y = x·op(W) + b: $M×$K·($K×$N) transB=$transB bias=$bias',
    async ({
      M,
      N,
      K,
      transB,
      bias,
      limit,
    }: {
      M: number;
      N: number;
      K: number;
      transB: boolean;
      bias: boolean;
      limit?: number;
    }) => {
      const rt = await testRuntime();
      const xH = randn(M * K, 1);
      const wH = randn(N * K, 2);
      const bH = randn(N, 3);
      const x = rt.upload(xH, [M, K], 'x');
      const w = rt.upload(wH, transB ? [N, K] : [K, N], 'w');
      const b = bias ? rt.upload(bH, [N], 'b') : null;
      const y = poisoned(rt, [M, N], 'y');
      rt.run('gemv', (s) => gemv(s, y, x, w, b, { M, N, K }, { transB, maxBindingBytes: limit }));
      const want = matmulRef(f64(xH), f64(wH), bias ? f64(bH) : null, { M, N, K }, { transB });
      // f32 sums of K products of O(1) values against float64: error grows like √K·eps·|terms|.
      expectClose(`gemv M=${M} N=${N} K=${K}`, await rt.read(y), want, {
        atol: 2e-6 * Math.sqrt(K),
        rtol: 1e-5,
      });
      for (const t of [x, w, b, y]) t?.release();
    },
  );

  it('refuses shapes it does not take', async () => {
    const rt = await testRuntime();
    expect(gemvFits(9, 8, 8, false)).toBe(false); // more rows than a decode batch: matmul's
    expect(gemvFits(1, 6, 8, false)).toBe(false);
    expect(gemvFits(1, 6, 8, true)).toBe(true);
    expect(gemvFits(1, 8, 6, true)).toBe(false);
    const x = rt.empty([1, 8], 'x');
    const w = rt.empty([8, 8], 'w');
    const y = rt.empty([1, 4], 'y');
    expect(() => gemv(rt.step('bad'), y, x, w, null, { M: 1, N: 8, K: 8 })).toThrow(/y y has 4 elements/);
  });
});
