// The GraphQL schema, code-first with Pothos. Relay conventions: a Node interface with prefixed global ids
// (`run_<uuid>`, `project_<uuid>`, accepted wherever an id is taken), connections with a total count.
// Every resolver checks the viewer's role in the project it touches (auth.ts); list fields batch their loads
// through per-request DataLoaders, so a page of runs with their metrics costs a fixed number of statements.

import type { DbHandle } from '@anneal/db/client';
import { ROLLUP_WIDTHS, runStatus } from '@anneal/db/schema/runs';
import SchemaBuilder from '@pothos/core';
import RelayPlugin, { resolveOffsetConnection } from '@pothos/plugin-relay';
import DataLoader from 'dataloader';
import { sql } from 'drizzle-orm';
import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { createPubSub } from 'graphql-yoga';
import type PgBoss from 'pg-boss';
import {
  createApiKey,
  createSession,
  hashKey,
  hashPassword,
  type Role,
  requireRole,
  requireViewer,
  SESSION_COOKIE,
  SESSION_DAYS,
  type Viewer,
  verifyPassword,
} from './auth.ts';
import { ApiError, badInput } from './errors.ts';
import { compileFilter, compileOrder, FILTER_OPS, type RunFilter } from './filter.ts';
import {
  type Bucket,
  type HistoryPoint,
  insertPoints,
  MAX_POINTS_PER_CALL,
  type PointInput,
  pgArray,
  queryHistory,
  querySeries,
  type Series,
  type SeriesOptions,
  type XAxis,
} from './metrics.ts';
import { RUNS_QUEUE, type RunJob } from './queue.ts';
import { applyParams, objective, propose, type SweepRow, spearman, tickSweep } from './sweeps/controller.ts';
import { dimensions, parseSweepConfig, type SweepConfig } from './sweeps/space.ts';

export const RUN_STATUSES = runStatus.enumValues;
type RunStatus = (typeof RUN_STATUSES)[number];

export interface RunRow {
  id: string;
  project_id: string;
  name: string;
  status: RunStatus;
  config: Record<string, unknown>;
  summary: Record<string, unknown>;
  tags: string[];
  group: string | null;
  notes: string;
  host: string | null;
  gpu: unknown;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  heartbeat_at: Date | null;
  stop_requested_at: Date | null;
  job_id: string | null;
  stop_reason: string | null;
  sweep_id: string | null;
  sweep_params: Record<string, unknown> | null;
}

export interface ProjectRow {
  id: string;
  name: string;
  description: string;
  created_at: Date;
}

export type PubSub = ReturnType<typeof createApiPubSub>;
export const createApiPubSub = () =>
  createPubSub<{
    runUpdated: [projectId: string, run: RunRow];
    metricsAppended: [
      runId: string,
      event: { runId: string; keys: string[]; maxStep: number; count: number },
    ];
  }>();

export interface Context {
  h: DbHandle;
  viewer: Viewer | null;
  pubsub: PubSub;
  loaders: ReturnType<typeof createLoaders>;
  /** Run id → project id, process-wide (a run never changes project): ingestion skips loading the run. */
  runProjects: Map<string, string>;
  /** The run queue, when this API launches runs. */
  queue: PgBoss | null;
  /** Validates a launch config (the trainer's schema) and returns it resolved; throws ConfigIssues. */
  validateConfig: ((config: unknown) => Record<string, unknown>) | null;
  /** Adds a Set-Cookie to the response (attributes Path, HttpOnly, SameSite and Secure are appended). */
  setCookie: (value: string) => void;
  /** The session token the request was authenticated with, if a cookie. */
  session: string | null;
}

/** What validateConfig throws: each offending key with its message. */
export interface ConfigIssues {
  issues: { path: string; message: string }[];
}

