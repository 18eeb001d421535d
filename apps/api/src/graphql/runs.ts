import { randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { requireRole, requireViewer } from '../auth.ts';
import { ApiError, badInput } from '../errors.ts';
import { compileFilter, compileSort, type RunFilter } from '../filter.ts';
import { checkBaseArtifact } from '../launch-paths.ts';
import {
  checkJson,
  checkJsonObject,
  checkLogLines,
  checkName,
  checkRunName,
  checkTags,
  checkText,
  LIMITS,
} from '../limits.ts';
import {
  type Bucket,
  forkHistory,
  type HistoryPoint,
  type InsertResult,
  insertPoints,
  MAX_POINTS_PER_CALL,
  type PointInput,
  type PointRejection,
  pgArray,
  queryHistory,
  rewindPoints,
  runMetricKeys,
  type Series,
  type SeriesOptions,
  type XAxis,
} from '../metrics.ts';
import { RUNS_QUEUE, type RunJob } from '../queue.ts';
import * as lifecycle from '../runs/lifecycle.ts';
import {
  builder,
  type ConfigIssues,
  type Context,
  DirectionEnum,
  FilterOpEnum,
  loadRun,
  type ProjectRow,
  parseId,
  projectFor,
  type RunRow,
  RunStatusEnum,
  XAxisEnum,
} from './builder.ts';

const ATTEMPT_ARG = "an attempt's number (Run.attempts); the latest when omitted";

export const RunFilterInput = builder.inputRef<RunFilter>('RunFilter').implement({
  description:
    'A filter tree: exactly one of and / or / not, or a predicate (field, op, value). Fields: run attributes, config.<path>, summary.<path>, tags.',
  fields: (t) => ({
    and: t.field({ type: [RunFilterInput], required: false }),
    or: t.field({ type: [RunFilterInput], required: false }),
    not: t.field({ type: RunFilterInput, required: false }),
    field: t.string({ required: false }),
    op: t.field({ type: FilterOpEnum, required: false }),
    value: t.field({ type: 'JSON', required: false }),
  }),
});

const RunOrderInput = builder.inputType('RunOrder', {
  fields: (t) => ({
    field: t.string({ required: true }),
    direction: t.field({ type: DirectionEnum, required: false, defaultValue: 'DESC' }),
  }),
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

const SeriesRef = builder.objectRef<Series>('MetricSeries').implement({
  fields: (t) => ({
    key: t.exposeString('key'),
    count: t.exposeInt('count', { description: 'points in range before downsampling' }),
    buckets: t.field({ type: [BucketRef], resolve: (s) => s.buckets }),
  }),
});

const PointRef = builder.objectRef<HistoryPoint>('MetricPoint').implement({
  fields: (t) => ({
    key: t.exposeString('key'),
    step: t.exposeFloat('step'),
    time: t.field({ type: 'DateTime', resolve: (p) => p.time }),
    value: t.field({ type: 'Double', resolve: (p) => p.value }),
  }),
});

interface LogLine {
  seq: number;
  stream: string;
  line: string;
  time: Date;
}
const LogLineRef = builder.objectRef<LogLine>('LogLine').implement({
  fields: (t) => ({
    seq: t.exposeInt('seq'),
    stream: t.exposeString('stream'),
    line: t.exposeString('line'),
    time: t.field({ type: 'DateTime', resolve: (l) => new Date(l.time) }),
  }),
});

/** The Run type's ref, for its own fields (forkedFrom, forks). */
const RunRef = builder.objectRef<RunRow>('Run');

export const Run = builder.node(RunRef, {
  id: { resolve: (r) => r.id },
  description: 'One training run: its config, status, summary and everything it logged.',
  loadMany: async (ids, ctx) => {
    const rows = await Promise.all(ids.map((id) => ctx.loaders.runs.load(id)));
    // A run in a project the viewer is not in reads as absent.
    return rows.map((r) => (r && ctx.viewer?.roles.has(r.project_id) ? r : null));
  },
  fields: (t) => ({
    name: t.string({ resolve: (r) => r.name }),
    status: t.field({ type: RunStatusEnum, resolve: (r) => r.status }),
    config: t.field({ type: 'JSON', resolve: (r) => r.config }),
    summary: t.field({ type: 'JSON', resolve: (r) => r.summary }),
    tags: t.stringList({ resolve: (r) => r.tags }),
    group: t.string({ nullable: true, resolve: (r) => r.group }),
    notes: t.string({ resolve: (r) => r.notes }),
    host: t.string({ nullable: true, resolve: (r) => r.host }),
    gpu: t.field({ type: 'JSON', nullable: true, resolve: (r) => r.gpu }),
    createdAt: t.field({ type: 'DateTime', resolve: (r) => r.created_at }),
    startedAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.started_at }),
    finishedAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.finished_at }),
    heartbeatAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.heartbeat_at }),
    stopRequested: t.boolean({ resolve: (r) => r.stop_requested_at !== null }),
    stopReason: t.string({
      nullable: true,
      description:
        "Why a stop was requested: 'user' (stopRun, cancelSweep) or 'pruned' (a sweep's early termination).",
      resolve: (r) => r.stop_reason,
    }),
    stopDetail: t.string({
      nullable: true,
      description:
        "The API's reason in words, for a run a sweep pruned: the rung, the run's value there and the cutoff it missed.",
      resolve: (r) => r.stop_detail,
    }),
    sweepParams: t.field({
      type: 'JSON',
      nullable: true,
      description: "A sweep's run: the parameters the sweep chose for it.",
      resolve: (r) => r.sweep_params,
    }),
    project: t.field({
      type: Project,
      resolve: async (r, _a, ctx) => (await ctx.loaders.projects.load(r.project_id))!,
    }),
    forkedFrom: t.field({
      type: RunRef,
      nullable: true,
      description: 'A fork: the run it branched from (null once that run is deleted).',
      resolve: async (r, _a, ctx) => {
        const source = r.forked_from_id ? await ctx.loaders.runs.load(r.forked_from_id) : null;
        return source && ctx.viewer?.roles.has(source.project_id) ? source : null;
      },
    }),
    forkStep: t.int({
      nullable: true,
      description: "A fork: the step its own history starts at; its points before it are its source's.",
      resolve: (r) => (r.fork_step === null ? null : Number(r.fork_step)),
    }),
    forks: t.field({
      type: [RunRef],
      description: 'The runs forked from this one, oldest first.',
      resolve: (r, _a, ctx) =>
        ctx.h.rows<RunRow>(sql`select * from runs where forked_from_id = ${r.id}::uuid order by created_at`),
    }),
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
          keys: a.keys ?? null,
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
      args: {
        keys: t.arg.stringList({ required: true }),
        afterStep: t.arg.float({ required: false, defaultValue: -1 }),
        first: t.arg.int({ required: false, defaultValue: 10_000 }),
      },
      resolve: (r, a, ctx) => queryHistory(ctx.h, r.id, a.keys, a.afterStep ?? -1, a.first ?? 10_000),
    }),
    logs: t.field({
      type: [LogLineRef],
      description:
        'Console lines of one attempt in order: the first `first` after `afterSeq` (default 1000), or the last `last` (the end of a long run: its final metrics). At most 10000.',
      args: {
        attempt: t.arg.int({ required: false, description: ATTEMPT_ARG }),
        afterSeq: t.arg.int({ required: false, defaultValue: -1 }),
        first: t.arg.int({ required: false }),
        last: t.arg.int({ required: false }),
      },
      resolve: (r, a, ctx) => {
        if (a.first != null && a.last != null) throw badInput('last', 'give first or last, not both');
        const n = a.last ?? a.first ?? 1000;
        if (n < 0 || n > 10_000)
          throw badInput(a.last != null ? 'last' : 'first', 'must be between 0 and 10000');
        const attempt = attemptOf(r, a.attempt);
        const lines = sql`select seq, stream, line, time from log_lines
          where run_id = ${r.id}::uuid and attempt = ${attempt} and seq > ${a.afterSeq ?? -1}`;
        return ctx.h.rows<LogLine>(
          a.last != null
            ? sql`select * from (${lines} order by seq desc limit ${n}) t order by seq`
            : sql`${lines} order by seq limit ${n}`,
        );
      },
    }),
    logCount: t.int({
      description: 'How many console lines an attempt of the run has.',
      args: { attempt: t.arg.int({ required: false, description: ATTEMPT_ARG }) },
      resolve: async (r, a, ctx) =>
        Number(
          (
            await ctx.h.rows<{ n: number }>(
              sql`select count(*)::int as n from log_lines where run_id = ${r.id}::uuid and attempt = ${attemptOf(r, a.attempt)}`,
            )
          )[0].n,
        ),
    }),
  }),
});

