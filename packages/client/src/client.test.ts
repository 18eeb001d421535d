// The SDK against a live API server (embedded PGlite): batching, an outage in the middle of a run (training
// neither blocks nor fails; every point arrives exactly once afterwards), replay of a whole spool after a
// crash, and offline mode with a later sync.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrap } from '@anneal/api/bootstrap';
import { createApi, listen } from '@anneal/api/server';
import { freshDatabase } from '@anneal/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Run, sync } from './index.ts';

describe('tracking client', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let api: ReturnType<typeof createApi>;
  let server: Server | null = null;
  let url = '';
  let port = 0;
  let apiKey = '';
  const dir = mkdtempSync(join(tmpdir(), 'anneal-client-'));
  const warnings: string[] = [];
  const options = (extra = {}) => ({
    url,
    apiKey,
    spoolDir: join(dir, 'spool'),
    flushMs: 20,
    maxBackoffMs: 200,
    warn: (m: string) => warnings.push(m),
    ...extra,
  });
  const start = async () => {
    ({ server } = await listen(api, port));
  };
  const stop = () => new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  const count = async (runId: string) =>
    Number(
      (
        await db.handle.rows<{ n: number }>(
          sql`select count(*)::int as n from metric_points where run_id = ${runId.slice(4)}::uuid`,
        )
      )[0].n,
    );

  beforeAll(async () => {
    db = await freshDatabase('pglite');
    apiKey = (await bootstrap(db.handle)).key!;
    api = createApi({ handle: db.handle });
    const l = await listen(api, 0);
    server = l.server;
    url = l.url;
    port = Number(new URL(url).port);
  });
  afterAll(async () => {
    await stop();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('batches points, summary, logs and the finish into few requests', async () => {
    const run = Run.init(
      { project: 'default', name: 'batched', config: { lr: 0.1 }, tags: ['sdk'] },
      options({ maxBatch: 1000 }),
    );
    for (let step = 0; step < 1200; step++) run.log({ 'train/loss': 1 / (step + 1), 'train/lr': 0.1 }, step);
    run.log({ 'val/loss': Number.NaN }, 1200);
    run.summary({ best: 0.5 });
    run.logs(['hello', 'world']);
    expect(await run.finish('finished', { steps: 1200 })).toBe(true);
    expect(await count(run.id)).toBe(2401);
    const [r] = await db.handle.rows<{ status: string; summary: Record<string, number>; tags: string[] }>(
      sql`select status, summary, tags from runs where id = ${run.id.slice(4)}::uuid`,
    );
    expect(r).toEqual({ status: 'finished', summary: { best: 0.5, steps: 1200 }, tags: ['sdk'] });
    const [nan] = await db.handle.rows<{ v: number }>(
      sql`select value as v from metric_points where key = 'val/loss' and run_id = ${run.id.slice(4)}::uuid`,
    );
    expect(Number.isNaN(Number(nan.v))).toBe(true);
    const logs = await db.handle.rows<{ line: string }>(
      sql`select line from log_lines where run_id = ${run.id.slice(4)}::uuid order by seq`,
    );
    expect(logs.map((l) => l.line)).toEqual(['hello', 'world']);
  });

  it('keeps training through an API outage and delivers every point exactly once when it returns', async () => {
    const run = Run.init({ project: 'default', name: 'outage' }, options());
    for (let step = 0; step < 100; step++) run.log({ loss: step }, step);
    expect(await run.flush(5000)).toBe(true);
    await stop();
    const t0 = performance.now();
    for (let step = 100; step < 600; step++) run.log({ loss: step }, step); // the API is down
    expect(performance.now() - t0).toBeLessThan(2000); // logging never waits on the network
    expect(await run.flush(300)).toBe(false);
    expect(run.pending).toBeGreaterThan(0);
    expect(warnings.some((w) => /API unreachable/.test(w))).toBe(true);
    await start();
    expect(await run.finish()).toBe(true);
    expect(await count(run.id)).toBe(600);
    // A crash that lost the acknowledgement record replays the whole spool: still 600 points, once each.
    writeFileSync(join(dir, 'spool', `${run.id.slice(0)}.sent`), '0');
    const replay = Run.reopen(run.id, options());
    expect(replay.pending).toBeGreaterThan(1);
    expect(await replay.flush(5000)).toBe(true);
    expect(await count(run.id)).toBe(600);
  });

  it('spools everything offline and delivers it with sync()', async () => {
    const offline = join(dir, 'offline');
    const run = Run.init(
      { project: 'default', name: 'offline' },
      options({ mode: 'offline', spoolDir: offline }),
    );
    for (let step = 0; step < 50; step++) run.log({ acc: step / 50 }, step);
    expect(await run.finish()).toBe(false); // nothing sent
    expect(await count(run.id)).toBe(0);
    const result = await sync({ url, apiKey, spoolDir: offline });
    expect(result).toEqual([{ run: run.id, delivered: true, pending: 0 }]);
    expect(await count(run.id)).toBe(50);
    expect(await sync({ url, apiKey, spoolDir: offline })).toEqual([]); // nothing left
  });

  it('delivers tables and text through the spool, once each after a replay; refuses a malformed table where it is logged', async () => {
    const run = Run.init({ project: 'default', name: 'tables' }, options());
    const predictions = {
      columns: ['text', 'label', 'prediction', 'probability'],
      rows: [
        ['free money', 0, 1, 0.97],
        ['meeting at 3', 0, 0, 0.88],
        [null, 1, 1, 0.51],
      ],
    };
    run.logTable('test/predictions', predictions, { step: 12 });
    run.logText('samples', ['Once upon a time', 'The jury said'], { step: 4 });
    run.logText('samples', 'Later on', { step: 8 });
    // A row of the wrong arity, a NaN cell (JSON would make it null), an object: thrown here, nothing spooled.
    expect(() => run.logTable('bad', { columns: ['a', 'b'], rows: [[1]] }, { step: 0 })).toThrow(
      /logTable\('bad'\): rows\[0\]: must have 2 cells \(a, b\), got 1/,
    );
    expect(() => run.logTable('bad', { columns: ['a'], rows: [[Number.NaN]] }, { step: 0 })).toThrow(
      /rows\[0\]\[0\]: column 'a': a cell is a string, a finite number, a boolean or null, got NaN/,
    );
    expect(() =>
      run.logTable('bad', { columns: ['a'], rows: [[{} as unknown as string]] }, { step: 0 }),
    ).toThrow(/got object/);
    expect(() => run.logTable('bad', predictions, { step: -1 })).toThrow(
      /step: must be a non-negative integer/,
    );
    // The API refuses what only it checks (a column name with a control character): dead-lettered, the rest goes.
    run.logTable('refused', { columns: ['a\u0007'], rows: [['x']] }, { step: 0 });
    expect(await run.finish()).toBe(true);
    const tables = async () =>
      db.handle.rows<{ key: string; step: number; row_count: number }>(
        sql`select key, step, row_count from run_tables where run_id = ${run.id.slice(4)}::uuid order by key, step`,
      );
    const expected = [
      { key: 'samples', step: 4, row_count: 2 },
      { key: 'samples', step: 8, row_count: 1 },
      { key: 'test/predictions', step: 12, row_count: 3 },
    ];
    expect((await tables()).map((t) => ({ ...t, step: Number(t.step) }))).toEqual(expected);
    const cells = await db.handle.rows<{ cells: unknown[] }>(
      sql`select cells from run_table_rows where run_id = ${run.id.slice(4)}::uuid and key = 'test/predictions' order by idx`,
    );
    expect(cells.map((c) => c.cells)).toEqual(predictions.rows);
    expect(readFileSync(run.deadLetterFile, 'utf8')).toMatch(
      /columns\[0\]: contains the control or invisible character U\+0007/,
    );
    // A crash that lost the acknowledgement record replays the whole spool: the same tables, once each.
    writeFileSync(join(dir, 'spool', `${run.id}.sent`), '0');
    const replay = Run.reopen(run.id, options());
    expect(await replay.flush(5000)).toBe(true);
    expect((await tables()).map((t) => ({ ...t, step: Number(t.step) }))).toEqual(expected);
  });
});
