// The artifact cache's bookkeeping on disk (artifacts.ts downloadCached fills it: one `<root>/<sha256 digest>/`
// directory per content), bounded by a budget (ANNEAL_CACHE_GB) and shared by every process on the machine:
// - last use: an entry's directory mtime, set on each hit and download (`touchEntry`);
// - leases: whoever reads an entry's files holds a lease, a file `<root>/.leases/<digest>.<pid>.<uuid>`, until it
//   is done (released in a `finally`, or when the process exits). A lease whose process is gone (killed -9) is
//   stale: `process.kill(pid, 0)` finds no such process, or the pid is this process's own but the lease is not
//   one it holds (a restarted container's worker often gets its predecessor's pid);
// - one lock, proper-lockfile's `<root>/.lock` (stale after STALE_MS, so a killed holder does not block the
//   cache), serialises taking a lease against eviction: an entry leased (then validated) by one process is never
//   removed by another's eviction in between;
// - eviction (`evictCache`) removes the least recently used unleased entries until the rest fit the budget, each
//   renamed to `.trash-…` under the lock (atomic: a reader sees the whole directory or none) and removed after.
//   An entry larger than the whole budget is still used; it goes at the first eviction after its leases end.
//   Leftovers of crashed processes go too: `.trash-…` directories, and `.part-<pid>-…` downloads of dead pids.
// Sizes are file bytes (not disk blocks); the pid check is this machine's, so a cache root is one machine's.

import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { lstat, mkdir, readdir, rename, rm, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';

/** The budget when ANNEAL_CACHE_GB is not set, in GiB. */
export const DEFAULT_CACHE_GB = 20;

/** A lock older than this (its holder stopped refreshing it: killed) is taken over. */
const STALE_MS = 20_000;

const DIGEST = /^[0-9a-f]{64}$/;
const LEASES = '.leases';
const LEASE = /^([0-9a-f]{64})\.(\d+)\.[0-9a-f-]{36}$/;
const PART = /^\.part-(\d+)-[0-9a-f-]{36}$/;
/** A download's temporary directory as artifacts.ts named it before leases: `.<digest>.<uuid>`. */
const OLD_PART = /^\.[0-9a-f]{64}\.[0-9a-f-]{36}$/;
const TRASH = /^\.trash-[0-9a-f-]{36}$/;
const GIB = 1024 ** 3;

/** How the cache is bounded, and where evictions are reported. */
export interface CacheOptions {
  /** The most bytes the entries may take (default: ANNEAL_CACHE_GB GiB, else DEFAULT_CACHE_GB). */
  budgetBytes?: number;
  /** One line per eviction (default: console.warn). */
  log?: (line: string) => void;
}

/** A hold on an entry: no eviction removes it until `release` (idempotent; synchronous, so `exit` can call it). */
export interface Lease {
  release(): void;
}

/** The budget ANNEAL_CACHE_GB sets, in bytes; an unset variable is DEFAULT_CACHE_GB, a bad one an error naming it. */
export function cacheBudgetBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.ANNEAL_CACHE_GB;
  if (raw === undefined) return DEFAULT_CACHE_GB * GIB;
  const gb = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(gb) || gb <= 0)
    throw new Error(
      `ANNEAL_CACHE_GB: expected the artifact cache's size in GiB, a number above 0 (e.g. 20 or 0.5), got ${JSON.stringify(raw)}`,
    );
  return Math.floor(gb * GIB);
}

// This process's own leases (name → file) and downloads in progress: what its pid names and it still holds.
// Kept on globalThis: a second copy of this module in the process (another import path, a bundle) must see
// them, or it would take this copy's leases for a dead predecessor's.
type Mine = { held: Map<string, string>; parts: Set<string>; exitHook: boolean };
const shared = globalThis as { [key: symbol]: Mine | undefined };
const KEY = Symbol.for('anneal.cache');
shared[KEY] ??= { held: new Map(), parts: new Set(), exitHook: false };
const mine = shared[KEY];
const { held, parts } = mine;

/** Whether the process `pid` on this machine is gone (for this process's own pid: whether `name` is not its). */
function dead(pid: number, ours: { has(name: string): boolean }, name: string): boolean {
  if (pid === process.pid) return !ours.has(name);
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH'; // EPERM: alive, another user's
  }
}

/**
 * Runs `fn` holding the cache's lock. `lost()` turns true if the lock was taken over meanwhile (this process
 * stalled past STALE_MS): `fn` checks it before each step another process must not interleave with.
 */
async function locked<T>(root: string, fn: (lost: () => boolean) => Promise<T>): Promise<T> {
  await mkdir(root, { recursive: true });
  let lostLock = false;
  const unlock = await lockfile.lock(root, {
    lockfilePath: join(root, '.lock'),
    realpath: false,
    stale: STALE_MS,
    // Up to about a minute: longer than a killed holder's lock takes to turn stale.
    retries: { retries: 150, factor: 1.2, minTimeout: 10, maxTimeout: 500 },
    onCompromised: () => {
      lostLock = true;
    },
  });
  try {
    return await fn(() => lostLock);
  } finally {
    await unlock().catch(() => {}); // already taken over: nothing of ours to remove
  }
}

