// Artifacts in the schema: the Artifact type (a version of a named manifest of stored blobs, its aliases, the
// run that produced it and the runs that consumed it), logArtifact / useArtifact, Run.artifacts (outputs) and
// Run.inputs, Project.artifact / Project.artifacts, and Query.artifact(id) — for a viewer of its project only:
// another project's id answers NOT_FOUND exactly like an id that does not exist, so ids do not leak. Bytes travel over the upload and download routes
// (../artifacts/routes.ts); nothing here takes or returns a path on the server.
import { artifactAliases, artifactFiles, artifacts, runInputs } from '@anneal/db/schema/artifacts';
import DataLoader from 'dataloader';
import { and, desc, eq, getTableColumns, inArray, max, sql } from 'drizzle-orm';
import { loadRun, UUID } from '../access.ts';
import { dbOf } from '../artifacts/db.ts';
import { downloadPath, type ManifestFile } from '../artifacts/manifest.ts';
import {
  type ArtifactRow,
  findArtifact,
  notFound,
  recordArtifact,
  recordInput,
  versionOf,
} from '../artifacts/versions.ts';
import { requireViewer } from '../auth.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { ApiError, badInput } from '../errors.ts';
import type { ProjectRow, RunRow } from '../rows.ts';
import { Project } from './project.ts';
import { Run } from './run.ts';

/** Per-request batches: a page of artifacts costs one statement for files, one for aliases, one for `latest`. */
const batches = new WeakMap<Context, ReturnType<typeof createBatches>>();
function createBatches(ctx: Context) {
  const db = dbOf(ctx.h);
  return {
    files: new DataLoader<string, ManifestFile[]>(async (ids) => {
      const rows = await db
        .select()
        .from(artifactFiles)
        .where(inArray(artifactFiles.artifactId, [...ids]))
        .orderBy(artifactFiles.path);
      return ids.map((id) => rows.filter((r) => r.artifactId === id));
    }),
    aliases: new DataLoader<string, string[]>(async (ids) => {
      const rows = await db
        .select({ artifactId: artifactAliases.artifactId, alias: artifactAliases.alias })
        .from(artifactAliases)
        .where(inArray(artifactAliases.artifactId, [...ids]))
        .orderBy(artifactAliases.alias);
      return ids.map((id) => rows.filter((r) => r.artifactId === id).map((r) => r.alias));
    }),
    consumers: new DataLoader<string, RunRow[]>(async (ids) => {
      const rows = await ctx.h.rows<RunRow & { input_of: string }>(
        sql`select r.*, i.artifact_id as input_of from run_inputs i join runs r on r.id = i.run_id
          where i.artifact_id in (${sql.join(
            ids.map((id) => sql`${id}::uuid`),
            sql`, `,
          )}) order by i.created_at`,
      );
      return ids.map((id) =>
        rows.filter((r) => r.input_of === id).map(({ input_of: _, ...run }) => run as RunRow),
      );
    }),
    /** The highest version of (project, name), keyed `project/name`. */
    latest: new DataLoader<string, number>(async (keys) => {
      const pairs = keys.map((k) => k.split('/', 2) as [string, string]);
      const rows = await db
        .select({ projectId: artifacts.projectId, name: artifacts.name, v: max(artifacts.version) })
        .from(artifacts)
        .where(
          sql`(${artifacts.projectId}, ${artifacts.name}) in (${sql.join(
            pairs.map(([p, n]) => sql`(${p}::uuid, ${n})`),
            sql`, `,
          )})`,
        )
        .groupBy(artifacts.projectId, artifacts.name);
      return pairs.map(([p, n]) => rows.find((r) => r.projectId === p && r.name === n)?.v ?? -1);
    }),
  };
}
const batch = (ctx: Context) => {
  const b = batches.get(ctx) ?? createBatches(ctx);
  batches.set(ctx, b);
  return b;
};

