// Saved views of a project's workspace (views.ts validates their spec): listed and read by the project's
// members (any role), created by members, edited and deleted only by their creator or a project admin; each user
// picks a default view per project. A view of a project the viewer is not in reads as not found.

import { ROLLUP_WIDTHS } from '@anneal/db/schema/runs';
import { sql } from 'drizzle-orm';
import { projectFor, UUID } from '../access.ts';
import { requireRole, requireViewer } from '../auth.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { ApiError, badInput } from '../errors.ts';
import { checkViewName, parseViewSpec } from '../views.ts';
import { Project } from './project.ts';

interface ViewRow {
  id: string;
  project_id: string;
  name: string;
  spec: unknown;
  created_by: string | null;
  creator_name: string | null;
  created_at: Date;
  updated_at: Date;
}

const VIEW_COLUMNS = sql`v.id, v.project_id, v.name, v.spec, v.created_by, u.name as creator_name, v.created_at, v.updated_at`;
const VIEW_FROM = sql`saved_views v left join users u on u.id = v.created_by`;

/** `view_<uuid>` → uuid, or BAD_INPUT naming the argument. */
function viewId(id: string, field: string): string {
  const raw = id.startsWith('view_') ? id.slice(5) : id;
  if (!UUID.test(raw)) throw badInput(field, `'${id}' is not a view id`);
  return raw.toLowerCase();
}

/** The view, if the viewer holds `role` in its project; NOT_FOUND otherwise (no leak across projects). */
async function loadView(ctx: Context, id: string, role: 'viewer' | 'member', field = 'id'): Promise<ViewRow> {
  requireViewer(ctx.viewer);
  const [v] = await ctx.h.rows<ViewRow>(
    sql`select ${VIEW_COLUMNS} from ${VIEW_FROM} where v.id = ${viewId(id, field)}::uuid`,
  );
  if (!v || !ctx.viewer.roles.has(v.project_id))
    throw new ApiError('NOT_FOUND', `view ${id} not found`, field);
  requireRole(ctx.viewer, v.project_id, role);
  return v;
}

/** Editing a view: its creator (still a member) or a project admin. */
function requireEditor(ctx: Context, v: ViewRow): void {
  requireViewer(ctx.viewer);
  if (ctx.viewer.roles.get(v.project_id) === 'admin') return;
  requireRole(ctx.viewer, v.project_id, 'member');
  if (v.created_by !== ctx.viewer.userId)
    throw new ApiError('FORBIDDEN', `only the view's creator or a project admin may change view ${v.name}`);
}

const canEdit = (ctx: Context, v: ViewRow) => {
  const role = ctx.viewer?.roles.get(v.project_id);
  return role === 'admin' || (role === 'member' && v.created_by === ctx.viewer?.userId);
};

const conflict = (e: unknown, name: string) => {
  const code =
    (e as { code?: string; cause?: { code?: string } }).code ??
    (e as { cause?: { code?: string } }).cause?.code;
  if (code === '23505')
    return new ApiError('CONFLICT', `a view named ${name} exists in this project`, 'name');
  return e;
};

export const SavedViewRef = builder.objectRef<ViewRow>('SavedView').implement({
  description:
    "A named view of a project's workspace: chart panels and the runs table's state (filter, grouping, columns, sort); opened by /p/<project>?view=<id>.",
  fields: (t) => ({
    id: t.id({ resolve: (v) => `view_${v.id}` }),
    name: t.exposeString('name'),
    spec: t.field({
      type: 'JSON',
      description: '{ panels: [...], table: { filter, group, cols, sort, dir } } (see docs/api.md)',
      resolve: (v) => v.spec,
    }),
    project: t.field({
      type: Project,
      resolve: async (v, _a, ctx) =>
        (await ctx.loaders.projects.load(v.project_id)) as NonNullable<
          Awaited<ReturnType<typeof ctx.loaders.projects.load>>
        >,
    }),
    createdBy: t.string({
      nullable: true,
      description: "the creator's name; null once their account is gone",
      resolve: (v) => v.creator_name,
    }),
    canEdit: t.boolean({
      description: 'whether the viewer may edit or delete it (its creator or a project admin)',
      resolve: (v, _a, ctx) => canEdit(ctx, v),
    }),
    isDefault: t.boolean({
      description: "whether it is the viewer's default view of its project",
      resolve: async (v, _a, ctx) =>
        !!ctx.viewer &&
        (
          await ctx.h.rows(
            sql`select 1 from default_views where user_id = ${ctx.viewer.userId}::uuid and view_id = ${v.id}::uuid`,
          )
        ).length > 0,
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (v) => v.created_at }),
    updatedAt: t.field({ type: 'DateTime', resolve: (v) => v.updated_at }),
  }),
});

