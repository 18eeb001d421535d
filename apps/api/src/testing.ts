// The team the API's tests act as: alice is admin of alpha, bob admin of beta, carol a viewer of alpha — each
// with an API key of the given scope (null: the user's roles, without minting keys). Two projects, so every test
// can ask what a member of the other one sees.
import type { DbHandle } from '@anneal/db/client';
import { sql } from 'drizzle-orm';
import { createApiKey, type KeyScope } from './auth.ts';

export const TEAM = [
  ['alice', 'alpha', 'admin'],
  ['bob', 'beta', 'admin'],
  ['carol', 'alpha', 'viewer'],
] as const;

/** Creates the team; returns each user's key and each project's id. */
export async function seedTeam(h: DbHandle, scope: KeyScope | null = null) {
  const keys: Record<string, string> = {};
  const projects: Record<string, string> = {};
  for (const [user, project, role] of TEAM) {
    const [u] = await h.rows<{ id: string }>(
      sql`insert into users (email, name) values (${`${user}@x.org`}, ${user}) returning id`,
    );
    projects[project] ??= (
      await h.rows<{ id: string }>(sql`insert into projects (name) values (${project}) returning id`)
    )[0].id;
    await h.rows(sql`insert into memberships values (${projects[project]}::uuid, ${u.id}::uuid, ${role})`);
    keys[user] = (await createApiKey(h, u.id, 'test', { scope })).key;
  }
  return { keys, projects };
}
