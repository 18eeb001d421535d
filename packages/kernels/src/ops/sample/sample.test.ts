import { afterAll, describe, expect, it } from 'vitest';
import { closeTestRuntime, expectBitEqual, expectClose, f64, randn, testRuntime } from '../../testing.ts';
import {
  argmaxRef,
  chiSquareSurvival,
  repetitionPenaltyRef,
  samplingDistributionRef,
} from './sample.reference.ts';
import { markSeen, repetitionPenalty, sampleTokens } from './sample.ts';

afterAll(closeTestRuntime);

const NO_TOKEN = 0xffffffff;

async function draw(
  logits: Float32Array,
  R: number,
  V: number,
  o: { temperature: number; topK: number; topP: number; seed: number; step: number },
): Promise<Uint32Array> {
  const rt = await testRuntime();
  const l = rt.upload(logits, [R, V], 'logits');
  const tokens = rt.upload(new Uint32Array(R).fill(NO_TOKEN), [R], 'tokens', 'u32'); // poisoned
  rt.run('sample', (s) => sampleTokens(s, tokens, l, { R, V }, o));
  const out = await rt.read(tokens);
  l.release();
  tokens.release();
  return out;
}

describe('sampler', () => {
  it('the reference chi-square tail matches known quantiles', () => {
    // Values from PyTorch's torch.special.gammaincc(df / 2, x / 2) in float64.
    expectClose('chisq(1)', [chiSquareSurvival(3.841459, 1)], [0.05], { atol: 1e-7, rtol: 0 });
    expectClose('chisq(10)', [chiSquareSurvival(45, 10)], [2.1747272576671776e-6], { atol: 0, rtol: 1e-10 });
    expectClose('chisq(15)', [chiSquareSurvival(20, 15)], [0.1719326893766009], { atol: 0, rtol: 1e-10 });
    expectClose('chisq(39)', [chiSquareSurvival(80, 39)], [0.00011974877354948282], { atol: 0, rtol: 1e-10 });
    expectClose('chisq(2)', [chiSquareSurvival(4, 2)], [Math.exp(-2)], { atol: 0, rtol: 1e-12 });
  });

  // Greedy over a vocabulary-sized row (several passes of the 256 lanes) and a tiny one; ties go to the lowest id.
  it.each([
    [4, 50257],
    [3, 7],
  ])('greedy picks the arg max: R=%i V=%i', async (R, V) => {
    const logits = randn(R * V, 11 + V, 5);
    logits[V + 3] = 9;
    logits[V + 5] = 9; // a tie in row 1: id 3 wins
    const got = await draw(logits, R, V, { temperature: 0, topK: 0, topP: 1, seed: 1, step: 0 });
    const want = Array.from({ length: R }, (_, r) => argmaxRef(logits.subarray(r * V, (r + 1) * V)));
    expect(Array.from(got)).toEqual(want);
    expect(got[1]).toBe(3);
  });

  it('top-k 1 is greedy at any temperature, and draws are bit-reproducible for (seed, row, step)', async () => {
    const [R, V] = [6, 3000];
    const logits = randn(R * V, 21, 3);
    const greedy = Array.from({ length: R }, (_, r) => argmaxRef(logits.subarray(r * V, (r + 1) * V)));
    const k1 = await draw(logits, R, V, { temperature: 2, topK: 1, topP: 1, seed: 5, step: 3 });
    expect(Array.from(k1)).toEqual(greedy);
    const o = { temperature: 1.3, topK: 50, topP: 0.9, seed: 77, step: 4 };
    const a = await draw(logits, R, V, o);
    expectBitEqual('same seed, same draws', a, await draw(logits, R, V, o));
    const others = await Promise.all([
      draw(logits, R, V, { ...o, seed: 78 }),
      draw(logits, R, V, { ...o, step: 5 }),
    ]);
    for (const b of others) expect(Array.from(b)).not.toEqual(Array.from(a));
  });

  // Many draws of one known logits vector, each row its own (row, step) noise: the counts must fit the
  // distribution that temperature, top-k and top-p define (reference in float64). The seeds are fixed, so
  // the test is deterministic; the bar is a p-value of 1e-6, which a correct sampler misses with
  // probability 1e-6 over the choice of seeds.
  it.each([
    { temperature: 1, topK: 0, topP: 1 },
    { temperature: 0.7, topK: 12, topP: 1 },
    { temperature: 1.5, topK: 0, topP: 0.8 },
    { temperature: 0.8, topK: 20, topP: 0.9 },
  ])('draws fit the distribution (chi-square): %o', async (o) => {
    const V = 40;
    const R = 2048;
    const row = randn(V, 31, 2.5);
    const ref = samplingDistributionRef(f64(row), o);
    // Inputs where the f32 kernel and the float64 reference agree on the kept set.
    expect(ref.margin).toBeGreaterThan(1e-4);
    const logits = new Float32Array(R * V);
    for (let r = 0; r < R; r++) logits.set(row, r * V);
    const counts = new Float64Array(V);
    const STEPS = 5;
    for (let step = 0; step < STEPS; step++) {
      const got = await draw(logits, R, V, { ...o, seed: 2024, step });
      for (const t of got) {
        expect(t).toBeLessThan(V);
        counts[t]++;
      }
    }
    const n = R * STEPS;
    let chi = 0;
    let df = -1;
    for (let v = 0; v < V; v++) {
      if (!ref.kept[v]) {
        expect(counts[v], `token ${v} is outside the kept set`).toBe(0);
        continue;
      }
      const e = n * ref.probs[v];
      chi += (counts[v] - e) ** 2 / e;
      df++;
    }
    expect(df).toBeGreaterThan(2);
    const p = chiSquareSurvival(chi, df);
    expect(p, `chi-square ${chi.toFixed(2)} on ${df} df`).toBeGreaterThan(1e-6);
  });

  it('rejects bad settings, naming the field', async () => {
    const rt = await testRuntime();
    const l = rt.empty([1, 4], 'l');
    const t = rt.empty([1], 't', 'u32');
    const s = rt.step('bad');
    const base = { temperature: 1, topK: 0, topP: 1, seed: 0, step: 0 };
    expect(() => sampleTokens(s, t, l, { R: 1, V: 4 }, { ...base, temperature: -1 })).toThrow(/temperature/);
    expect(() => sampleTokens(s, t, l, { R: 1, V: 4 }, { ...base, topP: 0 })).toThrow(/topP/);
    expect(() => sampleTokens(s, t, l, { R: 1, V: 4 }, { ...base, topK: 1.5 })).toThrow(/topK/);
    expect(() => sampleTokens(s, t, l, { R: 1, V: 4 }, { ...base, seed: -1 })).toThrow(/seed/);
  });
});

