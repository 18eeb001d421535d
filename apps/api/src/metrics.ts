// Metric points: idempotent batch ingestion (one point per run + key + step; a replayed batch changes
// nothing), server-side downsampling that keeps spikes (min and max per bucket, never random sampling), and
// full-resolution paging. NaN and ±Infinity are stored as float8 values and returned as such.

import type { DbHandle } from '@anneal/db/client';
import { ROLLUP_WIDTHS } from '@anneal/db/schema/runs';
import { type SQL, sql } from 'drizzle-orm';
import { badInput } from './errors.ts';
import { checkList, LIMITS, metricKeyProblem, type ReadBudget, stepProblem, timeProblem } from './limits.ts';

export const MAX_POINTS_PER_CALL = LIMITS.pointsPerCall;

export interface PointInput {
  key: string;
  step: number;
  value: number;
  /** Epoch milliseconds or ISO time; the server's clock when absent. */
  time?: number | string | null;
}

/** A point logMetrics refused: its index in the call, its key, and why (the rest of the call is stored). */
export interface PointRejection {
  index: number;
  key: string;
  field: 'key' | 'step' | 'time';
  reason: string;
}

export interface InsertResult {
  /** Points that were new (a replayed point is valid but not new). */
  stored: number;
  rejected: PointRejection[];
}

/** The rollup widths as a VALUES list, joined to points as `ws(w)`. */
const WIDTHS = sql`(values ${sql.join(
  ROLLUP_WIDTHS.map((w) => sql`(${w}::int)`),
  sql`, `,
)})`;
/** A rollup row's columns x_min … v_last over the points of one (key, w, step / w) group. */
const ROLLUP_AGGREGATES = sql`min(step), max(step), min(value), max(value), sum(value), count(*),
  (array_agg(value order by step desc))[1]`;

/**
 * Inserts points for one run in one statement, point by point: a point with a bad key, step or time is
 * reported (with its index) and the others are stored. Returns how many were new and the rejections.
 */
export async function insertPoints(h: DbHandle, runId: string, points: PointInput[]): Promise<InsertResult> {
  if (points.length > MAX_POINTS_PER_CALL)
    throw badInput('points', `at most ${MAX_POINTS_PER_CALL} points per call, got ${points.length}`);
  const rejected: PointRejection[] = [];
  if (!points.length) return { stored: 0, rejected };
  // Ingestion's hot loop (hundreds of thousands of points a second): no Date objects for points without a
  // time, each distinct key checked and escaped once (null: refused), numbers joined unquoted ('NaN',
  // 'Infinity' are float8 literals).
  const now = Date.now();
  const escaped = new Map<string, string | null>();
  const keys: string[] = [];
  const steps: number[] = [];
  const times: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    let k = escaped.get(p.key);
    if (k === undefined) {
      k = metricKeyProblem(p.key) === null ? quote(p.key) : null;
      escaped.set(p.key, k);
    }
    if (k === null) {
      rejected.push({ index: i, key: p.key, field: 'key', reason: `key: ${metricKeyProblem(p.key)}` });
      continue;
    }
    const stepWrong = stepProblem(p.step);
    if (stepWrong) {
      rejected.push({ index: i, key: p.key, field: 'step', reason: `step: ${stepWrong}` });
      continue;
    }
    const t = p.time === undefined || p.time === null ? now : new Date(p.time).getTime();
    const timeWrong = Number.isNaN(t) ? `'${p.time}' is not a time` : timeProblem(t);
    if (timeWrong) {
      rejected.push({ index: i, key: p.key, field: 'time', reason: `time: ${timeWrong}` });
      continue;
    }
    keys.push(k);
    steps.push(p.step);
    times.push(t);
    values.push(p.value);
  }
  if (!keys.length) return { stored: 0, rejected };
  // Arrays travel as single parameters (Postgres array literals): one statement whatever the batch size. The
  // rollups are updated from the rows actually inserted, so a replayed batch counts nothing twice; rows are
  // upserted in key order so concurrent batches lock them in the same order.
  const rows = await h.rows<{ n: number }>(sql`
    with ins as (
      insert into metric_points (run_id, key, step, wall_time, value)
      select ${runId}::uuid, k, s, to_timestamp(ms / 1000), v
      from unnest(${`{${keys.join(',')}}`}::text[], ${`{${steps.join(',')}}`}::bigint[],
                  ${`{${times.join(',')}}`}::float8[], ${`{${values.join(',')}}`}::float8[]) as u(k, s, ms, v)
      on conflict (run_id, key, step) do nothing
      returning key, step, value
    ), roll as (
      insert into metric_rollups as r (run_id, key, width, bucket, x_min, x_max, v_min, v_max, v_sum, n, v_last)
      select ${runId}::uuid, key, w, step / w, ${ROLLUP_AGGREGATES}
      from ins, ${WIDTHS} ws(w)
      group by key, w, step / w
      order by key, w, step / w
      on conflict (run_id, key, width, bucket) do update set
        x_min = least(r.x_min, excluded.x_min), x_max = greatest(r.x_max, excluded.x_max),
        v_min = least(r.v_min, excluded.v_min), v_max = greatest(r.v_max, excluded.v_max),
        v_sum = r.v_sum + excluded.v_sum, n = r.n + excluded.n,
        v_last = case when excluded.x_max > r.x_max then excluded.v_last else r.v_last end
      returning 1
    )
    select (select count(*) from ins)::int as n, (select count(*) from roll)::int as rolled`);
  return { stored: Number(rows[0].n), rejected };
}

