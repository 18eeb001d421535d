// People and sessions: the signed-in user (`me`), password sign-in into an HTTP-only session cookie (throttled,
// signin.ts), the embedded mode's local sign-in, sign-out, accounts added by project admins, and what a client
// asks before it has a session (health, localSignInAvailable, dashboardUrl). API keys are api-keys.ts;
// memberships member.ts.

import type { users } from '@anneal/db/schema/auth';
import { sql } from 'drizzle-orm';
import { projectFor } from '../access.ts';
import {
  createSession,
  hashKey,
  hashPassword,
  type Role,
  requireViewer,
  SESSION_COOKIE,
  SESSION_DAYS,
} from '../auth.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { ApiError, badInput } from '../errors.ts';
import { checkName, invisibleProblem, LIMITS } from '../limits.ts';
import type { ProjectRow, SqlRow } from '../rows.ts';
import { MAX_CREDENTIAL_LENGTH, signIn } from '../signin.ts';
import { Project } from './project.ts';

/** What the API shows of a user (never the password hash). */
export type UserRow = Pick<SqlRow<typeof users>, 'id' | 'email' | 'name'>;
export const UserRef = builder.objectRef<UserRow>('User').implement({
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

const ROLES: Role[] = ['viewer', 'member', 'admin'];
export function parseRole(role: string): Role {
  if (!ROLES.includes(role as Role)) throw badInput('role', `viewer, member or admin, not '${role}'`);
  return role as Role;
}

const userById = async (ctx: Context, id: string) =>
  (await ctx.h.rows<UserRow>(sql`select id, email, name from users where id = ${id}::uuid`))[0];

builder.queryFields((t) => ({
  health: t.string({
    description: 'Always "ok"; the only field anonymous requests may read.',
    resolve: () => 'ok',
  }),
}));

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
      if (email.length > MAX_CREDENTIAL_LENGTH || !/^[^@\s]+@[^@\s]+$/.test(email) || invisibleProblem(email))
        throw badInput('email', `'${a.email.slice(0, 100)}' is not an e-mail address`);
      checkName(a.name, 'name', LIMITS.userNameLength, 1);
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
}));
