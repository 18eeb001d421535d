// Metric points: idempotent batch ingestion (one point per run + key + step; a replayed batch changes
// nothing), server-side downsampling that keeps spikes (min and max per bucket, never random sampling), and
// full-resolution paging. NaN and ±Infinity are stored as float8 values and returned as such.

import type { DbHandle } from '@anneal/db/client';
import { type SQL, sql } from 'drizzle-orm';
import { badInput } from './errors.ts';

export const MAX_POINTS_PER_CALL = 10_000;

export interface PointInput {
  key: string;
  step: number;
  value: number;
  /** Epoch milliseconds or ISO time; the server's clock when absent. */
  time?: number | string | null;
}

/** Inserts points for one run in one statement; returns how many were new. */
export async function insertPoints(h: DbHandle, runId: string, points: PointInput[]): Promise<number> {
  if (points.length > MAX_POINTS_PER_CALL)
    throw badInput('points', `at most ${MAX_POINTS_PER_CALL} points per call, got ${points.length}`);
  if (!points.length) return 0;
  const now = Date.now();
  const keys: string[] = [];
  const steps: number[] = [];
  const times: string[] = [];
  const values: string[] = [];
  points.forEach((p, i) => {
    if (!p.key) throw badInput(`points[${i}].key`, 'must not be empty');
    if (!Number.isSafeInteger(p.step) || p.step < 0)
      throw badInput(`points[${i}].step`, `must be a non-negative integer, got ${p.step}`);
    const t = p.time === undefined || p.time === null ? now : new Date(p.time).getTime();
    if (Number.isNaN(t)) throw badInput(`points[${i}].time`, `'${p.time}' is not a time`);
    keys.push(p.key);
    steps.push(p.step);
    times.push(new Date(t).toISOString());
    values.push(String(p.value)); // 'NaN', 'Infinity', '-Infinity' are valid float8 literals
  });
  // Arrays travel as single parameters (Postgres array literals): one statement whatever the batch size.
  const rows = await h.rows<{ n: number }>(sql`
    with ins as (
      insert into metric_points (run_id, key, step, wall_time, value)
      select ${runId}::uuid, k, s, t, v
      from unnest(${pgArray(keys)}::text[], ${pgArray(steps.map(String))}::bigint[],
                  ${pgArray(times)}::timestamptz[], ${pgArray(values)}::float8[]) as u(k, s, t, v)
      on conflict (run_id, key, step) do nothing
      returning 1)
    select count(*)::int as n from ins`);
  return Number(rows[0].n);
}

/** A Postgres array literal ({"a","b"}) for one bound parameter: quotes and backslashes escaped. */
export function pgArray(xs: string[]): string {
  return `{${xs.map((x) => `"${x.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

export type XAxis = 'step' | 'wallTime' | 'relativeTime';

export interface SeriesOptions {
  keys: string[];
  xAxis: XAxis;
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

/**
 * Downsampled series for several runs at once (one statement: a page of runs with sparklines is one query).
 * x is the step, the wall time in epoch milliseconds, or seconds since the run started.
 */
export async function querySeries(h: DbHandle, runIds: string[], o: SeriesOptions): Promise<Series[]> {
  if (!Number.isInteger(o.samples) || o.samples < 1 || o.samples > 10_000)
    throw badInput('samples', `must be an integer in 1..10000, got ${o.samples}`);
  if (!runIds.length || !o.keys.length) return [];
  const x = xExpr(o.xAxis);
  const range = sql.join(
    [
      sql`true`,
      ...(o.from !== undefined && o.from !== null ? [sql`${x} >= ${o.from}`] : []),
      ...(o.to !== undefined && o.to !== null ? [sql`${x} <= ${o.to}`] : []),
    ],
    sql` and `,
  );
  const rows = await h.rows<{
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
  }>(sql`
    with pts as (
      select p.run_id, p.key, ${x} as x, p.value
      from metric_points p join runs r on r.id = p.run_id
      where p.run_id in (${sql.join(
        runIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})
        and p.key in (${sql.join(
          o.keys.map((k) => sql`${k}`),
          sql`, `,
        )}) and ${range}
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