interface KeyInfo {
  key: string;
  type: string;
  min: number | null;
  max: number | null;
  count: number;
}
const KeyInfoRef = builder.objectRef<KeyInfo>('KeyInfo').implement({
  description: 'A metric or config key seen in a project: its JSON type and, for numbers, the range.',
  fields: (t) => ({
    key: t.exposeString('key'),
    type: t.exposeString('type'),
    min: t.field({ type: 'Double', nullable: true, resolve: (k) => k.min }),
    max: t.field({ type: 'Double', nullable: true, resolve: (k) => k.max }),
    count: t.exposeInt('count', { description: 'runs (config keys) or points (metric keys)' }),
  }),
});

const ProjectActivityRef = builder
  .objectRef<{ runs: number; running: number; last_run_at: Date | null }>('ProjectActivity')
  .implement({
    description: 'A project at a glance: how many runs it holds, how many are training, when the last began.',
    fields: (t) => ({
      runs: t.exposeInt('runs'),
      running: t.exposeInt('running'),
      lastRunAt: t.field({ type: 'DateTime', nullable: true, resolve: (a) => a.last_run_at }),
    }),
  });

export const Project = builder.node(builder.objectRef<ProjectRow>('Project'), {
  id: { resolve: (p) => p.id },
  loadMany: async (ids, ctx) => {
    const rows = await Promise.all(ids.map((id) => ctx.loaders.projects.load(id)));
    return rows.map((p) => (p && ctx.viewer?.roles.has(p.id) ? p : null));
  },
  fields: (t) => ({
    name: t.string({ resolve: (p) => p.name }),
    description: t.string({ resolve: (p) => p.description }),
    createdAt: t.field({ type: 'DateTime', resolve: (p) => p.created_at }),
    role: t.string({ resolve: (p, _a, ctx) => ctx.viewer?.roles.get(p.id) ?? 'viewer' }),
    activity: t.field({
      type: ProjectActivityRef,
      resolve: async (p, _a, ctx) =>
        (
          await ctx.h.rows<{ runs: number; running: number; last_run_at: Date | null }>(
            sql`select count(*)::int as runs, (count(*) filter (where status = 'running'))::int as running,
              max(created_at) as last_run_at from runs where project_id = ${p.id}::uuid`,
          )
        )[0],
    }),
    metricKeys: t.field({
      type: [KeyInfoRef],
      description: 'Every metric key logged in the project, with its value range and point count.',
      resolve: (p, _a, ctx) =>
        ctx.h.rows<KeyInfo>(sql`select m.key, 'number' as type, min(m.value) filter (where m.value = m.value) as min,
            max(m.value) filter (where m.value = m.value and m.value < 'Infinity') as max, count(*)::int as count
          from metric_points m join runs r on r.id = m.run_id where r.project_id = ${p.id}::uuid
          group by m.key order by m.key`),
    }),
    configKeys: t.field({
      type: [KeyInfoRef],
      description: "Every leaf path in the runs' configs (dotted), with its JSON type and numeric range.",
      resolve: (p, _a, ctx) =>
        ctx.h.rows<KeyInfo>(sql`with recursive leaves(path, v) as (
            select k, v from runs r, jsonb_each(r.config) e(k, v) where r.project_id = ${p.id}::uuid
            union all
            select l.path || '.' || e.k, e.v from leaves l, jsonb_each(l.v) e(k, v) where jsonb_typeof(l.v) = 'object')
          select path as key, min(jsonb_typeof(v)) as type,
            min(case when jsonb_typeof(v) = 'number' then v::text::float8 end) as min,
            max(case when jsonb_typeof(v) = 'number' then v::text::float8 end) as max, count(*)::int as count
          from leaves where jsonb_typeof(v) <> 'object' group by path order by path`),
    }),
  }),
});

