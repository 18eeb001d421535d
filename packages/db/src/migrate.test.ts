// The same committed migrations apply to Postgres 15 and to PGlite, and status reports them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect } from './client.ts';
import { committedMigrations, migrate, migrationStatus } from './migrate.ts';
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
        'artifacts',
        'log_lines',
        'memberships',
        'metric_points',
        'metric_rollups',
        'projects',
        'rewound_points',
        'run_attempts',
        'runs',
        'sessions',
        'sweeps',
        'users',
      ]);
    } finally {
      await (pg ? pg.drop() : h.close());
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says why when Postgres is unreachable', async () => {
    await expect(connect({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:1/test' })).rejects.toThrow(
      /cannot reach Postgres postgres:\/\/postgres@127\.0\.0\.1:1\/test: .*ECONNREFUSED/,
    );
  });
});
