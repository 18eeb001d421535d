// `Query.artifact(id)`: one artifact version by its id, for a viewer of its project — what a worker resolving
// `model.base: artifact:<id>` and `client.download` ask for. Another project's id answers NOT_FOUND, exactly
// like an id that does not exist, so ids do not leak across projects.
import { artifacts } from '@anneal/db/schema/artifacts';
import { eq } from 'drizzle-orm';
import { dbOf } from '../artifacts/db.ts';
import { requireViewer } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { Artifact } from './artifacts.ts';
import { builder } from './builder.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

builder.queryField('artifact', (t) =>
  t.field({
    type: Artifact,
    description:
      "One artifact version by id ('<uuid>' or 'artifact:<uuid>'), for a viewer of its project; by name: Project.artifact.",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_p, a, ctx) => {
      requireViewer(ctx.viewer);
      const id = String(a.id)
        .replace(/^artifact[:_]/, '')
        .toLowerCase();
      const [row] = UUID.test(id)
        ? await dbOf(ctx.h).select().from(artifacts).where(eq(artifacts.id, id))
        : [];
      if (!row || !ctx.viewer?.roles.has(row.projectId))
        throw new ApiError('NOT_FOUND', `id: no artifact '${a.id}'`, 'id');
      return row;
    },
  }),
);