builder.queryType({
  fields: (t) => ({
    health: t.string({
      description: 'Always "ok"; the only field anonymous requests may read.',
      resolve: () => 'ok',
    }),
    projects: t.field({
      type: [Project],
      resolve: async (_p, _a, ctx) => {
        requireViewer(ctx.viewer);
        const ids = [...ctx.viewer.roles.keys()];
        return (await ctx.loaders.projects.loadMany(ids)).filter(
          (p): p is ProjectRow => !!p && !(p instanceof Error),
        );
      },
    }),
    project: t.field({
      type: Project,
      args: { ref: t.arg.string({ required: true, description: 'project id or name' }) },
      resolve: (_p, a, ctx) => projectFor(ctx, a.ref, 'viewer'),
    }),
    run: t.field({
      type: Run,
      args: { id: t.arg.id({ required: true }) },
      resolve: (_p, a, ctx) => loadRun(ctx, String(a.id), 'viewer', 'id'),
    }),
    runs: t.connection(
      {
        type: Run,
        description:
          "A project's runs, filtered and sorted, paged forward with first (at most 500) and after: keyset cursors, so a page never repeats or skips a run while runs are created or change.",
        args: {
          project: t.arg.string({ required: true, description: 'project id or name' }),
          filter: t.arg({ type: RunFilterInput, required: false }),
          orderBy: t.arg({ type: [RunOrderInput], required: false }),
        },
        resolve: async (_p, a, ctx) => {
          const p = await projectFor(ctx, a.project, 'viewer');
          if (a.last != null || a.before != null)
            throw badInput(a.last != null ? 'last' : 'before', 'runs pages forward: use first and after');
          const size = a.first ?? 50;
          if (!Number.isInteger(size) || size < 0 || size > 500)
            throw badInput('first', `between 0 and 500, got ${size}`);
          const where = sql`r.project_id = ${p.id}::uuid and (${a.filter ? compileFilter(a.filter) : sql`true`})`;
          const sort = compileSort(a.orderBy?.map((o) => ({ field: o.field, direction: o.direction })));
          const after = a.after ? sort.after(a.after, 'after') : sql`true`;
          const [[{ n }], rows] = await Promise.all([
            ctx.h.rows<{ n: number }>(sql`select count(*)::int as n from runs r where ${where}`),
            ctx.h.rows<
              RunRow & { cursor_values: string }
            >(sql`select r.*, ${sort.cursorValues} as cursor_values
              from runs r where ${where} and ${after} order by ${sort.orderBy} limit ${size + 1}`),
          ]);
          const edges = rows.slice(0, size).map(({ cursor_values, ...run }) => {
            ctx.loaders.runs.prime(run.id, run);
            return { cursor: sort.cursor(cursor_values), node: run };
          });
          return {
            edges,
            pageInfo: {
              hasNextPage: rows.length > size,
              hasPreviousPage: a.after != null,
              startCursor: edges[0]?.cursor ?? null,
              endCursor: edges.at(-1)?.cursor ?? null,
            },
            totalCount: Number(n),
          };
        },
      },
      {
        fields: (c) => ({
          totalCount: c.int({ resolve: (conn) => (conn as unknown as { totalCount: number }).totalCount }),
        }),
      },
    ),
    compare: t.field({
      type: [Run],
      description:
        'Several runs at once (any projects the viewer can read); select metrics(keys) on each for the comparison view.',
      args: { runIds: t.arg.idList({ required: true }) },
      resolve: (_p, a, ctx) =>
        Promise.all(a.runIds.map((id, i) => loadRun(ctx, String(id), 'viewer', `runIds[${i}]`))),
    }),
  }),
});

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

