// The GraphQL schema's foundation: the Pothos builder (Relay plugin, prefixed global ids), the scalars
// (JSON, Double with NaN/±Infinity, DateTime), the shared enums, the request context with its DataLoaders, and
// the access helpers every resolver goes through (loadRun, projectFor). The types live in runs.ts, users.ts and
// ../sweeps/graphql.ts; ../schema.ts assembles them.

import type { DbHandle } from '@anneal/db/client';
import { runStatus } from '@anneal/db/schema/runs';
import SchemaBuilder from '@pothos/core';
import RelayPlugin from '@pothos/plugin-relay';
import DataLoader from 'dataloader';
import { sql } from 'drizzle-orm';
import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { createPubSub } from 'graphql-yoga';
import type PgBoss from 'pg-boss';
import { type Role, requireRole, requireViewer, type Viewer } from '../auth.ts';
import { ApiError, badInput } from '../errors.ts';
import { FILTER_OPS } from '../filter.ts';
import { querySeries, type Series, type SeriesOptions } from '../metrics.ts';

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
  /** The latest attempt (run_attempts.number). */
  attempt: number;
  stop_requested_at: Date | null;
  job_id: string | null;
  stop_reason: string | null;
  stop_detail: string | null;
  sweep_id: string | null;
  sweep_params: Record<string, unknown> | null;
  forked_from_id: string | null;
  /** bigint: a string from node-postgres. */
  fork_step: string | number | null;
}

export interface ProjectRow {
  id: string;
  name: string;
  description: string;
  created_at: Date;
}

export type ApiEvents = {
  runUpdated: [projectId: string, run: RunRow];
  metricsAppended: [runId: string, event: { runId: string; keys: string[]; maxStep: number; count: number }];
};
export type PubSub = ReturnType<typeof createPubSub<ApiEvents>>;
/** Live events within this process; events.ts shares them between API processes on one Postgres. */
export const createApiPubSub = (eventTarget?: EventTarget): PubSub =>
  createPubSub<ApiEvents>({ eventTarget });

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
  /** Where the shipped bases are (one directory each, with anneal.json), if this API offers them. */
  basesDir: string | null;
  /** The dashboard's base URL, if this API knows it (`anneal start`, or ANNEAL_WEB_URL). */
  dashboardUrl: string | null;
  /** Adds a Set-Cookie to the response (attributes Path, HttpOnly, SameSite and Secure are appended). */
  setCookie: (value: string) => void;
  /** The session token the request was authenticated with, if a cookie. */
  session: string | null;
  /** The client's address (a trusted proxy's X-Forwarded-For, else the socket's peer; '' in-process). */
  clientAddress: string;
  /**
   * Whether this request may sign in as the local admin without a password: embedded single-user mode, and the
   * request came from this machine to a loopback name (server.ts `localSignIn`).
   */
  localSignIn: boolean;
  /** Memberships or API keys changed: cached key verifications are forgotten, so new roles apply at once. */
  accessChanged: () => void;
}

/** What validateConfig throws: each offending key with its message. */
export interface ConfigIssues {
  /** `keys`: the unknown keys of the object at `path`. */
  issues: { path: string; message: string; keys?: string[] }[];
}

const ID_PREFIX: Record<string, string> = { Run: 'run', Project: 'project', Sweep: 'sweep' };
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
export async function loadRun(ctx: Context, id: string, role: Role, field = 'runId'): Promise<RunRow> {
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

export const builder = new SchemaBuilder<{
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

export const RunStatusEnum = builder.enumType('RunStatus', { values: RUN_STATUSES });
export const XAxisEnum = builder.enumType('XAxis', {
  values: {
    step: { description: 'the step number' },
    wallTime: { description: 'epoch milliseconds' },
    relativeTime: { description: 'seconds since the run started' },
  },
});
export const FilterOpEnum = builder.enumType('FilterOp', { values: FILTER_OPS });
export const DirectionEnum = builder.enumType('Direction', { values: ['ASC', 'DESC'] as const });

/** Checks and loads the project named by id (`project_<uuid>` or uuid) or name. */
export async function projectFor(ctx: Context, ref: string, role: Role): Promise<ProjectRow> {
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
