// Projects: the Project type (its activity at a glance, and the metric and config keys its runs logged, for the
// dashboard's filters and charts), the viewer's projects, and creating one (its creator becomes its admin).
// Members are member.ts; runs are run.ts.

import { sql } from 'drizzle-orm';
import { projectFor } from '../access.ts';
import { capRole, requireViewer } from '../auth.ts';
import { builder } from '../builder.ts';
import { ApiError, badInput } from '../errors.ts';
import { checkText, LIMITS } from '../limits.ts';
import type { ProjectRow } from '../rows.ts';

interface KeyInfo {
  key: string;
  type: string;
  min: number | null;
  max: number | null;
  count: number;
}
const KeyInfoRef = builder.objectRef<KeyInfo>('KeyInfo').implement({
  description: 'A metric or config key seen in a project: its JSON type and, for numbers, the range.',
  fields: (t) => ({
    key: t.exposeString('key'),
    type: t.exposeString('type'),
    min: t.field({ type: 'Double', nullable: true, resolve: (k) => k.min }),
    max: t.field({ type: 'Double', nullable: true, resolve: (k) => k.max }),
    count: t.exposeInt('count', { description: 'runs (config keys) or points (metric keys)' }),
  }),
});

const ProjectActivityRef = builder
  .objectRef<{ runs: number; running: number; last_run_at: Date | null }>('ProjectActivity')
  .implement({
    description: 'A project at a glance: how many runs it holds, how many are training, when the last began.',
    fields: (t) => ({
      runs: t.exposeInt('runs'),
      running: t.exposeInt('running'),
      lastRunAt: t.field({ type: 'DateTime', nullable: true, resolve: (a) => a.last_run_at }),
    }),
  });

export const Project = builder.node(builder.objectRef<ProjectRow>('Project'), {
  id: { resolve: (p) => p.id },
  loadMany: async (ids, ctx) => {
    const rows = await Promise.all(ids.map((id) => ctx.loaders.projects.load(id)));
    return rows.map((p) => (p && ctx.viewer?.roles.has(p.id) ? p : null));
  },
  fields: (t) => ({
    name: t.string({ resolve: (p) => p.name }),
    description: t.string({ resolve: (p) => p.description }),
    createdAt: t.field({ type: 'DateTime', resolve: (p) => p.created_at }),
    role: t.string({ resolve: (p, _a, ctx) => ctx.viewer?.roles.get(p.id) ?? 'viewer' }),
    activity: t.field({
      type: ProjectActivityRef,
      resolve: async (p, _a, ctx) =>
        (
          await ctx.h.rows<{ runs: number; running: number; last_run_at: Date | null }>(
            sql`select count(*)::int as runs, (count(*) filter (where status = 'running'))::int as running,
              max(created_at) as last_run_at from runs where project_id = ${p.id}::uuid`,
          )
        )[0],
    }),
    metricKeys: t.field({
      type: [KeyInfoRef],
      description: 'Every metric key logged in the project, with its value range and point count.',
      resolve: (p, _a, ctx) =>
        ctx.h.rows<KeyInfo>(sql`select m.key, 'number' as type, min(m.value) filter (where m.value = m.value) as min,
            max(m.value) filter (where m.value = m.value and m.value < 'Infinity') as max, count(*)::int as count
          from metric_points m join runs r on r.id = m.run_id where r.project_id = ${p.id}::uuid
          group by m.key order by m.key`),
    }),
    configKeys: t.field({
      type: [KeyInfoRef],
      description: "Every leaf path in the runs' configs (dotted), with its JSON type and numeric range.",
      resolve: (p, _a, ctx) =>
        ctx.h.rows<KeyInfo>(sql`with recursive leaves(path, v) as (
            select k, v from runs r, jsonb_each(r.config) e(k, v) where r.project_id = ${p.id}::uuid
            union all
            select l.path || '.' || e.k, e.v from leaves l, jsonb_each(l.v) e(k, v) where jsonb_typeof(l.v) = 'object')
          select path as key, min(jsonb_typeof(v)) as type,
            min(case when jsonb_typeof(v) = 'number' then v::text::float8 end) as min,
            max(case when jsonb_typeof(v) = 'number' then v::text::float8 end) as max, count(*)::int as count
          from leaves where jsonb_typeof(v) <> 'object' group by path order by path`),
    }),
  }),
});

builder.queryFields((t) => ({
  projects: t.field({
    type: [Project],
    resolve: async (_p, _a, ctx) => {
      requireViewer(ctx.viewer);
      const ids = [...ctx.viewer.roles.keys()];
      return (await ctx.loaders.projects.loadMany(ids)).filter(
        (p): p is ProjectRow => !!p && !(p instanceof Error),
      );
    },
  }),
  project: t.field({
    type: Project,
    args: { ref: t.arg.string({ required: true, description: 'project id or name' }) },
    resolve: (_p, a, ctx) => projectFor(ctx, a.ref, 'viewer'),
  }),
}));

/** A project name: it is also the dashboard's URL (/p/<name>) and the trainer's tracking.project. */
const PROJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

builder.mutationFields((t) => ({
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
      if (a.description != null) checkText(a.description, 'description', LIMITS.projectDescriptionLength);
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
}));