const ID_PREFIX: Record<string, string> = { Run: 'run', Project: 'project', Sweep: 'sweep' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `run_<uuid>` → uuid (a bare uuid is accepted too); anything else is a BAD_INPUT naming the argument. */
export function parseId(id: string, prefix: 'run' | 'project' | 'sweep', field: string): string {
  const raw = id.startsWith(`${prefix}_`) ? id.slice(prefix.length + 1) : id;
  if (!UUID.test(raw)) throw badInput(field, `'${id}' is not a ${prefix} id`);
  return raw.toLowerCase();
}

export function createLoaders(h: DbHandle) {
  const runs = new DataLoader<string, RunRow | null>(async (ids) => {
    const rows = await h.rows<RunRow>(
      sql`select * from runs where id in (${sql.join(
        ids.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`,
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });
  const projects = new DataLoader<string, ProjectRow | null>(async (ids) => {
    const rows = await h.rows<ProjectRow>(
      sql`select * from projects where id in (${sql.join(
        ids.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`,
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });
  return {
    runs,
    projects,
    /** Series requests batch per option set: one statement per distinct set of options in a request. */
    series: new Map<string, DataLoader<{ runId: string; o: SeriesOptions }, Series[], string>>(),
    seriesLoader(o: SeriesOptions) {
      const k = JSON.stringify(o);
      let l = this.series.get(k);
      if (!l) {
        l = new DataLoader<{ runId: string; o: SeriesOptions }, Series[], string>(
          async (reqs) => {
            const all = await querySeries(
              h,
              reqs.map((r) => r.runId),
              o,
            );
            return reqs.map((r) => all.filter((s) => s.runId === r.runId));
          },
          { cacheKeyFn: (r) => r.runId },
        );
        this.series.set(k, l);
      }
      return l;
    },
  };
}

/** A run the viewer may access with `role`, or NOT_FOUND (no existence leak across projects). */
async function loadRun(ctx: Context, id: string, role: Role, field = 'runId'): Promise<RunRow> {
  const run = await ctx.loaders.runs.load(parseId(id, 'run', field));
  if (!run) throw new ApiError('NOT_FOUND', `run ${id} not found`);
  try {
    requireRole(ctx.viewer, run.project_id, role);
  } catch (e) {
    if (e instanceof ApiError && e.extensions.code === 'NOT_FOUND')
      throw new ApiError('NOT_FOUND', `run ${id} not found`);
    throw e;
  }
  return run;
}

// JSON values (config, summary, metadata) and Double: a float that may be NaN or ±Infinity, written as the
// strings "NaN", "Infinity" and "-Infinity" because JSON has no such numbers.
const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: function literal(node: ValueNode): unknown {
    switch (node.kind) {
      case Kind.STRING:
      case Kind.BOOLEAN:
        return node.value;
      case Kind.INT:
      case Kind.FLOAT:
        return Number(node.value);
      case Kind.NULL:
        return null;
      case Kind.LIST:
        return node.values.map(literal);
      case Kind.OBJECT:
        return Object.fromEntries(node.fields.map((f) => [f.name.value, literal(f.value)]));
      default:
        throw new ApiError('BAD_INPUT', 'variables are not allowed inside JSON literals');
    }
  },
});

const NONFINITE: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};
const parseDouble = (v: unknown): number => {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v in NONFINITE) return NONFINITE[v];
  throw new ApiError(
    'BAD_INPUT',
    `expected a number or "NaN", "Infinity", "-Infinity", got ${JSON.stringify(v)}`,
  );
};
const DoubleScalar = new GraphQLScalarType({
  name: 'Double',
  description: 'A float; NaN and ±Infinity travel as the strings "NaN", "Infinity" and "-Infinity".',
  serialize: (v) => (Number.isFinite(v as number) ? v : String(v)),
  parseValue: parseDouble,
  parseLiteral: (node) => {
    if (node.kind === Kind.INT || node.kind === Kind.FLOAT) return Number(node.value);
    if (node.kind === Kind.STRING) return parseDouble(node.value);
    throw new ApiError('BAD_INPUT', 'expected a number or "NaN", "Infinity", "-Infinity"');
  },
});

const builder = new SchemaBuilder<{
  Context: Context;
  Scalars: {
    // biome-ignore lint/complexity/noBannedTypes: any JSON value but null
    JSON: { Input: {}; Output: unknown };
    Double: { Input: number; Output: number };
    DateTime: { Input: Date; Output: Date };
  };
  DefaultFieldNullability: false;
}>({
  plugins: [RelayPlugin],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    encodeGlobalID: (typename, id) => `${ID_PREFIX[typename] ?? typename.toLowerCase()}_${id}`,
    decodeGlobalID: (globalID) => {
      const i = globalID.indexOf('_');
      const prefix = globalID.slice(0, i);
      const typename = Object.entries(ID_PREFIX).find(([, p]) => p === prefix)?.[0];
      if (!typename) throw badInput('id', `'${globalID}' is not an Anneal id`);
      return { typename, id: globalID.slice(i + 1) };
    },
  },
});

builder.addScalarType('JSON', JSONScalar);
builder.addScalarType('Double', DoubleScalar);
builder.scalarType('DateTime', {
  description: 'An ISO-8601 date and time.',
  serialize: (d) => new Date(d).toISOString(),
  parseValue: (v) => {
    const d = new Date(v as string);
    if (Number.isNaN(d.getTime())) throw new ApiError('BAD_INPUT', `'${v}' is not a date/time`);
    return d;
  },
});

