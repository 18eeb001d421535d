// Regression tests for issue 14's findings 2 and 10, on PGlite and Postgres: logMetrics checks points one by
// one (59 valid + 1 bad stores 59 and reports the one), and every limit in limits.ts answers BAD_INPUT naming
// the field — a NUL in a metric key, an 8,000-character key, a config nested 5,000 deep, a 15 MB config, … —
// instead of a masked 500, with nothing stored or changed by the refused call.
import { ENGINES, freshDatabase } from '@anneal/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap } from './bootstrap.ts';
import { LIMITS } from './limits.ts';
import { createApi } from './yoga.ts';

type Gql = {
  // biome-ignore lint/suspicious/noExplicitAny: responses are read by shape, as a client would
  data?: Record<string, any>;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

/**
 * { a: { a: … { a: 1 } } }, `depth` objects deep, as JSON text: JSON.stringify itself overflows the stack of
 * a test worker on such values, which is why the API checks depth before serializing anything.
 */
const nested = (depth: number) => new RawJson(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
class RawJson {
  constructor(readonly json: string) {}
}
/** JSON.stringify, with RawJson values spliced in as written. */
const stringify = (value: unknown) => {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_k, v) =>
    v instanceof RawJson ? `\u0000raw${raws.push(v.json) - 1}` : v,
  );
  return text.replace(/"\\u0000raw(\d+)"/g, (_m, i) => raws[Number(i)]);
};

