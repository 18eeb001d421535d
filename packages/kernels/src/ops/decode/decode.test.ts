import { afterAll, describe, expect, it } from 'vitest';
import {
  closeTestRuntime,
  expectBitEqual,
  expectClose,
  f64,
  poisoned,
  randInt,
  randn,
  testRuntime,
} from '../../testing.ts';
import { decodeAttentionRef, embedAtRef, kvAppendRef } from './decode.reference.ts';
import { decodeAttention, embedAt, kvAppend } from './decode.ts';

afterAll(closeTestRuntime);

// f32 dot products of length HS and a softmax-weighted sum over up to maxT keys, against float64: values are
// O(1), so 2e-6 absolute + 1e-5 relative.
const TOL = { atol: 2e-6, rtol: 1e-5 };

describe('decode kernels', () => {
  // Rows at different lengths, one new token (a decode step) and several (a few-token step); head sizes
  // below, at and above the 64 lanes; a cache longer than 64 keys so lanes loop.
  // Grouped-query (NKV < NH, Llama's) and multi-query (NKV = 1) caches hold NKV·HS channels per token.
  it.each([
    { B: 3, Tq: 1, C: 32, NH: 2, NKV: 2, maxT: 40, start: [0, 17, 39] },
    { B: 2, Tq: 3, C: 48, NH: 3, NKV: 3, maxT: 20, start: [4, 11] },
    { B: 1, Tq: 1, C: 256, NH: 2, NKV: 2, maxT: 150, start: [149] },
    { B: 2, Tq: 1, C: 24, NH: 1, NKV: 1, maxT: 70, start: [69, 5] },
    { B: 3, Tq: 1, C: 48, NH: 6, NKV: 2, maxT: 33, start: [0, 9, 32] },
    { B: 2, Tq: 2, C: 40, NH: 4, NKV: 1, maxT: 70, start: [67, 3] },
  ])('kvAppend then decodeAttention: B=$B Tq=$Tq C=$C NH=$NH NKV=$NKV maxT=$maxT', async (d) => {
    const rt = await testRuntime();
    const { B, Tq, maxT } = d;
    const C = (d.NKV * d.C) / d.NH; // the cache's width KVC
    const W = d.C + 2 * C;
    const qkvH = randn(B * Tq * W, 1);
    // The cache holds earlier keys and values; slots beyond each row's end are NaN and must never be read.
    const kH = randn(B * maxT * C, 2);
    const vH = randn(B * maxT * C, 3);
    for (let b = 0; b < B; b++)
      for (let j = d.start[b] + Tq; j < maxT; j++)
        for (let c = 0; c < C; c++) {
          kH[(b * maxT + j) * C + c] = Number.NaN;
          vH[(b * maxT + j) * C + c] = Number.NaN;
        }
    const qkv = rt.upload(qkvH, [B, Tq, W], 'qkv');
    const k = rt.upload(kH, [B, maxT, C], 'k');
    const v = rt.upload(vH, [B, maxT, C], 'v');
    const start = rt.upload(Uint32Array.from(d.start), [B], 'start', 'u32');
    const out = poisoned(rt, [B, Tq, d.C], 'out');
    const scores = poisoned(rt, [B, d.NH, Tq, maxT], 'scores');
    rt.run('decode', (s) => {
      kvAppend(s, k, v, qkv, start, { B, T: Tq, C: d.C, KVC: C, maxT });
      decodeAttention(s, out, scores, qkv, k, v, start, d);
    });
    const want = kvAppendRef(f64(kH), f64(vH), qkvH, d.start, { B, T: Tq, C: d.C, KVC: C, maxT });
    // The append is a copy: bit-equal, NaN slots included.
    expectBitEqual('kvAppend k', await rt.read(k), Float32Array.from(want.k));
    expectBitEqual('kvAppend v', await rt.read(v), Float32Array.from(want.v));
    const ref = decodeAttentionRef(qkvH, want.k, want.v, d.start, d);
    expectClose(`decodeAttention ${JSON.stringify(d)}`, await rt.read(out), ref, TOL);
    for (const t of [qkv, k, v, start, out, scores]) t.release();
  });

  // f16 storage: the cache is filled through kvAppend (a history of maxT tokens, then this step's), its
  // untouched slots hold f16 NaN pairs; the result is compared with float64 attention over the f32 values.
  it.each([
    { B: 3, Tq: 1, C: 32, NH: 2, NKV: 2, maxT: 40, start: [0, 17, 39] },
    { B: 2, Tq: 3, C: 48, NH: 3, NKV: 3, maxT: 20, start: [4, 11] },
    { B: 1, Tq: 1, C: 256, NH: 2, NKV: 2, maxT: 150, start: [149] },
    { B: 2, Tq: 1, C: 48, NH: 6, NKV: 2, maxT: 30, start: [29, 6] },
  ])('f16 cache: kvAppend then decodeAttention: B=$B Tq=$Tq C=$C NH=$NH NKV=$NKV maxT=$maxT', async (d) => {
    const rt = await testRuntime();
    const { B, Tq, maxT } = d;
    const C = (d.NKV * d.C) / d.NH; // the cache's width KVC
    const W = d.C + 2 * C;
    const half = (B * maxT * C) / 2;
    const k = rt.upload(new Uint32Array(half).fill(0x7e007e00), [half], 'k16', 'u32');
    const v = rt.upload(new Uint32Array(half).fill(0x7e007e00), [half], 'v16', 'u32');
    // History: every row's positions 0..start-1 from a (B, maxT, W) source appended at 0 with T = start.
    const histH = randn(B * maxT * W, 11);
    const qkvH = randn(B * Tq * W, 12);
    const kRef = new Float64Array(B * maxT * C).fill(Number.NaN);
    const vRef = new Float64Array(B * maxT * C).fill(Number.NaN);
    const zero = rt.upload(new Uint32Array(B), [B], 'zero', 'u32');
    for (let b = 0; b < B; b++)
      for (let j = 0; j < d.start[b]; j++)
        for (let c = 0; c < C; c++) {
          kRef[(b * maxT + j) * C + c] = histH[(b * maxT + j) * W + d.C + c];
          vRef[(b * maxT + j) * C + c] = histH[(b * maxT + j) * W + d.C + C + c];
        }
    const dims = { C: d.C, KVC: C, maxT, dtype: 'f16' as const };
    const want = kvAppendRef(kRef, vRef, qkvH, d.start, { B, T: Tq, ...dims });
    // The history append writes all maxT positions; the step's append then overwrites from start[b] on, so
    // positions past start[b] + Tq keep history values, which the attention must not read (they are beyond n).
    const hist = rt.upload(histH, [B, maxT, W], 'hist');
    const qkv = rt.upload(qkvH, [B, Tq, W], 'qkv');
    const start = rt.upload(Uint32Array.from(d.start), [B], 'start', 'u32');
    const out = poisoned(rt, [B, Tq, d.C], 'out');
    const scores = poisoned(rt, [B, d.NH, Tq, maxT], 'scores');
    rt.run('decode f16', (s) => {
      kvAppend(s, k, v, hist, zero, { B, T: maxT, ...dims });
      kvAppend(s, k, v, qkv, start, { B, T: Tq, ...dims });
      decodeAttention(s, out, scores, qkv, k, v, start, { ...d, dtype: 'f16' });
    });
    const ref = decodeAttentionRef(qkvH, want.k, want.v, d.start, d);
    // Keys and values rounded to f16 (relative 2^-11): outputs of O(1) values within 3e-3.
    expectClose(`decodeAttention f16 ${JSON.stringify(d)}`, await rt.read(out), ref, {
      atol: 3e-3,
      rtol: 3e-3,
    });
    for (const t of [k, v, zero, hist, qkv, start, out, scores]) t.release();
  });

  it('kvAppend drops positions beyond the cache', async () => {
    const rt = await testRuntime();
    const [B, T, C, maxT] = [1, 3, 8, 4];
    const qkvH = randn(B * T * 3 * C, 4);
    const kH = randn(B * maxT * C, 5);
    const vH = randn(B * maxT * C, 6);
    const k = rt.upload(kH, [B, maxT, C], 'k');
    const v = rt.upload(vH, [B, maxT, C], 'v');
    const qkv = rt.upload(qkvH, [B, T, 3 * C], 'qkv');
    const start = rt.upload(Uint32Array.from([2]), [B], 'start', 'u32');
    rt.run('append', (s) => kvAppend(s, k, v, qkv, start, { B, T, C, maxT }));
    const want = kvAppendRef(f64(kH), f64(vH), qkvH, [2], { B, T, C, maxT });
    expectBitEqual('kvAppend k', await rt.read(k), Float32Array.from(want.k));
    expectBitEqual('kvAppend v', await rt.read(v), Float32Array.from(want.v));
  });

  it('embedAt: token and position embeddings at per-row positions', async () => {
    const rt = await testRuntime();
    const [R, C, V, P] = [5, 40, 30, 12];
    const wteH = randn(V * C, 7);
    const wpeH = randn(P * C, 8);
    const tok = randInt(R, 9, V);
    const pos = Uint32Array.from([0, 11, 3, 3, 7]);
    const out = poisoned(rt, [R, C], 'out');
    const [wte, wpe] = [rt.upload(wteH, [V, C], 'wte'), rt.upload(wpeH, [P, C], 'wpe')];
    const tokens = rt.upload(tok, [R], 'tokens', 'u32');
    const positions = rt.upload(pos, [R], 'positions', 'u32');
    rt.run('embed', (s) => embedAt(s, out, tokens, positions, wte, wpe, { R, C }));
    // One f32 add: correctly rounded.
    expectClose('embedAt', await rt.read(out), embedAtRef(tok, pos, wteH, wpeH, { R, C }), {
      atol: 0,
      rtol: 1.2e-7,
    });
    // wte bound in blocks of 64 rows (the binding limit set to 64 rows' bytes), tokens on each block's edges.
    const [V2, R2] = [150, 9];
    const wte2H = randn(V2 * C, 10);
    const tok2 = Uint32Array.from([0, 63, 64, 127, 128, 149, 5, 100, 140]);
    const pos2 = Uint32Array.from({ length: R2 }, (_, i) => i);
    const out2 = poisoned(rt, [R2, C], 'out2');
    const wte2 = rt.upload(wte2H, [V2, C], 'wte2');
    const tokens2 = rt.upload(tok2, [R2], 'tokens2', 'u32');
    const positions2 = rt.upload(pos2, [R2], 'positions2', 'u32');
    rt.run('embed blocks', (s) => embedAt(s, out2, tokens2, positions2, wte2, wpe, { R: R2, C }, 64 * C * 4));
    const want2 = embedAtRef(tok2, pos2, wte2H, wpeH, { R: R2, C });
    expectClose('embedAt in row blocks', await rt.read(out2), want2, { atol: 0, rtol: 1.2e-7 });
  });

  it('rejects shapes that do not match', async () => {
    const rt = await testRuntime();
    const qkv = rt.empty([2, 1, 96], 'qkv');
    const k = rt.empty([2, 10, 32], 'k');
    const start = rt.empty([3], 'start', 'u32');
    const s = rt.step('bad');
    expect(() => kvAppend(s, k, k, qkv, start, { B: 2, T: 1, C: 32, maxT: 10 })).toThrow(/start/);
    expect(() => decodeAttention(s, k, k, qkv, k, k, start, { B: 2, Tq: 1, C: 32, NH: 3, maxT: 10 })).toThrow(
      /not divisible/,
    );
    expect(() =>
      decodeAttention(s, k, k, qkv, k, k, start, { B: 2, Tq: 1, C: 32, NH: 4, NKV: 3, maxT: 10 }),
    ).toThrow(/NKV=3 must divide NH=4/);
  });
});
