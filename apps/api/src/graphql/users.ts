// People: the signed-in user (`me`), password sign-in into an HTTP-only session cookie, accounts added by
// project admins, API keys for programs (listed and revoked by their owner), projects anyone signed in can
// create (becoming their admin), and memberships that a project's admins manage — never leaving it without one.

import { sql } from 'drizzle-orm';
import {
  createApiKey,
  createSession,
  hashKey,
  hashPassword,
  type Role,
  requireViewer,
  SESSION_COOKIE,
  SESSION_DAYS,
  verifyPassword,
} from '../auth.ts';
import { ApiError, badInput } from '../errors.ts';
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
        // Another user's memberships are visible only where the viewer is a member too.
        return rows.filter((p) => ctx.viewer?.userId === u.id || ctx.viewer?.roles.has(p.id));
      },
    }),
  }),
});

interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}
const ApiKeyRef = builder.objectRef<ApiKeyRow>('ApiKey').implement({
  description: 'An API key of the signed-in user: its name and first characters, never the key itself.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix'),
    createdAt: t.field({ type: 'DateTime', resolve: (k) => k.created_at }),
    lastUsedAt: t.field({ type: 'DateTime', nullable: true, resolve: (k) => k.last_used_at }),
    revokedAt: t.field({ type: 'DateTime', nullable: true, resolve: (k) => k.revoked_at }),
  }),
});

builder.objectField(UserRef, 'apiKeys', (t) =>
  t.field({
    type: [ApiKeyRef],
    description: "The user's API keys, newest first (only the signed-in user's own).",
    resolve: (u, _a, ctx) =>
      ctx.viewer?.userId === u.id
        ? ctx.h.rows<ApiKeyRow>(sql`select id, name, prefix, created_at, last_used_at, revoked_at from api_keys
            where user_id = ${u.id}::uuid order by created_at desc`)
        : [],
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
    description: 'Signs in with a password: sets an HTTP-only session cookie (30 days).',
    args: { email: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: async (_p, a, ctx) => {
      const [u] = await ctx.h.rows<UserRow & { password_hash: string | null }>(
        sql`select id, email, name, password_hash from users where email = ${a.email.trim().toLowerCase()}`,
      );
      // The same answer for an unknown email and a wrong password.
      if (!u || !(await verifyPassword(a.password, u.password_hash)))
        throw new ApiError('UNAUTHENTICATED', 'wrong email or password');
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
      if (a.password.length < 10) throw badInput('password', 'must be at least 10 characters');
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
      ctx.viewer.roles.set(p.id, 'admin');
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
      "Revokes one of the signed-in user's API keys: requests with it are refused from then on (through another API process on the same database, within its key cache's 10 s).",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_p, a, ctx) => {
      requireViewer(ctx.viewer);
      const id = String(a.id);
      if (!UUID.test(id)) throw badInput('id', `'${id}' is not an API key id`);
      const [k] = await ctx.h.rows<ApiKeyRow>(sql`update api_keys set revoked_at = coalesce(revoked_at, now())
        where id = ${id}::uuid and user_id = ${ctx.viewer.userId}::uuid
        returning id, name, prefix, created_at, last_used_at, revoked_at`);
      if (!k) throw new ApiError('NOT_FOUND', `API key ${id} not found`, 'id');
      ctx.accessChanged();
      return k;
    },
  }),
  createApiKey: t.field({
    type: 'String',
    description: 'A new API key for the signed-in user, shown only in this response.',
    args: { name: t.arg.string({ required: true }) },
    resolve: async (_p, a, ctx) => {
      requireViewer(ctx.viewer);
      return (await createApiKey(ctx.h, ctx.viewer.userId, a.name)).key;
    },
  }),
}));