describe.each(ENGINES)('limits on %s', (engine) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let api: ReturnType<typeof createApi>;
  let key = '';
  let runId = '';

  const gql = async (query: string, variables: Record<string, unknown> = {}): Promise<Gql> => {
    const res = await api.fetch('http://anneal.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: stringify({ query, variables }),
    });
    return (await res.json()) as Gql;
  };
  const ok = async (query: string, variables: Record<string, unknown> = {}) => {
    const r = await gql(query, variables);
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    return r.data!;
  };
  /** The call's one error: code BAD_INPUT (never a masked INTERNAL_SERVER_ERROR) naming `field`. */
  const refused = async (field: string, query: string, variables: Record<string, unknown> = {}) => {
    const r = await gql(query, variables);
    expect(r.errors?.[0]?.extensions, JSON.stringify(r.errors)?.slice(0, 500)).toEqual({
      code: 'BAD_INPUT',
      field,
    });
    return r.errors![0].message;
  };
  const row = async (id: string) =>
    (
      await db.handle.rows<{ name: string; status: string; summary: unknown; tags: string[]; notes: string }>(
        sql`select name, status, summary, tags, notes from runs where id = ${id.slice(4)}::uuid`,
      )
    )[0];
  const runCount = async () =>
    (await db.handle.rows<{ n: number }>(sql`select count(*)::int as n from runs`))[0].n;

  beforeAll(async () => {
    db = await freshDatabase(engine);
    key = (await bootstrap(db.handle)).key!;
    // launchRun and createSweep check their limits before the config reaches the trainer's schema or the
    // queue: both throw here, so a limit checked too late would show up as a masked error.
    const unreachable = () => {
      throw new Error('reached past the limits');
    };
    api = createApi({
      handle: db.handle,
      queue: { send: unreachable } as never,
      validateConfig: unreachable,
    });
    runId = (await ok('mutation { createRun(project: "default", name: "limits") { id } }')).createRun.id;
  }, 60_000);
  afterAll(() => db?.drop());

  const log =
    'mutation($id: ID!, $p: [PointInput!]!) { logMetrics(runId: $id, points: $p) { stored rejected { index key field reason } } }';

  it('stores the 59 valid points of a batch with one bad one and reports the bad one by index (finding 2)', async () => {
    const id = (await ok('mutation { createRun(project: "default", name: "batch") { id } }')).createRun.id;
    const points = Array.from({ length: 60 }, (_, i) => ({ key: i === 37 ? '' : 'loss', step: i, value: i }));
    const r = await ok(log, { id, p: points });
    expect(r.logMetrics).toEqual({
      stored: 59,
      rejected: [{ index: 37, key: '', field: 'key', reason: 'key: must not be empty' }],
    });
    const [{ n }] = await db.handle.rows<{ n: number }>(
      sql`select count(*)::int as n from metric_points where run_id = ${id.slice(4)}::uuid`,
    );
    expect(n).toBe(59);
    await ok('mutation($id: ID!) { finishRun(runId: $id) { id } }', { id });
    expect((await row(id)).status).toBe('finished');
  });

  it('refuses bad metric keys, steps and times point by point, naming what is wrong (finding 10)', async () => {
    const points = [
      { key: 'nul\u0000key', step: 0, value: 1 },
      { key: 'k'.repeat(8000), step: 0, value: 1 },
      { key: 'k'.repeat(LIMITS.metricKeyLength), step: 0, value: 1 }, // at the limit: fine
      { key: 'tab\tkey', step: 0, value: 1 },
      { key: 'lone\ud800', step: 0, value: 1 },
      { key: 'big', step: 2 ** 60, value: 1 },
      { key: 'frac', step: 1.5, value: 1 },
      { key: 'old', step: 0, value: 1, time: '0001-01-01T00:00:00Z' },
      { key: 'ok', step: 3, value: 2 },
    ];
    const r = await ok(log, { id: runId, p: points });
    expect(r.logMetrics.stored).toBe(2);
    expect(r.logMetrics.rejected).toEqual([
      {
        index: 0,
        key: 'nul\u0000key',
        field: 'key',
        reason: 'key: contains the control character U+0000 at 3',
      },
      { index: 1, key: 'k'.repeat(8000), field: 'key', reason: 'key: at most 256 characters, got 8000' },
      { index: 3, key: 'tab\tkey', field: 'key', reason: 'key: contains the control character U+0009 at 3' },
      { index: 4, key: 'lone\ud800', field: 'key', reason: 'key: contains a lone UTF-16 surrogate' },
      {
        index: 5,
        key: 'big',
        field: 'step',
        reason: `step: must be an integer in 0..${Number.MAX_SAFE_INTEGER}, got ${2 ** 60}`,
      },
      {
        index: 6,
        key: 'frac',
        field: 'step',
        reason: `step: must be an integer in 0..${Number.MAX_SAFE_INTEGER}, got 1.5`,
      },
      { index: 7, key: 'old', field: 'time', reason: 'time: must be between 1970-01-01 and 9999-12-31' },
    ]);
    const keys = await db.handle.rows<{ key: string }>(
      sql`select key from metric_points where run_id = ${runId.slice(4)}::uuid order by key`,
    );
    expect(keys.map((k) => k.key)).toEqual(['k'.repeat(LIMITS.metricKeyLength), 'ok']);
    // The whole call is still refused past the per-call limit.
    const tooMany = Array.from({ length: LIMITS.pointsPerCall + 1 }, (_, i) => ({
      key: 'x',
      step: i,
      value: 1,
    }));
    await refused('points', log, { id: runId, p: tooMany });
  });

  it('refuses a config nested 5,000 deep, a 15 MB one and a NUL inside one, storing no run (finding 10)', async () => {
    const before = await runCount();
    const create = 'mutation($c: JSON) { createRun(project: "default", name: "cfg", config: $c) { id } }';
    expect(await refused('config', create, { c: nested(5000) })).toMatch(/nested deeper than 64 levels/);
    await ok(create, { c: nested(LIMITS.jsonDepth - 1) }); // within the limit
    const huge = { blob: 'x'.repeat(15 << 20) };
    expect(await refused('config', create, { c: huge })).toBe(
      `config: at most 1,048,576 bytes as JSON, got ${JSON.stringify(huge).length.toLocaleString('en')}`,
    );
    expect(await refused('config.data.path', create, { c: { data: { path: 'a\u0000b' } } })).toMatch(/NUL/);
    await refused('config', create, { c: [1, 2] });
    await refused('gpu', 'mutation($g: JSON) { createRun(project: "default", gpu: $g) { id } }', {
      g: nested(100),
    });
    expect(await runCount()).toBe(before + 1);
    // The same limits guard launchRun and createSweep before the trainer's schema sees the config.
    await refused('config', 'mutation($c: JSON!) { launchRun(project: "default", config: $c) { id } }', {
      c: nested(5000),
    });
    await refused(
      'baseConfig',
      'mutation($c: JSON!, $b: JSON!) { createSweep(project: "default", config: $c, baseConfig: $b) { id } }',
      { c: { method: 'grid', parameters: {} }, b: huge },
    );
    await refused(
      'config',
      'mutation($c: JSON!, $b: JSON!) { createSweep(project: "default", config: $c, baseConfig: $b) { id } }',
      { c: nested(5000), b: {} },
    );
    expect(await runCount()).toBe(before + 1);
  });

  it('refuses an oversized or NUL-bearing summary, and a finish carrying one, leaving the run as it was', async () => {
    await ok('mutation($id: ID!) { updateSummary(runId: $id, summary: { best: 1 }) { id } }', { id: runId });
    const summary = 'mutation($id: ID!, $s: JSON!) { updateSummary(runId: $id, summary: $s) { id } }';
    await refused('summary', summary, { id: runId, s: { big: 'x'.repeat(2 << 20) } });
    await refused('summary.note', summary, { id: runId, s: { note: '\u0000' } });
    // Merges of new keys, each within the limit, until the stored summary would pass its own.
    const part = 'y'.repeat(900_000);
    await ok(summary, { id: runId, s: { a: part } });
    await ok(summary, { id: runId, s: { b: part } });
    expect(await refused('summary', summary, { id: runId, s: { c: part } })).toMatch(/as stored would pass/);
    expect(Object.keys((await row(runId)).summary as object).sort()).toEqual(['a', 'b', 'best']);
    await refused('summary', 'mutation($id: ID!, $s: JSON) { finishRun(runId: $id, summary: $s) { id } }', {
      id: runId,
      s: { c: part },
    });
    expect((await row(runId)).status).toBe('running'); // not half finished
    await ok(summary.replace('summary: $s)', 'summary: $s, merge: false)'), { id: runId, s: { best: 2 } });
    expect((await row(runId)).summary).toEqual({ best: 2 });
  });

  it('refuses bad names, tags, notes and console lines by field, changing nothing', async () => {
    const before = await row(runId);
    await refused('name', 'mutation($id: ID!, $n: String!) { renameRun(runId: $id, name: $n) { id } }', {
      id: runId,
      n: 'a\u0000b',
    });
    await refused('name', 'mutation($id: ID!, $n: String!) { renameRun(runId: $id, name: $n) { id } }', {
      id: runId,
      n: 'n'.repeat(201),
    });
    const tags = 'mutation($id: ID!, $t: [String!]!) { setTags(runId: $id, tags: $t) { id } }';
    await refused('tags', tags, { id: runId, t: Array.from({ length: 101 }, (_, i) => `t${i}`) });
    await refused('tags[1]', tags, { id: runId, t: ['ok', 'bell\u0007'] });
    const notes = 'mutation($id: ID!, $n: String!) { setNotes(runId: $id, notes: $n) { id } }';
    await refused('notes', notes, { id: runId, n: 'x'.repeat(LIMITS.notesLength + 1) });
    await refused('notes', notes, { id: runId, n: 'a\u0000' });
    await ok(notes, { id: runId, n: 'line one\n\tline two' }); // newlines and tabs are text
    await refused('group', 'mutation($g: String) { createRun(project: "default", group: $g) { id } }', {
      g: 'g\u0000',
    });
    const logs = 'mutation($id: ID!, $l: [LogLineInput!]!) { appendLogs(runId: $id, lines: $l) }';
    await refused('lines[1].line', logs, {
      id: runId,
      l: [
        { seq: 0, line: 'fine' },
        { seq: 1, line: 'nul \u0000 here' },
      ],
    });
    await refused('lines[0].line', logs, {
      id: runId,
      l: [{ seq: 0, line: 'x'.repeat(LIMITS.logLineLength + 1) }],
    });
    await refused('lines[0].stream', logs, { id: runId, l: [{ seq: 0, stream: 's'.repeat(33), line: 'x' }] });
    await refused('lines[0].seq', logs, { id: runId, l: [{ seq: -1, line: 'x' }] });
    const [{ n }] = await db.handle.rows<{ n: number }>(
      sql`select count(*)::int as n from log_lines where run_id = ${runId.slice(4)}::uuid`,
    );
    expect(n).toBe(0);
    expect({ ...(await row(runId)), notes: before.notes }).toEqual(before);
  });
});