/** A step of a rewind or fork: within LIMITS, or BAD_INPUT naming `field`. */
function checkStep(step: number, field: string): void {
  const wrong = stepProblem(step);
  if (wrong) throw badInput(field, wrong);
}

/**
 * The rollups of `target`'s bucket that a cut at `step` falls in (one per key and width), computed from
 * `source`'s points before the cut: a rewind recomputes a run's own cut bucket, a fork its copy's.
 */
const cutBuckets = (source: string, target: string, step: number) => sql`
  insert into metric_rollups as r (run_id, key, width, bucket, x_min, x_max, v_min, v_max, v_sum, n, v_last)
  select ${target}::uuid, key, w, step / w, ${ROLLUP_AGGREGATES}
  from metric_points, ${WIDTHS} ws(w)
  where run_id = ${source}::uuid and ${step} > 0 and step < ${step} and step / w = ${step - 1} / w
  group by key, w, step / w
  order by key, w, step / w
  on conflict (run_id, key, width, bucket) do update set
    x_min = excluded.x_min, x_max = excluded.x_max, v_min = excluded.v_min, v_max = excluded.v_max,
    v_sum = excluded.v_sum, n = excluded.n, v_last = excluded.v_last
  returning 1`;

/**
 * Rewinds a run's history: removes its points at `step` and after (every key), so that a run resumed from an
 * older checkpoint, or retried from the start, logs its new timeline instead of having it dropped as
 * replays. The rollups stay exact: buckets wholly after the cut go, the bucket the cut falls in is recomputed
 * from the points it keeps. One statement (its parts touch disjoint rows); returns how many points went.
 */
export async function rewindPoints(h: DbHandle, runId: string, step: number): Promise<number> {
  checkStep(step, 'step');
  const rows = await h.rows<{ n: number }>(sql`
    with del as (
      delete from metric_points where run_id = ${runId}::uuid and step >= ${step} returning key, step, wall_time, value
    ), kept as (
      -- what the rewind removes stays readable as the rewinding attempt's (RunAttempt.rewound)
      insert into rewound_points (run_id, attempt, key, step, wall_time, value)
      select ${runId}::uuid, (select attempt from runs where id = ${runId}::uuid), key, step, wall_time, value from del
      on conflict (run_id, attempt, key, step) do update set wall_time = excluded.wall_time, value = excluded.value
    ), gone as (
      -- buckets after the cut, and a cut bucket none of whose points stay
      delete from metric_rollups
      where run_id = ${runId}::uuid and (bucket > ${step - 1} / width or (bucket = ${step - 1} / width and x_min >= ${step}))
      returning 1
    ), cut as (${cutBuckets(runId, runId, step)})
    select (select count(*) from del)::int as n, (select count(*) from gone)::int + (select count(*) from cut)::int as rolled`);
  return Number(rows[0].n);
}

/**
 * A fork's inherited history, as CTEs to run in the statement that creates the fork (so a fork never exists
 * without it): `source`'s points before `step` copied to `target`, its rollup buckets wholly before the cut
 * copied, and the cut bucket computed from the copied points.
 */
