// Metrics: the series a run logged (downsampled on the server into min/max/mean buckets, so spikes survive),
// its full-resolution history, logging points (logMetrics, each point checked on its own), rewinding a run's
// history for a resume, and the metricsAppended subscription that tells a chart to refetch.

import { loadRun, parseId, requireRunRole, whileAllowed } from '../access.ts';
import { builder } from '../builder.ts';
import type { ApiEvents } from '../context.ts';
import { ApiError, badInput } from '../errors.ts';
import { checkList } from '../limits.ts';
import {
  type Bucket,
  type HistoryPoint,
  type InsertResult,
  insertPoints,
  MAX_POINTS_PER_CALL,
  type PointInput,
  type PointRejection,
  queryHistory,
  rewindPoints,
  roundDigits,
  runMetricKeys,
  type Series,
  type SeriesOptions,
  type XAxis,
} from '../metrics.ts';
import { publishRun, Run } from './run.ts';

const XAxisEnum = builder.enumType('XAxis', {
  values: {
    step: { description: 'the step number' },
    wallTime: { description: 'epoch milliseconds' },
    relativeTime: { description: 'seconds since the run started' },
  },
});

const BucketRef = builder.objectRef<Bucket>('MetricBucket').implement({
  description: 'Points of one bucket: the first and last x, min / max / mean, the last value and the count.',
  fields: (t) => ({
    x: t.field({ type: 'Double', resolve: (b) => b.x }),
    xEnd: t.field({ type: 'Double', resolve: (b) => b.xEnd }),
    min: t.field({ type: 'Double', resolve: (b) => b.min }),
    max: t.field({ type: 'Double', resolve: (b) => b.max }),
    mean: t.field({ type: 'Double', resolve: (b) => b.mean }),
    last: t.field({ type: 'Double', resolve: (b) => b.last }),
    count: t.exposeInt('count'),
  }),
});

/** A series as its columns: its buckets, and the significant digits its values keep (null: all). */
type Columns = { series: Series; digits: number | null };
const column = (f: (b: Bucket) => number) => (c: Columns) => c.series.buckets.map(f);
const valueColumn = (f: (b: Bucket) => number) => (c: Columns) => {
  const d = c.digits;
  return d === null ? c.series.buckets.map(f) : c.series.buckets.map((b) => roundDigits(f(b), d));
};
const ColumnsRef = builder.objectRef<Columns>('MetricColumns').implement({
  description:
    "A series' buckets as columns: the i-th entry of each list is the i-th bucket. The same numbers as buckets in a fraction of the response and the server's work when a page asks for hundreds of series.",
  fields: (t) => ({
    x: t.field({ type: ['Double'], resolve: column((b) => b.x) }),
    xEnd: t.field({ type: ['Double'], resolve: column((b) => b.xEnd) }),
    min: t.field({ type: ['Double'], resolve: valueColumn((b) => b.min) }),
    max: t.field({ type: ['Double'], resolve: valueColumn((b) => b.max) }),
    mean: t.field({ type: ['Double'], resolve: valueColumn((b) => b.mean) }),
    last: t.field({ type: ['Double'], resolve: valueColumn((b) => b.last) }),
    count: t.intList({ resolve: column((b) => b.count) }),
  }),
});

const SeriesRef = builder.objectRef<Series>('MetricSeries').implement({
  fields: (t) => ({
    key: t.exposeString('key'),
    count: t.exposeInt('count', { description: 'points in range before downsampling' }),
    buckets: t.field({ type: [BucketRef], resolve: (s) => s.buckets }),
    columns: t.field({
      type: ColumnsRef,
      description: 'the buckets as columns',
      args: {
        digits: t.arg.int({
          required: false,
          description:
            "significant digits kept of min, max, mean and last (x, xEnd and count stay exact), 1–17: 7 (float32's precision) is plenty for a chart and about halves the response; all when omitted",
        }),
      },
      resolve: (s, a) => {
        const d = a.digits ?? null;
        if (d !== null && (!Number.isInteger(d) || d < 1 || d > 17))
          throw badInput('digits', `must be an integer in 1..17, got ${d}`);
        return { series: s, digits: d };
      },
    }),
  }),
});

