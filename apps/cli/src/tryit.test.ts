// The worker's cache of loaded try-it models (tryit.ts ModelCache): a model is loaded once per key while it is
// among the last `size` used, the least recently used one is disposed to make room, and a load that failed is
// not kept (the next request tries again).
import { TRY_TEXT_CHUNK, type TryPublish } from '@anneal/api/tryit';
import { freshDatabase } from '@anneal/db/testing';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ModelCache, runTry } from './tryit.ts';

function fake(name: string, disposed: string[]) {
  return { kind: 'generate' as const, model: { name, dispose: () => disposed.push(name) } as never };
}

describe('the try-it model cache', () => {
  it('loads each model once while it is recent, disposing the least recently used', async () => {
    const loads: string[] = [];
    const disposed: string[] = [];
    const cache = new ModelCache(2);
    const get = (k: string) =>
      cache.get(k, async () => {
        loads.push(k);
        return fake(k, disposed);
      });
    const a = await get('a');
    expect(await get('a')).toBe(a);
    await get('b');
    await get('a'); // a is now the most recent: b goes when c comes
    await get('c');
    await new Promise((r) => setTimeout(r, 0));
    expect(loads).toEqual(['a', 'b', 'c']);
    expect(disposed).toEqual(['b']);
    expect(cache.keys()).toEqual(['a', 'c']);
    await get('b');
    expect(loads).toEqual(['a', 'b', 'c', 'b']);
    cache.dispose();
    await new Promise((r) => setTimeout(r, 0));
    expect(disposed.sort()).toEqual(['a', 'b', 'b', 'c']);
  });

  it('shares one load between concurrent requests and forgets a load that failed', async () => {
    const cache = new ModelCache(2);
    let n = 0;
    const failing = () =>
      cache.get('x', async () => {
        n++;
        throw new Error('download refused');
      });
    const both = await Promise.allSettled([failing(), failing()]);
    expect(both.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(n).toBe(1);
    await new Promise((r) => setTimeout(r, 0));
    expect(cache.keys()).toEqual([]);
    await expect(failing()).rejects.toThrow('download refused');
    expect(n).toBe(2);
  });
});

// A generation whose text the database refuses, or whose batch is too long for one NOTIFY, must neither end the
// worker (an unhandled rejection) nor lose the request: found by a hostile review (U+0000 from GPT-2's byte 0x00
// token killed the whole worker, other projects' training with it).
describe('a try-it generation the database refuses', () => {
  async function setup(pieces: string[], delayMs = 0) {
    const db = await freshDatabase('pglite');
    const [p] = await db.handle.rows<{ id: string }>(
      sql`insert into projects (name) values ('p') returning id`,
    );
    const [run] = await db.handle.rows<{ id: string }>(sql`insert into runs (project_id, name, status, config)
      values (${p.id}::uuid, 'lm', 'finished', '{}'::jsonb) returning id`);
    const sha = 'b'.repeat(64);
    const [a] = await db.handle.rows<{
      id: string;
    }>(sql`insert into artifacts (project_id, run_id, kind, name,
      version, digest, size) values (${p.id}::uuid, ${run.id}::uuid, 'model', 'm', 0, ${sha}, 3) returning id`);
    const [t] = await db.handle.rows<{
      id: string;
    }>(sql`insert into try_requests (project_id, artifact_id, run_id,
      kind, input, options) values (${p.id}::uuid, ${a.id}::uuid, ${run.id}::uuid, 'generate', 'hi', '{}'::jsonb)
      returning id`);
    const cache = new ModelCache(2);
    const steps: string[] = [];
    const model = {
      async generate(_p: string[], _o: unknown, on: (r: number, piece: string) => void) {
        for (const piece of pieces) {
          steps.push(piece);
          on(0, piece);
          await new Promise((r) => setTimeout(r, delayMs)); // the next decode step on the GPU
        }
        return [{ text: pieces.join(''), finishReason: 'length' }];
      },
      dispose() {},
    };
    await cache.get(`generate:${sha}`, async () => ({ kind: 'generate', model: model as never }));
    return { db, cache, id: t.id, steps };
  }

  it('stores U+0000 and lone surrogates as U+FFFD, and the request finishes', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    const { db, cache, id } = await setup(['a\u0000b', 'c\uD800', 'd'], 60);
    const events: Parameters<TryPublish>[0][] = [];
    const logs: string[] = [];
    try {
      const o = { h: db.handle, rt: null as never, apiUrl: 'http://x', apiKey: '', cacheDir: '/nonexistent' };
      await runTry({ ...o, publish: (e) => void events.push(e), log: (l) => logs.push(l) }, cache, id);
      await new Promise((r) => setTimeout(r, 10));
      const [row] = await db.handle.rows<{ status: string; output: string; tokens: number }>(
        sql`select status, output, tokens from try_requests where id = ${id}::uuid`,
      );
      expect(row).toEqual({ status: 'finished', output: 'a\uFFFDbc\uFFFDd', tokens: 3 });
      expect(
        events
          .filter((e) => e.status === 'running')
          .map((e) => e.text)
          .join(''),
      ).toBe('a\uFFFDbc\uFFFDd');
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await db.drop();
    }
  });

  it('a failing store fails the request with the reason and stops the generation, with no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    const { db, cache, id, steps } = await setup(['a', 'b', 'c', 'd', 'e', 'f'], 60);
    const events: Parameters<TryPublish>[0][] = [];
    try {
      const o = { h: db.handle, rt: null as never, apiUrl: 'http://x', apiKey: '', cacheDir: '/nonexistent' };
      const publish: TryPublish = (e) => {
        events.push(e);
        if (e.status === 'running' && e.text) throw new Error('payload string too long');
      };
      await runTry({ ...o, publish, log: () => {} }, cache, id);
      await new Promise((r) => setTimeout(r, 10));
      const [row] = await db.handle.rows<{ status: string; error: string }>(
        sql`select status, error from try_requests where id = ${id}::uuid`,
      );
      expect(row.status).toBe('failed');
      expect(row.error).toBe('storing the generated text failed: payload string too long');
      expect(steps.length).toBeLessThan(6); // stopped early, not run to the end
      expect(unhandled).toEqual([]);
      expect(events.at(-1)?.status).toBe('failed');
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await db.drop();
    }
  });

  it('announces a long batch in pieces that each fit a NOTIFY payload', async () => {
    const { db, cache, id } = await setup(['\u0001'.repeat(TRY_TEXT_CHUNK * 3 + 7), 'z']);
    const events: Parameters<TryPublish>[0][] = [];
    try {
      const o = { h: db.handle, rt: null as never, apiUrl: 'http://x', apiKey: '', cacheDir: '/nonexistent' };
      await runTry({ ...o, publish: (e) => void events.push(e), log: () => {} }, cache, id);
      const running = events.filter((e) => e.status === 'running');
      expect(running.length).toBeGreaterThan(3);
      for (const e of running)
        expect(Buffer.byteLength(JSON.stringify({ type: `tryProgress:${id}`, detail: e }))).toBeLessThan(
          8000,
        );
      expect(running.map((e) => e.text).join('')).toBe(`${'\u0001'.repeat(TRY_TEXT_CHUNK * 3 + 7)}z`);
      expect(running.reduce((n, e) => n + e.count, 0)).toBe(2);
      const [row] = await db.handle.rows<{ status: string; tokens: number }>(
        sql`select status, tokens from try_requests where id = ${id}::uuid`,
      );
      expect(row).toEqual({ status: 'finished', tokens: 2 });
    } finally {
      await db.drop();
    }
  });
});
