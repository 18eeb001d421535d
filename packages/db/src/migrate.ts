// Applies the committed migrations in drizzle/ (generated from the Drizzle tables, never edited after
// landing) and reports how far a database is behind them.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { DbHandle } from './client.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../drizzle', import.meta.url));

/** Names of the committed migrations, in order. */
export function committedMigrations(): string[] {
  const journal = JSON.parse(readFileSync(`${MIGRATIONS_DIR}/meta/_journal.json`, 'utf8')) as {
    entries: { tag: string }[];
  };
  return journal.entries.map((e) => e.tag);
}

export async function migrate(h: DbHandle): Promise<void> {
  if (h.target.kind === 'postgres') {
    await migratePg(h.db as NodePgDatabase, { migrationsFolder: MIGRATIONS_DIR });
  } else {
    await migratePglite(h.db as PgliteDatabase, { migrationsFolder: MIGRATIONS_DIR });
  }
}

export interface MigrationStatus {
  applied: number;
  committed: number;
  pending: string[];
}

export async function migrationStatus(h: DbHandle): Promise<MigrationStatus> {
  const committed = committedMigrations();
  const exists = await h.query<{ t: string | null }>(
    `select to_regclass('drizzle.__drizzle_migrations')::text as t`,
  );
  let applied = 0;
  if (exists[0]?.t) {
    const rows = await h.query<{ n: string | number }>(
      'select count(*) as n from drizzle.__drizzle_migrations',
    );
    applied = Number(rows[0].n);
  }
  return { applied, committed: committed.length, pending: committed.slice(applied) };
}
