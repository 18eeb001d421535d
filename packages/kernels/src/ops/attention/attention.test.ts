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
import { attentionBackwardRef, attentionRef } from './attention.reference.ts';
import {
  type AttentionDims,
  attentionBackward,
  attentionForward,
  attentionVariants,
  qkvWidth,
  tuneAttention,
} from './attention.ts';
import { allocUnfused, attentionForwardUnfused } from './attention.unfused.ts';

// f32 online softmax over ≤ T keys and HS-long dot products: ~1e-6 relative per op, growing with T·HS;
// 1e-5 relative / 1e-5 absolute covers T ≤ 130 with inputs in ±1.
const FWD = { atol: 1e-5, rtol: 1e-5 };
// The backward sums T terms of products of recomputed probabilities: allow 1e-4 relative, 2e-5 absolute.
const BWD = { atol: 2e-5, rtol: 1e-4 };

// [B, T, C, NH, causal, masked, NKV]: T=1, odd T, T beyond one workgroup (64 rows), non-causal with padding;
// grouped-query attention with groups of 2 and 3 query heads per kv head, and one kv head for all (MQA).
const CASES: [number, number, number, number, boolean, boolean, number][] = [
  [1, 1, 8, 2, true, false, 2],
  [2, 7, 12, 3, true, false, 3],
  [1, 70, 16, 2, true, false, 2],
  [2, 9, 8, 1, false, true, 1],
  [2, 130, 64, 2, true, true, 2],
  [2, 9, 16, 4, true, false, 2],
  [1, 70, 24, 6, true, true, 2],
  [2, 33, 16, 4, false, true, 1],
];

function paddingMask(B: number, T: number): Uint32Array {
  // Batch b has its last b+1 positions padded (b = 0 … B-1); batch 0 also has one hole in the middle.
  const m = new Uint32Array(B * T).fill(1);
  for (let b = 0; b < B; b++) for (let t = Math.max(1, T - b - 1); t < T; t++) m[b * T + t] = 0;
  if (T > 4) m[2] = 0;
  return m;
}

describe('attention', async () => {
  it('reference backward matches finite differences (causal and padded)', () => {
    for (const [causal, NKV] of [
      [true, 2],
      [false, 2],
      [true, 1],
    ] as const) {
      const dims: AttentionDims = { B: 2, T: 4, C: 4, NH: 2, causal, NKV };
      const mask = paddingMask(2, 4);
      const qkv = f64(randn(2 * 4 * qkvWidth(dims), 1));
      const dout = f64(randn(2 * 4 * 4, 2));
      const loss = (x: Float64Array) => dot(attentionRef(x, mask, dims).out, dout);
      expectGrad(
        `attention ref causal=${causal} NKV=${NKV}`,
        attentionBackwardRef(qkv, dout, mask, dims),
        loss,
        qkv,
        {
          atol: 1e-7,
          rtol: 1e-6,
        },
      );
    }
  });

  const VARIANTS = attentionVariants(await testRuntime());
  it.each(VARIANTS.flatMap((v) => CASES.map((c) => [v, ...c] as const)))(
    '%s: forward and backward on the GPU, B=%i T=%i C=%i NH=%i causal=%s mask=%s NKV=%i',
    async (variant, B, T, C, NH, causal, masked, NKV) => {
      const rt = await testRuntime();
      const dims = { B, T, C, NH, causal, NKV };
      const W = qkvWidth(dims);
      const qkv = randn(B * T * W, T + C, 1.5);
      const dout = randn(B * T * C, 3);
      const mask = masked ? paddingMask(B, T) : null;
      const t = {
        qkv: rt.upload(qkv, [B, T, W], 'qkv'),
        dout: rt.upload(dout, [B, T, C], 'dout'),
        mask: mask ? rt.upload(mask, [B, T], 'mask', 'u32') : null,
        out: poisoned(rt, [B, T, C], 'out'),
        lse: poisoned(rt, [B, NH, T], 'lse'),
        D: poisoned(rt, [B, NH, T], 'D'),
        dqkv: poisoned(rt, [B, T, W], 'dqkv'),
      };
      const run = () =>
        rt.run('attention', (s) => {
          attentionForward(s, t.out, t.lse, t.qkv, t.mask, dims);
          attentionBackward(s, t.dqkv, t.D, t.dout, t.qkv, t.out, t.lse, t.mask, dims, { variant });
        });
      run();
      const what = `attention.${variant} B=${B} T=${T} C=${C} NH=${NH} NKV=${NKV} causal=${causal} mask=${masked}`;
      const out = await rt.read(t.out);
      const dqkv = await rt.read(t.dqkv);
      expectClose(`${what} forward`, out, attentionRef(f64(qkv), mask, dims).out, FWD);
      expectClose(`${what} backward`, dqkv, attentionBackwardRef(f64(qkv), f64(dout), mask, dims), BWD);
      run();
      expectBitEqual(`${what} forward determinism`, await rt.read(t.out), out);
      expectBitEqual(`${what} backward determinism`, await rt.read(t.dqkv), dqkv);
    },
  );

  it('tunes a forward variant this adapter has', async () => {
    expect(VARIANTS).toContain(await tuneAttention(await testRuntime()));
  });

  it.each([
    [1, 1, 8, 2, true],
    [2, 67, 32, 4, true],
    [1, 33, 16, 1, false],
  ])(
    'unfused path (benchmark peer) agrees with the reference, B=%i T=%i C=%i NH=%i causal=%s',
    async (B, T, C, NH, causal) => {
      const rt = await testRuntime();
      const dims = { B, T, C, NH, causal };
      const qkv = randn(B * T * 3 * C, 11, 1.5);
      const out = poisoned(rt, [B, T, C], 'out');
      rt.run('unfused', (s) =>
        attentionForwardUnfused(s, out, rt.upload(qkv, [B, T, 3 * C], 'qkv'), allocUnfused(rt, dims), dims),
      );
      expectClose(
        `attention.unfused B=${B} T=${T}`,
        await rt.read(out),
        attentionRef(f64(qkv), null, dims).out,
        FWD,
      );
    },
  );
});

