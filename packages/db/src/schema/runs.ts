// Runs and everything they log: metric points and console lines (artifacts: artifacts.ts).
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { projects } from './auth.ts';

export const runStatus = pgEnum('run_status', [
  'queued',
  'running',
  'finished',
  'failed',
  'crashed',
  'stopped',
  'pruned',
]);

export const sweepState = pgEnum('sweep_state', ['running', 'paused', 'finished', 'cancelled']);

/**
 * Hyperparameter sweeps. Everything the controller needs lives here and in the sweep's runs, so a restarted
 * API picks a sweep up where it was: proposals are functions of (seed, proposal number, finished trials).
 */
export const sweeps = pgTable('sweeps', {
  id: uuid().primaryKey().default(sql`gen_random_uuid()`),
  projectId: uuid()
    .notNull()
    .references(() => projects.id, { onDelete: 'cascade' }),
  name: text().notNull(),
  /** The sweep config (W&B format), parsed and with defaults. */
  config: jsonb().notNull(),
  /** The run config every proposal overrides. */
  baseConfig: jsonb().notNull(),
  state: sweepState().notNull().default('running'),
  /** Proposals made so far (the next one's number). */
  proposals: integer().notNull().default(0),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const runs = pgTable(
  'runs',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    status: runStatus().notNull().default('queued'),
    config: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    summary: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    tags: text().array().notNull().default(sql`'{}'::text[]`),
    group: text(),
    notes: text().notNull().default(''),
    host: text(),
    /** The WebGPU adapter the run trained on (vendor, architecture, description). */
    gpu: jsonb(),
    sweepId: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
    heartbeatAt: timestamp({ withTimezone: true }),
    /**
     * The run's latest attempt (run_attempts.number): 1 until a retry or a resume starts another. Console lines
     * are stored per attempt; a run that never started is at 1 with no attempt row yet.
     */
    attempt: integer().notNull().default(1),
    /** Set by stopRun; the worker running the run stops at its next heartbeat, with a checkpoint. */
    stopRequestedAt: timestamp({ withTimezone: true }),
    /** The queue job (pg-boss) of a launched run. */
    jobId: text(),
    /** Why a stop was requested: 'user' (stopRun) or 'pruned' (a sweep's early termination). */
    stopReason: text(),
    /** Why, in words, for a stop the API decided (a sweep's pruning: the rung, the value and the cutoff). */
    stopDetail: text(),
    /** For a sweep's run: the parameters the sweep chose (paths into the config → values). */
    sweepParams: jsonb().$type<Record<string, unknown>>(),
    /**
     * A fork (W&B's fork_from): the run it branched from, and the step its own history starts at. It was
     * created with a copy of that run's points before forkStep; the source run is left as it was.
     */
    forkedFromId: uuid().references((): AnyPgColumn => runs.id, { onDelete: 'set null' }),
    forkStep: bigint({ mode: 'number' }),
  },
  (t) => [
    index('runs_project_created_idx').on(t.projectId, t.createdAt),
    index('runs_project_status_idx').on(t.projectId, t.status),
    index('runs_sweep_idx').on(t.sweepId),
    index('runs_forked_from_idx').on(t.forkedFromId),
    // The reaper's scan (lifecycle.ts reapCrashed): running runs by heartbeat, however many runs have ended.
    index('runs_running_heartbeat_idx').on(t.heartbeatAt).where(sql`status = 'running'`),
  ],
);

/**
 * Each time a run starts: the first start, a queue retry after a crash, `anneal train` resuming the run. The
 * run's status is its latest attempt's; an attempt that ended otherwise than finished says why (`reason`).
 */
export const runAttempts = pgTable(
  'run_attempts',
  {
    runId: uuid()
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    /** 1, 2, …: runs.attempt is the latest. */
    number: integer().notNull(),
    status: runStatus().notNull().default('running'),
    startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
    /** The machine it ran on, where the starter said. */
    host: text(),
    /** Why it ended, where not plainly finished: 'no heartbeat for 60 s', 'attempt 3 started', a stop's reason. */
    reason: text(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.number] })],
);

