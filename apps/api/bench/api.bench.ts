// `pnpm bench:api`, against the Postgres on this machine (DATABASE_URL, default postgres://postgres@127.0.0.1/
// test; a private database is created and dropped):
//   1. ingest — concurrent clients sending logMetrics batches of 1,000 points over HTTP, points/s, beside a raw
//      COPY of the same points into the same table, with the ratio;
//   2. a filtered, sorted page of 50 runs out of 10,000 runs with 20 config and 20 summary keys, p50/p95;
//   3. one series of 1,000,000 points downsampled to 1,000 buckets, p50/p95.
// Prints a table and writes bench/results/api-*.json.

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { freshDatabase } from '@anneal/db/testing';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { writeJson } from '../../../packages/kernels/bench/harness.ts';
import { bootstrap } from '../src/bootstrap.ts';
import { insertPoints } from '../src/metrics.ts';
import { createApi, listen } from '../src/server.ts';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const BATCHES = Number(process.env.BENCH_BATCHES ?? 50); // per client
const BATCH = 1000;
const REPS = Number(process.env.BENCH_REPS ?? 40);

const db = await freshDatabase('postgres');
const h = db.handle;
const key = (await bootstrap(h)).key!;
const { server, url } = await listen(createApi({ handle: h }), 0);
const gql = async (query: string, variables: Record<string, unknown> = {}) => {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: responses are read by shape, as in a notebook
  const body = (await res.json()) as { data?: any; errors?: { message: string }[] };
  if (body.errors) throw new Error(body.errors[0].message);
  return body.data;
};
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const timeit = async (fn: () => Promise<unknown>, reps = REPS) => {
  for (let i = 0; i < 3; i++) await fn();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  return { p50: percentile(t, 50), p95: percentile(t, 95) };
};
const rows: { bench: string; result: string; bar: string; note: string }[] = [];
const results: Record<string, unknown> = {};

// --- 1. ingest ------------------------------------------------------------------------------------------
{
  const runId = (await gql('mutation { createRun(project: "default", name: "ingest") { id } }')).createRun.id;
  const total = CLIENTS * BATCHES * BATCH;
  const batch = (client: number, b: number) =>
    Array.from({ length: BATCH }, (_, i) => ({
      key: `client${client}/m${i % 10}`,
      step: b * 100 + Math.floor(i / 10),
      value: Math.sin(i),
    }));
  // Request bodies are serialised before the clock starts: the clients share this process (and its two
  // cores) with the server, and their JSON encoding is not the API's work.
  const query =
    'mutation($id: ID!, $p: [PointInput!]!) { logMetrics(runId: $id, points: $p) { stored rejected { index reason } } }';
  const bodies = Array.from({ length: CLIENTS }, (_, c) =>
    Array.from({ length: BATCHES }, (_, b) =>
      JSON.stringify({ query, variables: { id: runId, p: batch(c, b) } }),
    ),
  );
  const t0 = performance.now();
  await Promise.all(
    bodies.map(async (list) => {
      for (const body of list) {
        const res = await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body,
        });
        const r = (await res.json()) as { errors?: { message: string }[] };
        if (r.errors) throw new Error(r.errors[0].message);
      }
    }),
  );
  const apiSecs = (performance.now() - t0) / 1000;
  const [{ n }] = await h.rows<{ n: number }>(
    sql`select count(*)::int as n from metric_points where run_id = ${runId.slice(4)}::uuid`,
  );
  if (n !== total) throw new Error(`ingest: ${n} points stored, ${total} sent`);

  // The same points through COPY, one connection, into the same table (another run).
  const copyRun = (
    await gql('mutation { createRun(project: "default", name: "copy") { id } }')
  ).createRun.id.slice(4);
  const client = new pg.Client({ connectionString: db.target.kind === 'postgres' ? db.target.url : '' });
  await client.connect();
  const now = new Date().toISOString();
  function* lines() {
    for (let c = 0; c < CLIENTS; c++)
      for (let b = 0; b < BATCHES; b++)
        for (const p of batch(c, b)) yield `${copyRun}\t${p.key}\t${p.step}\t${now}\t${p.value}\n`;
  }
  const t1 = performance.now();
  await pipeline(
    Readable.from(lines()),
    client.query(copyFrom('COPY metric_points (run_id, key, step, wall_time, value) FROM STDIN')),
  );
  const copySecs = (performance.now() - t1) / 1000;
  await client.end();
  const api = total / apiSecs;
  const copy = total / copySecs;
  rows.push({
    bench: `ingest ${total.toLocaleString('en')} points`,
    result: `${Math.round(api).toLocaleString('en')} points/s`,
    bar: '≥ 100,000 points/s',
    note: `${CLIENTS} clients × ${BATCHES} logMetrics of ${BATCH}; COPY ${Math.round(copy).toLocaleString('en')} points/s; API/COPY = ${(api / copy).toFixed(2)}`,
  });
  results.ingest = {
    points: total,
    clients: CLIENTS,
    apiPointsPerS: api,
    copyPointsPerS: copy,
    ratio: api / copy,
  };
}

