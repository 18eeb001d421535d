// The artifact cache's eviction (cache.ts) on temporary directories with fake entries: the budget is kept, least
// recently used first; a leased entry is never evicted — by this process or by another (a child process holds the
// lease, or races leases against eviction for a while) — and a lease whose process died is ignored; a stale lock
// does not block; leftovers of crashed processes are removed; a bad ANNEAL_CACHE_GB is an error naming it.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { downloadCached } from './artifacts.ts';
import {
  cacheBudgetBytes,
  DEFAULT_CACHE_GB,
  discardEntry,
  evictCache,
  leaseEntry,
  partDir,
  touchEntry,
} from './cache.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const base = mkdtempSync(join(tmpdir(), 'anneal-cache-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(base, { recursive: true, force: true });
});

const digestOf = (name: string) => createHash('sha256').update(name).digest('hex');
let roots = 0;
const freshRoot = () => {
  const root = join(base, `root-${roots++}`);
  mkdirSync(root);
  return root;
};

/** A fake entry named by `name`'s digest, `bytes` long, last used `age` seconds ago. */
function entry(root: string, name: string, bytes: number, age = 0): string {
  const digest = digestOf(name);
  const dir = join(root, digest);
  mkdirSync(join(dir, 'sub'), { recursive: true });
  writeFileSync(join(dir, 'model.safetensors'), Buffer.alloc(bytes - 10, 1));
  writeFileSync(join(dir, 'sub', 'ten.bytes'), '0123456789');
  const t = new Date(Date.now() - age * 1000);
  utimesSync(dir, t, t);
  return digest;
}

const entries = (root: string) => readdirSync(root).filter((n) => /^[0-9a-f]{64}$/.test(n));

/** A child process running fixtures/cache-lease.ts; resolves once it printed its first line. */
function child(...args: string[]): Promise<{ proc: ChildProcess; line: string; exited: Promise<string> }> {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', 'packages/client/src/fixtures/cache-lease.ts', ...args],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(proc);
  let out = '';
  const exited = new Promise<string>((resolve, reject) =>
    proc.on('exit', (code, signal) =>
      code === 0 || signal === 'SIGKILL' ? resolve(out) : reject(new Error(`child: exit ${code}`)),
    ),
  );
  return new Promise((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => {
      out += d;
      if (out.includes('\n')) resolve({ proc, line: out.split('\n')[0], exited });
    });
    exited.then(() => resolve({ proc, line: out.trim(), exited }), reject);
  });
}