builder.objectFields(Project, (t) => ({
  workspaceMetricKeys: t.stringList({
    description:
      "The metric keys the project's runs logged, sorted (from the coarsest rollups: cheap however many points; the workspace's default panels).",
    resolve: async (p, _a, ctx) =>
      (
        await ctx.h.rows<{
          key: string;
        }>(sql`select distinct m.key from metric_rollups m join runs r on r.id = m.run_id
          where r.project_id = ${p.id}::uuid and m.width = ${ROLLUP_WIDTHS[ROLLUP_WIDTHS.length - 1]} order by m.key`)
      ).map((r) => r.key),
  }),
  views: t.field({
    type: [SavedViewRef],
    description: "The project's saved views, by name.",
    resolve: (p, _a, ctx) =>
      ctx.h.rows<ViewRow>(
        sql`select ${VIEW_COLUMNS} from ${VIEW_FROM} where v.project_id = ${p.id}::uuid order by v.name`,
      ),
  }),
  defaultView: t.field({
    type: SavedViewRef,
    nullable: true,
    description: "The viewer's default view of the project (opened when the page names none).",
    resolve: async (p, _a, ctx) => {
      if (!ctx.viewer) return null;
      const [v] = await ctx.h.rows<ViewRow>(sql`select ${VIEW_COLUMNS} from default_views d
        join ${VIEW_FROM} on v.id = d.view_id
        where d.user_id = ${ctx.viewer.userId}::uuid and d.project_id = ${p.id}::uuid`);
      return v ?? null;
    },
  }),
}));

builder.queryFields((t) => ({
  view: t.field({
    type: SavedViewRef,
    description: 'A saved view by id (any member of its project).',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_p, a, ctx) => loadView(ctx, String(a.id), 'viewer'),
  }),
}));

builder.mutationFields((t) => ({
  createView: t.field({
    type: SavedViewRef,
    description:
      'Saves a new named view of a project (members and admins). The spec is validated; a wrong field is named.',
    args: {
      project: t.arg.string({ required: true, description: 'project id or name' }),
      name: t.arg.string({ required: true }),
      spec: t.arg({ type: 'JSON', required: true }),
    },
    resolve: async (_p, a, ctx) => {
      const p = await projectFor(ctx, a.project, 'member');
      const name = checkViewName(a.name);
      const spec = parseViewSpec(a.spec);
      try {
        const [v] = await ctx.h.rows<{
          id: string;
        }>(sql`insert into saved_views (project_id, name, spec, created_by)
          values (${p.id}::uuid, ${name}, ${JSON.stringify(spec)}::jsonb, ${ctx.viewer!.userId}::uuid) returning id`);
        return loadView(ctx, v.id, 'viewer');
      } catch (e) {
        throw conflict(e, name);
      }
    },
  }),
  updateView: t.field({
    type: SavedViewRef,
    description: 'Renames a view and/or replaces its spec: only its creator or a project admin.',
    args: {
      id: t.arg.id({ required: true }),
      name: t.arg.string({ required: false }),
      spec: t.arg({ type: 'JSON', required: false }),
    },
    resolve: async (_p, a, ctx) => {
      const v = await loadView(ctx, String(a.id), 'viewer');
      requireEditor(ctx, v);
      const name = a.name == null ? v.name : checkViewName(a.name);
      const spec = a.spec === undefined || a.spec === null ? v.spec : parseViewSpec(a.spec);
      try {
        await ctx.h.rows(sql`update saved_views set name = ${name}, spec = ${JSON.stringify(spec)}::jsonb,
          updated_at = now() where id = ${v.id}::uuid`);
      } catch (e) {
        throw conflict(e, name);
      }
      return loadView(ctx, v.id, 'viewer');
    },
  }),
  deleteView: t.field({
    type: 'ID',
    description:
      'Deletes a view (only its creator or a project admin); users who had it as default have none.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_p, a, ctx) => {
      const v = await loadView(ctx, String(a.id), 'viewer');
      requireEditor(ctx, v);
      await ctx.h.rows(sql`delete from saved_views where id = ${v.id}::uuid`);
      return `view_${v.id}`;
    },
  }),
  setDefaultView: t.field({
    type: SavedViewRef,
    nullable: true,
    description: "Makes a view the viewer's default of its project; `id: null` with `project` clears it.",
    args: { project: t.arg.string({ required: true }), id: t.arg.id({ required: false }) },
    resolve: async (_p, a, ctx) => {
      const p = await projectFor(ctx, a.project, 'viewer');
      const user = ctx.viewer!.userId;
      if (a.id == null) {
        await ctx.h.rows(
          sql`delete from default_views where user_id = ${user}::uuid and project_id = ${p.id}::uuid`,
        );
        return null;
      }
      const v = await loadView(ctx, String(a.id), 'viewer');
      if (v.project_id !== p.id) throw badInput('id', `view ${a.id} is not a view of project ${a.project}`);
      await ctx.h.rows(sql`insert into default_views (user_id, project_id, view_id)
        values (${user}::uuid, ${p.id}::uuid, ${v.id}::uuid)
        on conflict (user_id, project_id) do update set view_id = excluded.view_id`);
      return v;
    },
  }),
}));