export const ArtifactKindEnum = builder.enumType('ArtifactKind', {
  values: ['checkpoint', 'model', 'dataset', 'file'] as const,
});

const ArtifactFileRef = builder.objectRef<ManifestFile>('ArtifactFile').implement({
  description: 'One file of an artifact: its path inside the artifact and the stored blob it maps to.',
  fields: (t) => ({
    path: t.exposeString('path'),
    size: t.float({ resolve: (f) => f.size }),
    sha256: t.exposeString('sha256'),
  }),
});

const ArtifactFileInput = builder.inputType('ArtifactFileInput', {
  description:
    "A file of an artifact being recorded: a relative '/'-separated path, and the sha256 and size of a blob already uploaded to the run's project (POST /uploads).",
  fields: (t) => ({
    path: t.string({ required: true }),
    sha256: t.string({ required: true }),
    size: t.float({ required: true }),
  }),
});

export const Artifact = builder.objectRef<ArtifactRow>('Artifact').implement({
  description:
    'One version of a named artifact of a project (v0, v1, …): a manifest of stored files. A new content digest under a name makes the next version; `latest` is always the highest.',
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.field({ type: ArtifactKindEnum, resolve: (a) => a.kind }),
    name: t.exposeString('name'),
    version: t.exposeInt('version', { description: '0, 1, 2, … (shown as v0, v1, …)' }),
    aliases: t.stringList({
      description:
        "Aliases pointing at this version: 'latest' for the highest, and those set by logArtifact.",
      resolve: async (a, _x, ctx) => {
        const [own, latest] = await Promise.all([
          batch(ctx).aliases.load(a.id),
          batch(ctx).latest.load(`${a.projectId}/${a.name}`),
        ]);
        return latest === a.version ? ['latest', ...own] : own;
      },
    }),
    files: t.field({ type: [ArtifactFileRef], resolve: (a, _x, ctx) => batch(ctx).files.load(a.id) }),
    size: t.float({ description: 'Total bytes of its files.', resolve: (a) => a.size }),
    digest: t.exposeString('digest', {
      description: 'sha256 of the manifest (lines `<sha256> <size> <path>` sorted by path, joined by \\n).',
    }),
    uri: t.exposeString('uri', {
      nullable: true,
      description:
        'An external reference recorded with it (s3://…, a path on a worker): shown, never served.',
    }),
    metadata: t.field({ type: 'JSON', resolve: (a) => a.metadata }),
    createdAt: t.field({ type: 'DateTime', resolve: (a) => a.createdAt }),
    run: t.field({
      type: Run,
      description: 'The run that produced it.',
      resolve: async (a, _x, ctx) => (await ctx.loaders.runs.load(a.runId)) as RunRow,
    }),
    consumers: t.field({
      type: [Run],
      description: 'Runs that used it (useArtifact), oldest first; only those the viewer can see.',
      resolve: async (a, _x, ctx) =>
        (await batch(ctx).consumers.load(a.id)).filter((r) => ctx.viewer?.roles.has(r.project_id)),
    }),
    downloadUrl: t.string({
      nullable: true,
      description:
        'The URL path (on the API, or the dashboard, which proxies it) that downloads one of its files; null when it has no such file.',
      args: { path: t.arg.string({ required: true }) },
      resolve: async (a, { path }, ctx) =>
        (await batch(ctx).files.load(a.id)).some((f) => f.path === path) ? downloadPath(a.id, path) : null,
    }),
  }),
});

builder.objectField(Run, 'artifacts', (t) =>
  t.field({
    type: [Artifact],
    description: 'The artifacts this run produced (its outputs), oldest first.',
    resolve: (r, _a, ctx) =>
      dbOf(ctx.h).select().from(artifacts).where(eq(artifacts.runId, r.id)).orderBy(artifacts.createdAt),
  }),
);

