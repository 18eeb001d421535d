// The workspace benchmark's project: 100 finished runs, each with 6 metrics of 10,000 points (6,000,000 points),
// written with set-based SQL (points, then their rollups computed as insertPoints computes them) — the
// benchmark measures the page, not ingestion.
import type { DbHandle } from '@anneal/db/client';
import { ROLLUP_WIDTHS } from '@anneal/db/schema/runs';
import { sql } from 'drizzle-orm';

export const WS_RUNS = 100;
export const WS_POINTS = 10_000;
export const WS_KEYS = ['loss', 'accuracy', 'lr', 'grad_norm', 'perplexity', 'throughput'];

export async function seedWorkspace(h: DbHandle, userProject: string): Promise<string> {
  const [{ id: ws }] = await h.rows<{ id: string }>(
    sql`insert into projects (name) values ('ws') returning id`,
  );
  await h.rows(
    sql`insert into memberships select ${ws}::uuid, user_id, 'admin' from memberships where project_id = ${userProject}::uuid`,
  );
  await h.rows(sql`insert into runs (project_id, name, status, config, summary, created_at)
    select ${ws}::uuid, 'ws-' || i, 'finished', jsonb_build_object('lr', 0.0001 * i, 'arch', case when i % 2 = 0 then 'wide' else 'deep' end),
      jsonb_build_object('loss', random(), 'accuracy', random()), now() - i * interval '1 minute'
    from generate_series(1, ${WS_RUNS}) i`);
  // A statement per metric: 1,000,000 points each.
  for (const [k, key] of WS_KEYS.entries())
    await h.rows(sql`insert into metric_points (run_id, key, step, wall_time, value)
      select r.id, ${key}, s, now() - (${WS_POINTS} - s) * interval '1 second',
        exp(-s / 3000.0) * (1 + ${k}) + random() * 0.05
      from runs r, generate_series(0, ${WS_POINTS - 1}) s where r.project_id = ${ws}::uuid`);
  await h.rows(sql`insert into metric_rollups (run_id, key, width, bucket, x_min, x_max, v_min, v_max, v_sum, n, v_last)
    select p.run_id, p.key, w, p.step / w, min(step), max(step), min(value), max(value), sum(value), count(*),
      (array_agg(value order by step desc))[1]
    from metric_points p join runs r on r.id = p.run_id, (values ${sql.join(
      ROLLUP_WIDTHS.map((w) => sql`(${w}::int)`),
      sql`, `,
    )}) ws(w)
    where r.project_id = ${ws}::uuid
    group by p.run_id, p.key, w, p.step / w`);
  return ws;
}
