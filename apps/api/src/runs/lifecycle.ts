// A run's lifecycle: every change of a run's status goes through one of these named transitions, each one SQL
// statement (so no reader ever sees half of one, and two processes racing each other end in a state one of
// them wrote). Callers: the GraphQL resolvers (launchRun, createRun, stopRun, heartbeat, finishRun), the sweep
// controller (queue, prune), cancelSweep (requestStop), the worker (start, beat) and the reaper (reapCrashed).
//
//   queued ──start──▶ running ──finish──▶ finished | failed | stopped | pruned | crashed
//     │                 │  ▲
//     │ requestStop     │  └── beat (a client-tracked run the reaper took for dead beats again: the API was down,
//     ▼                 │       not the client)
//   stopped             └──reapCrashed──▶ crashed ──start (queue retry, `anneal train` resuming)──▶ running
//
// Each start opens an attempt (run_attempts; runs.attempt is the latest), so a retried run's console and
// rewound points stay apart per attempt. Authorization is the callers' job: these functions trust their ids.

import type { DbHandle } from '@anneal/db/client';
import type { runAttempts, runs } from '@anneal/db/schema/runs';
import { type SQL, sql } from 'drizzle-orm';
import { ApiError } from '../errors.ts';

type Run = typeof runs.$inferSelect;
type Attempt = typeof runAttempts.$inferSelect;

/** What ends a run: any status but queued and running. */
export type EndStatus = Exclude<Run['status'], 'queued' | 'running'>;

/** The heartbeat lapse after which the reaper takes a running run for dead (seconds). */
export const DEFAULT_HEARTBEAT_LAPSE_S = 60;

/** The lapse from ANNEAL_HEARTBEAT_LAPSE_S (seconds, > 0), else the default; a bad value is an error naming it. */
export function heartbeatLapseSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.ANNEAL_HEARTBEAT_LAPSE_S;
  if (raw === undefined || raw === '') return DEFAULT_HEARTBEAT_LAPSE_S;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`ANNEAL_HEARTBEAT_LAPSE_S: a number of seconds above 0, got '${raw}'`);
  return n;
}

/**
 * queue: a queued run gets the queue job that will start it (launchRun, a sweep's proposal). The run row is
 * inserted first, so that a worker claiming the job at once finds it.
 */
export async function queue(h: DbHandle, runId: string, jobId: string | null): Promise<void> {
  await h.rows(sql`update runs set job_id = ${jobId} where id = ${runId}::uuid`);
}

/** The reason the reaper gives the attempt of a run it crashed ('no heartbeat for N s'): its prefix. */
const REAPED = 'no heartbeat for ';

/**
 * start: the run is running, in a new attempt — or, given `join`, in that attempt when it is the run's latest
 * and still running, or crashed by the reaper (a launched run's tracking client joins the attempt its worker
 * started). A `join` that is not joinable changes nothing and throws CONFLICT naming `attempt`. A run that
 * never started begins attempt 1 (joinable as 1); otherwise the latest attempt, if still open, is closed as
 * crashed ('attempt n started').
 * Returns the attempt now running, or null when the run does not exist.
 */
