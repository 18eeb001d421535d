// One database handle for every part of Anneal: Postgres through `pg` when DATABASE_URL is set,
// otherwise embedded PGlite (Postgres compiled to WASM) in a local directory — zero setup for one user.
// The same Drizzle tables and the same migrations serve both.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import { drizzle as drizzlePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite, type PgliteDatabase } from 'drizzle-orm/pglite';
import pg from 'pg';

export type Db = NodePgDatabase | PgliteDatabase;

export type DbTarget = { kind: 'postgres'; url: string } | { kind: 'pglite'; dir: string };

export interface DbHandle {
  target: DbTarget;
  db: Db;
  /** Runs raw SQL (used by health checks and migrations status). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a Drizzle `sql` fragment (values bound as parameters) and returns its rows. */
  rows<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
  /** Raw SQL for libraries that bring their own (pg-boss): several statements when there are no values. */
  execute(sql: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  /** Statements run so far (tests count them to catch N+1 queries). */
  statements: number;
  /**
   * LISTEN on a channel: `onPayload` gets each NOTIFY's payload, from any process on this database (a dedicated
   * connection on Postgres, reconnected if it drops). Resolves once listening; the result stops it.
   */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Where the data lives: DATABASE_URL, else ANNEAL_DATA_DIR/db, else ./.anneal/db. */
export function resolveTarget(env: NodeJS.ProcessEnv = process.env): DbTarget {
  if (env.DATABASE_URL) return { kind: 'postgres', url: env.DATABASE_URL };
  return { kind: 'pglite', dir: `${env.ANNEAL_DATA_DIR ?? '.anneal'}/db` };
}

/** Redacts the password in a Postgres URL for printing. */
export function describeTarget(t: DbTarget): string {
  if (t.kind === 'pglite') return `embedded PGlite at ${t.dir}`;
  try {
    const u = new URL(t.url);
    if (u.password) u.password = '***';
    return `Postgres ${u.toString()}`;
  } catch {
    return 'Postgres (DATABASE_URL is not a valid URL)';
  }
}

export async function connect(target: DbTarget = resolveTarget()): Promise<DbHandle> {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.url, max: 10, connectionTimeoutMillis: 5000 });
    // An idle pooled connection the server closes (restart, admin command) only needs replacing, which the
    // pool does; without a listener the error would crash the process. Queries in flight get their own error.
    pool.on('error', () => {});
    // Fail fast with the real reason (ECONNREFUSED, auth…) instead of on the first query.
    const client = await pool.connect().catch(async (e: Error) => {
      await pool.end();
      throw new Error(`cannot reach ${describeTarget(target)}: ${e.message}`);
    });
    client.release();
    const db = drizzlePg(pool, { casing: 'snake_case', logger: { logQuery: () => h.statements++ } });
    const listeners = new Set<() => Promise<void>>();
    const h: DbHandle = {
      target,
      db,
      statements: 0,
      async query<T>(sql: string, params?: unknown[]) {
        h.statements++;
        return (await pool.query(sql, params)).rows as T[];
      },
      async rows<T>(query: SQL) {
        return (await db.execute(query)).rows as T[];
      },
      async execute(sql: string, values?: unknown[]) {
        h.statements++;
        const r = (await pool.query(sql, values)) as unknown as pg.QueryResult | pg.QueryResult[];
        return { rows: (Array.isArray(r) ? (r.at(-1)?.rows ?? []) : r.rows) as Record<string, unknown>[] };
      },
      async listen(channel, onPayload) {
        let client: pg.Client | null = null;
        let stopped = false;
        const open = async (): Promise<void> => {
          const c = new pg.Client({ connectionString: target.url });
          c.on('notification', (n) => n.channel === channel && onPayload(n.payload ?? ''));
          // A dropped connection (server restart) is reopened; events sent meanwhile are lost, as with any
          // LISTEN, and live views catch up on their next refetch.
          c.on('error', () => {
            c.end().catch(() => {});
            if (!stopped) setTimeout(() => void open().catch(() => {}), 1000);
          });
          await c.connect();
          await c.query(`listen ${pg.escapeIdentifier(channel)}`);
          client = c;
        };
        await open();
        const stop = async () => {
          stopped = true;
          listeners.delete(stop);
          await client?.end().catch(() => {});
        };
        listeners.add(stop);
        return stop;
      },
      close: async () => {
        for (const stop of [...listeners]) await stop();
        await pool.end();
      },
    };
    return h;
  }
  // PGlite creates the directory, not its parents; `memory://` keeps everything in memory.
  if (!target.dir.startsWith('memory://')) mkdirSync(dirname(target.dir), { recursive: true });
  const client = await PGlite.create(target.dir);
  const db = drizzlePglite(client, { casing: 'snake_case', logger: { logQuery: () => h.statements++ } });
  const h: DbHandle = {
    target,
    db,
    statements: 0,
    async query<T>(sql: string, params?: unknown[]) {
      h.statements++;
      return (await client.query<T>(sql, params)).rows;
    },
    async rows<T>(query: SQL) {
      return (await db.execute(query)).rows as T[];
    },
    async execute(sql: string, values?: unknown[]) {
      h.statements++;
      if (values?.length) return { rows: (await client.query<Record<string, unknown>>(sql, values)).rows };
      const results = await client.exec(sql); // simple protocol: several statements
      return { rows: (results.at(-1)?.rows ?? []) as Record<string, unknown>[] };
    },
    async listen(channel, onPayload) {
      return client.listen(channel, onPayload);
    },
    close: () => client.close(),
  };
  return h;
}
