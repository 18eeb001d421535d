// The autotuner must choose by measurement. Each test offers it two candidates that compute the same,
// correct product with the real `rb` matmul kernel, one of which deliberately does 8× the work (the product
// recorded 8 times over): the tuner must pick the one that does it once, whatever the names and the order,
// on both clocks. A tuner that ignored its measurements (first or last candidate, a name it prefers, a stale
// cache) would fail at least one case.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Candidate, cachedChoice, cachePath, timeSteps, tune } from './autotune.ts';
import type { Step } from './kernel.ts';
import { matmulRef } from './ops/matmul/matmul.reference.ts';
import { matmul, matmulShapeKey, tuneMatmul } from './ops/matmul/matmul.ts';
import { expectClose, f64, poisoned, randn, testRuntime } from './testing.ts';

describe('autotune', async () => {
  const rt = await testRuntime();
  const [M, N, K] = [256, 256, 256];
  const aData = randn(M * K, 11);
  const bData = randn(K * N, 12);
  const a = rt.upload(aData, [M, K], 'A');
  const b = rt.upload(bData, [K, N], 'B');
  const c = rt.empty([M, N], 'C');
  const once = (s: Step) => matmul(s, c, a, b, null, { M, N, K }, { variant: 'rb' });
  /** The fake slow variant: the same correct product, recorded 8 times. */
  const eightTimes = (s: Step) => {
    for (let i = 0; i < 8; i++) once(s);
  };
  let dir: string;
  const saved = { cache: process.env.ANNEAL_CACHE_DIR, forced: process.env.ANNEAL_MATMUL_VARIANT };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'anneal-autotune-'));
    process.env.ANNEAL_CACHE_DIR = dir;
    delete process.env.ANNEAL_MATMUL_VARIANT;
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    if (saved.cache === undefined) delete process.env.ANNEAL_CACHE_DIR;
    else process.env.ANNEAL_CACHE_DIR = saved.cache;
    if (saved.forced !== undefined) process.env.ANNEAL_MATMUL_VARIANT = saved.forced;
  });

  it('the fake slow variant computes the correct product (it only does more work)', async () => {
    const out = poisoned(rt, [M, N], 'C');
    rt.run('fake', (s) => {
      for (let i = 0; i < 8; i++) matmul(s, out, a, b, null, { M, N, K }, { variant: 'rb' });
    });
    const want = matmulRef(f64(aData), f64(bData), null, { M, N, K });
    expectClose('fake slow variant', await rt.read(out), want, { atol: 1e-5 * Math.sqrt(K), rtol: 2e-5 });
    out.release();
  });

  const clocks = rt.has('timestamp-query') ? (['gpu', 'wall'] as const) : (['wall'] as const);
  describe.each(clocks)('%s clock', (clock) => {
    // [names in order, which one is slow]: the slow one first, then last, under the names of real variants.
    it.each([
      [['tiled', 'rb'], 'tiled'],
      [['tiled', 'rb'], 'rb'],
      [['rb', 'tiled', 'sg'], 'rb'],
      [['rb', 'tiled', 'sg'], 'sg'],
    ] as const)('candidates %j with %s slow: never chooses the slow one', async (names, slow) => {
      const key = `test:${clock}:${names.join(',')}:${slow}`;
      const runs: Record<string, number> = {};
      const candidates: Candidate[] = names.map((name) => ({
        name,
        record: (s: Step) => {
          runs[name] = (runs[name] ?? 0) + 1;
          (name === slow ? eightTimes : once)(s);
        },
      }));
      // With three candidates two are equally fast: either may win, the slow one may not.
      const best = await tune(rt, 'matmul', key, candidates, { clock, reps: 5, targetMs: 2 });
      expect(best).not.toBe(slow);
      if (names.length === 2) expect(best).toBe(names.find((n) => n !== slow));
      const entry = cachedChoice(rt, key)!;
      expect(entry.variant).toBe(best);
      expect(entry.clock).toBe(clock);
      expect(entry.ms[slow]).toBeGreaterThan(entry.ms[best]);
      // Warm-up, calibration, then 5 samples, or at least 2 for one given up on as 3× slower than the best.
      for (const n of names) expect(runs[n]).toBeGreaterThanOrEqual(n === slow ? 4 : 7);
    });
  });

  it('reuses a cached choice without measuring, and measures again when the candidates change', async () => {
    const key = 'test:cache';
    let recorded = 0;
    const mk = (name: string, slow: boolean): Candidate => ({
      name,
      record: (s) => {
        recorded++;
        (slow ? eightTimes : once)(s);
      },
    });
    expect(await tune(rt, 'matmul', key, [mk('x', true), mk('y', false)], { reps: 3 })).toBe('y');
    recorded = 0;
    expect(await tune(rt, 'matmul', key, [mk('x', true), mk('y', false)])).toBe('y');
    expect(recorded).toBe(0);
    // A new variant joins: the cached choice was made without it, so all are measured again.
    expect(await tune(rt, 'matmul', key, [mk('x', true), mk('y', true), mk('z', false)], { reps: 3 })).toBe(
      'z',
    );
    expect(recorded).toBeGreaterThan(0);
  });

  it('ignores a cache written by an older tuner (no version): its choices were not measured this way', async () => {
    writeFileSync(cachePath(), JSON.stringify({ [rt.gpu.key]: { 'test:old': { variant: 'slow', ms: {} } } }));
    const candidates: Candidate[] = [
      { name: 'slow', record: eightTimes },
      { name: 'fast', record: once },
    ];
    expect(await tune(rt, 'matmul', 'test:old', candidates, { reps: 3 })).toBe('fast');
  });

  it('honours ANNEAL_<OP>_VARIANT, and names the variants there are when it is unknown', async () => {
    const candidates: Candidate[] = [
      { name: 'slow', record: eightTimes },
      { name: 'fast', record: once },
    ];
    process.env.ANNEAL_MATMUL_VARIANT = 'slow';
    try {
      expect(await tune(rt, 'matmul', 'test:forced', candidates)).toBe('slow');
      process.env.ANNEAL_MATMUL_VARIANT = 'nope';
      await expect(tune(rt, 'matmul', 'test:forced', candidates)).rejects.toThrow(
        /ANNEAL_MATMUL_VARIANT=nope: not available here \(have: slow, fast\)/,
      );
    } finally {
      delete process.env.ANNEAL_MATMUL_VARIANT;
    }
  });

  it('times per run, excluding the warm-up, with the repeat raised to fill a sample', async () => {
    const t = await timeSteps(rt, once, { reps: 3, targetMs: 2 });
    expect(t.samples).toHaveLength(3);
    expect(t.repeat).toBeGreaterThanOrEqual(1);
    expect(t.ms).toBeGreaterThan(0);
  });

  it('tuneMatmul measures the shapes it is given and keys the choices by shape', async () => {
    const shapes = [
      { M: 96, N: 80, K: 64, transB: true },
      { M: 64, N: 48, K: 96, transA: true, batch: 2 },
    ];
    const chosen = await tuneMatmul(rt, shapes, { reps: 3, targetMs: 1 });
    expect(Object.keys(chosen).sort()).toEqual(shapes.map(matmulShapeKey).sort());
    expect(Object.keys(chosen)).toContain('TN@64x48x96x2');
    for (const x of shapes)
      expect(cachedChoice(rt, `matmul:${matmulShapeKey(x)}`)?.variant).toBe(chosen[matmulShapeKey(x)]);
  });
});