export async function start(
  h: DbHandle,
  runId: string,
  o: { host?: string | null; gpu?: unknown; join?: number | null } = {},
): Promise<Pick<Attempt, 'number'> | null> {
  const host = o.host ?? null;
  const gpu = o.gpu === undefined || o.gpu === null ? null : JSON.stringify(o.gpu);
  const join = o.join ?? null;
  const [row] = await h.rows<{ number: number | null; latest: number | null; status: string | null }>(sql`
    with cur as (
      select r.id, r.attempt, r.started_at is not null as started, a.status::text as status, a.reason
      from runs r left join run_attempts a on a.run_id = r.id and a.number = r.attempt
      where r.id = ${runId}::uuid for update of r),
    ok as (
      select * from cur where ${join}::int is null or (not started and ${join}::int = 1)
        or (${join}::int = attempt and (status = 'running' or (status = 'crashed' and reason like ${`${REAPED}%`})))),
    nxt as (
      select id, case when not started then 1 when attempt = ${join}::int then attempt else attempt + 1 end as n
      from ok),
    closed as (
      update run_attempts a set status = 'crashed', finished_at = now(), reason = 'attempt ' || nxt.n || ' started'
      from nxt where a.run_id = nxt.id and a.number < nxt.n and a.status = 'running' returning 1),
    opened as (
      insert into run_attempts (run_id, number, host) select id, n, ${host} from nxt
      on conflict (run_id, number) do update
        set status = 'running', finished_at = null, reason = null, host = coalesce(excluded.host, run_attempts.host)
      returning 1),
    upd as (
      update runs r set status = 'running', attempt = nxt.n, started_at = coalesce(r.started_at, now()),
        finished_at = null, heartbeat_at = now(), host = coalesce(${host}, r.host), gpu = coalesce(${gpu}::jsonb, r.gpu)
      from nxt where r.id = nxt.id returning nxt.n)
    select (select n from upd) as number, cur.attempt as latest, cur.status from cur`);
  if (!row) return null;
  // Joining is for the latest attempt while it runs: anything else would crash a live attempt or reopen a
  // finished one (finding 5).
  if (row.number == null)
    throw new ApiError(
      'CONFLICT',
      `cannot join attempt ${join}: the run's latest attempt is ${row.latest} (${row.status ?? 'not started'}); omit attempt to start a new one`,
      'attempt',
    );
  return { number: Number(row.number) };
}

/** The attempt-1 row of a run created running (createRun): a CTE for the statement that inserts the run. */
export function firstAttempt(newRun: string): SQL {
  return sql`first_attempt as (
    insert into run_attempts (run_id, number, host)
    select id, 1, host from ${sql.raw(newRun)} where status = 'running' returning 1)`;
}

/**
 * beat: the run is alive. A client-tracked run (no queue job) that the reaper marked crashed (its attempt's reason
 * says no heartbeat; not one finished as crashed by finishRun) goes back to
 * running, with its latest attempt: it was the API (or the network) that lapsed, not the client. A launched
 * run is not revived: its queue job was failed for a retry, and the retry's worker owns it now.
 * Returns whether a stop was requested and why, and the run's status and latest attempt; null: no such run.
 */
export async function beat(
  h: DbHandle,
  runId: string,
): Promise<(Pick<Run, 'status' | 'attempt' | 'stopReason'> & { stop: boolean; revived: boolean }) | null> {
  const [row] = await h.rows<{
    status: Run['status'];
    attempt: number;
    stopReason: string | null;
    stop: boolean;
    revived: boolean;
  }>(sql`
    with old as (
      select id, attempt, status = 'crashed' and job_id is null and exists (select 1 from run_attempts a
          where a.run_id = runs.id and a.number = runs.attempt and a.reason like ${`${REAPED}%`}) as revive
      from runs where id = ${runId}::uuid for update),
    r as (
      update runs set heartbeat_at = now(),
        status = case when old.revive then 'running' else runs.status end,
        finished_at = case when old.revive then null else runs.finished_at end
      from old where runs.id = old.id
      returning runs.status, runs.attempt, runs.stop_reason, runs.stop_requested_at is not null as stop, old.revive),
    a as (
      update run_attempts set status = 'running', finished_at = null, reason = null
      from old where old.revive and run_attempts.run_id = old.id and run_attempts.number = old.attempt returning 1)
    select status, attempt, stop_reason as "stopReason", stop, revive as revived from r`);
  return row ? { ...row, attempt: Number(row.attempt) } : null;
}

/** Which runs a stop request is for: one run, or every queued or running run of a sweep (cancelSweep). */
export type StopTarget = { runId: string } | { sweepId: string };

/**
 * requestStop: a user (stopRun, cancelSweep) asks the run to stop. A queued run is stopped at once; a running
 * one is flagged, and its worker stops at its next heartbeat with a checkpoint, then finishes it as stopped.
 * An earlier request (and its reason) stands.
 */
