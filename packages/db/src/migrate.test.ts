// The same committed migrations apply to Postgres 15 and to PGlite, and status reports them.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { describe, expect, it } from 'vitest';
import { connect } from './client.ts';
import { committedMigrations, MIGRATIONS_DIR, migrate, migrationStatus } from './migrate.ts';
import { freshDatabase } from './testing.ts';

describe('migrations', () => {
  it.each(['pglite', 'postgres'] as const)('apply on %s and report status', async (kind) => {
    const dir = mkdtempSync(join(tmpdir(), 'anneal-db-'));
    // PGlite in a nested, not-yet-existing directory: connecting creates the parents.
    const pg = kind === 'postgres' ? await freshDatabase(kind, { migrated: false }) : null;
    const h = pg ? pg.handle : await connect({ kind: 'pglite', dir: join(dir, 'nested', 'db') });
    try {
      const before = await migrationStatus(h);
      expect(before.applied).toBe(0);
      expect(before.pending).toEqual(committedMigrations());
      await migrate(h);
      await migrate(h); // idempotent
      const after = await migrationStatus(h);
      expect(after).toEqual({
        applied: after.committed,
        committed: committedMigrations().length,
        pending: [],
      });
      const tables = await h.query<{ table_name: string }>(
        "select table_name from information_schema.tables where table_schema = 'public' order by 1",
      );
      expect(tables.map((t) => t.table_name)).toEqual([
        'api_keys',
        'artifact_aliases',
        'artifact_files',
        'artifacts',
        'blobs',
        'default_views',
        'log_lines',
        'memberships',
        'metric_points',
        'metric_rollups',
        'project_blobs',
        'projects',
        'rewound_points',
        'run_attempts',
        'run_inputs',
        'run_table_rows',
        'run_tables',
        'runs',
        'saved_views',
        'sessions',
        'sign_in_failures',
        'sign_in_known_addresses',
        'sweeps',
        'try_requests',
        'uploads',
        'users',
      ]);
    } finally {
      await (pg ? pg.drop() : h.close());
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('upgrades a database holding path-based artifacts: they go (no bytes were ever stored), the rest stays', async () => {
    // The migrations up to 0006 (before the artifact store), applied; then an artifact as they recorded one.
    const dir = mkdtempSync(join(tmpdir(), 'anneal-db-'));
    const old = join(dir, 'drizzle');
    cpSync(MIGRATIONS_DIR, old, { recursive: true });
    const journal = JSON.parse(readFileSync(join(old, 'meta', '_journal.json'), 'utf8'));
    const upto = journal.entries.findIndex((e: { tag: string }) => e.tag === '0006_stop_detail');
    writeFileSync(
      join(old, 'meta', '_journal.json'),
      JSON.stringify({ ...journal, entries: journal.entries.slice(0, upto + 1) }),
    );
    const h = await connect({ kind: 'pglite', dir: 'memory://' });
    try {
      await migratePglite(h.db as PgliteDatabase, { migrationsFolder: old });
      await h.query(`insert into projects (name) values ('p')`);
      await h.query(`insert into runs (project_id, name) select id, 'r' from projects`);
      await h.query(`insert into artifacts (run_id, kind, name, location, size, sha256)
        select id, 'model', 'm', '/home/someone/model', 1, repeat('a', 64) from runs`);
      await migrate(h);
      expect(await h.query('select * from artifacts')).toEqual([]);
      expect(await h.query('select name from runs')).toEqual([{ name: 'r' }]);
      const cols = await h.query<{ column_name: string }>(
        "select column_name from information_schema.columns where table_name = 'artifacts' order by 1",
      );
      expect(cols.map((c) => c.column_name)).not.toContain('location');
    } finally {
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says why when Postgres is unreachable', async () => {
    await expect(connect({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:1/test' })).rejects.toThrow(
      /cannot reach Postgres postgres:\/\/postgres@127\.0\.0\.1:1\/test: .*ECONNREFUSED/,
    );
  });
});