// --- 2. a runs page out of 10,000 -------------------------------------------------------------------------
{
  const [{ id: project }] = await h.rows<{ id: string }>(sql`select id from projects where name = 'default'`);
  const obj = (prefix: string) =>
    sql.raw(
      `jsonb_build_object(${Array.from({ length: 20 }, (_, k) => `'${prefix}${k}', random()`).join(', ')})`,
    );
  await h.rows(sql`insert into runs (project_id, name, status, config, summary, tags)
    select ${project}::uuid, 'run-' || i, (array['finished','failed','running'])[1 + i % 3]::run_status,
      ${obj('c')} || jsonb_build_object('optim', jsonb_build_object('lr', power(10, -2 - (i % 4)))),
      ${obj('s')}, array['t' || (i % 7)]
    from generate_series(1, 10000) i`);
  await h.rows(sql`analyze runs`);
  const q = `query($f: RunFilter) { runs(project: "default", first: 50, filter: $f, orderBy: [{ field: "summary.s1", direction: DESC }]) {
    totalCount edges { node { id name status config summary tags } } } }`;
  const filter = {
    and: [
      { field: 'status', op: 'EQ', value: 'finished' },
      { field: 'config.c3', op: 'GT', value: 0.2 },
      {
        or: [
          { field: 'summary.s7', op: 'LT', value: 0.8 },
          { field: 'tags', op: 'CONTAINS', value: 't3' },
        ],
      },
    ],
  };
  let count = 0;
  const t = await timeit(async () => {
    count = (await gql(q, { f: filter })).runs.totalCount;
  });
  rows.push({
    bench: 'runs page (50 of 10,000; 20 config + 20 summary keys)',
    result: `p50 ${t.p50.toFixed(1)} ms, p95 ${t.p95.toFixed(1)} ms`,
    bar: 'p95 ≤ 50 ms',
    note: `AND/OR filter over status, config, summary, tags; sorted by summary.s1; ${count} matches; over HTTP`,
  });
  results.runsPage = { ...t, matches: count };
}

// --- 3. one series of 1,000,000 points ---------------------------------------------------------------------
{
  const runId = (await gql('mutation { createRun(project: "default", name: "long") { id } }')).createRun.id;
  // Through insertPoints (10,000 per statement, as logMetrics stores them), so the rollups are maintained.
  for (let off = 0; off < 1_000_000; off += 10_000)
    await insertPoints(
      h,
      runId.slice(4),
      Array.from({ length: 10_000 }, (_, i) => ({
        key: 'train/loss',
        step: off + i,
        value: Math.sin((off + i) / 1000) + (off + i === 777_777 ? 50 : 0),
      })),
    );
  await h.rows(sql`analyze metric_points`);
  const q =
    'query($id: ID!) { run(id: $id) { metrics(keys: ["train/loss"], samples: 1000) { count buckets { x max } } } }';
  let buckets = 0;
  let spike = false;
  const t = await timeit(async () => {
    const s = (await gql(q, { id: runId })).run.metrics[0];
    buckets = s.buckets.length;
    spike = s.buckets.some((b: { max: number }) => b.max > 49);
  }, 20);
  rows.push({
    bench: 'series of 1,000,000 points → 1,000 buckets',
    result: `p50 ${t.p50.toFixed(1)} ms, p95 ${t.p95.toFixed(1)} ms`,
    bar: 'p95 ≤ 50 ms',
    note: `${buckets} buckets; the one-step spike ${spike ? 'survives' : 'is LOST'}; over HTTP`,
  });
  results.series = { ...t, buckets, spike };
}

server.close();
await db.drop();
console.log(
  `\ntracking API on Postgres (${process.env.DATABASE_URL ? 'DATABASE_URL' : 'local'}), ${new Date().toISOString()}`,
);
const cols = ['bench', 'result', 'bar', 'note'] as const;
const w = cols.map((c) => Math.max(c.length, ...rows.map((r) => r[c].length)));
console.log(cols.map((c, i) => c.padEnd(w[i])).join('  '));
console.log(w.map((n) => '-'.repeat(n)).join('  '));
for (const r of rows) console.log(cols.map((c, i) => r[c].padEnd(w[i])).join('  '));
console.log(`\nwrote ${writeJson('api', results)}`);
process.exit(0);