describe('the artifact cache budget', () => {
  it('evicts the least recently used entries until the rest fit, and logs each', async () => {
    const root = freshRoot();
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n, i) => entry(root, n, 100_000, 40 - i * 10)); // a oldest
    const logs: string[] = [];
    const evicted = await evictCache(root, { budgetBytes: 250_000, log: (l) => logs.push(l) });
    expect(evicted).toEqual([a, b]);
    expect(entries(root).sort()).toEqual([c, d].sort());
    expect(logs).toHaveLength(2);
    expect(logs[0]).toMatch(
      new RegExp(`^cache: evicted ${a} \\(0\\.1 MiB, last used .*\\); 0\\.3 MiB left, budget 0\\.2 MiB$`),
    );
    // Under budget: nothing goes, nothing is logged. Nothing but the entries was left behind (no trash).
    expect(await evictCache(root, { budgetBytes: 250_000, log: (l) => logs.push(l) })).toEqual([]);
    expect(logs).toHaveLength(2);
    expect(readdirSync(root).filter((n) => n.startsWith('.trash'))).toEqual([]);
  });

  it('counts a use: a touched entry goes after the ones used since less recently', async () => {
    const root = freshRoot();
    const [a, b, c] = ['a', 'b', 'c'].map((n, i) => entry(root, n, 100_000, 30 - i * 10));
    await touchEntry(join(root, a)); // a, the oldest, is used now
    expect(await evictCache(root, { budgetBytes: 150_000, log: () => {} })).toEqual([b, c]);
    expect(entries(root)).toEqual([a]);
  });

  it('never evicts a leased entry; one bigger than the whole budget stays while leased and goes after', async () => {
    const root = freshRoot();
    const big = entry(root, 'big', 500_000, 60); // the oldest, and more than the budget alone
    const small = entry(root, 'small', 50_000, 30);
    const lease = await leaseEntry(root, big);
    const logs: string[] = [];
    expect(await evictCache(root, { budgetBytes: 100_000, log: (l) => logs.push(l) })).toEqual([small]);
    expect(entries(root)).toEqual([big]);
    expect(logs.at(-1)).toBe('cache: 0.5 MiB held, over the 0.1 MiB budget: the rest is in use');
    lease.release();
    lease.release(); // idempotent
    expect(await evictCache(root, { budgetBytes: 100_000, log: () => {} })).toEqual([big]);
    expect(entries(root)).toEqual([]);
  });

  it('keeps an entry a lease was taken on before it existed (a download in progress)', async () => {
    const root = freshRoot();
    const lease = await leaseEntry(root, digestOf('coming'));
    entry(root, 'coming', 10_000, 100); // renamed into place later, by the leaseholder
    expect(await evictCache(root, { budgetBytes: 1, log: () => {} })).toEqual([]);
    lease.release();
  });

  it("ignores a lease of this process's pid that it does not hold (a predecessor's, the pid reused)", async () => {
    const root = freshRoot();
    const a = entry(root, 'a', 10_000);
    mkdirSync(join(root, '.leases'), { recursive: true });
    const planted = `${a}.${process.pid}.${randomUUID()}`;
    writeFileSync(join(root, '.leases', planted), '');
    expect(await evictCache(root, { budgetBytes: 1, log: () => {} })).toEqual([a]);
    expect(readdirSync(join(root, '.leases'))).toEqual([]); // the stale lease went too
  });

  it('a lease taken by another process keeps the entry until that process is killed', async () => {
    const root = freshRoot();
    const a = entry(root, 'a', 10_000, 60);
    const b = entry(root, 'b', 10_000, 30);
    const { proc, line } = await child('hold', root, a);
    expect(line).toBe('leased');
    expect(await evictCache(root, { budgetBytes: 1, log: () => {} })).toEqual([b]);
    expect(entries(root)).toEqual([a]);
    // Killed -9: no `exit` handler runs, its lease file stays — and is found stale.
    proc.kill('SIGKILL');
    await new Promise((r) => proc.once('exit', r));
    expect(readdirSync(join(root, '.leases'))).toHaveLength(1);
    expect(await evictCache(root, { budgetBytes: 1, log: () => {} })).toEqual([a]);
    expect(readdirSync(join(root, '.leases'))).toEqual([]);
  });

  it('never removes an entry while another process holds it, with leases and evictions racing', async () => {
    const root = freshRoot();
    const digest = digestOf('raced');
    const racer = child('race', root, digest, '4000');
    // This process plays a busy worker: it puts the entry back as a download does (whole, by a rename) whenever
    // it is gone, and evicts with a budget nothing fits in, as fast as it can, until the other is done.
    let done = false;
    const result = racer.then(async (c) => {
      const out = await c.exited;
      done = true;
      return JSON.parse(out.trim()) as { held: number; broken: number };
    });
    let evictions = 0;
    let version = 0;
    while (!done) {
      if (!existsSync(join(root, digest))) {
        const part = partDir(root);
        mkdirSync(part.dir);
        writeFileSync(join(part.dir, 'a.txt'), `version ${version++}`);
        writeFileSync(join(part.dir, 'b.txt'), 'b'.repeat(1000));
        renameSync(part.dir, join(root, digest));
        part.done();
      }
      evictions += (await evictCache(root, { budgetBytes: 1, log: () => {} })).length;
      await new Promise((r) => setTimeout(r, 1));
    }
    const { held, broken } = await result;
    // Not vacuous: the other process held the entry many times, and this one evicted it many times between.
    expect(held).toBeGreaterThan(10);
    expect(evictions).toBeGreaterThan(10);
    expect(broken).toBe(0);
  });
});

