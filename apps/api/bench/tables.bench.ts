// `pnpm bench:tables`, against the Postgres on this machine (DATABASE_URL, default postgres://postgres@127.0.0.1/
// test; a private database is created and dropped), over HTTP:
//   1. logTable of a 10,000-row prediction table (a 300-character text, label, prediction, probability,
//      p_label, correct: about 4 MB of JSON), one table per call, p50;
//   2. Run.table's first page of 25, filtered (correct = false) and sorted (probability DESC), p50/p95;
//   3. the last page of the unfiltered table sorted by a text column (offset 9,975), p50/p95.
// Prints a table and writes bench/results/tables-*.json.

import { freshDatabase } from '@anneal/db/testing';
import { writeJson } from '../../../packages/kernels/bench/harness.ts';
import { bootstrap } from '../src/bootstrap.ts';
import { createApi, listen } from '../src/server.ts';

const REPS = Number(process.env.BENCH_REPS ?? 30);
const ROWS = 10_000;

const db = await freshDatabase('postgres');
const key = (await bootstrap(db.handle)).key!;
const { server, url } = await listen(createApi({ handle: db.handle }), 0);
const post = async (body: string) => {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body,
  });
  // biome-ignore lint/suspicious/noExplicitAny: responses are read by shape
  const out = (await res.json()) as { data?: any; errors?: { message: string }[] };
  if (out.errors) throw new Error(out.errors[0].message);
  return out.data;
};
const gql = (query: string, variables: Record<string, unknown> = {}) =>
  post(JSON.stringify({ query, variables }));
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const timeit = async (fn: (i: number) => Promise<unknown>, reps = REPS) => {
  for (let i = 0; i < 2; i++) await fn(-1 - i);
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn(i);
    t.push(performance.now() - t0);
  }
  return { p50: percentile(t, 50), p95: percentile(t, 95) };
};

const runId = (await gql('mutation { createRun(project: "default", name: "tables") { id } }')).createRun.id;
const columns = ['text', 'label', 'prediction', 'probability', 'p_label', 'correct'];
const rows = Array.from({ length: ROWS }, (_, i) => {
  const label = i % 2;
  const p = ((i * 7919) % 1000) / 1000;
  const prediction = p > 0.5 ? label : 1 - label;
  return [
    `example ${i} `.padEnd(300, 'lorem ipsum '),
    label,
    prediction,
    Math.max(p, 1 - p),
    p,
    prediction === label,
  ];
});
const LOG = `mutation($runId: ID!, $key: String!, $step: Float!, $columns: [String!]!, $rows: JSON!) {
  logTable(runId: $runId, key: $key, step: $step, columns: $columns, rows: $rows) { stored } }`;
// Bodies serialised before the clock starts: the client's JSON encoding is not the API's work.
const bodies = Array.from({ length: 8 }, (_, step) =>
  JSON.stringify({ query: LOG, variables: { runId, key: 'test/predictions', step, columns, rows } }),
);
const mb = Buffer.byteLength(bodies[0]) / 2 ** 20;
const log = await timeit((i) => post(bodies[i < 0 ? 5 - i : i]), 6);

const READ = `query($id: ID!, $after: String, $filter: [TableFilter!], $orderBy: [TableOrder!]) { run(id: $id) {
  table(key: "test/predictions", step: 0, first: 25, after: $after, filter: $filter, orderBy: $orderBy) {
    totalCount pageInfo { hasNextPage } edges { node { index cells } } } } }`;
let wrong = 0;
const filtered = await timeit(async () => {
  const t = (
    await gql(READ, {
      id: runId,
      filter: [{ column: 'correct', op: 'EQ', value: false }],
      orderBy: [{ column: 'probability', direction: 'DESC' }],
    })
  ).run.table;
  wrong = t.totalCount;
});
const last = Buffer.from(`table:${ROWS - 26}`).toString('base64url');
let lastRows = 0;
const deep = await timeit(async () => {
  const t = (await gql(READ, { id: runId, after: last, orderBy: [{ column: 'text' }] })).run.table;
  lastRows = t.edges.length;
});

server.close();
await db.drop();
const results = { rows: ROWS, requestMiB: mb, logTable: log, filteredPage: filtered, lastPage: deep };
const table = [
  ['logTable, 10,000 rows', `p50 ${log.p50.toFixed(0)} ms`, `${mb.toFixed(1)} MiB request, one statement`],
  [
    'first page, filtered + sorted',
    `p50 ${filtered.p50.toFixed(1)} ms, p95 ${filtered.p95.toFixed(1)} ms`,
    `${wrong} of ${ROWS} rows match`,
  ],
  [
    'last page, sorted by text',
    `p50 ${deep.p50.toFixed(1)} ms, p95 ${deep.p95.toFixed(1)} ms`,
    `${lastRows} rows at offset ${ROWS - 25}`,
  ],
];
console.log(`\nlogged tables on Postgres, ${new Date().toISOString()}`);
const w = [0, 1, 2].map((c) => Math.max(...table.map((r) => r[c].length)));
for (const r of table) console.log(r.map((x, c) => x.padEnd(w[c])).join('  '));
console.log(`\nwrote ${writeJson('tables', results)}`);
process.exit(0);
