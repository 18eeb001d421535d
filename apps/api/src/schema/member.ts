// Memberships: a user's role in a project (viewer, member, admin), which the project's admins set and remove —
// never leaving a project without an admin (checked in the same statement as the change).

import type { memberships } from '@anneal/db/schema/auth';
import { sql } from 'drizzle-orm';
import { projectFor } from '../access.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { ApiError } from '../errors.ts';
import type { SqlRow } from '../rows.ts';
import { Project } from './project.ts';
import { parseRole, UserRef, type UserRow } from './user.ts';

type MemberRow = Pick<SqlRow<typeof memberships>, 'user_id' | 'role'> & Pick<UserRow, 'email' | 'name'>;
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

builder.mutationFields((t) => ({
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
}));