export async function requestStop(h: DbHandle, target: StopTarget): Promise<void> {
  const where =
    'runId' in target
      ? sql`id = ${target.runId}::uuid`
      : sql`sweep_id = ${target.sweepId}::uuid and status in ('queued', 'running')`;
  await h.rows(sql`update runs set stop_requested_at = coalesce(stop_requested_at, now()),
      stop_reason = coalesce(stop_reason, 'user'),
      status = case when status = 'queued' then 'stopped'::run_status else status end,
      finished_at = case when status = 'queued' then now() else finished_at end
    where ${where}`);
}

/**
 * prune: a sweep's early termination asks a running run to stop as pruned, saying why (`detail`). A run
 * already asked to stop keeps that request. Returns whether this call made the request.
 */
export async function prune(h: DbHandle, runId: string, detail: string): Promise<boolean> {
  const rows =
    await h.rows(sql`update runs set stop_requested_at = now(), stop_reason = 'pruned', stop_detail = ${detail}
    where id = ${runId}::uuid and stop_requested_at is null returning 1`);
  return rows.length > 0;
}

/**
 * finish: the run ended as `status`, its summary merged with `summary`, and so did its latest attempt (a stopped
 * or pruned one records the stop's detail, or reason, as the attempt's reason). Given an earlier `attempt`
 * (a process a retry or a resume superseded, finishing late), only that attempt ends: the run, its status and
 * summary are the latest attempt's. Returns whether the run itself ended.
 */
export async function finish(
  h: DbHandle,
  runId: string,
  status: EndStatus,
  summary?: Record<string, unknown> | null,
  attempt?: number | null,
  maxSummaryBytes = Number.POSITIVE_INFINITY,
): Promise<{ ended: boolean; summaryBytes: number }> {
  const merged = summary ? sql`summary || ${JSON.stringify(summary)}::jsonb` : sql`summary`;
  // Nothing changes when the merged summary would pass maxSummaryBytes: the caller refuses the call.
  const [row] = await h.rows<{ ended: boolean; bytes: number }>(sql`
    with cur as (
      select id, attempt, stop_reason, stop_detail, coalesce(${attempt ?? null}::int, attempt) as ending,
        octet_length((${merged})::text) as bytes
      from runs where id = ${runId}::uuid for update),
    ok as (select * from cur where bytes <= ${Number.isFinite(maxSummaryBytes) ? maxSummaryBytes : null}::bigint or ${!Number.isFinite(maxSummaryBytes)}),
    r as (
      update runs set status = ${status}::run_status, finished_at = now(), summary = ${merged}
      from ok where runs.id = ok.id and ok.ending >= ok.attempt returning 1),
    a as (
      update run_attempts a set status = ${status}::run_status, finished_at = now(),
        reason = case when ${status} in ('stopped', 'pruned') then coalesce(ok.stop_detail, ok.stop_reason) end
      from ok where a.run_id = ok.id and a.number = ok.ending returning 1)
    select exists (select 1 from r) as ended, (select bytes from cur)::int as bytes`);
  return { ended: !!row?.ended, summaryBytes: Number(row?.bytes ?? 0) };
}

/**
 * reapCrashed: every running run — launched, tracked by `anneal train`, or created by any client — whose last
 * heartbeat (or start) is more than `lapseSeconds` old is marked crashed, with its latest attempt ('no
 * heartbeat for N s'). Returns the reaped runs; launched ones carry their queue job, which the caller fails so
 * the queue retries it.
 */
export async function reapCrashed(
  h: DbHandle,
  lapseSeconds: number,
): Promise<Pick<Run, 'id' | 'projectId' | 'jobId'>[]> {
  return h.rows(sql`
    with dead as (
      update runs set status = 'crashed', finished_at = now()
      where status = 'running' and coalesce(heartbeat_at, started_at, created_at) < now() - make_interval(secs => ${lapseSeconds})
      returning id, project_id, job_id, attempt),
    a as (
      update run_attempts set status = 'crashed', finished_at = now(), reason = ${`${REAPED}${lapseSeconds} s`}
      from dead where run_attempts.run_id = dead.id and run_attempts.number = dead.attempt and run_attempts.status = 'running'
      returning 1)
    select id, project_id as "projectId", job_id as "jobId" from dead`);
}