const ForkFromInput = builder.inputType('ForkFromInput', {
  description:
    "Where a fork branches off: a run of the same project, and the step the fork's own history starts at.",
  fields: (t) => ({
    runId: t.id({ required: true }),
    step: t.int({
      required: true,
      description: "the source's points before this step are copied to the fork",
    }),
  }),
});

const LogLineInput = builder.inputType('LogLineInput', {
  fields: (t) => ({
    seq: t.int({ required: true, description: 'client sequence number: a replayed line is stored once' }),
    stream: t.string({ required: false, defaultValue: 'stdout' }),
    line: t.string({ required: true }),
    time: t.field({ type: 'DateTime', required: false }),
  }),
});

/** The attempt an argument names (1 to the run's latest), or the latest; an error naming `attempt` otherwise. */
function attemptOf(run: RunRow, attempt: number | null | undefined): number {
  if (attempt == null) return run.attempt;
  if (!Number.isInteger(attempt) || attempt < 1 || attempt > run.attempt)
    throw badInput('attempt', `run ${run.id} has attempts 1 to ${run.attempt}, not ${attempt}`);
  return attempt;
}

async function publishRun(ctx: Context, id: string): Promise<RunRow> {
  ctx.loaders.runs.clear(id);
  const run = (await ctx.loaders.runs.load(id))!;
  ctx.pubsub.publish('runUpdated', run.project_id, run);
  return run;
}