/** Paging a run's points by key (Run.history, RunAttempt.rewound): at most `first` per key after `afterStep`. */
export const historyArgs = builder.args((t) => ({
  keys: t.stringList({ required: true }),
  afterStep: t.float({ required: false, defaultValue: -1 }),
  first: t.int({ required: false, defaultValue: 10_000 }),
}));

/** A point at full resolution; Run.history's MetricPoint and RunAttempt.rewound's RewoundPoint share the shape. */
export const pointType = (name: 'MetricPoint' | 'RewoundPoint', description?: string) =>
  builder.objectRef<HistoryPoint>(name).implement({
    description,
    fields: (t) => ({
      key: t.exposeString('key'),
      step: t.exposeFloat('step'),
      time: t.field({ type: 'DateTime', resolve: (p) => p.time }),
      value: t.field({ type: 'Double', resolve: (p) => p.value }),
    }),
  });
const PointRef = pointType('MetricPoint');

builder.objectFields(Run, (t) => ({
  metrics: t.field({
    type: [SeriesRef],
    description:
      'Series downsampled on the server to at most `samples` buckets (min and max per bucket, so spikes survive), with the exact point count.',
    args: {
      keys: t.arg.stringList({ required: false, description: 'every key the run logged when omitted' }),
      xAxis: t.arg({ type: XAxisEnum, required: false, defaultValue: 'step' }),
      xKey: t.arg.string({
        required: false,
        description:
          "another metric as the x-axis (e.g. epoch): each point's x is that metric's value at the same step; points at steps without it are left out. Overrides xAxis.",
      }),
      from: t.arg.float({ required: false }),
      to: t.arg.float({ required: false }),
      samples: t.arg.int({ required: false, defaultValue: 1000 }),
    },
    resolve: (r, a, ctx) => {
      const o: SeriesOptions = {
        keys: a.keys ? [...checkList(a.keys, 'keys')] : null,
        xAxis: a.xAxis as XAxis,
        xKey: a.xKey,
        from: a.from,
        to: a.to,
        samples: a.samples ?? 1000,
      };
      return ctx.loaders.seriesLoader(o).load({ runId: r.id, o });
    },
  }),
  metricKeys: t.stringList({
    description: 'The metric keys this run logged.',
    resolve: (r, _a, ctx) => runMetricKeys(ctx.h, r.id),
  }),
  history: t.field({
    type: [PointRef],
    description:
      'Full-resolution points after `afterStep`, at most `first` per key (page by the last step seen).',
    args: historyArgs,
    resolve: (r, a, ctx) => queryHistory(ctx.h, r.id, a.keys, a.afterStep ?? -1, a.first ?? 10_000),
  }),
}));

const PointInputRef = builder.inputType('PointInput', {
  fields: (t) => ({
    key: t.string({ required: true }),
    step: t.float({ required: true, description: 'a non-negative integer' }),
    value: t.field({ type: 'Double', required: true }),
    time: t.field({ type: 'DateTime', required: false }),
  }),
});

const PointRejectionRef = builder.objectRef<PointRejection>('PointRejection').implement({
  description: 'A metric point logMetrics refused; the other points of the call were stored.',
  fields: (t) => ({
    index: t.exposeInt('index', { description: 'its position in the points argument' }),
    key: t.exposeString('key'),
    field: t.exposeString('field', { description: 'key, step or time' }),
    reason: t.exposeString('reason', { description: 'the field and what was wrong with it' }),
  }),
});

