// The unfused attention path's backward (the benchmark's peer for the fused backward) against the float64
// reference, with NaN-poisoned outputs.
import { describe, it } from 'vitest';
import { expectClose, f64, poisoned, randn, testRuntime } from '../../testing.ts';
import { attentionBackwardRef } from './attention.reference.ts';
import { allocUnfused, attentionBackwardUnfused, attentionForwardUnfused } from './attention.unfused.ts';

const BWD = { atol: 2e-5, rtol: 1e-4 };

describe('attention, unfused backward', () => {
  it.each([
    [1, 1, 8, 2, true],
    [2, 67, 32, 4, true],
    [1, 33, 16, 1, false],
    [2, 70, 48, 3, false],
  ])('agrees with the reference, B=%i T=%i C=%i NH=%i causal=%s', async (B, T, C, NH, causal) => {
    const rt = await testRuntime();
    const dims = { B, T, C, NH, causal };
    const qkv = randn(B * T * 3 * C, 21, 1.5);
    const dout = randn(B * T * C, 22);
    const out = poisoned(rt, [B, T, C], 'out');
    const dqkv = poisoned(rt, [B, T, 3 * C], 'dqkv');
    const scratch = allocUnfused(rt, dims);
    const tq = rt.upload(qkv, [B, T, 3 * C], 'qkv');
    const td = rt.upload(dout, [B, T, C], 'dout');
    rt.run('unfused', (s) => {
      attentionForwardUnfused(s, out, tq, scratch, dims);
      attentionBackwardUnfused(s, dqkv, td, scratch, dims);
    });
    const want = attentionBackwardRef(f64(qkv), f64(dout), null, dims);
    expectClose(`attention.unfused backward B=${B} T=${T} causal=${causal}`, await rt.read(dqkv), want, BWD);
  });
});
