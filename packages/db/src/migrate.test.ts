// The same committed migrations apply to Postgres 15 and to PGlite, and status reports them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect, type DbTarget } from './client.ts';
import { committedMigrations, migrate, migrationStatus } from './migrate.ts';

const PG_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function freshPostgres(): Promise<DbTarget> {
  // A private database per run so parallel test files never see each other's tables.
  const name = `anneal_migrate_${process.pid}_${Date.now()}`;
  const admin = await connect({ kind: 'postgres', url: PG_URL });
  await admin.query(`create database ${name}`);
  await admin.close();
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  return { kind: 'postgres', url: u.toString() };
}

describe('migrations', () => {
  it.each(['pglite', 'postgres'] as const)('apply on %s and report status', async (kind) => {
    const dir = mkdtempSync(join(tmpdir(), 'anneal-db-'));
    // A nested, not-yet-existing directory: connecting creates the parents.
    const target: DbTarget =
      kind === 'pglite' ? { kind, dir: join(dir, 'nested', 'db') } : await freshPostgres();
    const h = await connect(target);
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
        'projects',
        'runs',
        'users',
      ]);
    } finally {
      await h.close();
      rmSync(dir, { recursive: true, force: true });
      if (kind === 'postgres') {
        const admin = await connect({ kind: 'postgres', url: PG_URL });
        await admin.query(
          `drop database ${new URL(target.kind === 'postgres' ? target.url : '').pathname.slice(1)}`,
        );
        await admin.close();
      }
    }
  });

  it('says why when Postgres is unreachable', async () => {
    await expect(connect({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:1/test' })).rejects.toThrow(
      /cannot reach Postgres postgres:\/\/postgres@127\.0\.0\.1:1\/test: .*ECONNREFUSED/,
    );
  });
});
