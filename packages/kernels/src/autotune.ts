// Measured choice between kernel variants, cached on disk per adapter and driver.
//
// An op hands `tune` its candidate variants, each a closure that records one run on a shape the model will
// actually run; every candidate is timed and the fastest kept, and the choice is written to
// $ANNEAL_CACHE_DIR/kernels.json (default ~/.cache/anneal) under the adapter's key (vendor, architecture,
// device, driver description), so a real GPU and lavapipe each keep their own best.
// ANNEAL_<OP>_VARIANT (e.g. ANNEAL_MATMUL_VARIANT=rb) forces a variant and skips the search.
//
// How a candidate is timed (`timeSteps`), and why: the first tuner took the repeat count from a warm-up run
// that included compiling the pipeline (tens of ms), so it timed a single dispatch per submission, and with
// three samples its ranking on an H100 was the noise of submit + queue-drain overhead (~0.2 ms) around a
// ~20 µs kernel: it chose matmul `rb` at half the speed of `tiled`. Now:
// - the warm-up (compilation, first-touch of buffers) is never timed;
// - GPU timestamps bracket the compute pass where the adapter has `timestamp-query`, so submission and
//   queue-drain overhead are not in the number at all; otherwise wall clock from submit to drain;
// - each sample repeats the candidate inside one pass until it holds `targetMs` of work (Dawn quantises
//   timestamps to 2¹⁶ ns ≈ 65 µs, so a single fast dispatch reads as 0 or 65 µs);
// - the median of `reps` samples is kept (a candidate already 3× slower than the best after two samples is
//   not measured further: it cannot win), and the cache records every candidate's median, the clock and the
//   candidate list: a cache written for a different list (a new variant) is measured again.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Runtime, Step } from './kernel.ts';

export interface Candidate {
  name: string;
  /** Records one run of the variant on the tuning shape (dispatches only: one compute pass). */
  record: (s: Step) => void;
}

export type Clock = 'gpu' | 'wall';

export interface TuneEntry {
  variant: string;
  /** Median ms per run of each candidate. */
  ms: Record<string, number>;
  clock: Clock;
  candidates: string[];
}

/** Bumped when the way candidates are measured changes: choices made by an older tuner are not trusted. */
const CACHE_VERSION = 2;
type CacheFile = { version?: number } & Record<string, Record<string, TuneEntry> | number | undefined>;

export function cachePath(): string {
  return join(process.env.ANNEAL_CACHE_DIR ?? join(homedir(), '.cache', 'anneal'), 'kernels.json');
}

function readCache(): CacheFile {
  try {
    const c = JSON.parse(readFileSync(cachePath(), 'utf8')) as CacheFile;
    return c.version === CACHE_VERSION ? c : { version: CACHE_VERSION };
  } catch {
    return { version: CACHE_VERSION };
  }
}

