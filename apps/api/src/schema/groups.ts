// `runGroups`: the runs of a project (optionally filtered) grouped by one field — a config path, a summary path
// or an attribute such as status — with a count, the statuses, and mean / min / max of summary metrics per
// group: the aggregate rows of the dashboard's grouped table, computed in one statement. With `bins`, numeric
// values fall into ranges (decades for a field spanning orders of magnitude, such as a learning rate; round
// linear steps otherwise) instead of a group per distinct float.
import { sql } from 'drizzle-orm';
import { projectFor } from '../access.ts';
import { builder } from '../builder.ts';
import { badInput } from '../errors.ts';
import { compileFilter, compileGroupKey, compileMetric, compileSearch, type RunFilter } from '../filter.ts';
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
  bin: { lower: number; upper: number; scale: 'LINEAR' | 'LOG' } | null;
  count: number;
  statuses: { status: string; count: number }[];
  aggregates: Aggregate[];
}

const MAX_GROUPS = 1000;
const MAX_METRICS = 20;
const MAX_BINS = 100;

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

const BinScaleEnum = builder.enumType('BinScale', {
  values: ['AUTO', 'LINEAR', 'LOG'] as const,
  description: 'AUTO: decades when every value is positive and the largest is 100× the smallest or more.',
});

const BinRef = builder.objectRef<NonNullable<Group['bin']>>('GroupBin').implement({
  description: "A binned group's range: lower ≤ value < upper.",
  fields: (t) => ({
    lower: t.exposeFloat('lower'),
    upper: t.exposeFloat('upper'),
    scale: t.exposeString('scale'),
  }),
});

/** Round numbers for linear bins: 1, 2 or 5 × 10^k at least `raw`. */
function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw * (1 - 1e-12)) ?? 10 * p;
}

/**
 * The bin edges e0 < e1 < … (e0 ≤ min, max < last) for about `bins` bins: whole decades (several per bin when
 * there are more decades than bins) on a log scale, round steps on a linear one; null when there is one value.
 */
export function binEdges(
  min: number,
  max: number,
  bins: number,
  scale: 'AUTO' | 'LINEAR' | 'LOG',
): { edges: number[]; scale: 'LINEAR' | 'LOG' } | null {
  if (!(max > min)) return null;
  const log = scale === 'LOG' || (scale === 'AUTO' && min > 0 && max / min >= 100);
  if (log) {
    const lo = Math.floor(Math.log10(min));
    const hi = Math.floor(Math.log10(max)) + 1;
    const per = Math.max(1, Math.ceil((hi - lo) / bins));
    const edges: number[] = [];
    for (let e = lo; e < hi + per; e += per) {
      edges.push(Number(`1e${e}`));
      if (e >= hi) break;
    }
    // 1e309 is Infinity, 1e-324 is 0: values at float64's ends fall back to linear steps.
    if (edges.every((e) => e > 0 && Number.isFinite(e))) return { edges, scale: 'LOG' };
    if (scale === 'LOG') return null;
    return binEdges(min, max, bins, 'LINEAR');
  }
  // max / bins - min / bins, not (max - min) / bins: the difference of two large values can overflow.
  const step = niceStep(max / bins - min / bins);
  if (!(step > 0 && Number.isFinite(step))) return null;
  const first = Math.floor(min / step);
  const last = Math.floor(max / step) + 1;
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last) || last - first > 4 * bins + 4) return null;
  // Decimal rounding, so edges are 0.1, 0.3, not 0.30000000000000004 (toFixed takes at most 100 digits).
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  const edges = Array.from({ length: last - first + 1 }, (_, i) =>
    Number(digits <= 100 ? ((first + i) * step).toFixed(digits) : ((first + i) * step).toPrecision(12)),
  );
  // Values too close together for float64 steps (1 and 1 + 1e-15), or too far apart: no bins (grouped by value).
  const ok =
    edges.every((e, i) => Number.isFinite(e) && (i === 0 || e > edges[i - 1])) &&
    edges[0] <= min &&
    max < edges[edges.length - 1];
  return ok ? { edges, scale: 'LINEAR' } : null;
}

