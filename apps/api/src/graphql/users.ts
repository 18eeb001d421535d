// People: the signed-in user (`me`), password sign-in into an HTTP-only session cookie (throttled, signin.ts),
// accounts added by project admins, API keys for programs (scoped, optionally to one project; minted from a
// session or an admin-scoped key; listed and revoked by their owner, revoking what they minted), projects
// anyone signed in can create (becoming their admin), and memberships that a project's admins manage — never
// leaving it without one.

import type { apiKeys } from '@anneal/db/schema/auth';
import { sql } from 'drizzle-orm';
import {
  capRole,
  createApiKey,
  createSession,
  hashKey,
  hashPassword,
  type KeyScope,
  type Role,
  requireKeyAdmin,
  requireViewer,
  revokeKeyTree,
  SESSION_COOKIE,
  SESSION_DAYS,
} from '../auth.ts';
import { ApiError, badInput } from '../errors.ts';
import { MAX_CREDENTIAL_LENGTH, signIn } from '../signin.ts';
import { builder, type Context, type ProjectRow, projectFor, UUID } from './builder.ts';
import { Project } from './runs.ts';

interface UserRow {
  id: string;
  email: string;
  name: string;
}
const UserRef = builder.objectRef<UserRow>('User').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    email: t.exposeString('email'),
    name: t.exposeString('name'),
    projects: t.field({
      type: [Project],
      resolve: async (u, _a, ctx) => {
        const rows =
          await ctx.h.rows<ProjectRow>(sql`select p.* from projects p join memberships m on m.project_id = p.id
          where m.user_id = ${u.id}::uuid order by p.name`);
        // Another user's memberships are visible only where the viewer is a member too; a key limited to one
        // project sees only that one.
        const own = ctx.viewer?.userId === u.id && !ctx.viewer.key?.projectId;
        return rows.filter((p) => own || ctx.viewer?.roles.has(p.id));
      },
    }),
  }),
});

type Key = typeof apiKeys.$inferSelect;
/** An api_keys row as raw SQL returns it (snake_case), without the hash. */
interface ApiKeyRow {
  id: Key['id'];
  name: Key['name'];
  prefix: Key['prefix'];
  scope: Key['scope'];
  project_id: Key['projectId'];
  minted_by: Key['mintedBy'];
  created_at: Key['createdAt'];
  last_used_at: Key['lastUsedAt'];
  revoked_at: Key['revokedAt'];
}
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

interface MemberRow {
  user_id: string;
  email: string;
  name: string;
  role: Role;
}
const MemberRef = builder.objectRef<MemberRow>('Member').implement({
  description:
    "A user's role in a project: viewer (reads), member (also writes runs), admin (also manages members).",
  fields: (t) => ({
    user: t.field({ type: UserRef, resolve: (m) => ({ id: m.user_id, email: m.email, name: m.name }) }),
    role: t.exposeString('role'),
  }),
});

const memberRows = (ctx: Context, projectId: string, userId?: string) =>
  ctx.h.rows<MemberRow>(sql`select m.user_id, u.email, u.name, m.role from memberships m
    join users u on u.id = m.user_id
    where m.project_id = ${projectId}::uuid ${userId ? sql`and m.user_id = ${userId}::uuid` : sql``}
    order by u.email`);

builder.objectField(Project, 'members', (t) =>
  t.field({
    type: [MemberRef],
    description: "The project's members and their roles, by e-mail.",
    resolve: (p, _a, ctx) => memberRows(ctx, p.id),
  }),
);

const ROLES: Role[] = ['viewer', 'member', 'admin'];
function parseRole(role: string): Role {
  if (!ROLES.includes(role as Role)) throw badInput('role', `viewer, member or admin, not '${role}'`);
  return role as Role;
}

/** The user with this e-mail, or NOT_FOUND naming the field. */
async function userByEmail(ctx: Context, email: string): Promise<UserRow> {
  const [u] = await ctx.h.rows<UserRow>(
    sql`select id, email, name from users where email = ${email.trim().toLowerCase()}`,
  );
  if (!u) throw new ApiError('NOT_FOUND', `no user with e-mail ${email} (createUser adds one)`, 'email');
  return u;
}