const MetricsLogged = builder.objectRef<InsertResult>('MetricsLogged').implement({
  description: 'What logMetrics did with a batch: how many points were new, and each point it refused.',
  fields: (t) => ({
    stored: t.exposeInt('stored', { description: 'new points (a replayed point is accepted, not new)' }),
    rejected: t.field({ type: [PointRejectionRef], resolve: (r) => r.rejected }),
  }),
});

builder.mutationFields((t) => ({
  logMetrics: t.field({
    type: MetricsLogged,
    description: `Appends up to ${MAX_POINTS_PER_CALL} points, each checked on its own: the valid ones are stored, the others come back in rejected with their index and reason. stored counts the new points: one point per (key, step), so replaying a batch is harmless. NaN and ±Infinity are stored.`,
    args: { runId: t.arg.id({ required: true }), points: t.arg({ type: [PointInputRef], required: true }) },
    resolve: async (_p, a, ctx) => {
      const id = parseId(String(a.runId), 'run', 'runId');
      let project = ctx.runProjects.get(id);
      if (project) requireRunRole(ctx, project, 'member', String(a.runId));
      else {
        project = (await loadRun(ctx, String(a.runId), 'member')).project_id;
        if (ctx.runProjects.size > 100_000) ctx.runProjects.clear();
        ctx.runProjects.set(id, project);
      }
      let result: InsertResult;
      try {
        result = await insertPoints(ctx.h, id, a.points as PointInput[]);
      } catch (e) {
        // 23503: the run was deleted since it was cached.
        if (
          (e as { code?: string; cause?: { code?: string } }).cause?.code !== '23503' &&
          (e as { code?: string }).code !== '23503'
        )
          throw e;
        ctx.runProjects.delete(id);
        throw new ApiError('NOT_FOUND', `run ${a.runId} not found`);
      }
      const n = result.stored;
      if (n) {
        const bad = new Set(result.rejected.map((r) => r.index));
        const ok = bad.size ? a.points.filter((_, i) => !bad.has(i)) : a.points;
        let maxStep = 0;
        for (const p of ok) maxStep = Math.max(maxStep, p.step);
        const keys = [...new Set(ok.map((p) => p.key))];
        ctx.pubsub.publish('metricsAppended', id, { runId: `run_${id}`, keys, maxStep, count: n });
      }
      return result;
    },
  }),
  rewindRun: t.field({
    type: 'Int',
    description:
      "Removes a run's points at `step` and after (every key), so that a run resumed from an older checkpoint, or retried from the start (step 0), records its new history instead of having it dropped as replays. Returns how many points went.",
    args: { runId: t.arg.id({ required: true }), step: t.arg.int({ required: true }) },
    resolve: async (_p, a, ctx) => {
      const run = await loadRun(ctx, String(a.runId), 'member');
      const n = await rewindPoints(ctx.h, run.id, a.step);
      await publishRun(ctx, run.id);
      return n;
    },
  }),
}));

/** What logMetrics publishes (context.ts ApiEvents). */
type MetricsEvent = ApiEvents['metricsAppended'][1];
const MetricsEventRef = builder.objectRef<MetricsEvent>('MetricsAppended').implement({
  fields: (t) => ({
    runId: t.exposeID('runId'),
    keys: t.exposeStringList('keys'),
    maxStep: t.exposeFloat('maxStep'),
    count: t.exposeInt('count'),
  }),
});

builder.subscriptionField('metricsAppended', (t) =>
  t.field({
    type: MetricsEventRef,
    description: 'New points of a run (keys, last step): refetch metrics(...) from the last x seen.',
    args: { runId: t.arg.id({ required: true }) },
    subscribe: async (_p, a, ctx) => {
      const run = await loadRun(ctx, String(a.runId), 'viewer');
      return whileAllowed(ctx, ctx.pubsub.subscribe('metricsAppended', run.id), (viewer) =>
        requireRunRole({ ...ctx, viewer }, run.project_id, 'viewer', String(a.runId)),
      );
    },
    resolve: (e) => e,
  }),
);