function writeCache(c: CacheFile): void {
  const p = cachePath();
  mkdirSync(dirname(p), { recursive: true });
  const tmp = `${p}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ ...c, version: CACHE_VERSION }, null, 2));
  renameSync(tmp, p); // atomic: concurrent processes never read half a file
}

/** The cached entry for `key` on this adapter, if any. */
export function cachedChoice(rt: Runtime, key: string): TuneEntry | undefined {
  const byAdapter = readCache()[rt.gpu.key];
  return typeof byAdapter === 'object' ? byAdapter[key] : undefined;
}

export function forcedVariant(op: string): string | undefined {
  return process.env[`ANNEAL_${op.toUpperCase()}_VARIANT`] || undefined;
}

export interface TimingOptions {
  /** Samples whose median is kept (default 7). */
  reps?: number;
  /** Work per sample, in ms, that the repeat count is raised to (default 4). */
  targetMs?: number;
  /** Most runs of `record` in one sample (default 256). */
  maxRepeat?: number;
  /** 'gpu' (timestamps; the default where the adapter has timestamp-query) or 'wall'. */
  clock?: Clock;
  /** Stop after two samples when both are above this many ms per run: a candidate that can no longer win
   * (`tune` passes 3× the best median so far) is not measured to the end. */
  giveUpAboveMs?: number;
}

export interface Timing {
  /** Median ms per run of `record`. */
  ms: number;
  clock: Clock;
  /** Runs of `record` per sample. */
  repeat: number;
  /** Every sample, ms per run, in the order taken. */
  samples: number[];
}

/** One submission of `record` × `repeat` in one pass: total ms by the chosen clock. */
async function sample(rt: Runtime, record: (s: Step) => void, repeat: number, clock: Clock): Promise<number> {
  const body = (s: Step) => {
    for (let j = 0; j < repeat; j++) record(s);
  };
  if (clock === 'wall') {
    const t0 = performance.now();
    rt.run('tune', body);
    await rt.sync();
    return performance.now() - t0;
  }
  const device = rt.device;
  const querySet = device.createQuerySet({ type: 'timestamp', count: 2 });
  const resolve = device.createBuffer({
    size: 16,
    usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
  });
  const read = device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    const s = rt.step('tune', { querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 });
    body(s);
    if (s.passes !== 1)
      throw new Error(`autotune: a candidate must record one compute pass, got ${s.passes}`);
    const enc = device.createCommandEncoder();
    enc.resolveQuerySet(querySet, 0, 2, resolve, 0);
    enc.copyBufferToBuffer(resolve, 0, read, 0, 16);
    device.queue.submit([s.finish(), enc.finish()]);
    await rt.sync();
    await read.mapAsync(GPUMapMode.READ);
    const [t0, t1] = new BigInt64Array(read.getMappedRange());
    read.unmap();
    return Number(t1 - t0) / 1e6;
  } finally {
    querySet.destroy();
    resolve.destroy();
    read.destroy();
  }
}

/**
 * Median time per run of `record` (see the file comment): one untimed warm-up, a repeat count raised until a
 * sample holds `targetMs` of work, then `reps` samples.
 */
export async function timeSteps(
  rt: Runtime,
  record: (s: Step) => void,
  options: TimingOptions = {},
): Promise<Timing> {
  const { reps = 7, targetMs = 4, maxRepeat = 256 } = options;
  const clock: Clock = options.clock ?? (rt.has('timestamp-query') ? 'gpu' : 'wall');
  rt.run('tune.warmup', record); // compiles the pipelines: never part of a sample
  await rt.sync();
  let repeat = 1;
  for (;;) {
    const total = await sample(rt, record, repeat, clock);
    if (total >= targetMs || repeat >= maxRepeat) break;
    // A timestamp total of 0 (quantised) says "much less than 65 µs": grow fast.
    const factor = total > 0 ? Math.ceil((1.2 * targetMs) / total) : 16;
    repeat = Math.min(maxRepeat, repeat * Math.max(2, factor));
  }
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    samples.push((await sample(rt, record, repeat, clock)) / repeat);
    if (options.giveUpAboveMs !== undefined && i >= 1 && Math.min(...samples) > options.giveUpAboveMs) break;
  }
  const sorted = [...samples].sort((x, y) => x - y);
  return { ms: sorted[Math.floor(sorted.length / 2)], clock, repeat, samples };
}

/**
 * Picks the variant for `key` (e.g. `matmul:NT@1024x768x256`): forced by env, else cached for this adapter
 * (when cached for the same candidate list), else measured now among `candidates` and cached. Returns the
 * chosen name; `cachedChoice` gives the measurements behind it.
 */
export async function tune(
  rt: Runtime,
  op: string,
  key: string,
  candidates: Candidate[],
  options: TimingOptions = {},
): Promise<string> {
  const names = candidates.map((c) => c.name);
  const forced = forcedVariant(op);
  if (forced) {
    if (!names.includes(forced)) {
      throw new Error(
        `ANNEAL_${op.toUpperCase()}_VARIANT=${forced}: not available here (have: ${names.join(', ')})`,
      );
    }
    return forced;
  }
  if (candidates.length === 0) throw new Error(`autotune ${key}: no candidates`);
  const hit = cachedChoice(rt, key);
  if (hit && hit.candidates?.join(',') === names.join(',')) return hit.variant;
  if (candidates.length === 1) return candidates[0].name;

  const ms: Record<string, number> = {};
  let clock: Clock = 'wall';
  let bestMs = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const t = await timeSteps(rt, c.record, { giveUpAboveMs: 3 * bestMs, ...options });
    bestMs = Math.min(bestMs, t.ms);
    ms[c.name] = t.ms;
    clock = t.clock;
  }
  const best = candidates.reduce((x, y) => (ms[y.name] < ms[x.name] ? y : x)).name;
  const fresh = readCache(); // another process may have written meanwhile
  const mine = fresh[rt.gpu.key];
  fresh[rt.gpu.key] = {
    ...(typeof mine === 'object' ? mine : {}),
    [key]: { variant: best, ms, clock, candidates: names },
  };
  writeCache(fresh);
  return best;
}
