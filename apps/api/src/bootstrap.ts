// Embedded single-user mode: on the first start of an empty database, an admin account (with a generated
// password, for the web app), a `default` project and an API key are created; both are shown once, and the key
// is written to <data dir>/api-key (mode 0600) so the trainer and notebooks on this machine find it. That key is
// admin-scoped: it is the local admin's own, and may mint narrower keys (`createApiKey`). Later starts change
// nothing.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DbHandle } from '@anneal/db/client';
import { sql } from 'drizzle-orm';
import { createApiKey, hashPassword } from './auth.ts';

export interface Bootstrap {
  userId: string;
  projectId: string;
  /** The new API key and the admin's password, only on the start that created them. */
  key: string | null;
  password: string | null;
}

export async function bootstrap(h: DbHandle, dataDir?: string): Promise<Bootstrap> {
  const [existing] = await h.rows<{ user_id: string; project_id: string }>(
    sql`select m.user_id, m.project_id from memberships m join projects p on p.id = m.project_id
        where m.role = 'admin' order by p.created_at limit 1`,
  );
  if (existing)
    return { userId: existing.user_id, projectId: existing.project_id, key: null, password: null };
  const password = randomBytes(12).toString('base64url');
  const [user] = await h.rows<{ id: string }>(
    sql`insert into users (email, name, password_hash) values ('admin@localhost', 'admin', ${await hashPassword(password)})
        on conflict (email) do update set name = excluded.name, password_hash = excluded.password_hash returning id`,
  );
  const [project] = await h.rows<{ id: string }>(
    sql`insert into projects (name, description) values ('default', 'created on first start')
        on conflict (name) do update set name = excluded.name returning id`,
  );
  await h.rows(
    sql`insert into memberships (project_id, user_id, role) values (${project.id}::uuid, ${user.id}::uuid, 'admin')`,
  );
  const { key } = await createApiKey(h, user.id, 'embedded', { scope: 'admin' });
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    const file = join(dataDir, 'api-key');
    writeFileSync(file, `${key}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return { userId: user.id, projectId: project.id, key, password };
}
