// Measured choice between kernel variants, cached on disk per adapter and driver.
//
// On first use an op runs each eligible variant on a representative shape, keeps the fastest, and writes
// the choice to $ANNEAL_CACHE_DIR/kernels.json (default ~/.cache/anneal) under the adapter's key (vendor,
// architecture, device, driver description), so a real GPU and lavapipe each keep their own best.
// ANNEAL_<OP>_VARIANT (e.g. ANNEAL_MATMUL_VARIANT=rb) forces a variant and skips the search.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Runtime, Step } from './kernel.ts';

export interface Candidate {
  name: string;
  /** Records one run of the variant on the tuning shape. */
  record: (s: Step) => void;
}

type CacheFile = Record<string, Record<string, { variant: string; ms: Record<string, number> }>>;

export function cachePath(): string {
  return join(process.env.ANNEAL_CACHE_DIR ?? join(homedir(), '.cache', 'anneal'), 'kernels.json');
}

function readCache(): CacheFile {
  try {
    return JSON.parse(readFileSync(cachePath(), 'utf8')) as CacheFile;
  } catch {
    return {};
  }
}

function writeCache(c: CacheFile): void {
  const p = cachePath();
  mkdirSync(dirname(p), { recursive: true });
  const tmp = `${p}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(c, null, 2));
  renameSync(tmp, p); // atomic: concurrent processes never read half a file
}

export function forcedVariant(op: string): string | undefined {
  return process.env[`ANNEAL_${op.toUpperCase()}_VARIANT`] || undefined;
}

/**
 * Median wall time per run of `record`, over `reps` submissions after one warm-up. A fast kernel on a real
 * GPU finishes in microseconds, less than one submit costs, so each submission repeats `record` until it
 * holds about 2 ms of work: the ranking is then of the kernels, not of the submit overhead.
 */
export async function timeSteps(rt: Runtime, record: (s: Step) => void, reps: number): Promise<number> {
  const t0 = performance.now();
  rt.run('warmup', record);
  await rt.sync();
  const repeat = Math.min(64, Math.max(1, Math.ceil(2 / (performance.now() - t0))));
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t1 = performance.now();
    rt.run('timed', (s) => {
      for (let j = 0; j < repeat; j++) record(s);
    });
    await rt.sync();
    times.push((performance.now() - t1) / repeat);
  }
  times.sort((x, y) => x - y);
  return times[Math.floor(times.length / 2)];
}

/**
 * Picks the variant for `key` (e.g. `matmul:NT`): forced by env, else cached for this adapter, else
 * measured now among `candidates` and cached. Returns the chosen name.
 */
export async function tune(
  rt: Runtime,
  op: string,
  key: string,
  candidates: Candidate[],
  reps = 3,
): Promise<string> {
  const forced = forcedVariant(op);
  if (forced) {
    if (!candidates.some((c) => c.name === forced)) {
      throw new Error(
        `ANNEAL_${op.toUpperCase()}_VARIANT=${forced}: not available here (have: ${candidates.map((c) => c.name).join(', ')})`,
      );
    }
    return forced;
  }
  const cache = readCache();
  const hit = cache[rt.gpu.key]?.[key];
  if (hit && candidates.some((c) => c.name === hit.variant)) return hit.variant;
  if (candidates.length === 1) return candidates[0].name;

  const ms: Record<string, number> = {};
  for (const c of candidates) ms[c.name] = await timeSteps(rt, c.record, reps);
  const best = candidates.reduce((x, y) => (ms[y.name] < ms[x.name] ? y : x)).name;
  const fresh = readCache(); // another process may have written meanwhile
  fresh[rt.gpu.key] = { ...fresh[rt.gpu.key], [key]: { variant: best, ms } };
  writeCache(fresh);
  return best;
}
