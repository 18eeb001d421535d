// The request context every resolver receives (built per request in yoga.ts), its per-request DataLoaders (runs
// and projects by id, metric series per option set: a page of runs with their metrics costs a fixed number of
// statements), and the in-process pub/sub that subscriptions read (events.ts shares it between processes).

import type { DbHandle } from '@anneal/db/client';
import DataLoader from 'dataloader';
import { sql } from 'drizzle-orm';
import { createPubSub } from 'graphql-yoga';
import type PgBoss from 'pg-boss';
import type { LiveSubscriptions } from './access.ts';
import type { Viewer } from './auth.ts';
import type { ReadBudget } from './limits.ts';
import { querySeries, type Series, type SeriesOptions } from './metrics.ts';
import type { ProjectRow, RunRow } from './rows.ts';

export type ApiEvents = {
  runUpdated: [projectId: string, run: RunRow];
  metricsAppended: [runId: string, event: { runId: string; keys: string[]; maxStep: number; count: number }];
  /** A try-it request's progress (schema/tryit.ts): text from token `index` on, or its new status. */
  tryProgress: [requestId: string, event: TryProgressEvent];
  /** Memberships or API keys changed somewhere: every API process forgets its cached key verifications. */
  accessChanged: [event: { at: number }];
};

/** What a worker publishes as a try-it request runs (apps/cli/src/tryit.ts). */
export interface TryProgressEvent {
  /** The request's uuid. */
  id: string;
  status: 'queued' | 'running' | 'finished' | 'failed';
  /** The index of the first token in `text` (tokens before it were sent earlier). */
  index: number;
  /** How many tokens `text` holds. */
  count: number;
  text: string;
}
export type PubSub = ReturnType<typeof createPubSub<ApiEvents>>;
/** Live events within this process; events.ts shares them between API processes on one Postgres. */
export const createApiPubSub = (eventTarget?: EventTarget): PubSub =>
  createPubSub<ApiEvents>({ eventTarget });

export interface Context {
  h: DbHandle;
  viewer: Viewer | null;
  pubsub: PubSub;
  loaders: ReturnType<typeof createLoaders>;
  /** What this HTTP request may still read of logged tables (Run.table), shared by a batch's operations. */
  readBudget: ReadBudget;
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
   * request came from this machine to a loopback name (yoga.ts `localSignIn`).
   */
  localSignIn: boolean;
  /**
   * Memberships or API keys changed: cached key verifications are forgotten in every API process (through the
   * shared pubsub), so new roles apply at once here and as soon as the event arrives elsewhere.
   */
  accessChanged: () => void;
  /**
   * The request's credentials (key or session cookie) verified again, now: a long-lived subscription asks before
   * each event and while it has none (access.ts `whileAllowed`), so a revoked key, an ended session or a lost
   * membership stops it.
   */
  reauthenticate: () => Promise<Viewer | null>;
  /** This API server's live subscriptions: how many each viewer holds, how often idle ones are verified. */
  live: LiveSubscriptions;
}

/** What validateConfig throws: each offending key with its message. */
export interface ConfigIssues {
  /** `keys`: the unknown keys of the object at `path`. */
  issues: { path: string; message: string; keys?: string[] }[];
}

/** A DataLoader of rows by id from one table: one `select * … where id in (…)` per batch. */
function rowsById<T extends { id: string }>(h: DbHandle, table: 'runs' | 'projects') {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await h.rows<T>(
      sql`select * from ${sql.identifier(table)} where id in (${sql.join(
        ids.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`,
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** A request's loaders; `budget` bounds what its series may read (LIMITS.seriesRowsPerRequest). */
export function createLoaders(h: DbHandle, budget?: ReadBudget) {
  return {
    runs: rowsById<RunRow>(h, 'runs'),
    projects: rowsById<ProjectRow>(h, 'projects'),
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
              budget,
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