builder.objectField(Run, 'inputs', (t) =>
  t.field({
    type: [Artifact],
    description: 'The artifacts this run used (useArtifact): lineage, e.g. the model it was fine-tuned from.',
    resolve: async (r, _a, ctx) => {
      const rows = await dbOf(ctx.h)
        .select(getTableColumns(artifacts))
        .from(runInputs)
        .innerJoin(artifacts, eq(artifacts.id, runInputs.artifactId))
        .where(eq(runInputs.runId, r.id))
        .orderBy(runInputs.createdAt);
      return rows.filter((a) => ctx.viewer?.roles.has(a.projectId));
    },
  }),
);

builder.objectFields(Project, (t) => ({
  artifact: t.field({
    type: Artifact,
    nullable: true,
    description: "One version of a named artifact: by `alias` ('latest' when neither is given) or `version`.",
    args: {
      name: t.arg.string({ required: true }),
      alias: t.arg.string({ required: false }),
      version: t.arg.int({ required: false }),
    },
    resolve: (p: ProjectRow, a, ctx) => {
      if (a.alias != null && a.version != null)
        throw badInput('version', 'give an alias or a version, not both');
      return versionOf(ctx.h, p.id, a.name, a.version != null ? `v${a.version}` : (a.alias ?? 'latest'));
    },
  }),
  artifacts: t.field({
    type: [Artifact],
    description: "The project's artifacts, newest first: every version of `name`, or of all names.",
    args: {
      name: t.arg.string({ required: false }),
      first: t.arg.int({ required: false, defaultValue: 100 }),
    },
    resolve: (p: ProjectRow, a, ctx) => {
      const first = a.first ?? 100;
      if (first < 1 || first > 1000) throw badInput('first', 'must be 1–1000');
      return dbOf(ctx.h)
        .select()
        .from(artifacts)
        .where(and(eq(artifacts.projectId, p.id), a.name != null ? eq(artifacts.name, a.name) : undefined))
        .orderBy(desc(artifacts.createdAt), desc(artifacts.version))
        .limit(first);
    },
  }),
}));

builder.mutationFields((t) => ({
  logArtifact: t.field({
    type: Artifact,
    description:
      "Records an artifact the run produced: files already uploaded to the project (POST /uploads), by path. Replaying the same call returns the same version; new content under the name makes the next version. `aliases` (e.g. 'best') move to this version; 'latest' is always the highest.",
    args: {
      runId: t.arg.id({ required: true }),
      kind: t.arg({ type: ArtifactKindEnum, required: true }),
      name: t.arg.string({ required: true }),
      files: t.arg({ type: [ArtifactFileInput], required: true }),
      metadata: t.arg({ type: 'JSON', required: false }),
      aliases: t.arg.stringList({ required: false }),
      uri: t.arg.string({
        required: false,
        description: 'An external reference to record (s3://…, a path on a worker); never read or served.',
      }),
    },
    resolve: async (_p, a, ctx) => {
      const run = await loadRun(ctx, String(a.runId), 'member');
      return recordArtifact(ctx.h, {
        projectId: run.project_id,
        runId: run.id,
        kind: a.kind,
        name: a.name,
        files: a.files.map((f) => ({ path: f.path, sha256: f.sha256, size: f.size })),
        metadata: a.metadata,
        aliases: a.aliases,
        uri: a.uri,
      });
    },
  }),
  useArtifact: t.field({
    type: Artifact,
    description:
      "Records that a run used an artifact (lineage) and returns it: `artifact` is an id, 'artifact:<id>', or in the run's project 'name', 'name:v3' or 'name:<alias>'.",
    args: { runId: t.arg.id({ required: true }), artifact: t.arg.string({ required: true }) },
    resolve: async (_p, a, ctx) => {
      const run = await loadRun(ctx, String(a.runId), 'member');
      const found = await findArtifact(ctx.h, run.project_id, a.artifact);
      if (!found || !ctx.viewer?.roles.has(found.projectId)) throw notFound('artifact', a.artifact);
      await recordInput(ctx.h, run.id, found.id);
      return found;
    },
  }),
}));

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