export function forkHistory(source: string, target: string, step: number): SQL {
  checkStep(step, 'forkFrom.step');
  return sql`fork_points as (
      insert into metric_points (run_id, key, step, wall_time, value)
      select ${target}::uuid, key, step, wall_time, value from metric_points
      where run_id = ${source}::uuid and step < ${step}
      returning 1
    ), fork_rollups as (
      insert into metric_rollups (run_id, key, width, bucket, x_min, x_max, v_min, v_max, v_sum, n, v_last)
      select ${target}::uuid, key, width, bucket, x_min, x_max, v_min, v_max, v_sum, n, v_last from metric_rollups
      where run_id = ${source}::uuid and bucket < ${step - 1} / width
      returning 1
    ), fork_cut as (${cutBuckets(source, target, step)})`;
}

/** One element of a Postgres array literal: double-quoted, quotes and backslashes escaped. */
const quote = (x: string) => `"${x.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** A Postgres array literal ({"a","b"}) for one bound parameter. */
export function pgArray(xs: string[]): string {
  return `{${xs.map(quote).join(',')}}`;
}

export type XAxis = 'step' | 'wallTime' | 'relativeTime';

export interface SeriesOptions {
  /** The metric keys; null: every key the runs logged. */
  keys: string[] | null;
  xAxis: XAxis;
  /**
   * Another metric as the x-axis (epoch, samples seen…): each point's x is that metric's value at the same
   * step, and points at steps where it was not logged are left out. Overrides xAxis.
   */
  xKey?: string | null;
  from?: number | null;
  to?: number | null;
  /** Buckets per series; a series with at most this many points comes back whole. */
  samples: number;
}

export interface Bucket {
  x: number;
  xEnd: number;
  min: number;
  max: number;
  mean: number;
  last: number;
  count: number;
}

export interface Series {
  runId: string;
  key: string;
  /** Points in range (before downsampling). */
  count: number;
  buckets: Bucket[];
}

function xExpr(axis: XAxis): SQL {
  if (axis === 'step') return sql`p.step::float8`;
  if (axis === 'wallTime') return sql`extract(epoch from p.wall_time) * 1000`;
  return sql`extract(epoch from p.wall_time - coalesce(r.started_at, r.created_at))`;
}

/** Series above this many points (step axis) are read from the rollups instead of the raw points. */
export const RAW_LIMIT = 50_000;

type SeriesRow = {
  run_id: string;
  key: string;
  n: string | number;
  x: number;
  x_end: number;
  vmin: number | string;
  vmax: number | string;
  vmean: number | string;
  last: number | string;
  c: string | number;
};

const ids = (runIds: string[]) =>
  sql.join(
    runIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
const texts = (xs: string[]) =>
  sql.join(
    xs.map((k) => sql`${k}`),
    sql`, `,
  );

/**
 * Downsampled series for several runs at once. x is the step, the wall time in epoch milliseconds, or seconds
 * since the run started. On the step axis, long series (over RAW_LIMIT points, or far denser than the buckets
 * asked for) are read from the rollups at the coarsest width that still gives every bucket at least one rollup
 * row, with raw points for partial rollup buckets at the edges of a from/to range — so min, max and the count
 * stay exact. A page of runs with
 * sparklines costs the same few statements whatever the page size.
 */
export async function querySeries(
  h: DbHandle,
  runIds: string[],
  o: SeriesOptions,
  budget?: ReadBudget,
): Promise<Series[]> {
  if (!Number.isInteger(o.samples) || o.samples < 1 || o.samples > 10_000)
    throw badInput('samples', `must be an integer in 1..10000, got ${o.samples}`);
  if (!runIds.length || o.keys?.length === 0) return [];
  const coarse = ROLLUP_WIDTHS[ROLLUP_WIDTHS.length - 1];
  const stats = await h.rows<{
    run_id: string;
    key: string;
    n: string | number;
    lo: string | number;
    hi: string | number;
  }>(sql`
    select run_id, key, sum(n) as n, min(x_min) as lo, max(x_max) as hi from metric_rollups
    where width = ${coarse} and run_id in (${ids(runIds)}) ${o.keys ? sql`and key in (${texts(o.keys)})` : sql``}
    group by run_id, key`);
  const keys = o.keys ?? [...new Set(stats.map((s) => s.key))].sort();
  if (!keys.length) return [];
  o = { ...o, keys };
  if (o.xAxis !== 'step' || o.xKey) return toSeries(await rawSeries(h, runIds, o));
  const big = stats.filter((s) => {
    const n = Number(s.n);
    const span = Number(s.hi) - Number(s.lo) + 1;
    return n > RAW_LIMIT || (n > 16 * o.samples && span / ROLLUP_WIDTHS[0] >= o.samples);
  });
  // (Assigned, not spread into push: a raw answer can have more rows than the stack has room for arguments.)
  let rows: SeriesRow[] = [];
  if (!big.length) rows = await rawSeries(h, runIds, o);
  else {
    const skip = new Set(big.map((s) => `${s.run_id}|${s.key}`));
    const rest = new Set(runIds.flatMap((r) => keys.map((k) => `${r}|${k}`)).filter((p) => !skip.has(p)));
    if (rest.size) rows = await rawSeries(h, runIds, o, rest);
  }
  const reqs: RollupRequest[] = [];
  for (const s of big) {
    const lo = Math.max(Number(s.lo), o.from ?? Number.NEGATIVE_INFINITY);
    const hi = Math.min(Number(s.hi), o.to ?? Number.POSITIVE_INFINITY);
    if (hi < lo) continue;
    const w = [...ROLLUP_WIDTHS].reverse().find((w) => (hi - lo + 1) / w >= o.samples) ?? ROLLUP_WIDTHS[0];
    reqs.push({ runId: s.run_id, key: s.key, w, lo: Math.ceil(lo), hi: Math.floor(hi) });
  }
  // What the statement returns, at most: whole rollup buckets and the raw points of the partial ones at the edges.
  if (budget) {
    const most = reqs.reduce(
      (a, r) => a + Math.ceil((r.hi - r.lo + 1) / r.w) + Math.min(2 * r.w, r.hi - r.lo + 1),
      0,
    );
    if (most > budget.seriesRows)
      throw badInput(
        'samples',
        `one request reads at most ${LIMITS.seriesRowsPerRequest.toLocaleString('en')} rollup rows and points for its long series; these ${reqs.length.toLocaleString('en')} series at ${o.samples} samples could need ${most.toLocaleString('en')} (${budget.seriesRows.toLocaleString('en')} left): ask for fewer samples, keys or runs`,
      );
    budget.seriesRows -= most;
  }
  // Every long series in one statement (a workspace asks for hundreds at once).
  return [...toSeries(rows), ...(reqs.length ? await rollupSeriesMany(h, reqs, o.samples) : [])];
}

interface RollupRequest {
  runId: string;
  key: string;
  w: number;
  lo: number;
  hi: number;
}

/**
 * Long series from rollups, many in one statement: each (run, key) from its whole rollup buckets of width w
 * inside [lo, hi] and its raw points in the partial buckets at either edge, bucketed into `samples`.
 *
 * The statement only reads (three index range scans a request, no sort, no aggregate); the rows are grouped
 * into buckets here, in one pass. Grouping them in SQL cost several times the scan (a hash aggregate that
 * spilled to disk at the default work_mem, a sort, a window for the total, and a uuid and a key on each of
 * ~90,000 result rows for 600 series × 150 buckets).
 */
async function rollupSeriesMany(h: DbHandle, reqs: RollupRequest[], samples: number): Promise<Series[]> {
  const col = (f: (r: RollupRequest) => number) => `{${reqs.map(f).join(',')}}`;
  const first = (r: RollupRequest) => Math.ceil(r.lo / r.w);
  const last = (r: RollupRequest) => Math.floor((r.hi + 1) / r.w) - 1;
  const rows = await h.rows<SourceRow>(sql`
    with q as (
      select * from unnest(${`{${reqs.map((r) => r.runId).join(',')}}`}::uuid[], ${pgArray(reqs.map((r) => r.key))}::text[],
        ${col((r) => r.w)}::int[], ${col((r) => r.lo)}::bigint[], ${col((r) => r.hi)}::bigint[],
        ${col(first)}::bigint[], ${col(last)}::bigint[]) with ordinality
        as q(run_id, key, w, lo, hi, b_first, b_last, i)
    )
    select q.i::int as i, m.x_min::float8 as x, m.x_max::float8 as x_end, m.v_min, m.v_max, m.v_sum, m.n,
           m.v_last
    from q join metric_rollups m on m.run_id = q.run_id and m.key = q.key and m.width = q.w
      and m.bucket between q.b_first and q.b_last
    union all
    select q.i::int, p.step::float8, p.step::float8, p.value, p.value, p.value, 1, p.value
    from q join metric_points p on p.run_id = q.run_id and p.key = q.key
      and p.step between q.lo and least(q.hi, q.b_first * q.w - 1)
    union all
    select q.i::int, p.step::float8, p.step::float8, p.value, p.value, p.value, 1, p.value
    from q join metric_points p on p.run_id = q.run_id and p.key = q.key
      and p.step between greatest(q.lo, (q.b_last + 1) * q.w, q.b_first * q.w) and q.hi`);
  return bucketRows(reqs, rows, samples);
}

/** A rollup row, or a raw point as a rollup of one (x = x_end, v_min = v_max = v_sum = v_last = value, n = 1). */
type SourceRow = {
  /** The request's ordinal (1-based). */
  i: number;
  x: number;
  x_end: number;
  v_min: number;
  v_max: number;
  v_sum: number;
  n: number;
  v_last: number;
};

/**
 * min in Postgres's float8 order, which SQL's min follows: NaN is above every number, so a NaN is the minimum
 * only when every value is NaN (Math.min would return it whenever one is). Math.max already agrees with SQL's
 * max: NaN when any value is.
 */
const pgMin = (a: number, b: number) => (Number.isNaN(a) ? b : Number.isNaN(b) || a <= b ? a : b);

/**
 * Source rows (in any order) grouped into `samples` buckets per request, bucket j holding the rows whose x
 * falls in the j-th equal part of [lo, hi]: min of the minima, max of the maxima, the mean over every point,
 * the last value of the row with the latest x, the point count. Empty buckets are left out.
 */
function bucketRows(reqs: RollupRequest[], rows: SourceRow[], samples: number): Series[] {
  const out: Series[] = [];
  const slots: (Bucket & { sum: number })[][] = reqs.map(() => new Array(samples));
  for (const r of rows) {
    const q = reqs[r.i - 1];
    const x = Number(r.x);
    const xEnd = Number(r.x_end);
    const n = Number(r.n);
    const vLast = Number(r.v_last);
    // The same float8 arithmetic as the statement this replaced, so a point lands in the same bucket.
    const j = Math.min(samples - 1, Math.floor(((x - q.lo) / Math.max(q.hi - q.lo + 1, 1)) * samples));
    const b = slots[r.i - 1][j];
    if (!b)
      slots[r.i - 1][j] = {
        x,
        xEnd,
        min: Number(r.v_min),
        max: Number(r.v_max),
        mean: 0,
        sum: Number(r.v_sum),
        last: vLast,
        count: n,
      };
    else {
      b.x = Math.min(b.x, x);
      if (xEnd > b.xEnd) {
        b.xEnd = xEnd;
        b.last = vLast;
      }
      b.min = pgMin(b.min, Number(r.v_min));
      b.max = Math.max(b.max, Number(r.v_max));
      b.sum += Number(r.v_sum);
      b.count += n;
    }
  }
  reqs.forEach((q, k) => {
    const buckets: Bucket[] = [];
    let count = 0;
    for (const b of slots[k]) {
      if (!b) continue;
      count += b.count;
      buckets.push({
        x: b.x,
        xEnd: b.xEnd,
        min: b.min,
        max: b.max,
        mean: b.sum / b.count,
        last: b.last,
        count: b.count,
      });
    }
    if (buckets.length) out.push({ runId: q.runId, key: q.key, count, buckets });
  });
  return out;
}

/** Series straight from the points (optionally only the (run, key) pairs in `only`). */
function rawSeries(h: DbHandle, runIds: string[], o: SeriesOptions, only?: Set<string>) {
  const x = o.xKey ? sql`xp.value` : xExpr(o.xAxis);
  const xJoin = o.xKey
    ? sql`join metric_points xp on xp.run_id = p.run_id and xp.key = ${o.xKey} and xp.step = p.step`
    : sql``;
  const range = sql.join(
    [
      sql`true`,
      ...(o.from !== undefined && o.from !== null ? [sql`${x} >= ${o.from}`] : []),
      ...(o.to !== undefined && o.to !== null ? [sql`${x} <= ${o.to}`] : []),
    ],
    sql` and `,
  );
  const pairs = only ? [...only].map((p) => p.split('|')) : null;
  const runs = pairs ? [...new Set(pairs.map((p) => p[0]))] : runIds;
  const keys = pairs ? [...new Set(pairs.map((p) => p[1]))] : (o.keys ?? []);
  return h.rows<SeriesRow>(sql`
    with pts as (
      select p.run_id, p.key, ${x} as x, p.value
      from metric_points p join runs r on r.id = p.run_id ${xJoin}
      where p.run_id in (${ids(runs)}) and p.key in (${texts(keys)}) and ${range}
    ), b as (
      select run_id, key, min(x) lo, max(x) hi, count(*) n from pts group by run_id, key
    )
    select p.run_id, p.key, b.n, min(p.x) x, max(p.x) x_end,
           min(p.value) vmin, max(p.value) vmax, avg(p.value) vmean,
           (array_agg(p.value order by p.x desc))[1] as last, count(*) c
    from pts p join b using (run_id, key)
    group by p.run_id, p.key, b.n,
      case when b.n <= ${o.samples} then p.x
           else least(${o.samples - 1}, floor((p.x - b.lo) / nullif(b.hi - b.lo, 0) * ${o.samples}))::float8 end
    order by p.run_id, p.key, x`);
}

/**
 * v to `digits` significant digits, as the double nearest that decimal (so JSON prints at most `digits` of
 * them): 7 is float32's precision, and halves a chart's JSON. NaN, ±Infinity and 0 pass through. Scaling by
 * an exact power of ten is ~10× faster than toPrecision, which is left for magnitudes beyond 1e±22 of the
 * digits kept (where a value that would round up past the largest double stays as it is).
 */
export function roundDigits(v: number, digits: number): number {
  // 17 digits tell every double apart: nothing to round.
  if (v === 0 || !Number.isFinite(v) || digits >= 17) return v;
  // Halves round away from zero, as toPrecision does (Math.round alone would take -2.5 to -2).
  if (v < 0) return -roundDigits(-v, digits);
  const k = digits - 1 - Math.floor(Math.log10(v));
  if (k >= 0 && k <= 22) {
    const p = 10 ** k;
    return Math.round(v * p) / p;
  }
  if (k < 0 && k >= -22) {
    const p = 10 ** -k;
    return Math.round(v / p) * p;
  }
  const r = Number(v.toPrecision(digits));
  // Near the largest double, rounding up overflows: keep the finite value.
  return Number.isFinite(r) ? r : v;
}

function toSeries(rows: SeriesRow[]): Series[] {
  const out = new Map<string, Series>();
  for (const r of rows) {
    const id = `${r.run_id}\u0000${r.key}`;
    let s = out.get(id);
    if (!s) {
      s = { runId: r.run_id, key: r.key, count: Number(r.n), buckets: [] };
      out.set(id, s);
    }
    s.buckets.push({
      x: Number(r.x),
      xEnd: Number(r.x_end),
      min: Number(r.vmin),
      max: Number(r.vmax),
      mean: Number(r.vmean),
      last: Number(r.last),
      count: Number(r.c),
    });
  }
  return [...out.values()];
}

export interface HistoryPoint {
  key: string;
  step: number;
  time: Date;
  value: number;
}

/** The metric keys a run logged, sorted: read from its coarsest rollups (a row per key and 16,384 steps). */
export async function runMetricKeys(h: DbHandle, runId: string): Promise<string[]> {
  const rows = await h.rows<{ key: string }>(sql`select distinct key from metric_rollups
    where run_id = ${runId}::uuid and width = ${ROLLUP_WIDTHS[ROLLUP_WIDTHS.length - 1]} order by key`);
  return rows.map((r) => r.key);
}

/** Full-resolution points after `afterStep`, at most `first` per key, in step order. */
export async function queryHistory(
  h: DbHandle,
  runId: string,
  keys: string[],
  afterStep: number,
  first: number,
): Promise<HistoryPoint[]> {
  if (!Number.isInteger(first) || first < 1 || first > 100_000)
    throw badInput('first', `must be an integer in 1..100000, got ${first}`);
  checkList(keys, 'keys');
  if (!keys.length) return [];
  const rows = await h.rows<{
    key: string;
    step: string | number;
    wall_time: string | Date;
    value: number | string;
  }>(sql`
    select key, step, wall_time, value from (
      select key, step, wall_time, value, row_number() over (partition by key order by step) rn
      from metric_points
      where run_id = ${runId}::uuid and key in (${sql.join(
        keys.map((k) => sql`${k}`),
        sql`, `,
      )}) and step > ${afterStep}
    ) t where rn <= ${first} order by key, step`);
  return rows.map((r) => ({
    key: r.key,
    step: Number(r.step),
    time: new Date(r.wall_time),
    value: Number(r.value),
  }));
}