/** Whether a project has an admin besides the one a change would demote or remove (checked in that statement). */
const otherAdmins = (projectId: string) =>
  sql`(select count(*) from memberships where project_id = ${projectId}::uuid and role = 'admin') > 1`;
const onlyAdmin = (email: string, field: string) =>
  new ApiError('CONFLICT', `${email} is the project's only admin: make another admin first`, field);

/** A project name: it is also the dashboard's URL (/p/<name>) and the trainer's tracking.project. */
const PROJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

const userById = async (ctx: Context, id: string) =>
  (await ctx.h.rows<UserRow>(sql`select id, email, name from users where id = ${id}::uuid`))[0];

builder.queryField('me', (t) =>
  t.field({
    type: UserRef,
    nullable: true,
    description: 'The signed-in user (API key or session), or null.',
    resolve: (_p, _a, ctx) => (ctx.viewer ? userById(ctx, ctx.viewer.userId) : null),
  }),
);

builder.queryField('dashboardUrl', (t) =>
  t.string({
    nullable: true,
    description:
      "The dashboard's base URL, if this API knows it: a run's page is <dashboardUrl>/r/<run id> (what a client prints when a run starts).",
    resolve: (_p, _a, ctx) => {
      requireViewer(ctx.viewer);
      return ctx.dashboardUrl;
    },
  }),
);

builder.queryField('localSignInAvailable', (t) =>
  t.boolean({
    description: 'Whether localSignIn would succeed for this request (embedded mode, from this machine).',
    resolve: (_p, _a, ctx) => ctx.localSignIn,
  }),
);