const RunStatusEnum = builder.enumType('RunStatus', { values: RUN_STATUSES });
const XAxisEnum = builder.enumType('XAxis', {
  values: {
    step: { description: 'the step number' },
    wallTime: { description: 'epoch milliseconds' },
    relativeTime: { description: 'seconds since the run started' },
  },
});
const FilterOpEnum = builder.enumType('FilterOp', { values: FILTER_OPS });
const DirectionEnum = builder.enumType('Direction', { values: ['ASC', 'DESC'] as const });

const RunFilterInput = builder.inputRef<RunFilter>('RunFilter').implement({
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

interface ArtifactRow {
  id: string;
  kind: string;
  name: string;
  location: string;
  size: string | number;
  sha256: string;
  metadata: unknown;
  created_at: Date;
}
const ArtifactKindEnum = builder.enumType('ArtifactKind', {
  values: ['checkpoint', 'model', 'dataset', 'file'] as const,
});
const ArtifactRef = builder.objectRef<ArtifactRow>('Artifact').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.field({ type: ArtifactKindEnum, resolve: (a) => a.kind as 'file' }),
    name: t.exposeString('name'),
    location: t.exposeString('location'),
    size: t.float({ resolve: (a) => Number(a.size) }),
    sha256: t.exposeString('sha256'),
    metadata: t.field({ type: 'JSON', resolve: (a) => a.metadata }),
    createdAt: t.field({ type: 'DateTime', resolve: (a) => a.created_at }),
  }),
});

