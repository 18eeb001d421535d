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
import { ropeBackwardRef, ropeForwardRef } from './rope.reference.ts';
import {
  type RopeDims,
  type RopeScaling,
  ropeBackward,
  ropeForward,
  ropeInvFreq,
  ropeTable,
} from './rope.ts';

// cos/sin rounded once to f32 (table) and one f32 multiply-add per output: a few ulp of |x|.
const TOL = { atol: 1e-6, rtol: 1e-6 };

const LLAMA3: RopeScaling = {
  rope_type: 'llama3',
  factor: 8,
  low_freq_factor: 1,
  high_freq_factor: 4,
  original_max_position_embeddings: 8192,
};

describe('rope', () => {
  it('inv_freq matches Hugging Face for default, linear and llama3 scaling', () => {
    // Values printed by PyTorch from HF's _compute_default_rope_parameters / _compute_llama3_parameters.
    const plain = ropeInvFreq(128, 500000);
    const l3 = ropeInvFreq(128, 500000, LLAMA3);
    const hf: [number, number, number][] = [
      [1, 0.8146172165870667, 0.8146172165870667], // high frequency: unchanged
      [30, 0.002131119603291154, 0.0013718936825171113], // between: smoothed
      [32, 0.001414213445968926, 0.0005248460220173001],
      [44, 0.00012076974235242233, 1.5096217794052791e-5], // low frequency: ÷ factor
      [63, 2.4551407022954663e-6, 3.068925877869333e-7],
    ];
    for (const [i, want, want3] of hf) {
      expect(plain[i]).toBeCloseTo(want, 12);
      expect(Math.abs(l3[i] - want3) / want3).toBeLessThan(1e-6);
    }
    const linear = ropeInvFreq(16, 10000, { type: 'linear', factor: 4 });
    const hfLinear = [0.25, 0.07905694097280502, 0.02500000037252903, 0.007905694656074047];
    for (const [i, w] of hfLinear.entries()) expect(Math.abs(linear[i] - w) / w).toBeLessThan(1e-7);
  });

  it('rejects unsupported or incomplete rope_scaling by name', () => {
    expect(() => ropeInvFreq(16, 10000, { rope_type: 'yarn', factor: 4 })).toThrow(
      /rope_scaling.rope_type: 'yarn' is not supported/,
    );
    expect(() => ropeInvFreq(16, 10000, { rope_type: 'llama3', factor: 8 })).toThrow(
      /rope_scaling.low_freq_factor: required for rope_type 'llama3'/,
    );
    expect(() => ropeInvFreq(15, 10000)).toThrow(/head size 15/);
  });

  it('reference backward matches finite differences', () => {
    const d: RopeDims = { B: 2, T: 3, NH: 2, NKV: 1, HS: 4, pos0: 1 };
    const inv = ropeInvFreq(4, 100);
    const q = f64(randn(2 * 3 * 8, 1));
    const k = f64(randn(2 * 3 * 4, 2));
    const v = f64(randn(2 * 3 * 4, 3));
    const dqkv = f64(randn(2 * 3 * 16, 4));
    const g = ropeBackwardRef(dqkv, inv, d);
    const FD = { atol: 1e-7, rtol: 1e-7 };
    expectGrad('rope ref dq', g.dq, (x) => dot(ropeForwardRef(x, k, v, inv, d), dqkv), q, FD);
    expectGrad('rope ref dk', g.dk, (x) => dot(ropeForwardRef(q, x, v, inv, d), dqkv), k, FD);
    expectGrad('rope ref dv', g.dv, (x) => dot(ropeForwardRef(q, k, x, inv, d), dqkv), v, FD);
  });

  // [B, T, NH, NKV, HS, theta, scaling, pos0]: MHA, GQA, MQA; positions past the trained context (llama3).
  it.each([
    [1, 1, 2, 2, 4, 10000, null, 0],
    [2, 7, 4, 2, 8, 10000, { rope_type: 'linear', factor: 2 }, 0],
    [2, 70, 6, 2, 16, 500000, LLAMA3, 0],
    [1, 33, 4, 1, 32, 1e6, null, 900],
  ] as const)(
    'packs and rotates on the GPU, B=%i T=%i NH=%i NKV=%i HS=%i theta=%i scaling=%o pos0=%i',
    async (B, T, NH, NKV, HS, theta, scaling, pos0) => {
      const rt = await testRuntime();
      const d: RopeDims = { B, T, NH, NKV, HS, pos0 };
      const C = NH * HS;
      const KVC = NKV * HS;
      const W = C + 2 * KVC;
      const inv = ropeInvFreq(HS, theta, scaling);
      const table = ropeTable(inv, pos0 + T);
      const q = randn(B * T * C, T + 1, 2);
      const k = randn(B * T * KVC, T + 2, 2);
      const v = randn(B * T * KVC, T + 3, 2);
      const dqkv = randn(B * T * W, T + 4);
      const t = {
        q: rt.upload(q, [B, T, C], 'q'),
        k: rt.upload(k, [B, T, KVC], 'k'),
        v: rt.upload(v, [B, T, KVC], 'v'),
        table: rt.upload(table, [pos0 + T, HS / 2, 2], 'rope.table'),
        dqkv: rt.upload(dqkv, [B, T, W], 'dqkv'),
        qkv: poisoned(rt, [B, T, W], 'qkv'),
        dq: poisoned(rt, [B, T, C], 'dq'),
        dk: poisoned(rt, [B, T, KVC], 'dk'),
        dv: poisoned(rt, [B, T, KVC], 'dv'),
      };
      const run = () =>
        rt.run('rope', (s) => {
          ropeForward(s, t.qkv, t.q, t.k, t.v, t.table, d);
          ropeBackward(s, t.dq, t.dk, t.dv, t.dqkv, t.table, d);
        });
      run();
      // The reference takes its angles in float64 from f32-rounded inv_freq·pos (HF rounds the product to
      // f32 too); at pos ≈ 900 an angle's f32 rounding is ~3e-5 rad, so allow that much relative slack there.
      const tol = pos0 + T > 100 ? { atol: 1e-4, rtol: 1e-4 } : TOL;
      const what = `rope B=${B} T=${T} NH=${NH} NKV=${NKV} HS=${HS}`;
      const qkv = await rt.read(t.qkv);
      expectClose(`${what} forward`, qkv, ropeForwardRef(f64(q), f64(k), f64(v), inv, d), tol);
      const want = ropeBackwardRef(f64(dqkv), inv, d);
      expectClose(`${what} backward dq`, await rt.read(t.dq), want.dq, tol);
      expectClose(`${what} backward dk`, await rt.read(t.dk), want.dk, tol);
      expectClose(`${what} backward dv`, await rt.read(t.dv), want.dv, { atol: 0, rtol: 0 });
      run();
      expectBitEqual(`${what} forward determinism`, await rt.read(t.qkv), qkv);
    },
  );

  // A position per token (a decode step: rows at their own lengths, T = 1; a few tokens per row), GQA.
  it.each([
    [3, 1, 6, 2, 8, LLAMA3, [0, 17, 5]],
    [2, 3, 4, 1, 16, null, [9, 3, 30, 2, 2, 0]],
    [5, 1, 2, 2, 4, null, [31, 0, 1, 7, 7]],
  ] as const)(
    'rotates at per-token positions, B=%i T=%i NH=%i NKV=%i HS=%i scaling=%o positions=%o',
    async (B, T, NH, NKV, HS, scaling, pos) => {
      const rt = await testRuntime();
      const d: RopeDims = { B, T, NH, NKV, HS };
      const [C, KVC] = [NH * HS, NKV * HS];
      const inv = ropeInvFreq(HS, 10000, scaling);
      const P = 32;
      const q = randn(B * T * C, 21, 2);
      const k = randn(B * T * KVC, 22, 2);
      const v = randn(B * T * KVC, 23, 2);
      const table = rt.upload(ropeTable(inv, P), [P, HS / 2, 2], 'rope.table');
      const positions = rt.upload(Uint32Array.from(pos), [B * T], 'positions', 'u32');
      const qkv = poisoned(rt, [B, T, C + 2 * KVC], 'qkv');
      const [tq, tk, tv] = [
        rt.upload(q, [B, T, C], 'q'),
        rt.upload(k, [B, T, KVC], 'k'),
        rt.upload(v, [B, T, KVC], 'v'),
      ];
      rt.run('rope at', (s) => ropeForward(s, qkv, tq, tk, tv, table, d, positions));
      const want = ropeForwardRef(f64(q), f64(k), f64(v), inv, d, pos);
      expectClose(`rope at positions ${pos}`, await rt.read(qkv), want, TOL);
      for (const t of [table, positions, qkv, tq, tk, tv]) t.release();
    },
  );

  it('rejects positions beyond the table', async () => {
    const rt = await testRuntime();
    const d: RopeDims = { B: 1, T: 4, NH: 1, NKV: 1, HS: 4, pos0: 2 };
    const table = rt.upload(ropeTable(ropeInvFreq(4, 10000), 5), [5, 2, 2], 'table');
    const x = rt.empty([1, 4, 4], 'x');
    expect(() =>
      rt.run('rope', (s) => ropeForward(s, rt.empty([1, 4, 12], 'qkv'), x, x, x, table, d)),
    ).toThrow(/positions 2…5 exceed the table's 5 positions/);
  });
});