describe('attention: grouped-query', () => {
  it('with NKV < NH equals multi-head attention over kv heads repeated per group', async () => {
    // GQA is MHA with each kv head copied to its group's query heads (HF's repeat_kv): the forward is the same,
    // and each kv head's gradient is the sum of its copies' gradients.
    const [B, T, C, NH, NKV] = [2, 11, 12, 6, 2];
    const HS = C / NH;
    const dims: AttentionDims = { B, T, C, NH, NKV, causal: true };
    const W = qkvWidth(dims);
    const gqa = f64(randn(B * T * W, 5, 1.5));
    const mha = new Float64Array(B * T * 3 * C);
    for (let r = 0; r < B * T; r++)
      for (let h = 0; h < NH; h++)
        for (let d = 0; d < HS; d++) {
          const g = Math.floor(h / (NH / NKV));
          mha[r * 3 * C + h * HS + d] = gqa[r * W + h * HS + d];
          mha[r * 3 * C + C + h * HS + d] = gqa[r * W + C + g * HS + d];
          mha[r * 3 * C + 2 * C + h * HS + d] = gqa[r * W + C + NKV * HS + g * HS + d];
        }
    const full = { ...dims, NKV: NH };
    expectClose('gqa = repeated mha', attentionRef(gqa, null, dims).out, attentionRef(mha, null, full).out, {
      atol: 1e-12,
      rtol: 1e-12,
    });
    const rt = await testRuntime();
    const out = poisoned(rt, [B, T, C], 'out');
    const lse = poisoned(rt, [B, NH, T], 'lse');
    rt.run('gqa', (s) =>
      attentionForward(s, out, lse, rt.upload(Float32Array.from(gqa), [B, T, W], 'qkv'), null, dims),
    );
    expectClose(
      'attention GQA forward on the GPU',
      await rt.read(out),
      attentionRef(mha, null, full).out,
      FWD,
    );
  });

  it('rejects a kv head count that does not divide the query heads', async () => {
    const rt = await testRuntime();
    const dims: AttentionDims = { B: 1, T: 2, C: 12, NH: 6, NKV: 4, causal: true };
    const t = rt.empty([1, 2, 28], 'qkv');
    expect(() =>
      rt.run('bad', (s) =>
        attentionForward(s, rt.empty([1, 2, 12], 'o'), rt.empty([1, 6, 2], 'l'), t, null, dims),
      ),
    ).toThrow(/NKV=4 key\/value heads must divide NH=6/);
  });
});
