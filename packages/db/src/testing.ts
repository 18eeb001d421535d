// Test databases: a private Postgres database per test file (created and dropped here) or an in-memory
// PGlite, both migrated, so the same tests run on both engines.
import { connect, type DbHandle, type DbTarget } from './client.ts';
import { migrate } from './migrate.ts';

export const TEST_PG_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const ENGINES = ['pglite', 'postgres'] as const;
export type Engine = (typeof ENGINES)[number];

let counter = 0;

/** A new, empty database of the engine (migrated unless `migrated` is false), and a function that drops it. */
export async function freshDatabase(
  engine: Engine,
  { migrated = true } = {},
): Promise<{ target: DbTarget; handle: DbHandle; drop: () => Promise<void> }> {
  let target: DbTarget;
  let name = '';
  if (engine === 'pglite') target = { kind: 'pglite', dir: 'memory://' };
  else {
    name = `anneal_test_${process.pid}_${Date.now()}_${counter++}`;
    const admin = await connect({ kind: 'postgres', url: TEST_PG_URL });
    await admin.query(`create database ${name}`);
    await admin.close();
    const u = new URL(TEST_PG_URL);
    u.pathname = `/${name}`;
    target = { kind: 'postgres', url: u.toString() };
  }
  const handle = await connect(target);
  if (migrated) await migrate(handle);
  return {
    target,
    handle,
    async drop() {
      await handle.close();
      if (!name) return;
      const admin = await connect({ kind: 'postgres', url: TEST_PG_URL });
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.close();
    },
  };
}