builder.mutationFields((t) => ({
  login: t.field({
    type: UserRef,
    description:
      'Signs in with a password: sets an HTTP-only session cookie (30 days). Repeated failures for an account or from an address lock them out for a doubling time: RATE_LIMITED with extensions.retryAfterSeconds, even for the right password.',
    args: { email: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: async (_p, a, ctx) => {
      // The same answer, work and throttling for an unknown email and a wrong password.
      const u = await signIn(ctx.h, a.email, a.password, ctx.clientAddress);
      const token = await createSession(ctx.h, u.id);
      ctx.setCookie(`${SESSION_COOKIE}=${token}; Max-Age=${SESSION_DAYS * 86_400}`);
      return { id: u.id, email: u.email, name: u.name };
    },
  }),
  localSignIn: t.field({
    type: UserRef,
    description:
      'Embedded single-user mode, from this machine only: signs the browser in as the local admin (admin@localhost) without a password.',
    resolve: async (_p, _a, ctx) => {
      if (!ctx.localSignIn)
        throw new ApiError(
          'FORBIDDEN',
          'signing in without a password is only for the embedded single-user mode, from this machine',
        );
      const [u] = await ctx.h.rows<UserRow>(
        sql`select id, email, name from users where email = 'admin@localhost'`,
      );
      if (!u) throw new ApiError('NOT_FOUND', 'no local admin (admin@localhost) in this database');
      ctx.setCookie(
        `${SESSION_COOKIE}=${await createSession(ctx.h, u.id)}; Max-Age=${SESSION_DAYS * 86_400}`,
      );
      return u;
    },
  }),
  logout: t.boolean({
    description: 'Ends the session of this browser.',
    resolve: async (_p, _a, ctx) => {
      ctx.setCookie(`${SESSION_COOKIE}=; Max-Age=0`);
      if (ctx.session) await ctx.h.rows(sql`delete from sessions where hash = ${hashKey(ctx.session)}`);
      return true;
    },
  }),
  createUser: t.field({
    type: UserRef,
    description: 'An account, added by an admin of a project, who joins that project with `role`.',
    args: {
      project: t.arg.string({ required: true }),
      email: t.arg.string({ required: true }),
      name: t.arg.string({ required: true }),
      password: t.arg.string({ required: true }),
      role: t.arg.string({ required: false, defaultValue: 'member' }),
    },
    resolve: async (_p, a, ctx) => {
      const p = await projectFor(ctx, a.project, 'admin');
      const email = a.email.trim().toLowerCase();
      if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw badInput('email', `'${a.email}' is not an e-mail address`);
      if (a.password.length < 10 || a.password.length > MAX_CREDENTIAL_LENGTH)
        throw badInput('password', `must be 10 to ${MAX_CREDENTIAL_LENGTH} characters`);
      const role = parseRole(a.role ?? 'member');
      const [u] = await ctx.h.rows<UserRow>(sql`insert into users (email, name, password_hash)
          values (${email}, ${a.name}, ${await hashPassword(a.password)}) on conflict (email) do nothing
          returning id, email, name`);
      if (!u) throw new ApiError('CONFLICT', `a user with e-mail ${email} exists`, 'email');
      await ctx.h.rows(sql`insert into memberships values (${p.id}::uuid, ${u.id}::uuid, ${role}::role)`);
      ctx.accessChanged();
      return u;
    },
  }),
  createProject: t.field({
    type: Project,
    description: 'A new project; the signed-in user who creates it is its admin.',
    args: { name: t.arg.string({ required: true }), description: t.arg.string({ required: false }) },
    resolve: async (_p, a, ctx) => {
      requireViewer(ctx.viewer);
      const key = ctx.viewer.key;
      if (key?.projectId || key?.scope === 'read')
        throw new ApiError(
          'FORBIDDEN',
          `creating a project needs a session or an API key for all your projects that may write; this key is ${key.projectId ? 'limited to one project' : 'read-only'}`,
        );
      if (!PROJECT_NAME.test(a.name))
        throw badInput(
          'name',
          `'${a.name}' is not a project name (1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit)`,
        );
      // The project and its first admin in one statement: a project never exists without an admin.
      const [p] = await ctx.h.rows<ProjectRow>(sql`with p as (
          insert into projects (name, description) values (${a.name}, ${a.description ?? ''})
          on conflict (name) do nothing returning *
        ), m as (insert into memberships select p.id, ${ctx.viewer.userId}::uuid, 'admin' from p)
        select * from p`);
      if (!p) throw new ApiError('CONFLICT', `a project named ${a.name} exists`, 'name');
      ctx.viewer.roles.set(p.id, capRole('admin', key));
      ctx.accessChanged();
      return p;
    },
  }),
  setMember: t.field({
    type: MemberRef,
    description:
      "Adds an existing user to a project, or changes their role (admins only). The project's last admin stays an admin.",
    args: {
      project: t.arg.string({ required: true }),
      email: t.arg.string({ required: true }),
      role: t.arg.string({ required: true }),
    },
    resolve: async (_p, a, ctx) => {
      const p = await projectFor(ctx, a.project, 'admin');
      const role = parseRole(a.role);
      const u = await userByEmail(ctx, a.email);
      // One statement: the role changes unless that would demote the project's only admin.
      const rows =
        await ctx.h.rows(sql`insert into memberships as m values (${p.id}::uuid, ${u.id}::uuid, ${role}::role)
        on conflict (project_id, user_id) do update set role = excluded.role
        where excluded.role = 'admin' or m.role <> 'admin' or ${otherAdmins(p.id)}
        returning 1`);
      if (!rows.length) throw onlyAdmin(u.email, 'role');
      ctx.accessChanged();
      return (await memberRows(ctx, p.id, u.id))[0];
    },
  }),
  removeMember: t.boolean({
    description: "Removes a user from a project (admins only); the project's last admin cannot be removed.",
    args: { project: t.arg.string({ required: true }), email: t.arg.string({ required: true }) },
    resolve: async (_p, a, ctx) => {
      const p = await projectFor(ctx, a.project, 'admin');
      const u = await userByEmail(ctx, a.email);
      const [member] = await memberRows(ctx, p.id, u.id);
      if (!member) throw new ApiError('NOT_FOUND', `${u.email} is not a member of ${p.name}`, 'email');
      const rows = await ctx.h.rows(sql`delete from memberships m
        where project_id = ${p.id}::uuid and user_id = ${u.id}::uuid and (m.role <> 'admin' or ${otherAdmins(p.id)})
        returning 1`);
      if (!rows.length) throw onlyAdmin(u.email, 'email');
      ctx.accessChanged();
      return true;
    },
  }),
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
      if (!name || name.length > 100) throw badInput('name', 'must be 1 to 100 characters');
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
