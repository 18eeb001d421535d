// People: the signed-in user (`me`), password sign-in into an HTTP-only session cookie, accounts added by
// project admins, API keys for programs.

import { sql } from 'drizzle-orm';
import {
  createApiKey,
  createSession,
  hashKey,
  hashPassword,
  requireViewer,
  SESSION_COOKIE,
  SESSION_DAYS,
  verifyPassword,
} from '../auth.ts';
import { ApiError, badInput } from '../errors.ts';
import { builder, type Context, type ProjectRow, projectFor } from './builder.ts';
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
      const role = a.role ?? 'member';
      if (!['viewer', 'member', 'admin'].includes(role)) throw badInput('role', 'viewer, member or admin');
      const [u] = await ctx.h.rows<UserRow>(sql`insert into users (email, name, password_hash)
          values (${email}, ${a.name}, ${await hashPassword(a.password)}) on conflict (email) do nothing
          returning id, email, name`);
      if (!u) throw new ApiError('CONFLICT', `a user with e-mail ${email} exists`, 'email');
      await ctx.h.rows(sql`insert into memberships values (${p.id}::uuid, ${u.id}::uuid, ${role}::role)`);
      return u;
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
