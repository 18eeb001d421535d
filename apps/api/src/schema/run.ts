// Runs: the Run type (config, status, summary, tags, forks), reading runs (run, runs with filters and keyset
// pages, compare), the tracking client's writes (createRun — also resume and fork —, heartbeat, finishRun,
// summary, tags, name, notes), stopping and deleting, and the runUpdated subscription. A run's metrics, logs,
// attempts and artifacts are their own files, which add fields to Run.

import { randomUUID } from 'node:crypto';
import { runStatus } from '@anneal/db/schema/runs';
import { type SQL, sql } from 'drizzle-orm';
import { loadRun, parseId, projectFor, whileAllowed } from '../access.ts';
import { requireRole } from '../auth.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { ApiError, badInput } from '../errors.ts';
import { compileFilter, compileSearch, compileSort } from '../filter.ts';
import {
  checkJson,
  checkJsonObject,
  checkList,
  checkName,
  checkRunName,
  checkTags,
  checkText,
  LIMITS,
} from '../limits.ts';
import { forkHistory, pgArray } from '../metrics.ts';
import type { RunRow } from '../rows.ts';
import * as lifecycle from '../runs/lifecycle.ts';
import { Project } from './project.ts';
import { RunFilterInput, RunOrderInput } from './run-filter.ts';

export const RUN_STATUSES = runStatus.enumValues;
export const RunStatusEnum = builder.enumType('RunStatus', { values: RUN_STATUSES });

export const ATTEMPT_ARG = "an attempt's number (Run.attempts); the latest when omitted";

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
  }),
});

builder.queryFields((t) => ({
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
        search: t.arg.string({
          required: false,
          description:
            "words that must each occur in a run's name, notes, a tag or its id (case-insensitive; at most 200 characters)",
        }),
        orderBy: t.arg({
          type: [RunOrderInput],
          required: false,
          description:
            'sort keys; a config/summary value that is NaN or null sorts after every value, ascending or descending',
        }),
      },
      resolve: async (_p, a, ctx) => {
        const p = await projectFor(ctx, a.project, 'viewer');
        if (a.last != null || a.before != null)
          throw badInput(a.last != null ? 'last' : 'before', 'runs pages forward: use first and after');
        const size = a.first ?? 50;
        if (!Number.isInteger(size) || size < 0 || size > 500)
          throw badInput('first', `between 0 and 500, got ${size}`);
        const where = sql`r.project_id = ${p.id}::uuid and (${a.filter ? compileFilter(a.filter) : sql`true`})
          and ${a.search ? compileSearch(a.search) : sql`true`}`;
        const sort = compileSort(a.orderBy?.map((o) => ({ field: o.field, direction: o.direction })));
        const after = a.after ? sort.after(a.after, 'after') : sql`true`;
        const [[{ n }], rows] = await Promise.all([
          ctx.h.rows<{ n: number }>(sql`select count(*)::int as n from runs r where ${where}`),
          ctx.h.rows<RunRow & { cursor_values: string }>(sql`select r.*, ${sort.cursorValues} as cursor_values
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
    // Each run once, in the order first named: a run named again adds nothing to a comparison.
    resolve: (_p, a, ctx) => {
      const ids = checkList(a.runIds, 'runIds').map(String);
      return Promise.all(
        ids.flatMap((id, i) => (ids.indexOf(id) === i ? [loadRun(ctx, id, 'viewer', `runIds[${i}]`)] : [])),
      );
    },
  }),
}));

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

/** The attempt an argument names (1 to the run's latest), or the latest; an error naming `attempt` otherwise. */
export function attemptOf(run: RunRow, attempt: number | null | undefined): number {
  if (attempt == null) return run.attempt;
  if (!Number.isInteger(attempt) || attempt < 1 || attempt > run.attempt)
    throw badInput('attempt', `run ${run.id} has attempts 1 to ${run.attempt}, not ${attempt}`);
  return attempt;
}

export async function publishRun(ctx: Context, id: string): Promise<RunRow> {
  ctx.loaders.runs.clear(id);
  const run = (await ctx.loaders.runs.load(id))!;
  ctx.pubsub.publish('runUpdated', run.project_id, run);
  return run;
}

/**
 * A member's edit of one run's columns: the run is loaded (NOT_FOUND for anyone else) before `set` checks its
 * input — so a stranger learns nothing from a bad value — then updated and published.
 */
async function editRun(ctx: Context, runId: string | number, set: () => SQL): Promise<RunRow> {
  const run = await loadRun(ctx, String(runId), 'member');
  await ctx.h.rows(sql`update runs set ${set()} where id = ${run.id}::uuid`);
  return publishRun(ctx, run.id);
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

builder.mutationFields((t) => ({
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
          "resuming: join this attempt, which must be the latest and still running (or crashed by the reaper), else CONFLICT; a launched run's client joins its worker's. Without it a resume starts a new attempt",
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
        if (a.attempt != null && a.attempt < 1)
          throw badInput('attempt', `attempts are numbered from 1, not ${a.attempt}`);
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
    resolve: (_p, a, ctx) => editRun(ctx, a.runId, () => sql`tags = ${pgArray(checkTags(a.tags))}::text[]`),
  }),
  renameRun: t.field({
    type: Run,
    description: 'Gives a run another name (1 to 200 characters); its id stays.',
    args: { runId: t.arg.id({ required: true }), name: t.arg.string({ required: true }) },
    resolve: (_p, a, ctx) => editRun(ctx, a.runId, () => sql`name = ${checkRunName(a.name)}`),
  }),
  setNotes: t.field({
    type: Run,
    args: { runId: t.arg.id({ required: true }), notes: t.arg.string({ required: true }) },
    resolve: (_p, a, ctx) =>
      editRun(ctx, a.runId, () => {
        checkText(a.notes, 'notes', LIMITS.notesLength);
        return sql`notes = ${a.notes}`;
      }),
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
        checkList(a.runIds, 'runIds').map((id, i) => loadRun(ctx, String(id), 'member', `runIds[${i}]`)),
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
}));

builder.subscriptionField('runUpdated', (t) =>
  t.field({
    type: Run,
    description: 'Runs of a project as they are created, change status, summary, tags or notes.',
    args: { project: t.arg.string({ required: true }) },
    subscribe: async (_p, a, ctx) => {
      const p = await projectFor(ctx, a.project, 'viewer');
      return whileAllowed(ctx, ctx.pubsub.subscribe('runUpdated', p.id), (viewer) =>
        requireRole(viewer, p.id, 'viewer'),
      );
    },
    resolve: (run) => run,
  }),
);
