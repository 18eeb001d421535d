import { describe, expect, it } from 'vitest';
import { expectClose, f64, poisoned, randn, testRuntime } from '../../testing.ts';
import { dropoutRef } from './dropout.reference.ts';
import { dropoutBackward, dropoutForward } from './dropout.ts';

// A kept value is one f32 division (correctly rounded): 1 ulp.
const TOL = { atol: 0, rtol: 1.2e-7 };

describe('dropout', () => {
  it.each([
    [1, 0.5],
    [1001, 0.1],
    [100003, 0.3],
  ])('forward mask matches the reference RNG and backward reuses it, N=%i p=%s', async (N, p) => {
    const rt = await testRuntime();
    const x = randn(N, 1);
    const g = randn(N, 2);
    const r = { p, seed: 1234567, offset: 99 };
    const tx = rt.upload(x, [N], 'x');
    const tg = rt.upload(g, [N], 'dout');
    const out = poisoned(rt, [N], 'out');
    const dinp = poisoned(rt, [N], 'dinp');
    rt.run('dropout', (s) => {
      dropoutForward(s, out, tx, r);
      dropoutBackward(s, dinp, tg, r);
    });
    const got = await rt.read(out);
    expectClose(`dropout.forward N=${N}`, got, dropoutRef(f64(x), p, r.seed, r.offset), TOL);
    const dg = await rt.read(dinp);
    expectClose(`dropout.backward N=${N}`, dg, dropoutRef(f64(g), p, r.seed, r.offset), TOL);
    // Same elements dropped in both passes.
    for (let i = 0; i < N; i++) expect(got[i] === 0).toBe(dg[i] === 0);
    if (N > 100000) {
      // Keep rate within 5 standard deviations of 1 - p.
      const kept = got.filter((v) => v !== 0).length / N;
      expect(Math.abs(kept - (1 - p))).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N));
    }
  });

  it('a different seed drops different elements; p = 0 keeps everything', async () => {
    const rt = await testRuntime();
    const N = 4096;
    const x = randn(N, 3);
    const tx = rt.upload(x, [N], 'x');
    const a = poisoned(rt, [N], 'a');
    const b = poisoned(rt, [N], 'b');
    const c = poisoned(rt, [N], 'c');
    rt.run('seeds', (s) => {
      dropoutForward(s, a, tx, { p: 0.5, seed: 1 });
      dropoutForward(s, b, tx, { p: 0.5, seed: 2 });
      dropoutForward(s, c, tx, { p: 0, seed: 1 });
    });
    const [ra, rb] = [await rt.read(a), await rt.read(b)];
    let differ = 0;
    for (let i = 0; i < N; i++) if ((ra[i] === 0) !== (rb[i] === 0)) differ++;
    expect(differ / N).toBeGreaterThan(0.4);
    expect(Array.from(await rt.read(c))).toEqual(Array.from(x));
  });

  it('rejects p outside [0, 1)', async () => {
    const rt = await testRuntime();
    const t = rt.empty([4], 't');
    expect(() => dropoutForward(rt.step('bad'), t, t, { p: 1, seed: 0 })).toThrow(
      /p must be in \[0, 1\), got 1/,
    );
  });
});
