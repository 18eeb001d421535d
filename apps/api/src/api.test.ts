// The tracking API end to end through yoga's fetch handler, on embedded PGlite and on Postgres 15: auth and
// project isolation, run lifecycle, idempotent metric ingestion with NaN/±Infinity, spike-preserving
// downsampling, history paging, the filter language, and the statement count of a runs page.
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request as httpRequest, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@anneal/db/client';
import { ENGINES, freshDatabase } from '@anneal/db/testing';
import { sql } from 'drizzle-orm';
import { buildSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAUTH_EVERY_MS } from './access.ts';
import { bootstrap } from './bootstrap.ts';
import { createSharedPubSub } from './events.ts';
import { historyCsv } from './export.ts';
import { LIMITS } from './limits.ts';
import { RAW_LIMIT } from './metrics.ts';
import { printed, SCHEMA_FILE } from './print-schema.ts';
import { listen } from './server.ts';
import { seedTeam, sse } from './testing.ts';
import { createApi } from './yoga.ts';

type Gql = {
  // biome-ignore lint/suspicious/noExplicitAny: responses are read by shape, as a client would
  data?: Record<string, any>;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

describe.each(ENGINES)('tracking API on %s', (engine) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let api: ReturnType<typeof createApi>;
  const keys: Record<string, string> = {};
  const projects: Record<string, string> = {};

  const gql = async (
    key: string | null,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<Gql> => {
    const res = await api.fetch('http://anneal.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as Gql;
  };
  const ok = async (key: string, query: string, variables: Record<string, unknown> = {}) => {
    const r = await gql(key, query, variables);
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    return r.data!;
  };
  const code = (r: Gql) => r.errors?.[0]?.extensions?.code;

  beforeAll(async () => {
    db = await freshDatabase(engine);
    // Memberships change during these tests: no key cache, so every request sees the current roles.
    api = createApi({
      handle: db.handle,
      keyCacheMs: 0,
      artifactStore: mkdtempSync(join(tmpdir(), 'anneal-store-')),
    });
    // Admin-scoped: these keys act with their users' full roles, minting keys included.
    const team = await seedTeam(db.handle, 'admin');
    Object.assign(keys, team.keys);
    Object.assign(projects, team.projects);
  }, 60_000);
  afterAll(() => db?.drop());

  it('answers anonymous requests with nothing but the health check', async () => {
    expect((await api.fetch('http://anneal.test/health')).status).toBe(200);
    expect((await gql(null, '{ health }')).data).toEqual({ health: 'ok' });
    expect(code(await gql(null, '{ projects { name } }'))).toBe('UNAUTHENTICATED');
    expect(code(await gql('ank_not-a-key', '{ projects { name } }'))).toBe('UNAUTHENTICATED');
    expect(code(await gql(null, '{ dashboardUrl }'))).toBe('UNAUTHENTICATED');
    expect((await ok(keys.alice, '{ dashboardUrl }')).dashboardUrl).toBeNull(); // this API was not told one
    const r = await gql(null, 'mutation($p: String!) { createRun(project: $p, name: "x") { id } }', {
      p: 'alpha',
    });
    expect(code(r)).toBe('UNAUTHENTICATED');
  });

  it('refuses queries past the alias and token limits (GraphQL Armor)', async () => {
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: health`).join(' ');
    expect((await gql(keys.alice, `{ ${aliases} }`)).errors?.[0].message).toMatch(/aliases/i);
    const huge = `{ ${Array.from({ length: 25_000 }, () => 'health').join(' ')} }`;
    expect((await gql(keys.alice, huge)).errors?.[0].message).toMatch(/token/i);
    expect((await gql(keys.alice, '{ a: health b: health }')).data).toEqual({ a: 'ok', b: 'ok' });
  });

  it("keeps a key for one project out of another's runs, reads and writes alike", async () => {
    const run = (await ok(keys.bob, 'mutation { createRun(project: "beta", name: "secret") { id } }'))
      .createRun.id;
    expect(run).toMatch(/^run_[0-9a-f-]{36}$/);
    expect((await ok(keys.alice, '{ projects { name role } }')).projects).toEqual([
      { name: 'alpha', role: 'admin' },
    ]);
    for (const r of [
      await gql(keys.alice, 'query($id: ID!) { run(id: $id) { name } }', { id: run }),
      await gql(keys.alice, '{ runs(project: "beta") { totalCount } }'),
      await gql(
        keys.alice,
        'mutation($id: ID!) { logMetrics(runId: $id, points: [{ key: "a", step: 0, value: 1 }]) { stored } }',
        { id: run },
      ),
      await gql(keys.alice, 'mutation($id: ID!) { setNotes(runId: $id, notes: "mine") { id } }', { id: run }),
      await gql(keys.alice, 'mutation($id: ID!) { rewindRun(runId: $id, step: 0) }', { id: run }),
      await gql(keys.alice, 'mutation { createRun(project: "beta", name: "intruder") { id } }'),
      await gql(keys.alice, 'mutation($id: ID!) { deleteRuns(runIds: [$id]) }', { id: run }),
    ])
      expect(code(r), JSON.stringify(r)).toBe('NOT_FOUND');
    // node(id) does not reveal it either.
    expect((await ok(keys.alice, 'query($id: ID!) { node(id: $id) { id } }', { id: run })).node).toBeNull();
    const still = await ok(keys.bob, 'query($id: ID!) { run(id: $id) { name notes } }', { id: run });
    expect(still.run).toEqual({ name: 'secret', notes: '' });
  });

  it('lets viewers read but not write', async () => {
    const run = (await ok(keys.alice, 'mutation { createRun(project: "alpha", name: "shared") { id } }'))
      .createRun.id;
    expect((await ok(keys.carol, 'query($id: ID!) { run(id: $id) { name } }', { id: run })).run.name).toBe(
      'shared',
    );
    const r = await gql(keys.carol, 'mutation($id: ID!) { setTags(runId: $id, tags: ["x"]) { id } }', {
      id: run,
    });
    expect(code(r)).toBe('FORBIDDEN');
    expect(r.errors?.[0].message).toMatch(/needs the member role/);
  });

  it('records an artifact once however often the call is replayed, and serves its files to its project only', async () => {
    const run = (await ok(keys.alice, 'mutation { createRun(project: "alpha", name: "art") { id } }'))
      .createRun.id;
    // The bytes go to the store first (POST /uploads, then PATCH), then the manifest is recorded.
    const bytes = Buffer.from('weights');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const auth = { authorization: `Bearer ${keys.alice}` };
    const started = (await (
      await api.fetch('http://anneal.test/uploads', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({ runId: run, sha256, size: bytes.length }),
      })
    ).json()) as { uploadId: string; offset: number };
    expect(started.offset).toBe(0);
    const sent = await api.fetch(`http://anneal.test/uploads/${started.uploadId}`, {
      method: 'PATCH',
      headers: { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream', ...auth },
      body: Uint8Array.from(bytes),
    });
    expect(await sent.json()).toEqual({ complete: true });
    const log = () =>
      ok(
        keys.alice,
        `mutation($id: ID!, $f: [ArtifactFileInput!]!) { logArtifact(runId: $id, kind: model, name: "model",
          files: $f) { id version } }`,
        { id: run, f: [{ path: 'model.safetensors', sha256, size: bytes.length }] },
      );
    const first = (await log()).logArtifact.id;
    expect((await log()).logArtifact).toEqual({ id: first, version: 0 });
    const listed = await ok(
      keys.alice,
      'query($id: ID!) { run(id: $id) { artifacts { id kind name size } } }',
      {
        id: run,
      },
    );
    expect(listed.run.artifacts).toEqual([{ id: first, kind: 'model', name: 'model', size: 7 }]);
    const get = (key: string | null, file: string) =>
      api.fetch(`http://anneal.test/artifacts/${first}/${file}`, {
        headers: key ? { authorization: `Bearer ${key}` } : {},
      });
    const res = await get(keys.carol, 'model.safetensors'); // a viewer may download
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="model.safetensors"/);
    expect(await res.text()).toBe('weights');
    expect((await get(null, 'model.safetensors')).status).toBe(401);
    expect((await get(keys.bob, 'model.safetensors')).status).toBe(404); // another project's key
    expect((await get(keys.alice, 'secret.txt')).status).toBe(404); // not in the manifest
    expect((await get(keys.alice, '..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
  });

  it('stores NaN and ±Infinity, ignores replayed points, and pages the history', async () => {
    const run = (
      await ok(
        keys.alice,
        'mutation { createRun(project: "alpha", name: "ingest", config: { lr: 0.001 }) { id status } }',
      )
    ).createRun;
    expect(run.status).toBe('running');
    const points = [
      { key: 'loss', step: 0, value: 2.5 },
      { key: 'loss', step: 1, value: 'NaN' },
      { key: 'loss', step: 2, value: 'Infinity' },
      { key: 'loss', step: 3, value: '-Infinity' },
      { key: 'acc', step: 0, value: 0.5 },
    ];
    const log = 'mutation($id: ID!, $p: [PointInput!]!) { logMetrics(runId: $id, points: $p) { stored } }';
    expect((await ok(keys.alice, log, { id: run.id, p: points })).logMetrics.stored).toBe(5);
    expect((await ok(keys.alice, log, { id: run.id, p: points })).logMetrics.stored).toBe(0); // a retried batch
    const hist = await ok(
      keys.alice,
      'query($id: ID!) { run(id: $id) { history(keys: ["loss"], afterStep: 0, first: 2) { step value } } }',
      {
        id: run.id,
      },
    );
    expect(hist.run.history).toEqual([
      { step: 1, value: 'NaN' },
      { step: 2, value: 'Infinity' },
    ]);
    // Without keys, metrics returns every key the run logged.
    const all = await ok(
      keys.alice,
      'query($id: ID!) { run(id: $id) { metrics(samples: 5) { key count } } }',
      { id: run.id },
    );
    expect(all.run.metrics).toEqual([
      { key: 'acc', count: 1 },
      { key: 'loss', count: 4 },
    ]);
    // A bad point is reported by index and field; the call itself succeeds.
    const report =
      'mutation($id: ID!, $p: [PointInput!]!) { logMetrics(runId: $id, points: $p) { stored rejected { index key field reason } } }';
    const bad = await ok(keys.alice, report, { id: run.id, p: [{ key: 'loss', step: -1, value: 1 }] });
    expect(bad.logMetrics).toEqual({
      stored: 0,
      rejected: [
        {
          index: 0,
          key: 'loss',
          field: 'step',
          reason: `step: must be an integer in 0..${Number.MAX_SAFE_INTEGER}, got -1`,
        },
      ],
    });
    const tooMany = Array.from({ length: 10_001 }, (_, i) => ({ key: 'x', step: i, value: i }));
    expect(code(await gql(keys.alice, log, { id: run.id, p: tooMany }))).toBe('BAD_INPUT');
    const fin = await ok(
      keys.alice,
      'mutation($id: ID!) { finishRun(runId: $id, summary: { best: 0.9 }) { status summary finishedAt } }',
      { id: run.id },
    );
    expect(fin.finishRun).toMatchObject({ status: 'finished', summary: { best: 0.9 } });
  });

  it("exports a run's history as CSV: a row per step, a column per metric, to its project only", async () => {
    const run = (
      await ok(keys.alice, 'mutation { createRun(project: "alpha", name: "csv, \\"quoted\\"") { id } }')
    ).createRun.id;
    await ok(
      keys.alice,
      'mutation($id: ID!, $p: [PointInput!]!) { logMetrics(runId: $id, points: $p) { stored } }',
      {
        id: run,
        p: [
          { key: 'train/loss', step: 0, value: 2.5, time: '2026-01-01T00:00:00.000Z' },
          { key: 'train/loss', step: 1, value: 'NaN', time: '2026-01-01T00:00:01.000Z' },
          { key: 'val/f1', step: 1, value: 0.75, time: '2026-01-01T00:00:01.000Z' },
          { key: 'train/loss', step: 2, value: '-Infinity', time: '2026-01-01T00:00:02.000Z' },
          { key: 'odd,key', step: 2, value: 1, time: '2026-01-01T00:00:02.000Z' },
        ],
      },
    );
    const get = (key: string | null, query = '') =>
      api.fetch(`http://anneal.test/runs/${run}/history.csv${query}`, {
        headers: key ? { authorization: `Bearer ${key}` } : {},
      });
    const res = await get(keys.carol); // a viewer may export
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="csv_quoted_-history.csv"');
    expect(await res.text()).toBe(
      [
        'step,wall_time,"odd,key",train/loss,val/f1',
        '0,2026-01-01T00:00:00.000Z,,2.5,',
        '1,2026-01-01T00:00:01.000Z,,NaN,0.75',
        '2,2026-01-01T00:00:02.000Z,1,-inf,',
        '',
      ].join('\n'),
    );
    expect(await (await get(keys.alice, '?keys=val/f1')).text()).toBe(
      'step,wall_time,val/f1\n1,2026-01-01T00:00:01.000Z,0.75\n',
    );
    const bad = await get(keys.alice, '?keys=val/f2');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/^keys: the run logged no 'val\/f2'/);
    expect((await get(null)).status).toBe(401);
    expect((await get(keys.bob)).status).toBe(404); // another project's key
    // Paged by whole steps: pages of 2 or 3 points give the same table as one.
    const viewer = { userId: '', roles: new Map([[projects.alpha, 'viewer' as const]]) };
    const whole = await (await get(keys.alice)).text();
    for (const page of [2, 3])
      expect(await (await historyCsv(db.handle, viewer, run.slice(4), null, page)).text()).toBe(whole);
  });

  it('refuses points for a deleted run, even one the server has seen before', async () => {
    const id = (await ok(keys.alice, 'mutation { createRun(project: "alpha", name: "doomed") { id } }'))
      .createRun.id;
    const log =
      'mutation($id: ID!) { logMetrics(runId: $id, points: [{ key: "a", step: 1, value: 1 }]) { stored } }';
    expect((await ok(keys.alice, log, { id })).logMetrics.stored).toBe(1);
    expect(
      (await ok(keys.alice, 'mutation($id: ID!) { deleteRuns(runIds: [$id]) }', { id })).deleteRuns,
    ).toBe(1);
    const r = await gql(keys.alice, log, { id });
    expect(code(r)).toBe('NOT_FOUND');
    expect(code(await gql(keys.carol, log, { id }))).toBe('NOT_FOUND');
  });

  it("serves a run's console from its start or its end, with the count", async () => {
    const id = (await ok(keys.alice, 'mutation { createRun(project: "alpha", name: "chatty") { id } }'))
      .createRun.id;
    const lines = Array.from({ length: 25 }, (_, i) => ({ seq: i, line: `line ${i}` }));
    expect(
      (
        await ok(
          keys.alice,
          'mutation($id: ID!, $l: [LogLineInput!]!) { appendLogs(runId: $id, lines: $l) }',
          { id, l: lines },
        )
      ).appendLogs,
    ).toBe(25);
    const read = async (args: string) =>
      (await ok(keys.alice, `query($id: ID!) { run(id: $id) { logCount logs${args} { seq line } } }`, { id }))
        .run;
    const first = await read('(first: 3)');
    expect(first.logCount).toBe(25);
    expect(first.logs.map((l: { seq: number }) => l.seq)).toEqual([0, 1, 2]);
    // The end of the run, in order: what a long run's page shows (its final metrics come last).
    expect((await read('(last: 3)')).logs.map((l: { line: string }) => l.line)).toEqual([
      'line 22',
      'line 23',
      'line 24',
    ]);
    expect((await read('(afterSeq: 20)')).logs.map((l: { seq: number }) => l.seq)).toEqual([21, 22, 23, 24]);
    const both = await gql(
      keys.alice,
      'query($id: ID!) { run(id: $id) { logs(first: 2, last: 2) { seq } } }',
      { id },
    );
    expect(both.errors?.[0]).toMatchObject({
      message: 'last: give first or last, not both',
      extensions: { code: 'BAD_INPUT', field: 'last' },
    });
    const negative = await gql(keys.alice, 'query($id: ID!) { run(id: $id) { logs(last: -1) { seq } } }', {
      id,
    });
    expect(negative.errors?.[0].extensions).toMatchObject({ code: 'BAD_INPUT', field: 'last' });
  });

  it('renames a run and sets its tags and notes, refusing bad ones by field', async () => {
    const id = (
      await ok(
        keys.alice,
        'mutation { createRun(project: "alpha", name: "draft", tags: [" a ", "b", "a"]) { id tags } }',
      )
    ).createRun.id;
    const read = async () =>
      (await ok(keys.alice, 'query($id: ID!) { run(id: $id) { name tags notes } }', { id })).run;
    expect((await read()).tags).toEqual(['a', 'b']); // trimmed, each once
    await ok(keys.alice, 'mutation($id: ID!) { renameRun(runId: $id, name: "  baseline lr=3e-4 ") { id } }', {
      id,
    });
    await ok(keys.alice, 'mutation($id: ID!) { setTags(runId: $id, tags: ["keep", "paper"]) { id } }', {
      id,
    });
    await ok(
      keys.alice,
      'mutation($id: ID!) { setNotes(runId: $id, notes: "the one in the table") { id } }',
      { id },
    );
    expect(await read()).toEqual({
      name: 'baseline lr=3e-4',
      tags: ['keep', 'paper'],
      notes: 'the one in the table',
    });
    const refused = async (m: string) => (await gql(keys.alice, m, { id })).errors?.[0];
    expect(await refused('mutation($id: ID!) { renameRun(runId: $id, name: "  ") { id } }')).toMatchObject({
      message: 'name: a run name is 1 to 200 characters',
      extensions: { code: 'BAD_INPUT', field: 'name' },
    });
    expect(
      await refused('mutation($id: ID!) { setTags(runId: $id, tags: ["ok", ""]) { id } }'),
    ).toMatchObject({
      extensions: { code: 'BAD_INPUT', field: 'tags[1]' },
    });
    expect(
      (await refused('mutation { createRun(project: "alpha", name: "") { id } }'))?.extensions,
    ).toMatchObject({
      field: 'name',
    });
    // Nothing stored changed; a viewer may not rename.
    expect(await read()).toEqual({
      name: 'baseline lr=3e-4',
      tags: ['keep', 'paper'],
      notes: 'the one in the table',
    });
    expect(
      code(await gql(keys.carol, 'mutation($id: ID!) { renameRun(runId: $id, name: "x") { id } }', { id })),
    ).toBe('FORBIDDEN');
  });

  it('plots a metric against another metric (epoch) logged at the same steps', async () => {
    const run = (await ok(keys.alice, 'mutation { createRun(project: "alpha", name: "by-epoch") { id } }'))
      .createRun.id;
    const loss = (s: number) => 100 - s;
    const p = [
      ...Array.from({ length: 100 }, (_, s) => ({ key: 'loss', step: s, value: loss(s) })),
      // epoch logged at even steps only: the odd steps have no x and are left out
      ...Array.from({ length: 50 }, (_, i) => ({
        key: 'epoch',
        step: 2 * i,
        value: Math.floor((2 * i) / 10),
      })),
    ];
    await ok(
      keys.alice,
      'mutation($id: ID!, $p: [PointInput!]!) { logMetrics(runId: $id, points: $p) { stored } }',
      {
        id: run,
        p,
      },
    );
    const q =
      'query($id: ID!, $from: Float) { run(id: $id) { metrics(keys: ["loss"], xKey: "epoch", from: $from) { count buckets { x xEnd min max count } } } }';
    const [s] = (await ok(keys.alice, q, { id: run })).run.metrics;
    expect(s.count).toBe(50);
    expect(s.buckets).toEqual(
      Array.from({ length: 10 }, (_, e) => ({
        x: e,
        xEnd: e,
        min: loss(10 * e + 8),
        max: loss(10 * e),
        count: 5,
      })),
    );
    const [zoomed] = (await ok(keys.alice, q, { id: run, from: 7 })).run.metrics;
    expect(zoomed.buckets.map((b: { x: number }) => b.x)).toEqual([7, 8, 9]);
    expect((await ok(keys.alice, q.replace('"epoch"', '"nope"'), { id: run })).run.metrics).toEqual([]);
  });

  it('downsamples a long series to min/max buckets so a one-step spike survives', async () => {
    const run = (await ok(keys.alice, 'mutation { createRun(project: "alpha", name: "long") { id } }'))
      .createRun.id;
    const N = 20_000;
    for (let off = 0; off < N; off += 10_000) {
      const p = Array.from({ length: 10_000 }, (_, i) => ({
        key: 'loss',
        step: off + i,
        value: off + i === 12_345 ? 1000 : Math.sin((off + i) / 500),
      }));
      await ok(
        keys.alice,
        'mutation($id: ID!, $p: [PointInput!]!) { logMetrics(runId: $id, points: $p) { stored } }',
        {
          id: run,
          p,
        },
      );
    }
    const q =
      'query($id: ID!, $n: Int) { run(id: $id) { metrics(keys: ["loss"], samples: $n) { key count buckets { x xEnd min max count } } } }';
    const [s] = (await ok(keys.alice, q, { id: run, n: 200 })).run.metrics;
    expect(s.count).toBe(N);
    expect(s.buckets).toHaveLength(200);
    expect(s.buckets.reduce((a: number, b: { count: number }) => a + b.count, 0)).toBe(N);
    const spike = s.buckets.find((b: { max: number }) => b.max === 1000);
    expect(spike.x).toBeLessThanOrEqual(12_345);
    expect(spike.xEnd).toBeGreaterThanOrEqual(12_345);
    expect(Math.min(...s.buckets.map((b: { min: number }) => b.min))).toBeCloseTo(-1, 3);
    // The same buckets as columns (the workspace asks for hundreds of series at once); each bucket's last value
    // is its last step's.
    const [c] = (
      await ok(
        keys.alice,
        'query($id: ID!) { run(id: $id) { metrics(keys: ["loss"], samples: 200) { buckets { x xEnd min max mean last count } columns { x xEnd min max mean last count } } } }',
        { id: run },
      )
    ).run.metrics;
    expect(c.columns.x).toHaveLength(200);
    for (const f of ['x', 'xEnd', 'min', 'max', 'mean', 'last', 'count'])
      expect(c.columns[f]).toEqual(c.buckets.map((b: Record<string, number>) => b[f]));
    expect(c.buckets.at(-1).last).toBeCloseTo(Math.sin((N - 1) / 500), 9);
    expect(c.buckets[0].last).toBeCloseTo(Math.sin(c.buckets[0].xEnd / 500), 9);
    // columns(digits: 7), as the workspace's grid asks: values to 7 significant digits, x and counts exact, the
    // spike still the maximum of its bucket.
    const [r] = (
      await ok(
        keys.alice,
        'query($id: ID!) { run(id: $id) { metrics(keys: ["loss"], samples: 200) { columns(digits: 7) { x xEnd min max mean last count } } } }',
        { id: run },
      )
    ).run.metrics;
    for (const f of ['x', 'xEnd', 'count']) expect(r.columns[f]).toEqual(c.columns[f]);
    for (const f of ['min', 'max', 'mean', 'last'])
      expect(r.columns[f]).toEqual(c.columns[f].map((v: number) => Number(v.toPrecision(7))));
    expect(Math.max(...r.columns.max)).toBe(1000);
    const bad = await gql(
      keys.alice,
      'query($id: ID!) { run(id: $id) { metrics(keys: ["loss"]) { columns(digits: 18) { min } } } }',
      { id: run },
    );
    expect(code(bad)).toBe('BAD_INPUT');
    // Few points come back whole; from/to cut the range.
    const [part] = (
      await ok(
        keys.alice,
        'query($id: ID!) { run(id: $id) { metrics(keys: ["loss"], from: 100, to: 109, samples: 50) { count buckets { x min max } } } }',
        { id: run },
      )
    ).run.metrics;
    expect(part.count).toBe(10);
    expect(part.buckets.map((b: { x: number }) => b.x)).toEqual([
      100, 101, 102, 103, 104, 105, 106, 107, 108, 109,
    ]);
  });

  it('reads series longer than RAW_LIMIT from the rollups with exact counts and extremes, zoomed or not', async () => {
    const run = (await ok(keys.alice, 'mutation { createRun(project: "alpha", name: "rollups") { id } }'))
      .createRun.id;
    const N = RAW_LIMIT + 10_000;
    const value = (s: number) => (s === 43_210 ? 500 : s === 777 ? -500 : Math.cos(s / 300));
    for (let off = 0; off < N; off += 10_000) {
      const p = Array.from({ length: 10_000 }, (_, i) => ({
        key: 'loss',
        step: off + i,
        value: value(off + i),
      }));
      await ok(
        keys.alice,
        'mutation($id: ID!, $p: [PointInput!]!) { logMetrics(runId: $id, points: $p) { stored } }',
        {
          id: run,
          p,
        },
      );
    }
    // A replayed batch must not be counted twice in the rollups.
    const replay = Array.from({ length: 10_000 }, (_, i) => ({ key: 'loss', step: i, value: value(i) }));
    expect(
      (
        await ok(
          keys.alice,
          'mutation($id: ID!, $p: [PointInput!]!) { logMetrics(runId: $id, points: $p) { stored } }',
          { id: run, p: replay },
        )
      ).logMetrics.stored,
    ).toBe(0);
    const q =
      'query($id: ID!, $from: Float, $to: Float) { run(id: $id) { metrics(keys: ["loss"], samples: 300, from: $from, to: $to) { count buckets { x xEnd min max count mean } } } }';
    type B = { x: number; xEnd: number; min: number; max: number; count: number; mean: number };
    const check = async (from: number | null, to: number | null) => {
      const [s] = (await ok(keys.alice, q, { id: run, from, to })).run.metrics as {
        count: number;
        buckets: B[];
      }[];
      const lo = from ?? 0;
      const hi = to ?? N - 1;
      expect(s.count).toBe(hi - lo + 1);
      expect(s.buckets.reduce((a, b) => a + b.count, 0)).toBe(hi - lo + 1);
      expect(s.buckets.length).toBeLessThanOrEqual(300);
      expect(s.buckets.length).toBeGreaterThan(200);
      expect(s.buckets[0].x).toBe(lo);
      expect(s.buckets.at(-1)!.xEnd).toBe(hi);
      let min = Infinity;
      let max = -Infinity;
      for (let st = lo; st <= hi; st++) {
        min = Math.min(min, value(st));
        max = Math.max(max, value(st));
      }
      expect(Math.min(...s.buckets.map((b) => b.min))).toBeCloseTo(min, 9);
      expect(Math.max(...s.buckets.map((b) => b.max))).toBeCloseTo(max, 9);
      for (let i = 1; i < s.buckets.length; i++)
        expect(s.buckets[i].x).toBeGreaterThan(s.buckets[i - 1].xEnd);
    };
    await check(null, null); // the whole series: rollups only
    await check(100, 55_555); // a zoom: whole rollup buckets plus raw edges, still exact

    // A request's long series read at most LIMITS.seriesRowsPerRequest rollup rows and points together (they are
    // bucketed in the API): here lowered to 5,000, while each alias below can need 938 rollup rows + 128 edge
    // points — four fit, the fifth is refused naming samples.
    const limits = LIMITS as { seriesRowsPerRequest: number };
    const saved = limits.seriesRowsPerRequest;
    limits.seriesRowsPerRequest = 5_000;
    try {
      const aliases = (n: number) =>
        `query($id: ID!) { run(id: $id) { ${Array.from({ length: n }, (_, i) => `s${i}: metrics(keys: ["loss"], samples: ${300 + i}) { count }`).join(' ')} } }`;
      expect((await gql(keys.alice, aliases(4), { id: run })).errors).toBeUndefined();
      const over = await gql(keys.alice, aliases(5), { id: run });
      expect(over.errors?.[0].extensions).toMatchObject({ code: 'BAD_INPUT', field: 'samples' });
      expect(over.errors?.[0].message).toMatch(/at most 5,000 rollup rows and points .* could need 1,066 \(/);
    } finally {
      limits.seriesRowsPerRequest = saved;
    }
  });

  it('keeps NaN and ±Infinity in rollup buckets as SQL orders them: max NaN when any is, min when all are', async () => {
    const run = (await ok(keys.alice, 'mutation { createRun(project: "alpha", name: "rollup-nan") { id } }'))
      .createRun.id;
    // 2,000 points asked for in 10 buckets: read from the 64-step rollups (the rollup path), raw edges included
    // when zoomed. A NaN at 100, ±Infinity at 700 and 1,500, and NaN over 1,216–1,407: three whole rollups,
    // a whole bucket of NaN.
    const value = (s: number) =>
      s === 100 || (s >= 1216 && s < 1408)
        ? Number.NaN
        : s === 700
          ? Number.POSITIVE_INFINITY
          : s === 1500
            ? Number.NEGATIVE_INFINITY
            : Math.sin(s / 50);
    const p = Array.from({ length: 2000 }, (_, s) => {
      const v = value(s);
      return { key: 'x', step: s, value: Number.isFinite(v) ? v : String(v) };
    });
    await ok(
      keys.alice,
      'mutation($id: ID!, $p: [PointInput!]!) { logMetrics(runId: $id, points: $p) { stored } }',
      {
        id: run,
        p,
      },
    );
    const num = (v: number | string) => (typeof v === 'string' ? Number(v) : v);
    for (const [from, to] of [
      [null, null],
      [30, 1700],
    ]) {
      const [s] = (
        await ok(
          keys.alice,
          'query($id: ID!, $from: Float, $to: Float) { run(id: $id) { metrics(keys: ["x"], samples: 10, from: $from, to: $to) { count buckets { x xEnd min max count } } } }',
          { id: run, from, to },
        )
      ).run.metrics;
      const lo = from ?? 0;
      const hi = to ?? 1999;
      expect(s.count).toBe(hi - lo + 1);
      expect(s.buckets.length).toBeLessThanOrEqual(10);
      for (const b of s.buckets as {
        x: number;
        xEnd: number;
        min: number | string;
        max: number | string;
        count: number;
      }[]) {
        const vs = Array.from({ length: b.xEnd - b.x + 1 }, (_, i) => value(b.x + i));
        const real = vs.filter((v) => !Number.isNaN(v));
        expect(b.count).toBe(vs.length);
        expect(num(b.max), `max of ${b.x}–${b.xEnd}`).toBe(
          real.length < vs.length ? Number.NaN : Math.max(...real),
        );
        expect(num(b.min), `min of ${b.x}–${b.xEnd}`).toBe(real.length ? Math.min(...real) : Number.NaN);
      }
      expect(s.buckets.some((b: { min: unknown }) => b.min === 'NaN')).toBe(true);
    }
  });

  it('rewinds a history so a resumed run records its new timeline, rollups kept exact', async () => {
    const run = (await ok(keys.alice, 'mutation { createRun(project: "alpha", name: "rewound") { id } }'))
      .createRun.id;
    const uuid = run.slice('run_'.length);
    // Two keys, 5,000 steps a call (the API takes up to 10,000 points a call); returns how many were new.
    const log = async (from: number, to: number, value: (s: number) => number) => {
      let n = 0;
      for (let lo = from; lo < to; lo += 5_000) {
        const steps = Array.from({ length: Math.min(5_000, to - lo) }, (_, i) => lo + i);
        const p = ['a', 'b'].flatMap((key) => steps.map((step) => ({ key, step, value: value(step) })));
        const r = await ok(
          keys.alice,
          'mutation($id: ID!, $p: [PointInput!]!) { logMetrics(runId: $id, points: $p) { stored } }',
          {
            id: run,
            p,
          },
        );
        n += r.logMetrics.stored;
      }
      return n;
    };
    const rewind = (step: number) =>
      gql(keys.alice, 'mutation($id: ID!, $s: Int!) { rewindRun(runId: $id, step: $s) }', {
        id: run,
        s: step,
      });
    // The rollups as they should be: recomputed from the points that are there (sums to rounding, since the
    // rollups add each batch's sum in arrival order).
    const rounded = (rows: Record<string, unknown>[]) =>
      rows.map((r) => ({ ...r, v_sum: Number(Number(r.v_sum).toFixed(9)) }));
    const rollups = () =>
      db.handle.rows(sql`select key, width, bucket, x_min, x_max, v_min, v_max, v_sum, n, v_last
        from metric_rollups where run_id = ${uuid}::uuid order by key, width, bucket`);
    const recomputed = () =>
      db.handle.rows(sql`select key, w as width, step / w as bucket, min(step) as x_min, max(step) as x_max,
          min(value) as v_min, max(value) as v_max, sum(value) as v_sum, count(*)::int as n,
          (array_agg(value order by step desc))[1] as v_last
        from metric_points, (values (64), (1024), (16384)) ws(w) where run_id = ${uuid}::uuid
        group by key, w, step / w order by key, w, step / w`);
    const history = async () =>
      (
        await ok(
          keys.alice,
          'query($id: ID!) { run(id: $id) { history(keys: ["a"], afterStep: 16990) { step value } } }',
          { id: run },
        )
      ).run.history as { step: number; value: number }[];

    await log(0, 20_000, (s) => Math.sin(s));
    expect(rounded(await rollups())).toEqual(rounded(await recomputed()));
    // Resuming from a checkpoint at step 17,000 without a rewind: the new timeline would be dropped as replays.
    expect((await rewind(17_001)).data!.rewindRun).toBe(2 * 2_999);
    expect(rounded(await rollups())).toEqual(rounded(await recomputed()));
    expect(await log(17_001, 18_000, () => 7)).toBe(2 * 999);
    expect(rounded(await rollups())).toEqual(rounded(await recomputed()));
    const h = await history();
    expect(h.map((p) => p.value)).toEqual(h.map((p) => (p.step > 17_000 ? 7 : Math.sin(p.step))));
    expect(h.at(-1)!.step).toBe(17_999);
    // A cut on a bucket boundary, and a retry from the start.
    expect((await rewind(16_384)).data!.rewindRun).toBe(2 * (18_000 - 16_384));
    expect(rounded(await rollups())).toEqual(rounded(await recomputed()));
    expect((await rewind(0)).data!.rewindRun).toBe(2 * 16_384);
    expect(await rollups()).toEqual([]);
    const bad = await rewind(-1);
    expect(code(bad)).toBe('BAD_INPUT');
    expect(bad.errors![0].message).toMatch(/step/);
    expect(
      code(await gql(keys.carol, 'mutation($id: ID!) { rewindRun(runId: $id, step: 0) }', { id: run })),
    ).toBe('FORBIDDEN');
  });

  it("keeps a rewind's points readable on the attempt that rewound (RunAttempt.rewound), paged by key and step", async () => {
    const run = (
      await ok(keys.alice, 'mutation { createRun(project: "alpha", name: "rewound-read") { id } }')
    ).createRun.id;
    const value = (key: string, step: number) =>
      key === 'a' && step === 4
        ? 'NaN'
        : key === 'b' && step === 5
          ? '-Infinity'
          : step * 1.5 + (key === 'b' ? 100 : 0);
    const points = ['a', 'b'].flatMap((key) =>
      [0, 1, 2, 3, 4, 5].map((step) => ({ key, step, value: value(key, step) })),
    );
    await ok(
      keys.alice,
      'mutation($id: ID!, $p: [PointInput!]!) { logMetrics(runId: $id, points: $p) { stored } }',
      {
        id: run,
        p: points,
      },
    );
    const cut = await ok(keys.alice, 'mutation($id: ID!) { rewindRun(runId: $id, step: 3) }', { id: run });
    expect(cut.rewindRun).toBe(6);
    const rewound = async (args: string, key = keys.alice) =>
      gql(
        key,
        `query($id: ID!) { run(id: $id) { attempts { number rewound(${args}) { key step value } } } }`,
        {
          id: run,
        },
      );
    const all = await rewound('keys: ["a", "b"]');
    expect(all.errors).toBeUndefined();
    const [attempt] = all.data!.run.attempts;
    expect(attempt.number).toBe(1);
    const expected = ['a', 'b'].flatMap((key) =>
      [3, 4, 5].map((step) => ({ key, step, value: value(key, step) })),
    );
    expect(attempt.rewound).toEqual(expected); // ordered by key then step; NaN and -Infinity as strings
    // A page: after step 3, at most 3 points, still in (key, step) order; one key only.
    const page = await rewound('keys: ["a", "b"], afterStep: 3, first: 3');
    expect(page.data!.run.attempts[0].rewound).toEqual([expected[1], expected[2], expected[4]]);
    const onlyB = await rewound('keys: ["b"]');
    expect(onlyB.data!.run.attempts[0].rewound).toEqual(expected.slice(3));
    // The run's own history keeps what came before the cut, and only that.
    const kept = await ok(
      keys.alice,
      'query($id: ID!) { run(id: $id) { history(keys: ["a", "b"]) { key step } } }',
      {
        id: run,
      },
    );
    expect(kept.run.history.map((p: { key: string; step: number }) => `${p.key}${p.step}`).sort()).toEqual([
      'a0',
      'a1',
      'a2',
      'b0',
      'b1',
      'b2',
    ]);
    const bad = await rewound('keys: ["a"], first: 0');
    expect(code(bad)).toBe('BAD_INPUT');
    expect(bad.errors?.[0].message).toMatch(/first/);
    // Another project's member learns nothing about the run.
    expect(code(await rewound('keys: ["a"]', keys.bob))).toBe('NOT_FOUND');
  });

  it('forks a run at a step: the fork starts with a copy of the history before it, the source is untouched', async () => {
    const source = (await ok(keys.alice, 'mutation { createRun(project: "alpha", name: "trunk") { id } }'))
      .createRun.id;
    const steps = Array.from({ length: 3_000 }, (_, i) => i);
    const p = ['loss', 'lr'].flatMap((key) =>
      steps.map((step) => ({ key, step, value: Math.cos(step) + step })),
    );
    await ok(
      keys.alice,
      'mutation($id: ID!, $p: [PointInput!]!) { logMetrics(runId: $id, points: $p) { stored } }',
      {
        id: source,
        p,
      },
    );
    const fork = (id: string | null, runId: string, step: number, key = keys.alice) =>
      gql(
        key,
        `mutation($id: ID, $from: ForkFromInput!) {
          createRun(project: "alpha", id: $id, name: "branch", forkFrom: $from) {
            id forkStep forkedFrom { id name }
          }
        }`,
        { id, from: { runId, step } },
      );
    // A fork at 2,000 (a cut inside a 1,024-wide rollup bucket), with a client-chosen id.
    const id = `run_${randomUUID()}`;
    const made = await fork(id, source, 2_000);
    expect(made.errors).toBeUndefined();
    expect(made.data!.createRun).toEqual({ id, forkStep: 2_000, forkedFrom: { id: source, name: 'trunk' } });
    // Replaying the same creation (the SDK's spool) resumes the fork: nothing is copied twice.
    expect((await fork(id, source, 2_000)).errors).toBeUndefined();
    const history = async (run: string, key: string) =>
      (
        await ok(
          keys.alice,
          `query($id: ID!) { run(id: $id) { history(keys: ["${key}"], first: 5000) { step value } } }`,
          { id: run },
        )
      ).run.history as { step: number; value: number }[];
    const copied = await history(id, 'loss');
    expect(copied.map((q) => q.step)).toEqual(steps.slice(0, 2_000));
    expect(copied.every((q) => q.value === Math.cos(q.step) + q.step)).toBe(true);
    expect((await history(id, 'lr')).length).toBe(2_000);
    expect((await history(source, 'loss')).length).toBe(3_000);
    // The fork's rollups are exactly what its own points give.
    const uuid = id.slice('run_'.length);
    const rollups = await db.handle.rows(sql`select key, width, bucket, x_min, x_max, v_min, v_max, n, v_last
      from metric_rollups where run_id = ${uuid}::uuid order by key, width, bucket`);
    const recomputed =
      await db.handle.rows(sql`select key, w as width, step / w as bucket, min(step) as x_min,
        max(step) as x_max, min(value) as v_min, max(value) as v_max, count(*)::int as n,
        (array_agg(value order by step desc))[1] as v_last
      from metric_points, (values (64), (1024), (16384)) ws(w) where run_id = ${uuid}::uuid
      group by key, w, step / w order by key, w, step / w`);
    expect(rollups).toEqual(recomputed);
    // The fork logs its own timeline from its fork step; the source lists its forks.
    await ok(
      keys.alice,
      'mutation($id: ID!, $p: [PointInput!]!) { logMetrics(runId: $id, points: $p) { stored } }',
      {
        id,
        p: [{ key: 'loss', step: 2_000, value: -1 }],
      },
    );
    expect((await history(id, 'loss')).at(-1)).toEqual({ step: 2_000, value: -1 });
    expect((await history(source, 'loss'))[2_000].value).toBe(Math.cos(2_000) + 2_000);
    const forks = await ok(
      keys.alice,
      'query($id: ID!) { run(id: $id) { forks { id forkStep } forkedFrom { id } } }',
      {
        id: source,
      },
    );
    expect(forks.run).toEqual({ forks: [{ id, forkStep: 2_000 }], forkedFrom: null });
    // A fork at step 0 inherits nothing; bad steps, unknown runs and other projects' runs are refused by field.
    const empty = await fork(null, source, 0);
    expect(await history(empty.data!.createRun.id, 'loss')).toEqual([]);
    const bad = await fork(null, source, -5);
    expect(code(bad)).toBe('BAD_INPUT');
    expect(bad.errors![0].message).toMatch(/forkFrom\.step/);
    const missing = await fork(null, `run_${randomUUID()}`, 10);
    expect(code(missing)).toBe('NOT_FOUND');
    // A run of a project the viewer cannot read is not found; one of another project of theirs is refused.
    const other = (await ok(keys.bob, 'mutation { createRun(project: "beta", name: "elsewhere") { id } }'))
      .createRun.id;
    expect(code(await fork(null, other, 10))).toBe('NOT_FOUND');
    const alice = sql`(select id from users where email = 'alice@x.org')`;
    await db.handle.rows(sql`insert into memberships values (${projects.beta}::uuid, ${alice}, 'member')`);
    try {
      const cross = await fork(null, other, 10);
      expect(code(cross)).toBe('BAD_INPUT');
      expect(cross.errors![0].message).toMatch(/forkFrom\.runId.*another project/);
    } finally {
      await db.handle.rows(
        sql`delete from memberships where project_id = ${projects.beta}::uuid and user_id = ${alice}`,
      );
    }
  });

  it('filters with AND / OR / NOT over attributes, config, summary and tags, sorts and pages', async () => {
    const h = db.handle;
    const [p] = await h.rows<{ id: string }>(sql`insert into projects (name) values ('sweep') returning id`);
    const [alice] = await h.rows<{ user_id: string }>(
      sql`select user_id from memberships where project_id = ${projects.alpha}::uuid and role = 'admin'`,
    );
    await h.rows(sql`insert into memberships values (${p.id}::uuid, ${alice.user_id}::uuid, 'admin')`);
    const specs = [
      { name: 'a', lr: 1e-3, opt: 'adamw', f1: 0.91, tags: ['base'] },
      { name: 'b', lr: 3e-4, opt: 'adamw', f1: 0.95, tags: ['base', 'long'] },
      { name: 'c', lr: 1e-2, opt: 'sgd', f1: 0.62, tags: ['bad'] },
      { name: 'd', lr: 1e-4, opt: 'sgd', f1: 0.88, tags: [] },
      { name: 'e', lr: 3e-3, opt: 'adamw', f1: null, tags: ['long'] },
    ];
    for (const s of specs) {
      const r = await ok(
        keys.alice,
        'mutation($c: JSON, $t: [String!]) { createRun(project: "sweep", name: "x", config: $c, tags: $t) { id } }',
        {
          c: { optim: { lr: s.lr, kind: s.opt } },
          t: s.tags,
        },
      );
      await ok(
        keys.alice,
        `mutation($id: ID!, $s: JSON!) { updateSummary(runId: $id, summary: $s) { id } setNotes(runId: $id, notes: "${s.name}") { id } }`,
        {
          id: r.createRun.id,
          s: s.f1 === null ? {} : { 'val/f1': s.f1 },
        },
      );
    }
    const names = async (filter: unknown, orderBy?: unknown) => {
      const d = await ok(
        keys.alice,
        'query($f: RunFilter, $o: [RunOrder!]) { runs(project: "sweep", filter: $f, orderBy: $o) { totalCount edges { node { notes } } } }',
        { f: filter, o: orderBy },
      );
      expect(d.runs.totalCount).toBe(d.runs.edges.length);
      return d.runs.edges.map((e: { node: { notes: string } }) => e.node.notes);
    };
    expect(
      await names({ field: 'summary.val/f1', op: 'GT', value: 0.9 }, [
        { field: 'summary.val/f1', direction: 'DESC' },
      ]),
    ).toEqual(['b', 'a']);
    expect(
      (
        await names({
          or: [
            {
              and: [
                { field: 'config.optim.kind', op: 'EQ', value: 'sgd' },
                { not: { field: 'tags', op: 'CONTAINS', value: 'bad' } },
              ],
            },
            { field: 'config.optim.lr', op: 'GTE', value: 3e-3 },
          ],
        })
      ).sort(),
    ).toEqual(['c', 'd', 'e']);
    expect(await names({ field: 'summary.val/f1', op: 'EXISTS', value: false })).toEqual(['e']);
    expect((await names({ field: 'tags', op: 'IN', value: ['long', 'nothing'] })).sort()).toEqual(['b', 'e']);
    expect((await names({ field: 'config.optim.kind', op: 'IN', value: ['sgd'] })).sort()).toEqual([
      'c',
      'd',
    ]);
    expect((await names({ field: 'notes', op: 'LIKE', value: '_' })).length).toBe(5);
    expect(
      await names({ field: 'config.optim.lr', op: 'LT', value: 1e-3 }, [
        { field: 'config.optim.lr', direction: 'ASC' },
      ]),
    ).toEqual(['d', 'b']);
    // Paging: two at a time in f1 order (nulls last).
    const page = async (after?: string) =>
      (
        await ok(
          keys.alice,
          'query($a: String) { runs(project: "sweep", first: 2, after: $a, orderBy: [{ field: "summary.val/f1" }]) { edges { node { notes } } pageInfo { hasNextPage endCursor } } }',
          { a: after },
        )
      ).runs;
    const p1 = await page();
    const p2 = await page(p1.pageInfo.endCursor);
    const p3 = await page(p2.pageInfo.endCursor);
    expect(
      [...p1.edges, ...p2.edges, ...p3.edges].map((e: { node: { notes: string } }) => e.node.notes),
    ).toEqual(['b', 'a', 'd', 'c', 'e']);
    expect(p3.pageInfo.hasNextPage).toBe(false);
    // Errors name the offending part of the filter.
    const bad = await gql(
      keys.alice,
      'query($f: RunFilter) { runs(project: "sweep", filter: $f) { totalCount } }',
      {
        f: {
          and: [
            { field: 'name', op: 'EQ', value: 'x' },
            { field: 'colour', op: 'EQ', value: 'red' },
          ],
        },
      },
    );
    expect(code(bad)).toBe('BAD_INPUT');
    expect(bad.errors?.[0].extensions?.field).toBe('filter.and[1].field');
    // Values are parameters: quotes in a value are data, not SQL.
    expect(await names({ field: 'name', op: 'EQ', value: "x' or '1'='1" })).toEqual([]);
    // Column pickers: config keys with types and ranges, metric keys.
    const keysInfo = await ok(
      keys.alice,
      '{ project(ref: "sweep") { configKeys { key type min max count } } }',
    );
    expect(keysInfo.project.configKeys).toEqual([
      { key: 'optim.kind', type: 'string', min: null, max: null, count: 5 },
      { key: 'optim.lr', type: 'number', min: 1e-4, max: 1e-2, count: 5 },
    ]);
  });

  it('pages runs by keyset: no run twice or missed while runs are created during paging, in any order', async () => {
    const [p] = await db.handle.rows<{ id: string }>(
      sql`insert into projects (name) values ('paged') returning id`,
    );
    await db.handle.rows(sql`insert into memberships
      select ${p.id}::uuid, id, 'admin' from users where email = 'alice@x.org'`);
    // 40 runs, 20 of them created in one statement (the same created_at: ties broken by id); a summary number
    // with ties and gaps, a finish time on some, tags on some.
    await db.handle.rows(sql`insert into runs (project_id, name, summary, finished_at, tags)
      select ${p.id}::uuid, 'r' || i,
        case when i % 5 = 0 then '{}'::jsonb else jsonb_build_object('loss', (i % 7) * 0.1) end,
        case when i % 3 = 0 then now() - i * interval '1.000001 seconds' end,
        case when i % 4 = 0 then array['t' || (i % 8)] else '{}' end
      from generate_series(1, 20) i`);
    for (let i = 21; i <= 40; i++)
      await ok(keys.alice, `mutation { createRun(project: "paged", name: "r${i}", tags: ["x"]) { id } }`);
    const all = async (orderBy: unknown, size: number, during?: (page: number) => Promise<void>) => {
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; ; page++) {
        const r = await ok(
          keys.alice,
          'query($o: [RunOrder!], $n: Int, $a: String) { runs(project: "paged", orderBy: $o, first: $n, after: $a) { edges { node { name } } pageInfo { hasNextPage endCursor } } }',
          { o: orderBy, n: size, a: after },
        );
        seen.push(...r.runs.edges.map((e: { node: { name: string } }) => e.node.name));
        if (!r.runs.pageInfo.hasNextPage) return seen;
        after = r.runs.pageInfo.endCursor;
        await during?.(page);
      }
    };
    const names = Array.from({ length: 40 }, (_, i) => `r${i + 1}`).sort();
    for (const orderBy of [
      undefined,
      [{ field: 'summary.loss', direction: 'ASC' }],
      [{ field: 'summary.loss' }, { field: 'name', direction: 'ASC' }],
      [{ field: 'finishedAt' }],
      [{ field: 'tags', direction: 'ASC' }],
    ]) {
      const seen = await all(orderBy, 7);
      expect([...seen].sort(), JSON.stringify(orderBy)).toEqual(names);
      // The same order as one big page.
      expect(seen).toEqual(await all(orderBy, 500));
    }
    // Newest first while new runs arrive between pages: an offset would shift and repeat runs; a cursor does not.
    let added = 0;
    const seen = await all(undefined, 6, async () => {
      added++;
      await ok(keys.alice, `mutation { createRun(project: "paged", name: "new${added}") { id } }`);
    });
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((n) => !n.startsWith('new')).sort()).toEqual(names);
    // A cursor is only good for the order that made it; a forged one is refused, naming the argument.
    const first = await ok(keys.alice, '{ runs(project: "paged", first: 1) { pageInfo { endCursor } } }');
    const misuse = await gql(
      keys.alice,
      'query($a: String) { runs(project: "paged", after: $a, orderBy: [{ field: "name" }]) { totalCount } }',
      { a: first.runs.pageInfo.endCursor },
    );
    expect(misuse.errors?.[0].extensions).toMatchObject({ code: 'BAD_INPUT', field: 'after' });
    expect(misuse.errors?.[0].message).toMatch(/another orderBy/);
    const forged = await gql(keys.alice, '{ runs(project: "paged", after: "bm9wZQ") { totalCount } }');
    expect(forged.errors?.[0].extensions).toMatchObject({ code: 'BAD_INPUT', field: 'after' });
    const backwards = await gql(keys.alice, '{ runs(project: "paged", last: 2) { totalCount } }');
    expect(backwards.errors?.[0].extensions).toMatchObject({ code: 'BAD_INPUT', field: 'last' });
  });

  it('groups runs by a config key with counts, statuses and metric aggregates', async () => {
    const runs: [number, number | null, string][] = [
      [0.1, 0.5, 'finished'],
      [0.1, 0.7, 'finished'],
      [0.01, 0.9, 'finished'],
      [0.01, null, 'running'],
    ];
    for (const [lr, acc, status] of runs) {
      const { createRun } = await ok(
        keys.bob,
        'mutation($c: JSON) { createRun(project: "beta", name: "g", config: $c, tags: ["grouped"]) { id } }',
        { c: { optim: { lr } } },
      );
      if (status === 'finished')
        await ok(keys.bob, 'mutation($id: ID!, $s: JSON) { finishRun(runId: $id, summary: $s) { id } }', {
          id: createRun.id,
          s: { acc, note: 'text is not aggregated' },
        });
    }
    const q = `query($by: String!) { runGroups(project: "beta", by: $by, metrics: ["acc", "note"],
        filter: { field: "tags", op: CONTAINS, value: "grouped" }) {
      value count statuses { status count } aggregates { key count mean min max } } }`;
    const byLr = (await ok(keys.bob, q, { by: 'config.optim.lr' })).runGroups;
    expect(byLr).toEqual([
      {
        value: 0.1,
        count: 2,
        statuses: [{ status: 'finished', count: 2 }],
        aggregates: [
          { key: 'acc', count: 2, mean: expect.closeTo(0.6, 12), min: 0.5, max: 0.7 },
          { key: 'note', count: 0, mean: null, min: null, max: null },
        ],
      },
      {
        value: 0.01,
        count: 2,
        statuses: [
          { status: 'finished', count: 1 },
          { status: 'running', count: 1 },
        ],
        aggregates: [
          { key: 'acc', count: 1, mean: 0.9, min: 0.9, max: 0.9 },
          { key: 'note', count: 0, mean: null, min: null, max: null },
        ],
      },
    ]);
    const byStatus = (await ok(keys.bob, q, { by: 'status' })).runGroups;
    expect(byStatus.map((g: { value: string; count: number }) => [g.value, g.count])).toEqual([
      ['running', 1],
      ['finished', 3],
    ]);
    // Duration (seconds from start to finish, to now while running) filters and sorts like any attribute.
    const timed = await ok(
      keys.bob,
      `{ runs(project: "beta", filter: { and: [{ field: "tags", op: CONTAINS, value: "grouped" },
        { field: "duration", op: GTE, value: 0 }] }, orderBy: [{ field: "duration", direction: DESC }]) { totalCount } }`,
    );
    expect(timed.runs.totalCount).toBe(4);
    const like = await gql(
      keys.bob,
      '{ runs(project: "beta", filter: { field: "duration", op: LIKE, value: "1%" }) { totalCount } }',
    );
    expect(like.errors?.[0].message).toMatch(/LIKE does not apply to numbers/);
    // Another project's key sees nothing; a bad field is named.
    expect(code(await gql(keys.alice, q, { by: 'status' }))).toBe('NOT_FOUND');
    const bad = await gql(keys.bob, q, { by: 'tags' });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_INPUT', field: 'by' });
  });

  it('serves a page of runs with their metrics in a fixed number of statements (no N+1)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await ok(
        keys.bob,
        'mutation($n: String) { createRun(project: "beta", name: $n, tags: ["t"]) { id } }',
        { n: `page-${i}` },
      );
      ids.push(r.createRun.id);
      await ok(
        keys.bob,
        'mutation($id: ID!, $p: [PointInput!]!) { logMetrics(runId: $id, points: $p) { stored } }',
        {
          id: r.createRun.id,
          p: Array.from({ length: 50 }, (_, s) => ({ key: 'loss', step: s, value: 1 / (s + 1) })),
        },
      );
    }
    const before = db.handle.statements;
    const d = await ok(
      keys.bob,
      '{ runs(project: "beta", first: 12, filter: { field: "name", op: LIKE, value: "page-%" }) { totalCount edges { node { name tags project { name } metrics(keys: ["loss"], samples: 10) { count buckets { max } } } } } }',
    );
    const used = db.handle.statements - before;
    expect(d.runs.edges).toHaveLength(12);
    expect(
      d.runs.edges.every((e: { node: { metrics: { count: number }[] } }) => e.node.metrics[0].count === 50),
    ).toBe(true);
    // auth, project, count, page, series stats + one metrics query, one project load — whatever the page size.
    expect(used).toBeLessThanOrEqual(7);
  });

  it('streams run updates and appended metrics over SSE', async () => {
    const subscribe = async (query: string) => {
      const res = await api.fetch(`http://anneal.test/graphql?query=${encodeURIComponent(query)}`, {
        headers: { accept: 'text/event-stream', authorization: `Bearer ${keys.alice}` },
      });
      expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
      const reader = res.body!.getReader();
      const next = async () => {
        let text = '';
        for (;;) {
          const { value } = await reader.read();
          text += new TextDecoder().decode(value);
          const m = /data: (.*)\n/.exec(text);
          if (m) return JSON.parse(m[1]);
        }
      };
      return { next, close: () => reader.cancel() };
    };
    const runs = await subscribe('subscription { runUpdated(project: "alpha") { name status } }');
    const created = ok(keys.alice, 'mutation { createRun(project: "alpha", name: "live") { id } }');
    // The subscription is established before the mutation's event fires: wait for the first event.
    const event = await runs.next();
    expect(event.data.runUpdated).toEqual({ name: 'live', status: 'running' });
    await runs.close();
    const id = (await created).createRun.id;
    const points = await subscribe(`subscription { metricsAppended(runId: "${id}") { keys maxStep count } }`);
    const first = points.next();
    await new Promise((r) => setTimeout(r, 50));
    await ok(
      keys.alice,
      'mutation($id: ID!) { logMetrics(runId: $id, points: [{ key: "loss", step: 7, value: 1 }, { key: "acc", step: 7, value: 0.5 }]) { stored } }',
      { id },
    );
    expect((await first).data.metricsAppended).toEqual({ keys: ['loss', 'acc'], maxStep: 7, count: 2 });
    await points.close();
  });

  it('ends a live subscription once its key is revoked or its member removed, not only at subscribe time', async () => {
    const stream = (key: string, query: string) => sse(api, key, query);
    await ok(keys.bob, 'mutation { createProject(name: "live-x") { name } }');
    await ok(
      keys.bob,
      'mutation { setMember(project: "live-x", email: "carol@x.org", role: "viewer") { role } }',
    );
    const key = (await ok(keys.carol, 'mutation { createApiKey(name: "stream") }')).createApiKey as string;
    const run = (await ok(keys.bob, 'mutation { createRun(project: "live-x", name: "r0") { id } }')).createRun
      .id;
    const runsByKey = await stream(key, 'subscription { runUpdated(project: "live-x") { name } }');
    const runsByMember = await stream(
      keys.carol,
      'subscription { runUpdated(project: "live-x") { name project { role } } }',
    );
    const points = await stream(keys.carol, `subscription { metricsAppended(runId: "${run}") { maxStep } }`);
    const firstRun = [runsByKey.next(), runsByMember.next()];
    const firstPoint = points.next();
    await new Promise((r) => setTimeout(r, 100)); // subscribed
    const log = (step: number) =>
      ok(
        keys.bob,
        `mutation { logMetrics(runId: "${run}", points: [{ key: "loss", step: ${step}, value: 1 }]) { stored } }`,
      );
    await ok(keys.bob, 'mutation { createRun(project: "live-x", name: "r1") { id } }');
    await log(1);
    const [r1ByKey, r1ByMember] = await Promise.all(firstRun);
    expect(r1ByKey).toEqual({ data: { runUpdated: { name: 'r1' } } });
    expect(r1ByMember).toEqual({ data: { runUpdated: { name: 'r1', project: { role: 'viewer' } } } });
    expect(await firstPoint).toEqual({ data: { metricsAppended: { maxStep: 1 } } });

    // Carol is made a member: her stream's next events resolve with the role she holds now, not at subscribe.
    await ok(
      keys.bob,
      'mutation { setMember(project: "live-x", email: "carol@x.org", role: "member") { role } }',
    );
    // The key is revoked: its stream ends with UNAUTHENTICATED at the next event; the member's own key goes on.
    const [{ id: keyId }] = await db.handle.rows<{ id: string }>(
      sql`select id from api_keys where name = 'stream'`,
    );
    await ok(keys.carol, `mutation { revokeApiKey(id: "${keyId}") { id } }`);
    await new Promise((r) => setTimeout(r, REAUTH_EVERY_MS + 100));
    const second = [runsByKey.next(), runsByMember.next()];
    await ok(keys.bob, 'mutation { createRun(project: "live-x", name: "r2") { id } }');
    const [byKey, byMember] = await Promise.all(second);
    expect(byKey).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(JSON.stringify(byKey)).not.toContain('r2');
    expect(await runsByKey.next()).toBe('end');
    expect(byMember).toEqual({ data: { runUpdated: { name: 'r2', project: { role: 'member' } } } });

    // Carol leaves the project: both her streams end as if the project and run did not exist.
    await ok(keys.bob, 'mutation { removeMember(project: "live-x", email: "carol@x.org") }');
    await new Promise((r) => setTimeout(r, REAUTH_EVERY_MS + 100));
    const third = [runsByMember.next(), points.next()];
    await ok(keys.bob, 'mutation { createRun(project: "live-x", name: "r3") { id } }');
    await log(2);
    for (const m of await Promise.all(third)) {
      expect(m).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
      expect(JSON.stringify(m)).not.toMatch(/r3|maxStep/);
    }
    expect(await runsByMember.next()).toBe('end');
    expect(await points.next()).toBe('end');
  });

  it.skipIf(engine === 'pglite')(
    'delivers live events across API processes sharing one Postgres (LISTEN/NOTIFY)',
    async () => {
      // Two API "processes": each its own connection pool and pubsub.
      const other = await connect(db.target);
      try {
        const [a, b] = [
          createApi({ handle: db.handle, pubsub: await createSharedPubSub(db.handle) }),
          createApi({ handle: other, pubsub: await createSharedPubSub(other) }),
        ];
        const res = await b.fetch(
          `http://anneal.test/graphql?query=${encodeURIComponent('subscription { runUpdated(project: "alpha") { name status } }')}`,
          { headers: { accept: 'text/event-stream', authorization: `Bearer ${keys.alice}` } },
        );
        const reader = res.body!.getReader();
        const next = (async () => {
          let text = '';
          for (;;) {
            text += new TextDecoder().decode((await reader.read()).value);
            const m = /data: (.*)\n/.exec(text);
            if (m) return JSON.parse(m[1]);
          }
        })();
        await new Promise((r) => setTimeout(r, 100)); // B is subscribed
        const created = await a.fetch('http://anneal.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.alice}` },
          body: JSON.stringify({
            query: 'mutation { createRun(project: "alpha", name: "elsewhere") { id } }',
          }),
        });
        expect(((await created.json()) as Gql).errors).toBeUndefined();
        expect((await next).data.runUpdated).toEqual({ name: 'elsewhere', status: 'running' });
        await reader.cancel();
      } finally {
        await other.close();
      }
    },
  );

  it('signs users in with a password into an HTTP-only session cookie, which only same-site requests can use', async () => {
    const made = await gql(
      keys.alice,
      'mutation { createUser(project: "alpha", email: "Dana@X.org", name: "dana", password: "correct horse battery", role: "viewer") { email } }',
    );
    expect(made.data?.createUser).toEqual({ email: 'dana@x.org' });
    const weak = await gql(
      keys.alice,
      'mutation { createUser(project: "alpha", email: "e@x.org", name: "e", password: "short") { id } }',
    );
    expect(weak.errors?.[0].extensions).toMatchObject({ code: 'BAD_INPUT', field: 'password' });
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      api.fetch('http://anneal.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const wrong = await post({ query: 'mutation { login(email: "dana@x.org", password: "nope") { id } }' });
    expect(((await wrong.json()) as Gql).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const res = await post({
      query: 'mutation { login(email: "DANA@x.org", password: "correct horse battery") { name } }',
    });
    expect(((await res.json()) as Gql).data).toEqual({ login: { name: 'dana' } });
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(
      /^anneal_session=[\w-]{40,}; Max-Age=2592000; Path=\/; HttpOnly; SameSite=Lax$/,
    );
    const cookie = setCookie.split(';')[0];
    const me = await post({ query: '{ me { email projects { name role } } }' }, { cookie });
    expect(((await me.json()) as Gql).data).toEqual({
      me: { email: 'dana@x.org', projects: [{ name: 'alpha', role: 'viewer' }] },
    });
    // A cross-site form post (not JSON) carries the cookie but gets nothing for it.
    const forged = await api.fetch('http://anneal.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: `query=${encodeURIComponent('{ me { email } }')}`,
    });
    expect(((await forged.json()) as Gql).data?.me ?? null).toBeNull();
    const out = await post({ query: 'mutation { logout }' }, { cookie });
    expect(out.headers.get('set-cookie')).toMatch(/^anneal_session=; Max-Age=0;/);
    // The session is gone on the server too: the old cookie no longer signs anyone in.
    const after = await post({ query: '{ me { email } }' }, { cookie });
    expect(((await after.json()) as Gql).data).toEqual({ me: null });
  });

  it('lets anyone signed in create a project, its admins manage members, and users revoke their keys', async () => {
    const made = await ok(
      keys.bob,
      'mutation { createProject(name: "team-x", description: "shared") { name role } }',
    );
    expect(made.createProject).toEqual({ name: 'team-x', role: 'admin' });
    const badName = await gql(keys.bob, 'mutation { createProject(name: "no spaces") { name } }');
    expect(badName.errors?.[0].extensions).toMatchObject({ code: 'BAD_INPUT', field: 'name' });
    const taken = await gql(keys.alice, 'mutation { createProject(name: "team-x") { name } }');
    expect(taken.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'name' });

    const setMember = (key: string, email: string, role: string) =>
      gql(
        key,
        'mutation($e: String!, $r: String!) { setMember(project: "team-x", email: $e, role: $r) { user { email } role } }',
        {
          e: email,
          r: role,
        },
      );
    const removeMember = (key: string, email: string) =>
      gql(key, 'mutation($e: String!) { removeMember(project: "team-x", email: $e) }', { e: email });
    const newRun = (key: string) => gql(key, 'mutation { createRun(project: "team-x", name: "r") { id } }');
    // An existing user joins as a viewer: reads, cannot write or manage.
    expect((await setMember(keys.bob, 'Alice@x.org', 'viewer')).data!.setMember).toEqual({
      user: { email: 'alice@x.org' },
      role: 'viewer',
    });
    expect(code(await newRun(keys.alice))).toBe('FORBIDDEN');
    expect(code(await setMember(keys.alice, 'carol@x.org', 'viewer'))).toBe('FORBIDDEN');
    expect((await setMember(keys.bob, 'alice@x.org', 'member')).data!.setMember.role).toBe('member');
    expect((await newRun(keys.alice)).errors).toBeUndefined();
    const members = await ok(
      keys.alice,
      '{ project(ref: "team-x") { members { user { email name } role } } }',
    );
    expect(members.project.members).toEqual([
      { user: { email: 'alice@x.org', name: 'alice' }, role: 'member' },
      { user: { email: 'bob@x.org', name: 'bob' }, role: 'admin' },
    ]);
    // Bad input names its field; the project never loses its last admin.
    expect((await setMember(keys.bob, 'nobody@x.org', 'viewer')).errors?.[0].extensions).toMatchObject({
      code: 'NOT_FOUND',
      field: 'email',
    });
    expect((await setMember(keys.bob, 'alice@x.org', 'owner')).errors?.[0].extensions).toMatchObject({
      code: 'BAD_INPUT',
      field: 'role',
    });
    expect((await setMember(keys.bob, 'bob@x.org', 'member')).errors?.[0].extensions).toMatchObject({
      code: 'CONFLICT',
      field: 'role',
    });
    expect(code(await removeMember(keys.bob, 'bob@x.org'))).toBe('CONFLICT');
    // Another admin first; then the first one can step down, and be removed.
    await setMember(keys.bob, 'alice@x.org', 'admin');
    expect((await setMember(keys.bob, 'bob@x.org', 'viewer')).data!.setMember.role).toBe('viewer');
    expect(code(await setMember(keys.bob, 'bob@x.org', 'admin'))).toBe('FORBIDDEN');
    expect((await removeMember(keys.alice, 'bob@x.org')).data!.removeMember).toBe(true);
    expect(code(await gql(keys.bob, '{ project(ref: "team-x") { name } }'))).toBe('NOT_FOUND');
    expect(code(await removeMember(keys.alice, 'bob@x.org'))).toBe('NOT_FOUND');

    // API keys: listed by name and prefix (never the key), revoked by their owner only.
    const key = (await ok(keys.alice, 'mutation { createApiKey(name: "laptop") }')).createApiKey as string;
    const listed = (await ok(key, '{ me { apiKeys { id name prefix revokedAt } } }')).me.apiKeys;
    const laptop = listed.find((k: { name: string }) => k.name === 'laptop');
    expect(laptop).toMatchObject({ prefix: key.slice(0, 8), revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(key);
    expect(
      code(await gql(keys.bob, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: laptop.id })),
    ).toBe('NOT_FOUND');
    const revoked = await ok(keys.alice, 'mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', {
      id: laptop.id,
    });
    expect(revoked.revokeApiKey.revokedAt).toBeTruthy();
    expect((await gql(key, '{ me { email } }')).data).toEqual({ me: null });
    expect(code(await gql(key, '{ project(ref: "team-x") { name } }'))).toBe('UNAUTHENTICATED');
    expect((await ok(keys.alice, '{ me { email } }')).me.email).toBe('alice@x.org');
  });

  it('applies a new membership or a revoked key at once, though verified keys are cached', async () => {
    const cached = createApi({ handle: db.handle, keyCacheMs: 60_000 });
    const key = (await ok(keys.carol, 'mutation { createApiKey(name: "cached") }')).createApiKey as string;
    const ask = async (query: string) => {
      const res = await cached.fetch('http://anneal.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query }),
      });
      return (await res.json()) as Gql;
    };
    expect((await ask('{ me { email } }')).data).toEqual({ me: { email: 'carol@x.org' } }); // now cached
    expect((await ask('mutation { createProject(name: "carol-lab") { role } }')).data).toEqual({
      createProject: { role: 'admin' },
    });
    expect(
      (await ask('mutation { createRun(project: "carol-lab", name: "first") { id } }')).errors,
    ).toBeUndefined();
    const [{ id }] = await db.handle.rows<{ id: string }>(sql`select id from api_keys where name = 'cached'`);
    expect((await ask(`mutation { revokeApiKey(id: "${id}") { id } }`)).errors).toBeUndefined();
    expect((await ask('{ me { email } }')).data).toEqual({ me: null });
  });

  it.skipIf(engine === 'pglite')(
    'forgets a revoked key in every API process at once, though each caches verified keys',
    async () => {
      const other = await connect(db.target);
      try {
        const [a, b] = [
          createApi({ handle: db.handle, keyCacheMs: 60_000, pubsub: await createSharedPubSub(db.handle) }),
          createApi({ handle: other, keyCacheMs: 60_000, pubsub: await createSharedPubSub(other) }),
        ];
        const key = (await ok(keys.carol, 'mutation { createApiKey(name: "two-processes") }')).createApiKey;
        const ask = async (api: ReturnType<typeof createApi>, query: string) =>
          (await (
            await api.fetch('http://anneal.test/graphql', {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
              body: JSON.stringify({ query }),
            })
          ).json()) as Gql;
        expect((await ask(b, '{ me { email } }')).data).toEqual({ me: { email: 'carol@x.org' } }); // cached in B
        const [{ id }] = await db.handle.rows<{ id: string }>(
          sql`select id from api_keys where name = 'two-processes'`,
        );
        expect((await ask(a, `mutation { revokeApiKey(id: "${id}") { id } }`)).errors).toBeUndefined();
        // B hears of it through Postgres (LISTEN/NOTIFY), long before its 60 s cache entry would lapse.
        let me: unknown = 'cached';
        for (let i = 0; i < 50 && me !== null; i++) {
          await new Promise((r) => setTimeout(r, 50));
          me = (await ask(b, '{ me { email } }')).data?.me;
        }
        expect(me).toBeNull();
        expect(
          code(await ask(b, 'mutation { createRun(project: "alpha", name: "after-revoke") { id } }')),
        ).toBe('UNAUTHENTICATED');
      } finally {
        await other.close();
      }
    },
  );

  it('creates the embedded admin, project and key once', async () => {
    const fresh = await freshDatabase(engine);
    try {
      const first = await bootstrap(fresh.handle);
      expect(first.key).toMatch(/^ank_/);
      expect(first.password).toHaveLength(16);
      const again = await bootstrap(fresh.handle);
      expect(again).toEqual({ ...first, key: null, password: null });
      const embedded = createApi({ handle: fresh.handle });
      const res = await embedded.fetch('http://anneal.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${first.key}` },
        body: JSON.stringify({ query: '{ projects { name role } }' }),
      });
      expect(((await res.json()) as Gql).data).toEqual({ projects: [{ name: 'default', role: 'admin' }] });
    } finally {
      await fresh.drop();
    }
  });

  it('signs a browser on this machine in as the local admin in embedded mode, and nobody else', async () => {
    const fresh = await freshDatabase(engine);
    const servers: Server[] = [];
    try {
      await bootstrap(fresh.handle);
      const start = async (localSignIn: boolean) => {
        const { server, url } = await listen(createApi({ handle: fresh.handle, localSignIn }), 0);
        servers.push(server);
        return new URL(url);
      };
      // node:http, so the Host header can be what a rebinding web page would send.
      const post = (
        url: URL,
        headers: Record<string, string>,
        body = '{"query": "mutation { localSignIn { email } }"}',
      ) =>
        new Promise<{ status: number; cookie?: string; body: Gql }>((resolve, reject) => {
          const req = httpRequest(
            {
              host: url.hostname,
              port: url.port,
              path: '/graphql',
              method: 'POST',
              agent: false, // no keep-alive: the servers close at the end
              headers: { 'content-type': 'application/json', ...headers },
            },
            (res) => {
              let text = '';
              res.on('data', (d) => {
                text += d;
              });
              res.on('end', () =>
                resolve({
                  status: res.statusCode!,
                  cookie: res.headers['set-cookie']?.[0],
                  body: text.startsWith('{') ? JSON.parse(text) : {}, // a 415 has no body
                }),
              );
            },
          );
          req.on('error', reject);
          req.end(body);
        });
      const local = await start(true);
      const ok = await post(local, {});
      expect(ok.body.data).toEqual({ localSignIn: { email: 'admin@localhost' } });
      expect(ok.cookie).toMatch(/^anneal_session=.+; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax$/);
      // The cookie is a real session.
      const me = await post(local, { cookie: ok.cookie!.split(';')[0] }, '{"query": "{ me { email } }"}');
      expect(me.body.data).toEqual({ me: { email: 'admin@localhost' } });
      for (const headers of <Record<string, string>[]>[
        { host: 'evil.example' }, // DNS rebinding: a web page's own name pointing at 127.0.0.1
        { 'x-anneal-host': 'evil.example:3000' }, // the same, through the dashboard's proxy
        { 'content-type': 'text/plain' }, // a cross-site form could send this
      ]) {
        const r = await post(local, headers);
        expect(r.cookie, JSON.stringify(headers)).toBeUndefined();
        expect(r.body.data?.localSignIn ?? null).toBeNull();
      }
      const off = await post(await start(false), {});
      expect(off.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(off.cookie).toBeUndefined();
    } finally {
      for (const s of servers) {
        s.closeAllConnections();
        s.close();
      }
      await fresh.drop();
    }
  });
});

describe('schema.graphql', () => {
  it('is the printed schema (regenerate with pnpm --filter @anneal/api schema)', () => {
    // Compared after a round trip through one printer: graphql's CommonJS and ESM builds lay out block-string
    // descriptions differently, and the file may have been printed by either.
    const committed = printSchema(lexicographicSortSchema(buildSchema(readFileSync(SCHEMA_FILE, 'utf8'))));
    expect(committed).toBe(printed().trimEnd());
  });
});
