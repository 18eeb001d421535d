// The run queue: pg-boss on the same database as everything else — Postgres, or PGlite through pg-boss's
// custom `db` adapter (DbHandle.execute). launchRun enqueues a job per run; workers (`anneal worker`, or the one
// inside `anneal api` on the embedded database) claim jobs with SKIP LOCKED, so several workers on several
// machines can share one Postgres. A job that fails — or whose worker stops heartbeating — is retried up to
// RUN_RETRIES times.
import type { DbHandle } from '@anneal/db/client';
import PgBoss from 'pg-boss';

export const RUNS_QUEUE = 'runs';
export const RUN_RETRIES = 2;

export interface RunJob {
  runId: string;
}

/**
 * "Try it" requests (schema/tryit.ts): one job per request, claimed by a worker with a GPU adapter
 * (apps/cli/src/tryit.ts). Not retried: a request that failed says why, and the user asks again.
 */
export const TRY_QUEUE = 'try';

export interface TryJob {
  requestId: string;
}

export async function openQueue(
  h: DbHandle,
  onError: (e: Error) => void = (e) => console.error(`queue: ${e.message}`),
) {
  const boss = new PgBoss({
    db: { executeSql: (text: string, values?: unknown[]) => h.execute(text, values) },
    // Maintenance (archiving, expiring) and monitoring run from whichever process opened the queue.
    maintenanceIntervalSeconds: 60,
  });
  boss.on('error', onError);
  await boss.start();
  if (!(await boss.getQueue(RUNS_QUEUE)))
    await boss.createQueue(RUNS_QUEUE, {
      name: RUNS_QUEUE,
      retryLimit: RUN_RETRIES,
      retryDelay: 5,
      // A training run can take hours (pg-boss allows at most 24 h); a dead worker is noticed sooner by its
      // heartbeat (server.ts reapCrashedRuns).
      expireInSeconds: 23 * 3600,
    });
  if (!(await boss.getQueue(TRY_QUEUE)))
    await boss.createQueue(TRY_QUEUE, { name: TRY_QUEUE, retryLimit: 0, expireInSeconds: 15 * 60 });
  return boss;
}
