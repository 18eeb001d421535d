import { describe, expect, it } from 'vitest';
import {
  dot,
  expectBitEqual,
  expectClose,
  expectGrad,
  f64,
  poisoned,
  randInt,
  randn,
  testRuntime,
} from '../../testing.ts';
import { embeddingBackwardRef, embeddingRef } from './embedding.reference.ts';
import { bucketTokens, embeddingBackward, embeddingForward, uploadBuckets } from './embedding.ts';

// Forward is one f32 add (correctly rounded); backward sums ≤ B·T terms of O(1): ~1e-6 relative.
const FWD = { atol: 0, rtol: 1.2e-7 };
const BWD = { atol: 1e-6, rtol: 1e-5 };

describe('embedding', () => {
  it('buckets positions by token, in position order', () => {
    expect(bucketTokens([3, 1, 3, 0, 1, 3])).toEqual({
      tokens: Uint32Array.from([0, 1, 3]),
      offsets: Uint32Array.from([0, 1, 3, 6]),
      positions: Uint32Array.from([3, 1, 4, 0, 2, 5]),
    });
  });

  it('reference backward matches finite differences', () => {
    const [V, T, C] = [5, 3, 2];
    const inp = [1, 4, 1, 0, 1, 2];
    const wte = f64(randn(V * C, 1));
    const wpe = f64(randn(T * C, 2));
    const dout = f64(randn(inp.length * C, 3));
    const ref = embeddingBackwardRef(inp, dout, V, T, C);
    const FD = { atol: 1e-8, rtol: 1e-7 };
    expectGrad('embedding ref dwte', ref.dwte, (w) => dot(embeddingRef(inp, w, wpe, T, C), dout), wte, FD);
    expectGrad('embedding ref dwpe', ref.dwpe, (w) => dot(embeddingRef(inp, wte, w, T, C), dout), wpe, FD);
  });

  // [B, T, C, V]: T=1, odd sizes, repeated tokens (small V), a GPT-2-sized vocabulary.
  it.each([
    [1, 1, 3, 2],
    [2, 7, 5, 3],
    [4, 33, 48, 50257],
  ])('forward and backward on the GPU, B=%i T=%i C=%i V=%i', async (B, T, C, V) => {
    const rt = await testRuntime();
    const inp = randInt(B * T, B + T, V);
    const wte = randn(V * C, 1);
    const wpe = randn(T * C, 2);
    const dout = randn(B * T * C, 3);
    const dwte0 = randn(V * C, 4);
    const t = {
      inp: rt.upload(inp, [B, T], 'inp', 'u32'),
      wte: rt.upload(wte, [V, C], 'wte'),
      wpe: rt.upload(wpe, [T, C], 'wpe'),
      dout: rt.upload(dout, [B, T, C], 'dout'),
      out: poisoned(rt, [B, T, C], 'out'),
      dwte: rt.upload(dwte0, [V, C], 'dwte'),
      dwpe: rt.upload(new Float32Array(T * C), [T, C], 'dwpe'),
    };
    const buckets = uploadBuckets(rt, bucketTokens(inp));
    rt.run('embedding', (s) => {
      embeddingForward(s, t.out, t.inp, t.wte, t.wpe, { B, T, C });
      embeddingBackward(s, t.dwte, t.dwpe, t.dout, buckets, { B, T, C });
    });
    const what = `embedding B=${B} T=${T} C=${C} V=${V}`;
    expectClose(`${what} forward`, await rt.read(t.out), embeddingRef(inp, f64(wte), f64(wpe), T, C), FWD);
    const ref = embeddingBackwardRef(inp, f64(dout), V, T, C);
    const dwte = await rt.read(t.dwte);
    expectClose(
      `${what} dwte (accumulated)`,
      dwte,
      ref.dwte.map((v, i) => v + dwte0[i]),
      BWD,
    );
    expectClose(`${what} dwpe`, await rt.read(t.dwpe), ref.dwpe, BWD);
    rt.write(t.dwte, dwte0);
    rt.run('again', (s) => embeddingBackward(s, t.dwte, null, t.dout, buckets, { B, T, C }));
    expectBitEqual(`${what} backward determinism`, await rt.read(t.dwte), dwte);
  });
});