describe('repetition penalty', () => {
  it('divides positive and multiplies negative logits of seen tokens, once', async () => {
    const rt = await testRuntime();
    const [R, V] = [3, 1000];
    const logitsH = randn(R * V, 41, 4);
    const l = rt.upload(logitsH, [R, V], 'logits');
    const seen = rt.upload(new Uint32Array(R * V), [R, V], 'seen', 'u32');
    // Mark tokens through the kernel (twice for row 0's: still penalised once).
    const marks = [
      [5, 17, 999],
      [0, 0, 3],
      [42, 5, 5],
    ];
    const tokens = rt.empty([R], 'tokens', 'u32');
    for (let i = 0; i < 3; i++) {
      rt.write(
        tokens,
        Uint32Array.from(marks, (m) => m[i]),
      );
      rt.run('mark', (s) => markSeen(s, seen, tokens, { R, V }));
    }
    const seenWant = new Uint32Array(R * V);
    marks.forEach((m, r) => {
      for (const t of m) seenWant[r * V + t] = 1;
    });
    expectBitEqual('markSeen', await rt.read(seen), seenWant);
    rt.run('penalty', (s) => repetitionPenalty(s, l, seen, 1.3));
    // One f32 multiply or divide: correctly rounded.
    expectClose('repetitionPenalty', await rt.read(l), repetitionPenaltyRef(logitsH, seenWant, 1.3), {
      atol: 0,
      rtol: 1.2e-7,
    });
  });
});
