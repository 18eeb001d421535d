// GET /runs/<run id>/history.csv[?keys=a,b]: a run's full-resolution history as one CSV table — a row per step,
// a column per metric (all of the run's keys, or those asked for), empty where a metric has no point at that
// step — for pandas (`pd.read_csv(url, storage_options={'Authorization': 'Bearer …'})`), spreadsheets or curl.
// Streamed page by page (PAGE points at a time, keyset on step), so a long run never sits in memory at once.
// NaN and ±Infinity are written as NaN, inf and -inf, which pandas reads back as floats.
import type { DbHandle } from '@anneal/db/client';
import { sql } from 'drizzle-orm';
import type { Viewer } from './auth.ts';
import { httpError } from './errors.ts';
import { runMetricKeys } from './metrics.ts';

const PAGE = 50_000;

/** A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180). */
const field = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

const number = (v: number) =>
  Number.isNaN(v) ? 'NaN' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : String(v);

export async function historyCsv(
  handle: DbHandle,
  viewer: Viewer | null,
  id: string,
  keysParam: string | null,
  page = PAGE,
): Promise<Response> {
  if (!viewer) return httpError(401, 'sign in or send an API key');
  const [run] = await handle.rows<{ project_id: string; name: string }>(
    sql`select project_id, name from runs where id = ${id}::uuid`,
  );
  if (!run || !viewer.roles.has(run.project_id)) return httpError(404, `no run run_${id}`);
  const logged = await runMetricKeys(handle, id);
  const keys = keysParam === null ? logged : keysParam.split(',').filter(Boolean);
  const unknown = keys.filter((k) => !logged.includes(k));
  if (unknown.length)
    return httpError(400, `keys: the run logged no '${unknown[0]}' (it has: ${logged.join(', ')})`);
  const column = new Map(keys.map((k, i) => [k, i]));

  const encoder = new TextEncoder();
  let after = -1; // steps are ≥ 0
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(encoder.encode(`${['step', 'wall_time', ...keys].map(field).join(',')}\n`));
      if (!keys.length) c.close();
    },
    // One page of points a pull: whole steps only (the page ends before the last step, unless it is the end).
    async pull(c) {
      const rows = await handle.rows<{
        key: string;
        step: string | number;
        wall_time: string | Date;
        value: number | string;
      }>(
        sql`select key, step, wall_time, value from metric_points
          where run_id = ${id}::uuid and key in (${sql.join(
            keys.map((k) => sql`${k}`),
            sql`, `,
          )}) and step > ${after}
          order by step, key limit ${page + 1}`,
      );
      const more = rows.length > page;
      const last = more ? Number(rows[page].step) : Number.POSITIVE_INFINITY;
      let out = '';
      let step: number | null = null;
      let time = '';
      let cells: string[] = [];
      const flush = () => {
        if (step !== null) out += `${step},${time},${cells.join(',')}\n`;
      };
      for (const r of rows) {
        const s = Number(r.step);
        if (s >= last) break;
        if (s !== step) {
          flush();
          step = s;
          time = new Date(r.wall_time).toISOString();
          cells = keys.map(() => '');
        }
        cells[column.get(r.key)!] = number(Number(r.value));
      }
      flush();
      if (out) c.enqueue(encoder.encode(out));
      if (!more) return c.close();
      after = step ?? after;
      // A single step with more points than a page cannot be paged by step; it never happens with a page ≫ keys.
      if (step === null) c.error(new Error(`history.csv: more than ${page} points at step ${last}`));
    },
  });
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${run.name.replace(/[^\w.-]+/g, '_')}-history.csv"`,
    },
  });
}
