// `runGroups`: the runs of a project (optionally filtered) grouped by one field — a config path, a summary path
// or an attribute such as status — with a count, the statuses, and mean / min / max of summary metrics per
// group: the aggregate rows of the dashboard's grouped table, computed in one statement.
import { sql } from 'drizzle-orm';
import { projectFor } from '../access.ts';
import { builder } from '../builder.ts';
import { badInput } from '../errors.ts';
import { compileFilter, compileGroupKey, compileMetric, type RunFilter } from '../filter.ts';
import { RunFilterInput } from './run-filter.ts';

interface Aggregate {
  key: string;
  count: number;
  mean: number | null;
  min: number | null;
  max: number | null;
}

interface Group {
  value: unknown;
  count: number;
  statuses: { status: string; count: number }[];
  aggregates: Aggregate[];
}

const MAX_GROUPS = 1000;
const MAX_METRICS = 20;

const AggregateRef = builder.objectRef<Aggregate>('MetricAggregate').implement({
  description: "A summary metric over a group's runs that report it as a number.",
  fields: (t) => ({
    key: t.exposeString('key'),
    count: t.exposeInt('count', { description: 'Runs with a numeric value.' }),
    mean: t.float({ nullable: true, resolve: (a) => a.mean }),
    min: t.float({ nullable: true, resolve: (a) => a.min }),
    max: t.float({ nullable: true, resolve: (a) => a.max }),
  }),
});

const StatusCount = builder.objectRef<{ status: string; count: number }>('GroupStatusCount').implement({
  fields: (t) => ({ status: t.exposeString('status'), count: t.exposeInt('count') }),
});

const GroupRef = builder.objectRef<Group>('RunGroup').implement({
  fields: (t) => ({
    value: t.field({
      type: 'JSON',
      nullable: true,
      description: 'The field’s value shared by the group (null: runs without it).',
      resolve: (g) => g.value,
    }),
    count: t.exposeInt('count'),
    statuses: t.field({ type: [StatusCount], resolve: (g) => g.statuses }),
    aggregates: t.field({ type: [AggregateRef], resolve: (g) => g.aggregates }),
  }),
});

builder.queryField('runGroups', (t) =>
  t.field({
    type: [GroupRef],
    description: `Runs grouped by a field (config.<path>, summary.<path>, status, group, host, name), largest value first, at most ${MAX_GROUPS} groups; metrics: summary keys to aggregate (at most ${MAX_METRICS}).`,
    args: {
      project: t.arg.string({ required: true, description: 'project id or name' }),
      by: t.arg.string({ required: true }),
      filter: t.arg({ type: RunFilterInput, required: false }),
      metrics: t.arg.stringList({ required: false }),
    },
    resolve: async (_p, a, ctx) => {
      const p = await projectFor(ctx, a.project, 'viewer');
      const metrics = a.metrics ?? [];
      if (metrics.length > MAX_METRICS) throw badInput('metrics', `at most ${MAX_METRICS} keys`);
      const key = compileGroupKey(a.by, 'by');
      const where = sql`r.project_id = ${p.id}::uuid and (${a.filter ? compileFilter(a.filter as RunFilter) : sql`true`})`;
      // One row per (value, status): sums rather than means, so the statuses merge exactly into a group.
      const aggs = metrics.map((m, i) => {
        const v = compileMetric(m);
        return sql`count(${v})::int as ${sql.raw(`n${i}`)}, sum(${v}) as ${sql.raw(`sum${i}`)},
          min(${v}) as ${sql.raw(`min${i}`)}, max(${v}) as ${sql.raw(`max${i}`)}`;
      });
      const rows = await ctx.h.rows<Record<string, unknown>>(sql`
        select ${key} as value, r.status::text as status, count(*)::int as count
          ${aggs.length ? sql`, ${sql.join(aggs, sql`, `)}` : sql``}
        from runs r where ${where}
        group by 1, 2 order by 1 desc nulls last, 2`);
      const groups = new Map<string, Group>();
      for (const row of rows) {
        const id = JSON.stringify(row.value ?? null);
        let g = groups.get(id);
        if (!g) {
          if (groups.size === MAX_GROUPS) break;
          g = {
            value: row.value ?? null,
            count: 0,
            statuses: [],
            aggregates: metrics.map((key) => ({ key, count: 0, mean: 0, min: null, max: null })),
          };
          groups.set(id, g);
        }
        g.count += Number(row.count);
        g.statuses.push({ status: String(row.status), count: Number(row.count) });
        metrics.forEach((_, i) => {
          const agg = g.aggregates[i];
          const n = Number(row[`n${i}`]);
          if (!n) return;
          // mean holds the running sum until the end
          agg.mean = (agg.mean ?? 0) + Number(row[`sum${i}`]);
          agg.count += n;
          agg.min = agg.min === null ? Number(row[`min${i}`]) : Math.min(agg.min, Number(row[`min${i}`]));
          agg.max = agg.max === null ? Number(row[`max${i}`]) : Math.max(agg.max, Number(row[`max${i}`]));
        });
      }
      for (const g of groups.values())
        for (const agg of g.aggregates) agg.mean = agg.count ? (agg.mean ?? 0) / agg.count : null;
      return [...groups.values()];
    },
  }),
);
