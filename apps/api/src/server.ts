// Serving the API (yoga.ts builds it): listen() on a port, and the reaper that runs beside the server, marking
// runs whose heartbeat lapsed crashed and failing their queue jobs so that the queue retries them.
import { createServer, type Server } from 'node:http';
import type { DbHandle } from '@anneal/db/client';
import { sql } from 'drizzle-orm';
import type PgBoss from 'pg-boss';
import type { PubSub } from './context.ts';
import { RUNS_QUEUE } from './queue.ts';
import type { RunRow } from './rows.ts';
import { heartbeatLapseSeconds, reapCrashed } from './runs/lifecycle.ts';
import type { createApi } from './yoga.ts';

// `@anneal/api/server` has always offered createApi beside listen (the CLI and the cross-package tests import
// both from here).
export { type ApiOptions, createApi } from './yoga.ts';

/** Serves the API on a port (0: any free port); resolves once listening. */
export async function listen(
  api: ReturnType<typeof createApi>,
  port: number,
  host = '127.0.0.1',
): Promise<{ server: Server; url: string }> {
  const server = createServer(api);
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const addr = server.address();
  const p = typeof addr === 'object' && addr ? addr.port : port;
  return { server, url: `http://${host}:${p}` };
}

export interface ReaperOptions {
  handle: DbHandle;
  queue: PgBoss | null;
  pubsub: PubSub;
  /** Seconds without a heartbeat after which a running run is crashed (default: ANNEAL_HEARTBEAT_LAPSE_S, else 60). */
  lapseSeconds?: number;
  /** Seconds between passes (default: a quarter of the lapse, at most 15). */
  everySeconds?: number;
  onError?: (e: Error) => void;
}

/**
 * One pass of the reaper: every running run whose heartbeat lapsed — launched by a worker, tracked by `anneal
 * train`, or created by any client — is marked crashed (lifecycle.ts reapCrashed), and a launched run's queue job
 * is failed so that the queue retries it (queue.ts RUN_RETRIES). Returns the crashed run ids.
 */
export async function reapCrashedRuns(
  o: Pick<ReaperOptions, 'handle' | 'queue' | 'pubsub' | 'lapseSeconds'>,
): Promise<string[]> {
  const lapse = o.lapseSeconds ?? heartbeatLapseSeconds();
  const dead = await reapCrashed(o.handle, lapse);
  if (!dead.length) return [];
  const rows = await o.handle.rows<RunRow>(
    sql`select * from runs where id in (${sql.join(
      dead.map((r) => sql`${r.id}::uuid`),
      sql`, `,
    )})`,
  );
  for (const r of rows) o.pubsub.publish('runUpdated', r.project_id, r);
  for (const r of dead)
    if (o.queue && r.jobId)
      await o.queue.fail(RUNS_QUEUE, r.jobId, { reason: `no heartbeat for ${lapse} s` });
  return dead.map((r) => r.id);
}

/** Runs reapCrashedRuns every few seconds until stopped; a pass still running is not started twice. */
export function startReaper(o: ReaperOptions): { stop: () => void; lapseSeconds: number } {
  const lapseSeconds = o.lapseSeconds ?? heartbeatLapseSeconds();
  const every = o.everySeconds ?? Math.min(15, lapseSeconds / 4);
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    reapCrashedRuns({ ...o, lapseSeconds })
      .catch((e: Error) => o.onError?.(e))
      .finally(() => {
        busy = false;
      });
  }, every * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer), lapseSeconds };
}
