// Launching: `launchRun` (a run config validated and queued for a worker) and what the launch and sweep forms
// need before they submit: `validateConfig` (every issue of a run or sweep
// config, by path, as the user types) and `Project.models` (the shipped bases and the models and checkpoints
// the project's runs recorded as artifacts, named `artifact:<id>` — anything that can be fine-tuned from).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { projectFor } from '../access.ts';
import { requireViewer } from '../auth.ts';
import { builder } from '../builder.ts';
import type { ConfigIssues, Context } from '../context.ts';
import { ApiError, configBadInput } from '../errors.ts';
import { checkBaseArtifact, parseBase } from '../launch-paths.ts';
import { checkJsonObject, checkName, checkRunName, checkTags, LIMITS } from '../limits.ts';
import { pgArray } from '../metrics.ts';
import { RUNS_QUEUE, type RunJob } from '../queue.ts';
import type { ProjectRow, RunRow } from '../rows.ts';
import * as lifecycle from '../runs/lifecycle.ts';
import { applyParams, propose, tracked } from '../sweeps/controller.ts';
import { parseSweepConfig, type SweepConfig, SweepConfigError } from '../sweeps/space.ts';
import { Project } from './project.ts';
import { publishRun, Run } from './run.ts';

interface Issue {
  path: string;
  message: string;
  severity: 'error' | 'warning';
}

const IssueRef = builder.objectRef<Issue>('ConfigIssue').implement({
  description:
    'One problem in a config: its dotted path (an unknown key is named by its own path), the reason, and whether it blocks submitting (error) or only looks wrong from here (warning).',
  fields: (t) => ({
    path: t.exposeString('path'),
    message: t.exposeString('message'),
    severity: t.exposeString('severity'),
  }),
});

const ConfigKindEnum = builder.enumType('ConfigKind', { values: ['RUN', 'SWEEP'] as const });

/** Issues as ConfigError / SweepConfigError carry them, one per unknown key so each can be pointed at. */
function flatten(issues: ConfigIssues['issues']): Issue[] {
  return issues.flatMap((i) =>
    i.keys?.length
      ? i.keys.map((k) => ({
          path: i.path ? `${i.path}.${k}` : k,
          message: `unknown key '${i.path ? `${i.path}.` : ''}${k}'`,
          severity: 'error' as const,
        }))
      : [{ path: i.path, message: i.message, severity: 'error' as const }],
  );
}

/** A run config's issues: the trainer's schema, then whether model.base looks like a base on this machine. */
function runIssues(ctx: Context, config: unknown): Issue[] {
  if (!ctx.validateConfig) throw new ApiError('CONFLICT', 'this API server launches no runs');
  let resolved: Record<string, unknown>;
  try {
    resolved = ctx.validateConfig(config);
  } catch (e) {
    const issues = (e as Partial<ConfigIssues>).issues;
    if (!issues?.length) throw e;
    return flatten(issues);
  }
  // The launch rules passed (launch-paths.ts): a shipped base by name, or an artifact (checked at launch).
  const base = (resolved.model as { base: string }).base;
  const ref = parseBase(base);
  if (typeof ref === 'string' || ref.kind === 'artifact' || !ctx.basesDir) return [];
  const dir = join(ctx.basesDir, ref.name);
  const missing = ['config.json', 'model.safetensors', 'tokenizer.json'].filter(
    (f) => !existsSync(join(dir, f)),
  );
  return missing.length
    ? [
        {
          path: 'model.base',
          message: `${base} has no ${missing.join(', ')} on the API's machine (a worker elsewhere may still have it)`,
          severity: 'warning',
        },
      ]
    : [];
}

builder.queryField('validateConfig', (t) =>
  t.field({
    type: [IssueRef],
    description:
      "Every issue of a run config (the trainer's schema) or a sweep config (W&B format; JSON or YAML text), by path; empty when it is valid. Nothing is stored.",
    args: {
      kind: t.arg({ type: ConfigKindEnum, required: true }),
      config: t.arg({ type: 'JSON', required: true }),
      baseConfig: t.arg({
        type: 'JSON',
        required: false,
        description:
          "SWEEP: the base run config. When it is valid, a first proposal is applied to it and checked with the trainer's schema, so a parameter the trainer does not know is reported under parameters.<its path>.",
      }),
    },
    resolve: (_p, a, ctx) => {
      requireViewer(ctx.viewer);
      if (a.kind === 'RUN') return runIssues(ctx, a.config);
      let cfg: SweepConfig;
      try {
        cfg = parseSweepConfig(a.config);
      } catch (e) {
        if (e instanceof SweepConfigError) return flatten(e.issues);
        throw e;
      }
      const base = a.baseConfig as Record<string, unknown> | null | undefined;
      if (!base || !ctx.validateConfig || runIssues(ctx, base).some((i) => i.severity === 'error')) return [];
      try {
        ctx.validateConfig(applyParams(base, propose(cfg, 0, [])));
        return [];
      } catch (e) {
        const issues = (e as Partial<ConfigIssues>).issues;
        if (!issues?.length) throw e;
        return flatten(issues).map((i) => ({ ...i, path: `parameters.${i.path}` }));
      }
    },
  }),
);

