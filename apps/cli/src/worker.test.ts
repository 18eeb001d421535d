// The worker's artifact cache at start (worker.ts startWorker): a bad ANNEAL_CACHE_GB stops it before anything
// else, naming the variable; otherwise it cleans what a crashed worker left and evicts beyond the budget, each
// eviction a line of its log — all before it opens the queue (a database that refuses every statement stops it
// right after, so no GPU or queue is needed here).
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startWorker } from './worker.ts';

const dir = mkdtempSync(join(tmpdir(), 'anneal-worker-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const refusing = {
  execute: () => {
    throw new Error('no database in this test');
  },
} as never;

describe("the worker's artifact cache at start", () => {
  it('refuses a bad ANNEAL_CACHE_GB, naming it, before it touches the cache or the queue', async () => {
    const before = process.env.ANNEAL_CACHE_GB;
    process.env.ANNEAL_CACHE_GB = '20G';
    try {
      const cacheDir = join(dir, 'never');
      await expect(
        startWorker({ h: refusing, apiUrl: '', apiKey: '', dirs: { cacheDir }, log: () => {} }),
      ).rejects.toThrow(/^ANNEAL_CACHE_GB: expected .* got "20G"$/);
      expect(() => readdirSync(cacheDir)).toThrow(/ENOENT/);
    } finally {
      if (before === undefined) delete process.env.ANNEAL_CACHE_GB;
      else process.env.ANNEAL_CACHE_GB = before;
    }
  });

  it("cleans a crashed worker's leftovers and evicts beyond the budget, logging each eviction", async () => {
    const cacheDir = join(dir, 'cache');
    const digest = 'ab'.repeat(32);
    const trash = '.trash-00000000-0000-4000-8000-000000000000';
    for (const name of [digest, trash]) {
      mkdirSync(join(cacheDir, name), { recursive: true });
      writeFileSync(join(cacheDir, name, 'model.safetensors'), Buffer.alloc(4096));
    }
    const logs: string[] = [];
    await expect(
      startWorker({
        h: refusing,
        apiUrl: '',
        apiKey: '',
        dirs: { cacheDir },
        cacheBytes: 1024,
        log: (l) => logs.push(l),
      }),
    ).rejects.toThrow(/no database in this test/);
    expect(readdirSync(cacheDir)).toEqual([]);
    expect(logs).toEqual([
      expect.stringMatching(new RegExp(`^cache: evicted ${digest} \\(0\\.0 MiB, last used `)),
    ]);
  });
});