const GroupRef = builder.objectRef<Group>('RunGroup').implement({
  fields: (t) => ({
    bin: t.field({
      type: BinRef,
      nullable: true,
      description: 'With bins: the range of this group (value is then null); null for a group of one value.',
      resolve: (g) => g.bin,
    }),
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
      search: t.arg.string({ required: false, description: 'as runs(search)' }),
      metrics: t.arg.stringList({ required: false }),
      bins: t.arg.int({
        required: false,
        description: `numeric values in about this many ranges (2 to ${MAX_BINS}) rather than a group per value; other values keep a group each`,
      }),
      binScale: t.arg({ type: BinScaleEnum, required: false, defaultValue: 'AUTO' }),
    },
    resolve: async (_p, a, ctx) => {
      const p = await projectFor(ctx, a.project, 'viewer');
      const metrics = a.metrics ?? [];
      if (metrics.length > MAX_METRICS) throw badInput('metrics', `at most ${MAX_METRICS} keys`);
      const key = compileGroupKey(a.by, 'by');
      const where = sql`r.project_id = ${p.id}::uuid and (${a.filter ? compileFilter(a.filter as RunFilter) : sql`true`})
        and ${a.search ? compileSearch(a.search) : sql`true`}`;
      if (a.bins != null && (!Number.isInteger(a.bins) || a.bins < 2 || a.bins > MAX_BINS))
        throw badInput('bins', `between 2 and ${MAX_BINS}, got ${a.bins}`);
      const scale = a.binScale ?? 'AUTO';
      // The key's numeric value (NULL for anything else).
      const num = sql`(case when jsonb_typeof(${key}) = 'number' then (${key} #>> '{}')::float8 end)`;
      let bins: { edges: number[]; scale: 'LINEAR' | 'LOG' } | null = null;
      if (a.bins != null) {
        const [range] = await ctx.h.rows<{ min: number | null; max: number | null }>(
          sql`select min(${num}) as min, max(${num}) as max from runs r where ${where}`,
        );
        if (range.min !== null && range.max !== null) {
          if (scale === 'LOG' && Number(range.min) <= 0)
            throw badInput(
              'binScale',
              `LOG bins need positive values; ${a.by} goes down to ${Number(range.min)}`,
            );
          bins = binEdges(Number(range.min), Number(range.max), a.bins, scale);
        }
      }
      const binExpr = bins
        ? sql`width_bucket(${num}, array[${sql.join(
            bins.edges.map((e) => sql`${e}::float8`),
            sql`, `,
          )}])`
        : sql`null::int`;
      const valueExpr = bins ? sql`(case when ${num} is null then ${key} end)` : key;
      // One row per (value, status): sums rather than means, so the statuses merge exactly into a group.
      const aggs = metrics.map((m, i) => {
        const v = compileMetric(m);
        return sql`count(${v})::int as ${sql.raw(`n${i}`)}, sum(${v}) as ${sql.raw(`sum${i}`)},
          min(${v}) as ${sql.raw(`min${i}`)}, max(${v}) as ${sql.raw(`max${i}`)}`;
      });
      const rows = await ctx.h.rows<Record<string, unknown>>(sql`
        select ${binExpr} as bin, ${valueExpr} as value, r.status::text as status, count(*)::int as count
          ${aggs.length ? sql`, ${sql.join(aggs, sql`, `)}` : sql``}
        from runs r where ${where}
        group by 1, 2, 3 order by 1 desc nulls last, 2 desc nulls last, 3`);
      const groups = new Map<string, Group>();
      for (const row of rows) {
        const b = row.bin === null || row.bin === undefined ? null : Number(row.bin);
        const id = b !== null ? `bin ${b}` : JSON.stringify(row.value ?? null);
        let g = groups.get(id);
        if (!g) {
          if (groups.size === MAX_GROUPS) break;
          g = {
            value: b !== null ? null : (row.value ?? null),
            bin:
              b !== null && bins
                ? { lower: bins.edges[b - 1], upper: bins.edges[b], scale: bins.scale }
                : null,
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