/** Takes a lease on `<root>/<digest>` (whether or not it exists yet), under the lock. */
export async function leaseEntry(root: string, digest: string): Promise<Lease> {
  if (!DIGEST.test(digest)) throw new Error(`cache: ${JSON.stringify(digest)} is not a sha256 digest`);
  const name = `${digest}.${process.pid}.${randomUUID()}`;
  const file = join(root, LEASES, name);
  const release = () => {
    if (held.delete(name)) rmSync(file, { force: true });
  };
  if (!mine.exitHook) {
    mine.exitHook = true;
    process.once('exit', () => {
      for (const f of held.values()) rmSync(f, { force: true });
    });
  }
  await locked(root, async (lost) => {
    held.set(name, file);
    mkdirSync(join(root, LEASES), { recursive: true });
    writeFileSync(file, '', { flag: 'wx' });
    if (lost())
      throw new Error(`cache: the lock on ${root} was taken over while leasing ${digest}; try again`);
  }).catch((e) => {
    release();
    throw e;
  });
  return { release };
}

/** A fresh temporary directory name in `root` for a download, and how to mark it finished (or abandoned). */
export function partDir(root: string): { dir: string; done(): void } {
  const name = `.part-${process.pid}-${randomUUID()}`;
  parts.add(name);
  return { dir: join(root, name), done: () => void parts.delete(name) };
}

/** Records a use of an entry (its mtime: the eviction order). */
export async function touchEntry(dir: string): Promise<void> {
  const now = new Date();
  await utimes(dir, now, now);
}

/**
 * Removes an entry that does not hold what its digest says, whoever leases it: renamed away under the lock, then
 * removed (a reader never sees it half gone).
 */
export async function discardEntry(root: string, digest: string): Promise<void> {
  const trash = join(root, `.trash-${randomUUID()}`);
  const moved = await locked(root, async () =>
    rename(join(root, digest), trash).then(
      () => true,
      (e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return false; // another process discarded it first
        throw e;
      },
    ),
  );
  if (moved) await rm(trash, { recursive: true, force: true });
}

/** Bytes of the regular files under `path` (links count nothing, nor what vanished meanwhile). */
async function sizeOf(path: string): Promise<number> {
  const st = await lstat(path).catch(() => null);
  if (!st) return 0;
  if (!st.isDirectory()) return st.isFile() ? st.size : 0;
  let total = 0;
  for (const name of await readdir(path).catch(() => [])) total += await sizeOf(join(path, name));
  return total;
}

/** The digests leased by live processes; stale lease files are removed on the way. */
async function liveLeases(root: string): Promise<Set<string>> {
  const live = new Set<string>();
  const names = await readdir(join(root, LEASES)).catch(() => [] as string[]);
  for (const name of names) {
    const m = LEASE.exec(name);
    if (m && !dead(Number(m[2]), held, name)) live.add(m[1]);
    else rmSync(join(root, LEASES, name), { force: true }); // a dead process's, or not a lease at all
  }
  return live;
}

const human = (bytes: number) =>
  bytes >= GIB ? `${(bytes / GIB).toFixed(2)} GiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;

/**
 * Removes the least recently used unleased entries of the cache at `root` until the rest fit the budget, and the
 * leftovers of crashed processes; returns the evicted digests, oldest first. Each eviction is logged.
 */
export async function evictCache(root: string, o: CacheOptions = {}): Promise<string[]> {
  const budget = o.budgetBytes ?? cacheBudgetBytes();
  const log = o.log ?? ((line: string) => console.warn(line));
  const evicted: string[] = [];
  const removals: string[] = [];
  let over = 0;
  try {
    await locked(root, async (lost) => {
      const names = await readdir(root);
      for (const name of names) {
        const part = PART.exec(name);
        if (TRASH.test(name) || OLD_PART.test(name) || (part && dead(Number(part[1]), parts, name)))
          removals.push(join(root, name));
      }
      const leased = await liveLeases(root);
      const entries: { digest: string; size: number; used: Date }[] = [];
      for (const digest of names.filter((n) => DIGEST.test(n))) {
        const st = await lstat(join(root, digest)).catch(() => null);
        if (st) entries.push({ digest, size: await sizeOf(join(root, digest)), used: st.mtime });
      }
      let total = entries.reduce((sum, e) => sum + e.size, 0);
      entries.sort((a, b) => a.used.getTime() - b.used.getTime());
      for (const e of entries) {
        if (total <= budget) break;
        if (leased.has(e.digest)) continue;
        if (lost())
          throw new Error(`cache: the lock on ${root} was taken over while evicting; nothing more evicted`);
        const trash = join(root, `.trash-${randomUUID()}`);
        await rename(join(root, e.digest), trash);
        removals.push(trash);
        evicted.push(e.digest);
        total -= e.size;
        log(
          `cache: evicted ${e.digest} (${human(e.size)}, last used ${e.used.toISOString()}); ${human(total)} left, budget ${human(budget)}`,
        );
      }
      over = total > budget ? total : 0;
    });
  } finally {
    // Outside the lock: what was renamed away is no one's any more.
    for (const path of removals) await rm(path, { recursive: true, force: true }).catch(() => {});
  }
  if (over) log(`cache: ${human(over)} held, over the ${human(budget)} budget: the rest is in use`);
  return evicted;
}
