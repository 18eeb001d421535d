// Regression tests for issue 14's findings 2, 3 and 8, through the SDK against a live API (embedded PGlite)
// and, for server failures, a real HTTP proxy on 127.0.0.1 in front of it that answers 500 to chosen requests:
// - a batch with one bad point stores the others, the bad one lands in the dead-letter file with its reason;
// - an operation the API keeps failing on is moved aside after maxTries, and what follows still arrives;
// - an API failing on everything (its database restarting) is an outage: nothing is moved aside;
// - a corrupt spool line is skipped and reported, the rest of that run and the other runs are delivered.
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrap } from '@anneal/api/bootstrap';
import { createApi, listen } from '@anneal/api/server';
import { freshDatabase } from '@anneal/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Run, spoolStatus, sync } from './index.ts';

/** What the proxy does with a request: pass it on, or answer it with an HTTP status itself. */
type Fault = (body: string) => number | null;

describe('tracking client delivery', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let api: Server;
  let proxy: Server;
  let apiUrl = '';
  let proxyUrl = '';
  let apiKey = '';
  let fault: Fault = () => null;
  let answered: number[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'anneal-delivery-'));
  let warnings: string[] = [];
  const options = (extra = {}) => ({
    url: proxyUrl,
    apiKey,
    spoolDir: join(dir, 'spool'),
    flushMs: 20,
    maxBackoffMs: 100,
    maxTries: 3,
    warn: (m: string) => warnings.push(m),
    ...extra,
  });
  const runRow = async (id: string) =>
    (
      await db.handle.rows<{ status: string; summary: unknown; config: unknown; n: number }>(
        sql`select status, summary, config, (select count(*)::int from metric_points where run_id = r.id) as n
            from runs r where id = ${id.slice(4)}::uuid`,
      )
    )[0];
  const jsonl = (file: string) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));

  beforeAll(async () => {
    db = await freshDatabase('pglite');
    apiKey = (await bootstrap(db.handle)).key!;
    ({ server: api, url: apiUrl } = await listen(createApi({ handle: db.handle }), 0));
    // The proxy: a real HTTP server that forwards to the API unless `fault` answers the request itself.
    proxy = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks).toString();
      const status = fault(body);
      if (status) {
        answered.push(status);
        res.writeHead(status, { 'content-type': 'text/plain' }).end('injected failure');
        return;
      }
      const upstream = await fetch(`${apiUrl}${req.url}`, {
        method: req.method,
        headers: { 'content-type': 'application/json', authorization: String(req.headers.authorization) },
        body: req.method === 'POST' ? body : undefined,
      });
      res
        .writeHead(upstream.status, {
          'content-type': upstream.headers.get('content-type') ?? 'application/json',
        })
        .end(Buffer.from(await upstream.arrayBuffer()));
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    fault = () => null;
    answered = [];
    warnings = [];
  });
  afterAll(async () => {
    await new Promise((r) => proxy.close(r));
    await new Promise((r) => api.close(r));
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores 59 valid points of a batch with one bad one; the bad one goes to the dead-letter file with its reason (finding 2)', async () => {
    const runDir = join(dir, 'run-dir');
    mkdirSync(runDir);
    const deadLetterFile = join(runDir, 'rejected.jsonl');
    const run = Run.init({ project: 'default', name: 'bad-point' }, options({ deadLetterFile }));
    for (let step = 0; step < 60; step++) run.log({ [step === 42 ? '' : 'loss']: step }, step);
    run.log({ acc: 'high' as unknown as number, f1: 0.5 }, 60); // not a number: refused before it is sent
    run.log({ f1: 0.7 }, Number.NaN); // likewise a step that is not a number
    expect(await run.finish()).toBe(true);
    const row = await runRow(run.id);
    expect(row.status).toBe('finished');
    expect(row.n).toBe(60); // 59 loss points and f1
    const dead = jsonl(deadLetterFile);
    expect(dead).toEqual([
      {
        time: expect.any(String),
        runId: run.id,
        kind: 'point',
        point: { key: 'acc', step: 60, value: 'high', time: expect.any(String) },
        reason: 'value: not a number (string)',
      },
      {
        time: expect.any(String),
        runId: run.id,
        kind: 'point',
        point: { key: 'f1', step: 'NaN', value: '0.7', time: expect.any(String) },
        reason: 'step: not a finite number (NaN)',
      },
      {
        time: expect.any(String),
        runId: run.id,
        kind: 'point',
        point: { key: '', step: 42, value: 42, time: expect.any(String) },
        reason: 'key: must not be empty',
      },
    ]);
    expect(warnings.filter((w) => w.includes(deadLetterFile))).toHaveLength(1); // one warning for both
    expect(existsSync(join(dir, 'spool', `${run.id}.rejected.jsonl`))).toBe(false);
  });

  it('drops a refused config or finish summary to the dead-letter file and still creates and finishes the run', async () => {
    const run = Run.init(
      { project: 'default', name: 'bad-config', config: { path: 'a\u0000b', lr: 0.1 }, tags: ['ok'] },
      options(),
    );
    run.log({ loss: 1 }, 0);
    expect(await run.finish('finished', { blob: 'x'.repeat(2 << 20) })).toBe(true);
    const row = await runRow(run.id);
    expect(row).toMatchObject({ status: 'finished', config: {}, n: 1 });
    const dead = jsonl(run.deadLetterFile);
    expect(dead.map((d) => [d.kind, d.op, d.field])).toEqual([
      ['field', 'create', 'config.path'],
      ['field', 'finish', 'summary'],
    ]);
    expect(dead[0].value).toEqual({ path: 'a\u0000b', lr: 0.1 });
    expect(dead[0].reason).toMatch(/^BAD_INPUT: config.path: contains NUL/);
  });

  it('moves aside an operation the API keeps failing on (HTTP 500) and delivers what follows (finding 3)', async () => {
    // The server fails on any request carrying the key "poison", and answers everything else.
    fault = (body) => (body.includes('"poison"') ? 500 : null);
    const run = Run.init({ project: 'default', name: 'server-failure' }, options());
    for (let step = 0; step < 100; step++) {
      run.log({ loss: 1 / (step + 1) }, step);
      if (step === 50) run.log({ poison: 1 }, step);
    }
    run.summary({ best: 0.01 });
    expect(await run.finish('finished', { steps: 100 }, 20_000)).toBe(true);
    const row = await runRow(run.id);
    expect(row).toMatchObject({ status: 'finished', summary: { best: 0.01, steps: 100 }, n: 100 });
    // Only the poisoned operation went aside, after exactly maxTries single tries (the batch it came in was
    // split to find it).
    const failed = jsonl(run.failedFile);
    expect(failed).toEqual([
      {
        time: expect.any(String),
        runId: run.id,
        tries: 3,
        reason: 'HTTP 500',
        operation: {
          op: 'points',
          points: [{ key: 'poison', step: 50, value: 1, time: expect.any(String) }],
        },
      },
    ]);
    expect(
      warnings.some(
        (w) => w.includes('moved a points operation aside after 3 tries') && w.includes(run.failedFile),
      ),
    ).toBe(true);
    expect(run.pending).toBe(0);
    const [status] = spoolStatus(join(dir, 'spool')).filter((s) => s.run === run.id);
    expect(status).toMatchObject({
      pending: 0,
      movedAside: 1,
      rejected: 0,
      corrupt: 0,
      failedFile: run.failedFile,
    });
    expect(status.delivered).toBe(status.spooled - 1);
  });

  it('treats an API that fails every request (its database restarting) as an outage: nothing is moved aside', async () => {
    const run = Run.init({ project: 'default', name: 'db-restart' }, options());
    expect(await run.flush(5000)).toBe(true);
    fault = () => 500;
    for (let step = 0; step < 20; step++) run.log({ loss: step }, step);
    expect(await run.flush(1500)).toBe(false); // many tries, far more than maxTries
    expect(answered.length).toBeGreaterThan(6);
    expect(warnings.some((w) => /API unreachable/.test(w))).toBe(true);
    let hiccups = 0; // then a gateway hiccup: three 502s on the finish
    fault = (body) => (body.includes('finishRun') && hiccups++ < 3 ? 502 : null);
    expect(await run.finish('finished', undefined, 10_000)).toBe(true);
    expect(await runRow(run.id)).toMatchObject({ status: 'finished', n: 20 });
    expect(existsSync(run.failedFile)).toBe(false);
  });

  it('skips a corrupt spool line, reports it, and syncs the rest of that run and the other runs (finding 8)', async () => {
    const spoolDir = join(dir, 'offline');
    const offline = (name: string) =>
      Run.init({ project: 'default', name }, options({ mode: 'offline', spoolDir }));
    const a = offline('corrupt-a');
    for (let step = 0; step < 10; step++) a.log({ loss: step }, step);
    const b = offline('clean-b');
    for (let step = 0; step < 10; step++) b.log({ loss: step }, step);
    await b.finish();
    // A garbage line in the middle of a's spool, then a torn last write (no newline) …
    appendFileSync(a.spoolFile, 'not json at all\n{"op":"points","points":[{"key":"torn"');
    // … and a's process, restarted, goes on logging after it.
    const a2 = Run.reopen(a.id, options({ mode: 'offline', spoolDir }));
    for (let step = 10; step < 15; step++) a2.log({ loss: step }, step);
    await a2.finish();
    expect(warnings.some((w) => w.includes('skipping 2 unreadable line(s)'))).toBe(true);
    warnings = [];
    const results = await sync(options({ spoolDir }));
    expect(results).toEqual(
      [
        { run: a.id, delivered: true, pending: 0 },
        { run: b.id, delivered: true, pending: 0 },
      ].sort((x, y) => x.run.localeCompare(y.run)),
    );
    expect(warnings.some((w) => w.includes('skipping 2 unreadable line(s)') && w.includes(a.spoolFile))).toBe(
      true,
    );
    expect(await runRow(a.id)).toMatchObject({ status: 'finished', n: 15 });
    expect(await runRow(b.id)).toMatchObject({ status: 'finished', n: 10 });
    const dead = jsonl(join(spoolDir, `${a.id}.rejected.jsonl`));
    expect(dead.map((d) => [d.kind, d.text])).toEqual([
      ['corrupt', 'not json at all'],
      ['corrupt', '{"op":"points","points":[{"key":"torn"'],
    ]);
    const status = spoolStatus(spoolDir);
    expect(status.find((s) => s.run === a.id)).toMatchObject({
      spooled: 1 + 10 + 5 + 1,
      delivered: 17,
      pending: 0,
      rejected: 2,
      corrupt: 2,
      movedAside: 0,
    });
    expect(status.find((s) => s.run === b.id)).toMatchObject({
      spooled: 12,
      delivered: 12,
      pending: 0,
      corrupt: 0,
    });
    expect(await sync(options({ spoolDir }))).toEqual([]); // nothing left
  });

  it('falls back to the spool when the dead-letter file cannot be written, and training never sees an error', async () => {
    const deadLetterFile = join(dir, 'no-such-dir', 'rejected.jsonl');
    const run = Run.init({ project: 'default', name: 'dead-letter-gone' }, options({ deadLetterFile }));
    run.log({ '': 1, ok: 1 }, 0);
    expect(await run.finish()).toBe(true);
    const fallback = join(dir, 'spool', `${run.id}.rejected.jsonl`);
    expect(run.deadLetterFile).toBe(fallback);
    expect(jsonl(fallback).map((d) => d.reason)).toEqual(['key: must not be empty']);
    expect(warnings.some((w) => w.includes(`cannot write ${deadLetterFile}`))).toBe(true);
    expect(spoolStatus(join(dir, 'spool')).find((s) => s.run === run.id)?.rejectedFile).toBe(fallback);
    expect(await runRow(run.id)).toMatchObject({ status: 'finished', n: 1 });
  });

  it('keeps a run whose .sent record is garbage replayable from the start', async () => {
    const run = Run.init({ project: 'default', name: 'garbage-sent' }, options());
    for (let step = 0; step < 5; step++) run.log({ loss: step }, step);
    expect(await run.finish()).toBe(true);
    writeFileSync(join(dir, 'spool', `${run.id}.sent`), 'garbage');
    const replay = Run.reopen(run.id, options());
    expect(replay.pending).toBe(7);
    expect(await replay.flush(5000)).toBe(true);
    expect(await runRow(run.id)).toMatchObject({ status: 'finished', n: 5 });
  });
});