/** One point per (run, key, step): a retried write is idempotent. NaN and ±Inf are stored as such. */
export const metricPoints = pgTable(
  'metric_points',
  {
    runId: uuid()
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    key: text().notNull(),
    step: bigint({ mode: 'number' }).notNull(),
    wallTime: timestamp({ withTimezone: true }).notNull(),
    value: doublePrecision().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.key, t.step] })],
);

/**
 * Points a rewind removed (rewindRun: a retry or a resume from an older checkpoint logs those steps again),
 * kept so an earlier attempt's history stays readable. `attempt` is the attempt that rewound: the points were
 * logged before it started (or by itself, before it rewound again). Written only by the rewind statement, so
 * ingestion pays nothing for it.
 */
export const rewoundPoints = pgTable(
  'rewound_points',
  {
    runId: uuid()
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    attempt: integer().notNull(),
    key: text().notNull(),
    step: bigint({ mode: 'number' }).notNull(),
    wallTime: timestamp({ withTimezone: true }).notNull(),
    value: doublePrecision().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.attempt, t.key, t.step] })],
);

/**
 * Pre-aggregated metric points for fast overviews of long series (step axis): for each width w in
 * ROLLUP_WIDTHS, one row per (run, key, step / w) with the min, max, sum, count and last value of its points.
 * Maintained in the same statement that inserts the points, from the rows actually inserted.
 */
export const ROLLUP_WIDTHS = [64, 1024, 16384] as const;

export const metricRollups = pgTable(
  'metric_rollups',
  {
    runId: uuid()
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    key: text().notNull(),
    width: integer().notNull(),
    bucket: bigint({ mode: 'number' }).notNull(),
    xMin: bigint({ mode: 'number' }).notNull(),
    xMax: bigint({ mode: 'number' }).notNull(),
    vMin: doublePrecision().notNull(),
    vMax: doublePrecision().notNull(),
    vSum: doublePrecision().notNull(),
    n: integer().notNull(),
    vLast: doublePrecision().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.key, t.width, t.bucket] })],
);

export const logLines = pgTable(
  'log_lines',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    runId: uuid()
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    /** The run attempt that printed it (run_attempts.number); each attempt numbers its lines from 0. */
    attempt: integer().notNull().default(1),
    /** Client-side sequence number: (run, attempt, seq) is unique so a replayed batch is not stored twice. */
    seq: integer().notNull(),
    stream: text().notNull().default('stdout'),
    line: text().notNull(),
    time: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('log_lines_run_attempt_seq_idx').on(t.runId, t.attempt, t.seq)],
);

/**
 * Tables a run logged (W&B's wandb.Table; text samples are one-column tables): one row per (run, key, step)
 * with the column names, and the table's rows in run_table_rows so they are paged, filtered and sorted in SQL.
 * A logged table is immutable: a replay of the same content is accepted and stores nothing, other content at
 * the same key and step is refused. `digest` (sha256 of the columns and rows as JSON) tells the two apart.
 */
export const runTables = pgTable(
  'run_tables',
  {
    runId: uuid()
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    key: text().notNull(),
    step: bigint({ mode: 'number' }).notNull(),
    columns: text().array().notNull(),
    rowCount: integer().notNull(),
    digest: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.key, t.step] })],
);

/** A logged table's rows, in logged order (`idx` from 0): `cells` is a JSON array, one scalar per column. */
export const runTableRows = pgTable(
  'run_table_rows',
  {
    runId: uuid().notNull(),
    key: text().notNull(),
    step: bigint({ mode: 'number' }).notNull(),
    idx: integer().notNull(),
    cells: jsonb().$type<(string | number | boolean | null)[]>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.runId, t.key, t.step, t.idx] }),
    foreignKey({
      columns: [t.runId, t.key, t.step],
      foreignColumns: [runTables.runId, runTables.key, runTables.step],
    }).onDelete('cascade'),
  ],
);
