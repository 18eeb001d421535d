import { describe, it } from 'vitest';
import { dot, expectClose, f64, numericGrad, poisoned, randn, testRuntime } from '../../testing.ts';
import { gatherRef, meanpoolRef } from './pool.reference.ts';
import { gatherBackward, gatherForward, meanpoolBackward, meanpoolForward } from './pool.ts';

// Gather is a copy (exact); the mean sums ≤ T f32 terms then divides: ~1e-6 relative.
const EXACT = { atol: 0, rtol: 0 };
const MEAN = { atol: 1e-6, rtol: 1e-5 };

describe('pooling heads', () => {
  // [B, T, C]: T=1, odd sizes, more elements than one workgroup.
  it.each([
    [1, 1, 4],
    [3, 7, 5],
    [4, 65, 33],
  ])('gather and masked mean-pool, forward and backward, B=%i T=%i C=%i', async (B, T, C) => {
    const rt = await testRuntime();
    const h = randn(B * T * C, T + C);
    const dout = randn(B * C, 2);
    const idx = Uint32Array.from({ length: B }, (_, b) => (b * 5) % T); // the first token for b = 0
    const mask = Uint32Array.from({ length: B * T }, (_, i) => (i % T < T - (Math.floor(i / T) % T) ? 1 : 0));
    const th = rt.upload(h, [B, T, C], 'h');
    const tg = rt.upload(dout, [B, C], 'dout');
    const ti = rt.upload(idx, [B], 'idx', 'u32');
    const tm = rt.upload(mask, [B, T], 'mask', 'u32');
    const g = poisoned(rt, [B, C], 'gathered');
    const m = poisoned(rt, [B, C], 'pooled');
    const dg = poisoned(rt, [B, T, C], 'dh.gather');
    const dm = poisoned(rt, [B, T, C], 'dh.mean');
    rt.run('pool', (s) => {
      gatherForward(s, g, th, ti, { B, T, C });
      meanpoolForward(s, m, th, tm, { B, T, C });
      gatherBackward(s, dg, tg, ti, { B, T, C });
      meanpoolBackward(s, dm, tg, tm, { B, T, C });
    });
    const what = `pool B=${B} T=${T} C=${C}`;
    expectClose(`${what} gather`, await rt.read(g), gatherRef(f64(h), idx, B, T, C), EXACT);
    expectClose(`${what} meanpool`, await rt.read(m), meanpoolRef(f64(h), mask, B, T, C), MEAN);
    // The pooling maps are linear, so their VJPs are exactly the finite-difference gradients.
    const FD = { atol: 1e-8, rtol: 1e-7 };
    const gradGather = numericGrad((x) => dot(gatherRef(x, idx, B, T, C), dout), f64(h));
    const gradMean = numericGrad((x) => dot(meanpoolRef(x, mask, B, T, C), dout), f64(h));
    expectClose(`${what} gather backward`, await rt.read(dg), gradGather, { ...FD, atol: 1e-7 });
    expectClose(`${what} meanpool backward`, await rt.read(dm), gradMean, { atol: 1e-6, rtol: 1e-5 });
  });
});