describe('the cache lock and leftovers', () => {
  it('takes over a lock left by a killed process once it is stale', async () => {
    const root = freshRoot();
    const a = entry(root, 'a', 10_000);
    mkdirSync(join(root, '.lock'));
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(root, '.lock'), old, old);
    expect(await evictCache(root, { budgetBytes: 1, log: () => {} })).toEqual([a]);
    expect(existsSync(join(root, '.lock'))).toBe(false);
  });

  it("removes crashed processes' downloads and trash, and nothing else", async () => {
    const root = freshRoot();
    const a = entry(root, 'a', 10_000);
    const dead = await child('hold', root, a); // a pid that is surely gone afterwards
    dead.proc.kill('SIGKILL');
    await new Promise((r) => dead.proc.once('exit', r));
    const leftovers = [
      `.trash-${randomUUID()}`, // an eviction that crashed before it removed what it renamed
      `.part-${dead.proc.pid}-${randomUUID()}`, // a download whose process died
      `.part-${process.pid}-${randomUUID()}`, // one of this pid that this process is not downloading
      `.${a}.${randomUUID()}`, // a download's temporary directory as named before leases
    ];
    const live = partDir(root); // a download in progress in this process
    const alive = `.part-${process.ppid}-${randomUUID()}`; // one of another live process
    const kept = ['blobs', 'uploads', 'notes.txt', live.dir.slice(root.length + 1), alive]; // not the cache's
    for (const name of [...leftovers, ...kept.filter((n) => n !== 'notes.txt')]) {
      mkdirSync(join(root, name, 'deep'), { recursive: true });
      writeFileSync(join(root, name, 'deep', 'f'), 'x');
    }
    writeFileSync(join(root, 'notes.txt'), 'x');
    expect(await evictCache(root, { budgetBytes: 1 << 30, log: () => {} })).toEqual([]);
    expect(readdirSync(root).sort()).toEqual([...kept, a, '.leases'].sort());
    live.done();
  });

  it('discards an entry whole, whoever leases it, and tolerates one already gone', async () => {
    const root = freshRoot();
    const a = entry(root, 'a', 10_000);
    const lease = await leaseEntry(root, a);
    await discardEntry(root, a);
    expect(existsSync(join(root, a))).toBe(false);
    expect(readdirSync(root).filter((n) => n.startsWith('.trash'))).toEqual([]);
    await discardEntry(root, a);
    lease.release();
  });

  it('refuses to lease a name that is not a digest', async () => {
    await expect(leaseEntry(freshRoot(), '../etc')).rejects.toThrow(/"\.\.\/etc" is not a sha256 digest/);
  });
});

describe('ANNEAL_CACHE_GB', () => {
  it('is the budget in GiB, 20 by default', () => {
    expect(cacheBudgetBytes({})).toBe(DEFAULT_CACHE_GB * 1024 ** 3);
    expect(DEFAULT_CACHE_GB).toBe(20);
    expect(cacheBudgetBytes({ ANNEAL_CACHE_GB: '0.5' })).toBe(512 * 1024 ** 2);
    expect(cacheBudgetBytes({ ANNEAL_CACHE_GB: ' 3 ' })).toBe(3 * 1024 ** 3);
  });

  it.each(['', ' ', 'abc', '20GB', '-1', '0', 'Infinity', 'NaN'])(
    'refuses %j, naming the variable',
    (raw) => {
      expect(() => cacheBudgetBytes({ ANNEAL_CACHE_GB: raw })).toThrow(
        new RegExp(`^ANNEAL_CACHE_GB: expected .* got ${JSON.stringify(JSON.stringify(raw)).slice(1, -1)}$`),
      );
    },
  );

  it('is checked by downloadCached before anything is fetched', async () => {
    const before = process.env.ANNEAL_CACHE_GB;
    process.env.ANNEAL_CACHE_GB = 'lots';
    try {
      // Port 9 (discard): were the API asked first, the error would be an unreachable API.
      await expect(
        downloadCached('x:latest', freshRoot(), { url: 'http://127.0.0.1:9', project: 'p' }),
      ).rejects.toThrow(/^ANNEAL_CACHE_GB: .* got "lots"$/);
    } finally {
      if (before === undefined) delete process.env.ANNEAL_CACHE_GB;
      else process.env.ANNEAL_CACHE_GB = before;
    }
  });
});
