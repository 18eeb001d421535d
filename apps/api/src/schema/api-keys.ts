// API keys for programs: scoped (read / log / admin), optionally limited to one project, minted from a session or
// an admin-scoped key, listed and revoked by their owner — revoking a key revokes every key it minted.

import type { apiKeys } from '@anneal/db/schema/auth';
import { sql } from 'drizzle-orm';
import { projectFor, UUID } from '../access.ts';
import { createApiKey, type KeyScope, requireKeyAdmin, requireViewer, revokeKeyTree } from '../auth.ts';
import { builder } from '../builder.ts';
import { ApiError, badInput } from '../errors.ts';
import { checkName, LIMITS } from '../limits.ts';
import type { SqlRow } from '../rows.ts';
import { Project } from './project.ts';
import { UserRef } from './user.ts';

/** An api_keys row as the API reads it: everything but the hash and the owner. */
type ApiKeyRow = Omit<SqlRow<typeof apiKeys>, 'hash' | 'user_id'>;
const KEY_COLUMNS = sql`id, name, prefix, scope, project_id, minted_by, created_at, last_used_at, revoked_at`;

const ApiKeyScopeEnum = builder.enumType('ApiKeyScope', {
  description:
    "The most an API key may do; its effective role in a project is the lower of this and the user's.",
  values: {
    read: { description: 'read the project (as a viewer)' },
    log: { description: 'also write runs, metrics, artifacts and logs (as a member)' },
    admin: { description: 'also manage the project (as an admin) and mint API keys' },
  } as const,
});

const ApiKeyRef = builder.objectRef<ApiKeyRow>('ApiKey').implement({
  description: 'An API key of the signed-in user: its name and first characters, never the key itself.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix'),
    scope: t.field({
      type: ApiKeyScopeEnum,
      nullable: true,
      description: "null: the user's roles in every project, but the key cannot mint or revoke other keys.",
      resolve: (k) => k.scope,
    }),
    project: t.field({
      type: Project,
      nullable: true,
      description: 'The one project the key works in; null: every project of the user.',
      resolve: (k, _a, ctx) => (k.project_id ? ctx.loaders.projects.load(k.project_id) : null),
    }),
    mintedBy: t.id({
      nullable: true,
      description:
        'The key that minted this one (revoking it revokes this one); null: minted from a session.',
      resolve: (k) => k.minted_by,
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (k) => k.created_at }),
    lastUsedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When a request last used the key (to the minute).',
      resolve: (k) => k.last_used_at,
    }),
    revokedAt: t.field({ type: 'DateTime', nullable: true, resolve: (k) => k.revoked_at }),
  }),
});

builder.objectField(UserRef, 'apiKeys', (t) =>
  t.field({
    type: [ApiKeyRef],
    description:
      "The user's API keys, newest first (only the signed-in user's own; a key limited to a project lists that project's).",
    resolve: (u, _a, ctx) => {
      if (ctx.viewer?.userId !== u.id) return [];
      const project = ctx.viewer.key?.projectId;
      return ctx.h.rows<ApiKeyRow>(sql`select ${KEY_COLUMNS} from api_keys where user_id = ${u.id}::uuid
        ${project ? sql`and project_id = ${project}::uuid` : sql``} order by created_at desc`);
    },
  }),
);

builder.mutationFields((t) => ({
  revokeApiKey: t.field({
    type: ApiKeyRef,
    description:
      "Revokes one of the signed-in user's API keys and every key minted from it: requests with them are refused from then on (through another API process on the same database, within its key cache's 10 s). A key may revoke itself; another key needs a session or an admin-scoped key (one limited to a project: that project's keys).",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_p, a, ctx) => {
      requireViewer(ctx.viewer);
      const id = String(a.id);
      if (!UUID.test(id)) throw badInput('id', `'${id}' is not an API key id`);
      const key = ctx.viewer.key;
      if (key?.id !== id) requireKeyAdmin(ctx.viewer, 'revoking another API key');
      const limited = key?.projectId && key.id !== id ? sql`and project_id = ${key.projectId}::uuid` : sql``;
      const revoked = await revokeKeyTree(ctx.h, id, sql`user_id = ${ctx.viewer.userId}::uuid ${limited}`);
      if (!revoked.length) throw new ApiError('NOT_FOUND', `API key ${id} not found`, 'id');
      ctx.accessChanged();
      const [k] = await ctx.h.rows<ApiKeyRow>(
        sql`select ${KEY_COLUMNS} from api_keys where id = ${id}::uuid`,
      );
      return k;
    },
  }),
  createApiKey: t.field({
    type: 'String',
    description:
      "A new API key for the signed-in user, shown only in this response. Needs a browser session or an admin-scoped key; a key minted by a key dies with it, and stays within the minting key's project. `scope` caps what it may do (default: the user's roles, without minting keys); `project` (name or id) limits it to one project (default: the minting key's project, else all).",
    args: {
      name: t.arg.string({ required: true }),
      scope: t.arg({ type: ApiKeyScopeEnum, required: false }),
      project: t.arg.string({ required: false }),
    },
    resolve: async (_p, a, ctx) => {
      requireViewer(ctx.viewer);
      requireKeyAdmin(ctx.viewer, 'minting an API key');
      const name = a.name.trim();
      checkName(name, 'name', LIMITS.apiKeyNameLength, 1);
      const parent = ctx.viewer.key;
      // A key limited to a project sees no other (its roles hold only that one): naming another is NOT_FOUND.
      const projectId = a.project
        ? (await projectFor(ctx, a.project, 'viewer')).id
        : (parent?.projectId ?? null);
      const scope: KeyScope | null = a.scope ?? null;
      const made = await createApiKey(ctx.h, ctx.viewer.userId, name, {
        scope,
        projectId,
        mintedBy: parent?.id ?? null,
      });
      return made.key;
    },
  }),
}));