const Run = builder.node(builder.objectRef<RunRow>('Run'), {
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
    metrics: t.field({
      type: [SeriesRef],
      description:
        'Series downsampled on the server to at most `samples` buckets (min and max per bucket, so spikes survive), with the exact point count.',
      args: {
        keys: t.arg.stringList({ required: true }),
        xAxis: t.arg({ type: XAxisEnum, required: false, defaultValue: 'step' }),
        from: t.arg.float({ required: false }),
        to: t.arg.float({ required: false }),
        samples: t.arg.int({ required: false, defaultValue: 1000 }),
      },
      resolve: (r, a, ctx) => {
        const o: SeriesOptions = {
          keys: a.keys,
          xAxis: a.xAxis as XAxis,
          from: a.from,
          to: a.to,
          samples: a.samples ?? 1000,
        };
        return ctx.loaders.seriesLoader(o).load({ runId: r.id, o });
      },
    }),
    metricKeys: t.stringList({
      description: 'The metric keys this run logged.',
      resolve: async (r, _a, ctx) =>
        (
          await ctx.h.rows<{ key: string }>(sql`select distinct key from metric_rollups
            where run_id = ${r.id}::uuid and width = ${ROLLUP_WIDTHS[ROLLUP_WIDTHS.length - 1]} order by key`)
        ).map((k) => k.key),
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
      args: {
        afterSeq: t.arg.int({ required: false, defaultValue: -1 }),
        first: t.arg.int({ required: false, defaultValue: 1000 }),
      },
      resolve: (r, a, ctx) =>
        ctx.h.rows<LogLine>(sql`select seq, stream, line, time from log_lines
          where run_id = ${r.id}::uuid and seq > ${a.afterSeq ?? -1} order by seq limit ${Math.min(a.first ?? 1000, 10_000)}`),
    }),
    artifacts: t.field({
      type: [ArtifactRef],
      resolve: (r, _a, ctx) =>
        ctx.h.rows<ArtifactRow>(
          sql`select * from artifacts where run_id = ${r.id}::uuid order by created_at`,
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

const Project = builder.node(builder.objectRef<ProjectRow>('Project'), {
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

/** Checks and loads the project named by id (`project_<uuid>` or uuid) or name. */
async function projectFor(ctx: Context, ref: string, role: Role): Promise<ProjectRow> {
  let p: ProjectRow | null = null;
  if (UUID.test(ref.replace(/^project_/, '')))
    p = await ctx.loaders.projects.load(parseId(ref, 'project', 'projectId'));
  else [p] = await ctx.h.rows<ProjectRow>(sql`select * from projects where name = ${ref}`);
  if (!p) {
    requireViewer(ctx.viewer); // anonymous → UNAUTHENTICATED first
    throw new ApiError('NOT_FOUND', `project ${ref} not found`);
  }
  requireRole(ctx.viewer, p.id, role);
  return p;
}

interface UserRow {
  id: string;
  email: string;
  name: string;
}
const UserRef = builder.objectRef<UserRow>('User').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    email: t.exposeString('email'),
    name: t.exposeString('name'),
    projects: t.field({
      type: [Project],
      resolve: async (u, _a, ctx) => {
        const rows =
          await ctx.h.rows<ProjectRow>(sql`select p.* from projects p join memberships m on m.project_id = p.id
          where m.user_id = ${u.id}::uuid order by p.name`);
        // Another user's memberships are visible only where the viewer is a member too.
        return rows.filter((p) => ctx.viewer?.userId === u.id || ctx.viewer?.roles.has(p.id));
      },
    }),
  }),
});

const userById = async (ctx: Context, id: string) =>
  (await ctx.h.rows<UserRow>(sql`select id, email, name from users where id = ${id}::uuid`))[0];

builder.queryType({
  fields: (t) => ({
    health: t.string({
      description: 'Always "ok"; the only field anonymous requests may read.',
      resolve: () => 'ok',
    }),
    me: t.field({
      type: UserRef,
      nullable: true,
      description: 'The signed-in user (API key or session), or null.',
      resolve: (_p, _a, ctx) => (ctx.viewer ? userById(ctx, ctx.viewer.userId) : null),
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
        args: {
          project: t.arg.string({ required: true, description: 'project id or name' }),
          filter: t.arg({ type: RunFilterInput, required: false }),
          orderBy: t.arg({ type: [RunOrderInput], required: false }),
        },
        resolve: async (_p, a, ctx) => {
          const p = await projectFor(ctx, a.project, 'viewer');
          const where = sql`r.project_id = ${p.id}::uuid and (${a.filter ? compileFilter(a.filter) : sql`true`})`;
          const order = compileOrder(a.orderBy?.map((o) => ({ field: o.field, direction: o.direction })));
          const [{ n }] = await ctx.h.rows<{ n: number }>(
            sql`select count(*)::int as n from runs r where ${where}`,
          );
          const connection = await resolveOffsetConnection(
            { args: a, defaultSize: 50, maxSize: 500 },
            async ({ limit, offset }) => {
              const rows = await ctx.h.rows<RunRow>(
                sql`select r.* from runs r where ${where} order by ${order} limit ${limit} offset ${offset}`,
              );
              for (const r of rows) ctx.loaders.runs.prime(r.id, r);
              return rows;
            },
          );
          return { ...connection, totalCount: Number(n) };
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

const LogLineInput = builder.inputType('LogLineInput', {
  fields: (t) => ({
    seq: t.int({ required: true, description: 'client sequence number: a replayed line is stored once' }),
    stream: t.string({ required: false, defaultValue: 'stdout' }),
    line: t.string({ required: true }),
    time: t.field({ type: 'DateTime', required: false }),
  }),
});

async function publishRun(ctx: Context, id: string): Promise<RunRow> {
  ctx.loaders.runs.clear(id);
  const run = (await ctx.loaders.runs.load(id))!;
  ctx.pubsub.publish('runUpdated', run.project_id, run);
  return run;
}

builder.mutationType({
  fields: (t) => ({
    createRun: t.field({
      type: Run,
      description:
        'A new run in a project — or, given the id of an existing run of that project, that run resumed (status running). A new id (run_<uuid>) chosen by the client makes retries idempotent.',
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
      },
      resolve: async (_p, a, ctx) => {
        const p = await projectFor(ctx, a.project, 'member');
        if (
          a.config !== undefined &&
          a.config !== null &&
          (typeof a.config !== 'object' || Array.isArray(a.config))
        )
          throw badInput('config', 'must be a JSON object');
        // A client-chosen id makes creation idempotent (the SDK replays it from its spool): an existing run
        // with that id is resumed, otherwise the run is created under it.
        const id = a.id ? parseId(String(a.id), 'run', 'id') : null;
        const existing = id ? await ctx.loaders.runs.load(id) : null;
        if (existing) {
          const run = await loadRun(ctx, String(a.id), 'member', 'id');
          if (run.project_id !== p.id)
            throw new ApiError('CONFLICT', `run ${a.id} belongs to another project`, 'id');
          await ctx.h.rows(sql`update runs set status = 'running', heartbeat_at = now(), finished_at = null,
            started_at = coalesce(started_at, now()) where id = ${run.id}::uuid`);
          return publishRun(ctx, run.id);
        }
        const status = a.status ?? 'running';
        const [row] = await ctx.h.rows<{ id: string }>(sql`
          insert into runs (id, project_id, name, status, config, tags, "group", notes, host, gpu, started_at, heartbeat_at)
          values (${id ?? sql`gen_random_uuid()`}::uuid, ${p.id}::uuid, ${a.name ?? `run-${new Date().toISOString()}`}, ${status}::run_status,
            ${JSON.stringify(a.config ?? {})}::jsonb, ${pgArray(a.tags ?? [])}::text[], ${a.group ?? null},
            ${a.notes ?? ''}, ${a.host ?? null}, ${a.gpu === undefined || a.gpu === null ? null : JSON.stringify(a.gpu)}::jsonb,
            ${status === 'running' ? sql`now()` : null}, ${status === 'running' ? sql`now()` : null})
          returning id`);
        return publishRun(ctx, row.id);
      },
    }),
    login: t.field({
      type: UserRef,
      description: 'Signs in with a password: sets an HTTP-only session cookie (30 days).',
      args: { email: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
      resolve: async (_p, a, ctx) => {
        const [u] = await ctx.h.rows<UserRow & { password_hash: string | null }>(
          sql`select id, email, name, password_hash from users where email = ${a.email.trim().toLowerCase()}`,
        );
        // The same answer for an unknown email and a wrong password.
        if (!u || !(await verifyPassword(a.password, u.password_hash)))
          throw new ApiError('UNAUTHENTICATED', 'wrong email or password');
        const token = await createSession(ctx.h, u.id);
        ctx.setCookie(`${SESSION_COOKIE}=${token}; Max-Age=${SESSION_DAYS * 86_400}`);
        return { id: u.id, email: u.email, name: u.name };
      },
    }),
    logout: t.boolean({
      description: 'Ends the session of this browser.',
      resolve: async (_p, _a, ctx) => {
        ctx.setCookie(`${SESSION_COOKIE}=; Max-Age=0`);
        if (ctx.session) await ctx.h.rows(sql`delete from sessions where hash = ${hashKey(ctx.session)}`);
        return true;
      },
    }),
    createUser: t.field({
      type: UserRef,
      description: 'An account, added by an admin of a project, who joins that project with `role`.',
      args: {
        project: t.arg.string({ required: true }),
        email: t.arg.string({ required: true }),
        name: t.arg.string({ required: true }),
        password: t.arg.string({ required: true }),
        role: t.arg.string({ required: false, defaultValue: 'member' }),
      },
      resolve: async (_p, a, ctx) => {
        const p = await projectFor(ctx, a.project, 'admin');
        const email = a.email.trim().toLowerCase();
        if (!/^[^@\s]+@[^@\s]+$/.test(email))
          throw badInput('email', `'${a.email}' is not an e-mail address`);
        if (a.password.length < 10) throw badInput('password', 'must be at least 10 characters');
        const role = a.role ?? 'member';
        if (!['viewer', 'member', 'admin'].includes(role)) throw badInput('role', 'viewer, member or admin');
        const [u] = await ctx.h.rows<UserRow>(sql`insert into users (email, name, password_hash)
          values (${email}, ${a.name}, ${await hashPassword(a.password)}) on conflict (email) do nothing
          returning id, email, name`);
        if (!u) throw new ApiError('CONFLICT', `a user with e-mail ${email} exists`, 'email');
        await ctx.h.rows(sql`insert into memberships values (${p.id}::uuid, ${u.id}::uuid, ${role}::role)`);
        return u;
      },
    }),
    createApiKey: t.field({
      type: 'String',
      description: 'A new API key for the signed-in user, shown only in this response.',
      args: { name: t.arg.string({ required: true }) },
      resolve: async (_p, a, ctx) => {
        requireViewer(ctx.viewer);
        return (await createApiKey(ctx.h, ctx.viewer.userId, a.name)).key;
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
        const name = a.name ?? (typeof config.name === 'string' ? config.name : 'run');
        const [row] = await ctx.h.rows<{ id: string }>(sql`
          insert into runs (project_id, name, status, config, tags, "group")
          values (${p.id}::uuid, ${name}, 'queued', ${JSON.stringify(config)}::jsonb, ${pgArray(a.tags ?? [])}::text[], ${a.group ?? null})
          returning id`);
        const jobId = await ctx.queue.send(RUNS_QUEUE, { runId: row.id } satisfies RunJob);
        await ctx.h.rows(sql`update runs set job_id = ${jobId} where id = ${row.id}::uuid`);
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
        await ctx.h.rows(sql`update runs set stop_requested_at = coalesce(stop_requested_at, now()),
          stop_reason = coalesce(stop_reason, 'user'),
          status = case when status = 'queued' then 'stopped'::run_status else status end,
          finished_at = case when status = 'queued' then now() else finished_at end
          where id = ${run.id}::uuid`);
        return publishRun(ctx, run.id);
      },
    }),
    logMetrics: t.field({
      type: 'Int',
      description: `Appends up to ${MAX_POINTS_PER_CALL} points; returns how many were new. One point per (key, step): replaying a batch is harmless. NaN and ±Infinity are stored.`,
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
        let n: number;
        try {
          n = await insertPoints(ctx.h, id, a.points as PointInput[]);
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
        if (n) {
          let maxStep = 0;
          for (const p of a.points) maxStep = Math.max(maxStep, p.step);
          const keys = [...new Set(a.points.map((p) => p.key))];
          ctx.pubsub.publish('metricsAppended', id, { runId: `run_${id}`, keys, maxStep, count: n });
        }
        return n;
      },
    }),
    heartbeat: t.field({
      type: Run,
      args: { runId: t.arg.id({ required: true }) },
      resolve: async (_p, a, ctx) => {
        const run = await loadRun(ctx, String(a.runId), 'member');
        await ctx.h.rows(sql`update runs set heartbeat_at = now() where id = ${run.id}::uuid`);
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
        if (typeof a.summary !== 'object' || a.summary === null || Array.isArray(a.summary))
          throw badInput('summary', 'must be a JSON object');
        const value = sql`${JSON.stringify(a.summary)}::jsonb`;
        await ctx.h.rows(sql`update runs set summary = ${a.merge === false ? value : sql`summary || ${value}`}
          where id = ${run.id}::uuid`);
        return publishRun(ctx, run.id);
      },
    }),
    setTags: t.field({
      type: Run,
      args: { runId: t.arg.id({ required: true }), tags: t.arg.stringList({ required: true }) },
      resolve: async (_p, a, ctx) => {
        const run = await loadRun(ctx, String(a.runId), 'member');
        await ctx.h.rows(sql`update runs set tags = ${pgArray(a.tags)}::text[] where id = ${run.id}::uuid`);
        return publishRun(ctx, run.id);
      },
    }),
    setNotes: t.field({
      type: Run,
      args: { runId: t.arg.id({ required: true }), notes: t.arg.string({ required: true }) },
      resolve: async (_p, a, ctx) => {
        const run = await loadRun(ctx, String(a.runId), 'member');
        await ctx.h.rows(sql`update runs set notes = ${a.notes} where id = ${run.id}::uuid`);
        return publishRun(ctx, run.id);
      },
    }),
    appendLogs: t.field({
      type: 'Int',
      description: 'Appends console lines; returns how many were new ((run, seq) is unique).',
      args: { runId: t.arg.id({ required: true }), lines: t.arg({ type: [LogLineInput], required: true }) },
      resolve: async (_p, a, ctx) => {
        const run = await loadRun(ctx, String(a.runId), 'member');
        if (a.lines.length > 10_000) throw badInput('lines', 'at most 10000 lines per call');
        if (!a.lines.length) return 0;
        const [{ n }] = await ctx.h.rows<{ n: number }>(sql`with ins as (
          insert into log_lines (run_id, seq, stream, line, time)
          select ${run.id}::uuid, s, st, l, t from unnest(${pgArray(a.lines.map((l) => String(l.seq)))}::int[],
            ${pgArray(a.lines.map((l) => l.stream ?? 'stdout'))}::text[], ${pgArray(a.lines.map((l) => l.line))}::text[],
            ${pgArray(a.lines.map((l) => (l.time ?? new Date()).toISOString()))}::timestamptz[]) u(s, st, l, t)
          on conflict (run_id, seq) do nothing returning 1) select count(*)::int as n from ins`);
        return Number(n);
      },
    }),
    logArtifact: t.field({
      type: ArtifactRef,
      args: {
        runId: t.arg.id({ required: true }),
        kind: t.arg({ type: ArtifactKindEnum, required: true }),
        name: t.arg.string({ required: true }),
        location: t.arg.string({ required: true }),
        size: t.arg.float({ required: true }),
        sha256: t.arg.string({ required: true }),
        metadata: t.arg({ type: 'JSON', required: false }),
      },
      resolve: async (_p, a, ctx) => {
        const run = await loadRun(ctx, String(a.runId), 'member');
        if (!/^[0-9a-f]{64}$/.test(a.sha256)) throw badInput('sha256', 'must be 64 lowercase hex digits');
        if (!Number.isSafeInteger(a.size) || a.size < 0)
          throw badInput('size', 'must be a non-negative integer');
        const [row] =
          await ctx.h.rows<ArtifactRow>(sql`insert into artifacts (run_id, kind, name, location, size, sha256, metadata)
          values (${run.id}::uuid, ${a.kind}::artifact_kind, ${a.name}, ${a.location}, ${a.size}, ${a.sha256},
            ${JSON.stringify(a.metadata ?? {})}::jsonb) returning *`);
        return row;
      },
    }),
    finishRun: t.field({
      type: Run,
      args: {
        runId: t.arg.id({ required: true }),
        status: t.arg({ type: RunStatusEnum, required: false, defaultValue: 'finished' }),
        summary: t.arg({ type: 'JSON', required: false }),
      },
      resolve: async (_p, a, ctx) => {
        const run = await loadRun(ctx, String(a.runId), 'member');
        const status = a.status ?? 'finished';
        if (status === 'queued' || status === 'running')
          throw badInput(
            'status',
            `a finished run ends as finished, failed, crashed, stopped or pruned, not ${status}`,
          );
        const summary = a.summary ? sql`summary || ${JSON.stringify(a.summary)}::jsonb` : sql`summary`;
        await ctx.h.rows(sql`update runs set status = ${status}::run_status, finished_at = now(), summary = ${summary}
          where id = ${run.id}::uuid`);
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

interface SweepStats {
  row: SweepRow;
  runs: RunRow[];
}

const StatusCountRef = builder.objectRef<{ status: string; count: number }>('StatusCount').implement({
  fields: (t) => ({ status: t.exposeString('status'), count: t.exposeInt('count') }),
});
const ImportanceRef = builder
  .objectRef<{ parameter: string; spearman: number }>('ParameterImportance')
  .implement({
    description:
      "Spearman rank correlation between a numeric parameter and the sweep's metric over finished runs.",
    fields: (t) => ({
      parameter: t.exposeString('parameter'),
      spearman: t.field({ type: 'Double', resolve: (i) => i.spearman }),
    }),
  });
const BestRef = builder.objectRef<{ run: RunRow; value: number }>('SweepBest').implement({
  fields: (t) => ({
    run: t.field({ type: Run, resolve: (b) => b.run }),
    value: t.field({ type: 'Double', resolve: (b) => b.value }),
  }),
});

/** Finished (or pruned) runs of a sweep in the order they were proposed, with their metric value. */
function scored(s: SweepStats): { run: RunRow; value: number }[] {
  return s.runs
    .filter((r) => (r.status === 'finished' || r.status === 'pruned') && r.sweep_params)
    .map((r) => ({ run: r, value: objective(s.row.config, r.summary) }))
    .filter((x) => Number.isFinite(x.value))
    .sort((a, b) => proposalNumber(a.run) - proposalNumber(b.run));
}
const proposalNumber = (r: RunRow) => Number(/-(\d+)$/.exec(r.name)?.[1] ?? 0);
const sign = (s: SweepStats) => (s.row.config.metric.goal === 'maximize' ? -1 : 1);

const Sweep = builder.objectRef<SweepStats>('Sweep').implement({
  description: 'A hyperparameter search: its config, state, runs and what it has found so far.',
  fields: (t) => ({
    id: t.id({ resolve: (s) => `sweep_${s.row.id}` }),
    name: t.string({ resolve: (s) => s.row.name }),
    state: t.string({ resolve: (s) => s.row.state }),
    config: t.field({ type: 'JSON', resolve: (s) => s.row.config }),
    baseConfig: t.field({ type: 'JSON', resolve: (s) => s.row.base_config }),
    proposals: t.int({ resolve: (s) => s.row.proposals }),
    counts: t.field({
      type: [StatusCountRef],
      resolve: (s) => {
        const m = new Map<string, number>();
        for (const r of s.runs) m.set(r.status, (m.get(r.status) ?? 0) + 1);
        return [...m]
          .map(([status, count]) => ({ status, count }))
          .sort((a, b) => a.status.localeCompare(b.status));
      },
    }),
    best: t.field({
      type: BestRef,
      nullable: true,
      resolve: (s) => {
        const all = scored(s);
        if (!all.length) return null;
        const b = all.reduce((x, y) => (y.value < x.value ? y : x));
        return { run: b.run, value: sign(s) * b.value };
      },
    }),
    bestSoFar: t.field({
      type: ['Double'],
      description: 'The best metric value after each finished run, in proposal order.',
      resolve: (s) => {
        let best = Number.POSITIVE_INFINITY;
        return scored(s).map((x) => {
          best = Math.min(best, x.value);
          return sign(s) * best;
        });
      },
    }),
    importance: t.field({
      type: [ImportanceRef],
      resolve: (s) => {
        const all = scored(s);
        const numeric = dimensions(s.row.config.parameters).filter(
          (d) => d.kind !== 'constant' && d.kind !== 'categorical',
        );
        return numeric
          .map((d) => ({
            parameter: d.path,
            spearman: spearman(
              all.map((x) => Number(x.run.sweep_params?.[d.path])),
              all.map((x) => sign(s) * x.value),
            ),
          }))
          .sort((a, b) => Math.abs(b.spearman || 0) - Math.abs(a.spearman || 0));
      },
    }),
    runs: t.field({ type: [Run], resolve: (s) => s.runs }),
  }),
});

async function loadSweep(ctx: Context, id: string, role: Role, field = 'id'): Promise<SweepStats> {
  const [row] = await ctx.h.rows<SweepRow>(
    sql`select * from sweeps where id = ${parseId(id, 'sweep', field)}::uuid`,
  );
  if (!row || !ctx.viewer?.roles.has(row.project_id)) {
    requireViewer(ctx.viewer);
    throw new ApiError('NOT_FOUND', `sweep ${id} not found`);
  }
  requireRole(ctx.viewer, row.project_id, role);
  const runs = await ctx.h.rows<RunRow>(
    sql`select * from runs where sweep_id = ${row.id}::uuid order by created_at`,
  );
  return { row, runs };
}

builder.queryField('sweep', (t) =>
  t.field({
    type: Sweep,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_p, a, ctx) => loadSweep(ctx, String(a.id), 'viewer'),
  }),
);

/** A config error at `prefix.<path>` as a BAD_INPUT naming it. */
function configError(prefix: string, e: unknown): never {
  const issues = (e as Partial<ConfigIssues>).issues;
  if (!issues?.length) throw e;
  const i = issues[0];
  throw badInput(
    `${prefix}${i.path ? `.${i.path}` : ''}`,
    issues.map((x) => `${x.path || '(root)'}: ${x.message}`).join('; '),
  );
}

builder.mutationFields((t) => ({
  createSweep: t.field({
    type: Sweep,
    description:
      'A hyperparameter sweep in the W&B sweep format (a JSON object, or YAML/JSON text) over a base run config; runs are proposed and queued right away (max_parallel at a time).',
    args: {
      project: t.arg.string({ required: true }),
      config: t.arg({ type: 'JSON', required: true }),
      baseConfig: t.arg({ type: 'JSON', required: true }),
      name: t.arg.string({ required: false }),
    },
    resolve: async (_p, a, ctx) => {
      const p = await projectFor(ctx, a.project, 'member');
      if (!ctx.queue || !ctx.validateConfig)
        throw new ApiError('CONFLICT', 'this API server launches no runs (start it with `anneal api`)');
      let cfg: SweepConfig;
      try {
        cfg = parseSweepConfig(a.config);
      } catch (e) {
        configError('config', e);
      }
      try {
        ctx.validateConfig(a.baseConfig);
      } catch (e) {
        configError('baseConfig', e);
      }
      try {
        // A first proposal must make a valid run config: a parameter path the trainer does not know is caught here.
        ctx.validateConfig(applyParams(a.baseConfig as Record<string, unknown>, propose(cfg, 0, [])));
      } catch (e) {
        configError('config.parameters', e);
      }
      const name = a.name ?? cfg.name ?? `sweep-${new Date().toISOString().slice(0, 19)}`;
      const [row] = await ctx.h.rows<SweepRow>(sql`insert into sweeps (project_id, name, config, base_config)
        values (${p.id}::uuid, ${name}, ${JSON.stringify(cfg)}::jsonb, ${JSON.stringify(a.baseConfig)}::jsonb) returning *`);
      await tickSweep({ h: ctx.h, queue: ctx.queue, validateConfig: ctx.validateConfig }, row);
      return loadSweep(ctx, row.id, 'viewer');
    },
  }),
  pauseSweep: t.field({
    type: Sweep,
    description: 'Stops proposing runs (running ones continue).',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_p, a, ctx) => {
      const s = await loadSweep(ctx, String(a.id), 'member');
      await ctx.h.rows(
        sql`update sweeps set state = 'paused' where id = ${s.row.id}::uuid and state = 'running'`,
      );
      return loadSweep(ctx, String(a.id), 'viewer');
    },
  }),
  resumeSweep: t.field({
    type: Sweep,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_p, a, ctx) => {
      const s = await loadSweep(ctx, String(a.id), 'member');
      await ctx.h.rows(
        sql`update sweeps set state = 'running' where id = ${s.row.id}::uuid and state = 'paused'`,
      );
      return loadSweep(ctx, String(a.id), 'viewer');
    },
  }),
  cancelSweep: t.field({
    type: Sweep,
    description: 'Ends the sweep: no more proposals, queued runs stopped, running runs asked to stop.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_p, a, ctx) => {
      const s = await loadSweep(ctx, String(a.id), 'member');
      await ctx.h.rows(sql`update sweeps set state = 'cancelled' where id = ${s.row.id}::uuid`);
      await ctx.h.rows(sql`update runs set stop_requested_at = coalesce(stop_requested_at, now()), stop_reason = coalesce(stop_reason, 'user'),
          status = case when status = 'queued' then 'stopped'::run_status else status end,
          finished_at = case when status = 'queued' then now() else finished_at end
        where sweep_id = ${s.row.id}::uuid and status in ('queued', 'running')`);
      return loadSweep(ctx, String(a.id), 'viewer');
    },
  }),
}));

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

export const schema = builder.toSchema({ sortSchema: true });