interface ModelChoice {
  name: string;
  location: string;
  source: 'base' | 'artifact';
  /** A base's anneal.json kind ("gpt2 causal-lm", …); an artifact's kind (model, checkpoint). */
  kind: string;
  description: string;
  run?: RunRow;
}

const ModelChoiceRef = builder.objectRef<ModelChoice>('ModelChoice').implement({
  description: 'A model that can be fine-tuned: a shipped base, or a model or checkpoint a run recorded.',
  fields: (t) => ({
    name: t.exposeString('name'),
    location: t.exposeString('location', {
      description:
        "The value for model.base: 'bases/<name>' for a shipped base, or 'artifact:<artifact id>' for a stored model (the worker downloads it from the artifact store).",
    }),
    source: t.exposeString('source', { description: '"base" (shipped) or "artifact" (recorded by a run).' }),
    kind: t.exposeString('kind'),
    description: t.exposeString('description'),
    run: t.field({ type: Run, nullable: true, resolve: (m) => m.run ?? null }),
  }),
});

function shippedBases(dir: string | null): ModelChoice[] {
  if (!dir || !existsSync(dir)) return [];
  return (
    readdirSync(dir, { withFileTypes: true })
      // A base may be a symbolic link to a directory (a bases directory assembled from several places).
      .filter((e) => (e.isDirectory() || e.isSymbolicLink()) && existsSync(join(dir, e.name, 'anneal.json')))
      .map((e) => {
        const meta = JSON.parse(readFileSync(join(dir, e.name, 'anneal.json'), 'utf8'));
        const held = meta.heldOut?.testLoss;
        return {
          name: `bases/${e.name}`,
          location: `bases/${e.name}`,
          source: 'base' as const,
          kind: String(meta.kind ?? 'unknown'),
          description: `${meta.corpus ?? ''}${held ? `; test loss ${Number(held).toFixed(3)}` : ''}`,
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name))
  );
}

builder.objectField(Project, 'models', (t) =>
  t.field({
    type: [ModelChoiceRef],
    description:
      "What model.base can be: the shipped bases, then the project's model and checkpoint artifacts that hold a tokenizer (newest first, at most 100).",
    resolve: async (p: ProjectRow, _a, ctx) => {
      const rows = await ctx.h.rows<
        RunRow & { a_id: string; a_name: string; a_version: number; a_kind: string }
      >(
        sql`select r.*, a.id as a_id, a.name as a_name, a.version as a_version, a.kind as a_kind from artifacts a
          join runs r on r.id = a.run_id
          where a.project_id = ${p.id}::uuid and a.kind in ('model', 'checkpoint')
            and exists (select 1 from artifact_files f where f.artifact_id = a.id and f.path = 'tokenizer.json')
          order by a.created_at desc, a.version desc limit 100`,
      );
      return [
        ...shippedBases(ctx.basesDir),
        ...rows.map(({ a_id, a_name, a_version, a_kind, ...run }) => ({
          name: `${run.name} / ${a_name}:v${a_version}`,
          location: `artifact:${a_id}`,
          source: 'artifact' as const,
          kind: a_kind,
          description: `${(run.config as { model?: { task?: string } }).model?.task ?? ''} run ${run.name}`,
          run: run as RunRow,
        })),
      ];
    },
  }),
);

builder.mutationFields((t) => ({
  launchRun: t.field({
    type: Run,
    description:
      "Queues a training run: the config is validated with the trainer's schema (errors name the key) and a worker picks it up.",
    args: {
      project: t.arg.string({ required: true }),
      config: t.arg({ type: 'JSON', required: true }),
      name: t.arg.string({ required: false }),
      tags: t.arg.stringList({ required: false }),
      group: t.arg.string({ required: false }),
    },
    resolve: async (_p, a, ctx) => {
      const p = await projectFor(ctx, a.project, 'member');
      if (!ctx.queue || !ctx.validateConfig)
        throw new ApiError('CONFLICT', 'this API server launches no runs (start it with `anneal api`)');
      checkJsonObject(a.config, 'config', LIMITS.configBytes);
      const tags = checkTags(a.tags ?? []);
      if (a.group != null) checkName(a.group, 'group', LIMITS.groupLength);
      let config: Record<string, unknown>;
      try {
        config = ctx.validateConfig(a.config);
      } catch (e) {
        const issues = (e as Partial<ConfigIssues>).issues;
        if (!issues?.length) throw e;
        throw configBadInput('config', issues);
      }
      // Its config says where the run lives (this project), whatever `tracking` the sender wrote.
      config = tracked(config, { project: p.name });
      await checkBaseArtifact(ctx.h, p.id, config, 'config.model.base');
      const name = checkRunName(a.name ?? (typeof config.name === 'string' ? config.name : 'run'));
      const [row] = await ctx.h.rows<{ id: string }>(sql`
          insert into runs (project_id, name, status, config, tags, "group")
          values (${p.id}::uuid, ${name}, 'queued', ${JSON.stringify(config)}::jsonb, ${pgArray(tags)}::text[], ${a.group ?? null})
          returning id`);
      const jobId = await ctx.queue.send(RUNS_QUEUE, { runId: row.id } satisfies RunJob);
      await lifecycle.queue(ctx.h, row.id, jobId);
      return publishRun(ctx, row.id);
    },
  }),
}));