/**
 * Sets a run's summary to `value` (plus the `also` assignments) in one statement, unless the summary as stored
 * would pass LIMITS.storedSummaryBytes (many merges of new keys grow it): then nothing changes.
 */
async function setSummary(ctx: Context, runId: string, value: SQL, also: SQL = sql``): Promise<void> {
  const rows = await ctx.h.rows(sql`update runs set summary = ${value} ${also}
    where id = ${runId}::uuid and octet_length((${value})::text) <= ${LIMITS.storedSummaryBytes} returning 1`);
  if (!rows.length)
    throw badInput(
      'summary',
      `the summary as stored would pass ${LIMITS.storedSummaryBytes.toLocaleString('en')} bytes`,
    );
}

builder.mutationType({
  fields: (t) => ({
    createRun: t.field({
      type: Run,
      description:
        "A new run in a project — or, given the id of an existing run of that project, that run resumed (status running). A new id (run_<uuid>) chosen by the client makes retries idempotent. With forkFrom, the new run is a fork (W&B's fork_from): it starts with a copy of the source run's points before forkFrom.step, and the source is left as it was.",
      args: {
        project: t.arg.string({ required: true }),
        name: t.arg.string({ required: false }),
        id: t.arg.id({ required: false, description: 'resume this run, or create the run under this id' }),
        config: t.arg({ type: 'JSON', required: false }),
        tags: t.arg.stringList({ required: false }),
        group: t.arg.string({ required: false }),
        notes: t.arg.string({ required: false }),
        host: t.arg.string({ required: false }),
        gpu: t.arg({ type: 'JSON', required: false }),
        status: t.arg({ type: RunStatusEnum, required: false, defaultValue: 'running' }),
        forkFrom: t.arg({ type: ForkFromInput, required: false }),
        attempt: t.arg.int({
          required: false,
          description:
            "resuming: join this attempt if it is still the latest (a launched run's client joins its worker's); without it a resume starts a new attempt",
        }),
      },
      resolve: async (_p, a, ctx) => {
        const p = await projectFor(ctx, a.project, 'member');
        const config = checkJsonObject(a.config ?? {}, 'config', LIMITS.configBytes);
        const gpu = a.gpu == null ? null : checkJson(a.gpu, 'gpu', LIMITS.gpuBytes);
        const tags = checkTags(a.tags ?? []);
        const name = a.name == null ? `run-${new Date().toISOString()}` : checkRunName(a.name);
        if (a.group != null) checkName(a.group, 'group', LIMITS.groupLength);
        if (a.host != null) checkName(a.host, 'host', LIMITS.hostLength);
        if (a.notes != null) checkText(a.notes, 'notes', LIMITS.notesLength);
        // A client-chosen id makes creation idempotent (the SDK replays it from its spool): an existing run
        // with that id is resumed, otherwise the run is created under it.
        const id = a.id ? parseId(String(a.id), 'run', 'id') : null;
        const existing = id ? await ctx.loaders.runs.load(id) : null;
        if (existing) {
          const run = await loadRun(ctx, String(a.id), 'member', 'id');
          if (run.project_id !== p.id)
            throw new ApiError('CONFLICT', `run ${a.id} belongs to another project`, 'id');
          await lifecycle.start(ctx.h, run.id, { host: a.host, gpu: a.gpu, join: a.attempt });
          return publishRun(ctx, run.id);
        }
        const status = a.status ?? 'running';
        const fork = a.forkFrom
          ? {
              source: await loadRun(ctx, String(a.forkFrom.runId), 'viewer', 'forkFrom.runId'),
              step: a.forkFrom.step,
            }
          : null;
        if (fork && fork.source.project_id !== p.id)
          throw badInput('forkFrom.runId', `run ${a.forkFrom!.runId} belongs to another project`);
        const runId = id ?? randomUUID();
        const insert = sql`
          insert into runs (id, project_id, name, status, config, tags, "group", notes, host, gpu, started_at, heartbeat_at,
            forked_from_id, fork_step)
          values (${runId}::uuid, ${p.id}::uuid, ${name}, ${status}::run_status,
            ${config}::jsonb, ${pgArray(tags)}::text[], ${a.group ?? null},
            ${a.notes ?? ''}, ${a.host ?? null}, ${gpu}::jsonb,
            ${status === 'running' ? sql`now()` : null}, ${status === 'running' ? sql`now()` : null},
            ${fork ? fork.source.id : null}::uuid, ${fork ? fork.step : null}::bigint)
          returning id, status, host`;
        // A fork and its inherited history are one statement: a fork never exists without its history; a run
        // created running has its first attempt from the start.
        await ctx.h.rows(
          sql`with new_run as (${insert}), ${lifecycle.firstAttempt('new_run')}${
            fork ? sql`, ${forkHistory(fork.source.id, runId, fork.step)}` : sql``
          } select 1`,
        );
        return publishRun(ctx, runId);
      },
    }),
    launchRun: t.field({
      type: Run,
      description:
        "Queues a training run: the config is validated with the trainer's schema (errors name the key) and a worker picks it up.",
      args: {
        project: t.arg.string({ required: true }),
        config: t.arg({ type: 'JSON', required: true }),
        name: t.arg.string({ required: false }),
        tags: t.arg.stringList({ required: false }),
        group: t.arg.string({ required: false }),
      },
      resolve: async (_p, a, ctx) => {
        const p = await projectFor(ctx, a.project, 'member');
        if (!ctx.queue || !ctx.validateConfig)
          throw new ApiError('CONFLICT', 'this API server launches no runs (start it with `anneal api`)');
        checkJsonObject(a.config, 'config', LIMITS.configBytes);
        const tags = checkTags(a.tags ?? []);
        if (a.group != null) checkName(a.group, 'group', LIMITS.groupLength);
        let config: Record<string, unknown>;
        try {
          config = ctx.validateConfig(a.config);
        } catch (e) {
          const issues = (e as Partial<ConfigIssues>).issues;
          if (!issues?.length) throw e;
          const i = issues[0];
          throw badInput(
            `config${i.path ? `.${i.path}` : ''}`,
            issues.map((x) => `${x.path || '(root)'}: ${x.message}`).join('; '),
          );
        }
        await checkBaseArtifact(ctx.h, p.id, config, 'config.model.base');
        const name = checkRunName(a.name ?? (typeof config.name === 'string' ? config.name : 'run'));
        const [row] = await ctx.h.rows<{ id: string }>(sql`
          insert into runs (project_id, name, status, config, tags, "group")
          values (${p.id}::uuid, ${name}, 'queued', ${JSON.stringify(config)}::jsonb, ${pgArray(tags)}::text[], ${a.group ?? null})
          returning id`);
        const jobId = await ctx.queue.send(RUNS_QUEUE, { runId: row.id } satisfies RunJob);
        await lifecycle.queue(ctx.h, row.id, jobId);
        return publishRun(ctx, row.id);
      },
    }),
    stopRun: t.field({
      type: Run,
      description:
        'Asks the worker running this run to stop: it saves a checkpoint and ends the run as stopped (within a few seconds). A queued run is stopped at once.',
      args: { runId: t.arg.id({ required: true }) },
      resolve: async (_p, a, ctx) => {
        const run = await loadRun(ctx, String(a.runId), 'member');
        await lifecycle.requestStop(ctx.h, { runId: run.id });
        return publishRun(ctx, run.id);
      },
    }),
    logMetrics: t.field({
      type: MetricsLogged,
      description: `Appends up to ${MAX_POINTS_PER_CALL} points, each checked on its own: the valid ones are stored, the others come back in rejected with their index and reason. stored counts the new points: one point per (key, step), so replaying a batch is harmless. NaN and ±Infinity are stored.`,
      args: { runId: t.arg.id({ required: true }), points: t.arg({ type: [PointInputRef], required: true }) },
      resolve: async (_p, a, ctx) => {
        const id = parseId(String(a.runId), 'run', 'runId');
        let project = ctx.runProjects.get(id);
        if (project) {
          try {
            requireRole(ctx.viewer, project, 'member');
          } catch (e) {
            if (e instanceof ApiError && e.extensions.code === 'NOT_FOUND')
              throw new ApiError('NOT_FOUND', `run ${a.runId} not found`);
            throw e;
          }
        } else {
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
    heartbeat: t.field({
      type: Run,
      description:
        'The run is alive (clients beat every 15 s while a run is open). A run crashed for a lapsed heartbeat that was not launched on a worker goes back to running. Select stopRequested to learn of a stop.',
      args: { runId: t.arg.id({ required: true }) },
      resolve: async (_p, a, ctx) => {
        const run = await loadRun(ctx, String(a.runId), 'member');
        const b = await lifecycle.beat(ctx.h, run.id);
        if (b?.revived) return publishRun(ctx, run.id);
        ctx.loaders.runs.clear(run.id);
        return (await ctx.loaders.runs.load(run.id))!;
      },
    }),
    updateSummary: t.field({
      type: Run,
      description: 'Merges keys into the run summary (or replaces it with merge: false).',
      args: {
        runId: t.arg.id({ required: true }),
        summary: t.arg({ type: 'JSON', required: true }),
        merge: t.arg.boolean({ required: false, defaultValue: true }),
      },
      resolve: async (_p, a, ctx) => {
        const run = await loadRun(ctx, String(a.runId), 'member');
        const value = sql`${checkJsonObject(a.summary, 'summary', LIMITS.summaryBytes)}::jsonb`;
        await setSummary(ctx, run.id, a.merge === false ? value : sql`summary || ${value}`);
        return publishRun(ctx, run.id);
      },
    }),
    setTags: t.field({
      type: Run,
      args: { runId: t.arg.id({ required: true }), tags: t.arg.stringList({ required: true }) },
      resolve: async (_p, a, ctx) => {
        const run = await loadRun(ctx, String(a.runId), 'member');
        await ctx.h.rows(
          sql`update runs set tags = ${pgArray(checkTags(a.tags))}::text[] where id = ${run.id}::uuid`,
        );
        return publishRun(ctx, run.id);
      },
    }),
    renameRun: t.field({
      type: Run,
      description: 'Gives a run another name (1 to 200 characters); its id stays.',
      args: { runId: t.arg.id({ required: true }), name: t.arg.string({ required: true }) },
      resolve: async (_p, a, ctx) => {
        const run = await loadRun(ctx, String(a.runId), 'member');
        await ctx.h.rows(sql`update runs set name = ${checkRunName(a.name)} where id = ${run.id}::uuid`);
        return publishRun(ctx, run.id);
      },
    }),
    setNotes: t.field({
      type: Run,
      args: { runId: t.arg.id({ required: true }), notes: t.arg.string({ required: true }) },
      resolve: async (_p, a, ctx) => {
        const run = await loadRun(ctx, String(a.runId), 'member');
        checkText(a.notes, 'notes', LIMITS.notesLength);
        await ctx.h.rows(sql`update runs set notes = ${a.notes} where id = ${run.id}::uuid`);
        return publishRun(ctx, run.id);
      },
    }),
    appendLogs: t.field({
      type: 'Int',
      description:
        "Appends console lines to an attempt (default: the run's latest); returns how many were new ((run, attempt, seq) is unique).",
      args: {
        runId: t.arg.id({ required: true }),
        lines: t.arg({ type: [LogLineInput], required: true }),
        attempt: t.arg.int({ required: false, description: ATTEMPT_ARG }),
      },
      resolve: async (_p, a, ctx) => {
        const run = await loadRun(ctx, String(a.runId), 'member');
        const attempt = attemptOf(run, a.attempt);
        checkLogLines(a.lines);
        if (!a.lines.length) return 0;
        const [{ n }] = await ctx.h.rows<{ n: number }>(sql`with ins as (
          insert into log_lines (run_id, attempt, seq, stream, line, time)
          select ${run.id}::uuid, ${attempt}::int, s, st, l, t from unnest(${pgArray(a.lines.map((l) => String(l.seq)))}::int[],
            ${pgArray(a.lines.map((l) => l.stream ?? 'stdout'))}::text[], ${pgArray(a.lines.map((l) => l.line))}::text[],
            ${pgArray(a.lines.map((l) => (l.time ?? new Date()).toISOString()))}::timestamptz[]) u(s, st, l, t)
          on conflict (run_id, attempt, seq) do nothing returning 1) select count(*)::int as n from ins`);
        return Number(n);
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
    finishRun: t.field({
      type: Run,
      args: {
        runId: t.arg.id({ required: true }),
        status: t.arg({ type: RunStatusEnum, required: false, defaultValue: 'finished' }),
        summary: t.arg({ type: 'JSON', required: false }),
        attempt: t.arg.int({
          required: false,
          description:
            'the attempt that ended (default: the latest); an earlier one, superseded by a retry or a resume, ends only itself',
        }),
      },
      resolve: async (_p, a, ctx) => {
        const run = await loadRun(ctx, String(a.runId), 'member');
        const status = a.status ?? 'finished';
        const attempt = attemptOf(run, a.attempt);
        if (status === 'queued' || status === 'running')
          throw badInput(
            'status',
            `a finished run ends as finished, failed, crashed, stopped or pruned, not ${status}`,
          );
        if (a.summary != null) checkJsonObject(a.summary, 'summary', LIMITS.summaryBytes);
        const { summaryBytes } = await lifecycle.finish(
          ctx.h,
          run.id,
          status,
          a.summary as Record<string, unknown> | null,
          attempt,
          LIMITS.storedSummaryBytes,
        );
        if (summaryBytes > LIMITS.storedSummaryBytes)
          throw badInput(
            'summary',
            `the summary as stored would pass ${LIMITS.storedSummaryBytes.toLocaleString('en')} bytes`,
          );
        return publishRun(ctx, run.id);
      },
    }),
    deleteRuns: t.field({
      type: 'Int',
      description: 'Deletes runs with everything they logged; returns how many were deleted.',
      args: { runIds: t.arg.idList({ required: true }) },
      resolve: async (_p, a, ctx) => {
        const runs = await Promise.all(
          a.runIds.map((id, i) => loadRun(ctx, String(id), 'member', `runIds[${i}]`)),
        );
        if (!runs.length) return 0;
        const deleted = await ctx.h.rows(
          sql`delete from runs where id in (${sql.join(
            runs.map((r) => sql`${r.id}::uuid`),
            sql`, `,
          )}) returning id`,
        );
        for (const r of runs) ctx.loaders.runs.clear(r.id);
        return deleted.length;
      },
    }),
  }),
});

interface MetricsEvent {
  runId: string;
  keys: string[];
  maxStep: number;
  count: number;
}
const MetricsEventRef = builder.objectRef<MetricsEvent>('MetricsAppended').implement({
  fields: (t) => ({
    runId: t.exposeID('runId'),
    keys: t.exposeStringList('keys'),
    maxStep: t.exposeFloat('maxStep'),
    count: t.exposeInt('count'),
  }),
});

builder.subscriptionType({
  fields: (t) => ({
    runUpdated: t.field({
      type: Run,
      description: 'Runs of a project as they are created, change status, summary, tags or notes.',
      args: { project: t.arg.string({ required: true }) },
      subscribe: async (_p, a, ctx) => {
        const p = await projectFor(ctx, a.project, 'viewer');
        return ctx.pubsub.subscribe('runUpdated', p.id);
      },
      resolve: (run) => run,
    }),
    metricsAppended: t.field({
      type: MetricsEventRef,
      description: 'New points of a run (keys, last step): refetch metrics(...) from the last x seen.',
      args: { runId: t.arg.id({ required: true }) },
      subscribe: async (_p, a, ctx) => {
        const run = await loadRun(ctx, String(a.runId), 'viewer');
        return ctx.pubsub.subscribe('metricsAppended', run.id);
      },
      resolve: (e) => e,
    }),
  }),
});
