// Sweeps in the schema: the Sweep type (state, counts, best run, best-so-far, importance) and createSweep /
// pauseSweep / resumeSweep / cancelSweep. The search itself is in space.ts, tpe.ts, asha.ts and controller.ts.

import { sql } from 'drizzle-orm';
import { parseId, projectFor } from '../access.ts';
import { type Role, requireRole, requireViewer } from '../auth.ts';
import { builder } from '../builder.ts';
import type { ConfigIssues, Context } from '../context.ts';
import { ApiError, badInput, configBadInput } from '../errors.ts';
import { checkBaseArtifact } from '../launch-paths.ts';
import { checkSweptValues } from '../launch-sweep.ts';
import { checkJson, checkJsonObject, checkName, LIMITS } from '../limits.ts';
import type { RunRow } from '../rows.ts';
import * as lifecycle from '../runs/lifecycle.ts';
import { Project } from '../schema/project.ts';
import { Run } from '../schema/run.ts';
import { applyParams, metricValue, objective, propose, type SweepRow, tickSweep } from './controller.ts';
import { type Importance, importance } from './importance.ts';
import { dimensions, isProgramSweep, parseSweepConfig, type SweepConfig } from './space.ts';
import './agents.ts';

interface SweepStats {
  row: SweepRow;
  /**
   * The sweep's runs, oldest first: read once per request, and only when a field needs them (a run's page asks
   * for its sweep's name, a pause for nothing but the row; a sweep may hold 10,000 runs).
   */
  runs: () => Promise<RunRow[]>;
}

const StatusCountRef = builder.objectRef<{ status: string; count: number }>('StatusCount').implement({
  fields: (t) => ({ status: t.exposeString('status'), count: t.exposeInt('count') }),
});
const MeasureEnum = builder.enumType('ImportanceMeasure', {
  description:
    "SPEARMAN: Spearman's rank correlation ρ of a numeric parameter with the metric (−1…1; > 0 when larger values go with a larger metric). CORRELATION_RATIO: η of the metric's ranks across a categorical parameter's values (0…1, no direction). CONSTANT: not searched, nothing measured.",
  values: {
    SPEARMAN: { value: 'spearman' },
    CORRELATION_RATIO: { value: 'correlation_ratio' },
    CONSTANT: { value: 'constant' },
  } as const,
});
const ImportanceRef = builder.objectRef<Importance>('ParameterImportance').implement({
  description:
    "How much a swept parameter seems to matter to the sweep's metric over its finished runs: one per parameter of the space.",
  fields: (t) => ({
    parameter: t.exposeString('parameter'),
    measure: t.field({ type: MeasureEnum, resolve: (i) => i.measure }),
    value: t.field({
      type: 'Double',
      nullable: true,
      description: 'ρ or η; null for a constant, or with fewer than 3 finished runs.',
      resolve: (i) => i.value,
    }),
    runs: t.int({ description: 'Finished runs the value is over.', resolve: (i) => i.runs }),
    spearman: t.field({
      type: 'Double',
      nullable: true,
      deprecationReason: 'use value and measure',
      resolve: (i) => (i.measure === 'spearman' ? i.value : null),
    }),
  }),
});
const TrialRef = builder.objectRef<{ run: RunRow; value: number | null }>('SweepTrial').implement({
  description:
    "One run of a sweep as its page needs it: the parameters it was given and the sweep metric's value (no full summary).",
  fields: (t) => ({
    id: t.id({ resolve: (x) => `run_${x.run.id}` }),
    name: t.string({ resolve: (x) => x.run.name }),
    status: t.string({ resolve: (x) => x.run.status }),
    params: t.field({ type: 'JSON', nullable: true, resolve: (x) => x.run.sweep_params }),
    value: t.field({ type: 'Double', nullable: true, resolve: (x) => x.value }),
    stopDetail: t.string({
      nullable: true,
      description: 'For a pruned run, why (Run.stopDetail).',
      resolve: (x) => x.run.stop_detail,
    }),
  }),
});
const BestRef = builder.objectRef<{ run: RunRow; value: number }>('SweepBest').implement({
  fields: (t) => ({
    run: t.field({ type: Run, resolve: (b) => b.run }),
    value: t.field({ type: 'Double', resolve: (b) => b.value }),
  }),
});

/** Finished (or pruned) runs of a sweep in the order they were proposed, with their metric value. */
async function scored(s: SweepStats): Promise<{ run: RunRow; value: number }[]> {
  return (await s.runs())
    .filter((r) => (r.status === 'finished' || r.status === 'pruned') && r.sweep_params)
    .map((r) => ({ run: r, value: objective(s.row.config, r.summary) }))
    .filter((x) => Number.isFinite(x.value))
    .sort((a, b) => proposalNumber(a.run) - proposalNumber(b.run));
}
const proposalNumber = (r: RunRow) => Number(/-(\d+)$/.exec(r.name)?.[1] ?? 0);
const sign = (s: SweepStats) => (s.row.config.metric.goal === 'maximize' ? -1 : 1);

const Sweep = builder.objectRef<SweepStats>('Sweep').implement({
  description: 'A hyperparameter search: its config, state, runs and what it has found so far.',
  fields: (t) => ({
    id: t.id({ resolve: (s) => `sweep_${s.row.id}` }),
    name: t.string({ resolve: (s) => s.row.name }),
    project: t.field({
      type: Project,
      resolve: async (s, _a, ctx) => (await ctx.loaders.projects.load(s.row.project_id))!,
    }),
    state: t.string({ resolve: (s) => s.row.state }),
    config: t.field({ type: 'JSON', resolve: (s) => s.row.config }),
    baseConfig: t.field({ type: 'JSON', resolve: (s) => s.row.base_config }),
    proposals: t.int({ resolve: (s) => s.row.proposals }),
    counts: t.field({
      type: [StatusCountRef],
      resolve: async (s) => {
        const m = new Map<string, number>();
        for (const r of await s.runs()) m.set(r.status, (m.get(r.status) ?? 0) + 1);
        return [...m]
          .map(([status, count]) => ({ status, count }))
          .sort((a, b) => a.status.localeCompare(b.status));
      },
    }),
    best: t.field({
      type: BestRef,
      nullable: true,
      resolve: async (s) => {
        const all = await scored(s);
        if (!all.length) return null;
        const b = all.reduce((x, y) => (y.value < x.value ? y : x));
        return { run: b.run, value: sign(s) * b.value };
      },
    }),
    bestSoFar: t.field({
      type: ['Double'],
      description: 'The best metric value after each finished run, in proposal order.',
      resolve: async (s) => {
        let best = Number.POSITIVE_INFINITY;
        return (await scored(s)).map((x) => {
          best = Math.min(best, x.value);
          return sign(s) * best;
        });
      },
    }),
    importance: t.field({
      type: [ImportanceRef],
      description: 'Every parameter of the search space, the strongest first.',
      resolve: async (s) =>
        importance(
          dimensions(s.row.config.parameters),
          (await scored(s)).map((x) => ({ params: x.run.sweep_params, value: sign(s) * x.value })),
        ),
    }),
    runs: t.field({ type: [Run], resolve: (s) => s.runs() }),
    trials: t.field({
      type: [TrialRef],
      description:
        "The sweep's runs with their parameters and metric value: what a large sweep's page needs, a fraction of runs { summary }.",
      resolve: async (s) =>
        (await s.runs()).map((run) => {
          const v = metricValue(s.row.config, run.summary);
          return { run, value: Number.isNaN(v) ? null : v };
        }),
    }),
  }),
});

export async function loadSweep(ctx: Context, id: string, role: Role, field = 'id'): Promise<SweepStats> {
  const [row] = await ctx.h.rows<SweepRow>(
    sql`select * from sweeps where id = ${parseId(id, 'sweep', field)}::uuid`,
  );
  if (!row || !ctx.viewer?.roles.has(row.project_id)) {
    requireViewer(ctx.viewer);
    throw new ApiError('NOT_FOUND', `sweep ${id} not found`);
  }
  requireRole(ctx.viewer, row.project_id, role);
  let runs: Promise<RunRow[]> | null = null;
  return {
    row,
    runs: () => {
      runs ??= ctx.h.rows<RunRow>(
        sql`select * from runs where sweep_id = ${row.id}::uuid order by created_at`,
      );
      return runs;
    },
  };
}

builder.objectField(Run, 'sweep', (t) =>
  t.field({
    type: Sweep,
    nullable: true,
    description: 'The sweep that proposed this run, if one did.',
    resolve: (r, _a, ctx) => (r.sweep_id ? loadSweep(ctx, r.sweep_id, 'viewer') : null),
  }),
);

builder.queryField('sweep', (t) =>
  t.field({
    type: Sweep,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_p, a, ctx) => loadSweep(ctx, String(a.id), 'viewer'),
  }),
);

/** A config error at `prefix.<path>` as a BAD_INPUT naming it. */
function configError(prefix: string, e: unknown): never {
  const issues = (e as Partial<ConfigIssues>).issues;
  if (!issues?.length) throw e;
  throw configBadInput(prefix, issues);
}

/**
 * Every model.base a trainer sweep's parameters can propose follows the base config's rule: an artifact must be
 * one of the sweep's project (checkBaseArtifact), named `config.parameters.model.base.values[i]`.
 */
async function checkSweptBases(ctx: Context, projectId: string, cfg: SweepConfig): Promise<void> {
  const seen = new Set<string>();
  for (const d of dimensions(cfg.parameters)) {
    if (d.path !== 'model.base') continue;
    const options: [unknown, string][] =
      d.kind === 'constant'
        ? [[d.value, 'value']]
        : d.kind === 'categorical'
          ? d.values.map((v, i) => [v, `values[${i}]`])
          : [];
    for (const [value, key] of options) {
      if (typeof value !== 'string' || seen.has(value)) continue;
      seen.add(value);
      await checkBaseArtifact(
        ctx.h,
        projectId,
        { model: { base: value } },
        `config.parameters.${d.path}.${key}`,
      );
    }
  }
}

builder.mutationFields((t) => ({
  createSweep: t.field({
    type: Sweep,
    description:
      "A hyperparameter sweep in the W&B sweep format (a JSON object, or YAML/JSON text). Without `program` or `command` it drives Anneal's trainer over `baseConfig` (required), its runs proposed and queued right away (max_parallel at a time); with one, its proposals wait for `anneal agent` processes (claimSweepRun), parameters may have any name and `baseConfig` (optional) is merged under each run's config.",
    args: {
      project: t.arg.string({ required: true }),
      config: t.arg({ type: 'JSON', required: true }),
      baseConfig: t.arg({ type: 'JSON', required: false }),
      name: t.arg.string({ required: false }),
    },
    resolve: async (_p, a, ctx) => {
      const p = await projectFor(ctx, a.project, 'member');
      checkJson(a.config, 'config', LIMITS.configBytes);
      if (a.baseConfig != null) checkJsonObject(a.baseConfig, 'baseConfig', LIMITS.configBytes);
      if (a.name != null) checkName(a.name, 'name', LIMITS.runNameLength, 1);
      let cfg: SweepConfig;
      try {
        cfg = parseSweepConfig(a.config);
      } catch (e) {
        configError('config', e);
      }
      const baseConfig = (a.baseConfig ?? {}) as Record<string, unknown>;
      if (!isProgramSweep(cfg)) {
        if (!ctx.queue || !ctx.validateConfig)
          throw new ApiError(
            'CONFLICT',
            'this API server launches no runs (start it with `anneal api`), and the sweep has no program or command for `anneal agent`',
          );
        if (a.baseConfig == null)
          throw badInput('baseConfig', 'a sweep of the trainer needs a base run config');
        let base: Record<string, unknown> = {};
        try {
          base = ctx.validateConfig(baseConfig);
        } catch (e) {
          configError('baseConfig', e);
        }
        await checkBaseArtifact(ctx.h, p.id, base, 'baseConfig.model.base');
        await checkSweptBases(ctx, p.id, cfg);
        try {
          // A first proposal must make a valid run config: a parameter path the trainer does not know is caught here.
          ctx.validateConfig(applyParams(baseConfig, propose(cfg, 0, [])));
          checkSweptValues(cfg, baseConfig, ctx.validateConfig); // every listed value, not just the first
        } catch (e) {
          configError('config.parameters', e);
        }
      } else {
        try {
          propose(cfg, 0, []); // a space that cannot be sampled (a grid over a float range) is refused now
        } catch (e) {
          configError('config', e);
        }
      }
      const name = a.name ?? cfg.name ?? `sweep-${new Date().toISOString().slice(0, 19)}`;
      const [row] = await ctx.h.rows<SweepRow>(sql`insert into sweeps (project_id, name, config, base_config)
        values (${p.id}::uuid, ${name}, ${JSON.stringify(cfg)}::jsonb, ${JSON.stringify(baseConfig)}::jsonb) returning *`);
      await tickSweep(
        { h: ctx.h, queue: ctx.queue ?? null, validateConfig: ctx.validateConfig ?? null },
        row,
      );
      return loadSweep(ctx, row.id, 'viewer');
    },
  }),
  pauseSweep: t.field({
    type: Sweep,
    description: 'Stops proposing runs (running ones continue).',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_p, a, ctx) => {
      const s = await loadSweep(ctx, String(a.id), 'member');
      await ctx.h.rows(
        sql`update sweeps set state = 'paused' where id = ${s.row.id}::uuid and state = 'running'`,
      );
      return loadSweep(ctx, String(a.id), 'viewer');
    },
  }),
  resumeSweep: t.field({
    type: Sweep,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_p, a, ctx) => {
      const s = await loadSweep(ctx, String(a.id), 'member');
      await ctx.h.rows(
        sql`update sweeps set state = 'running' where id = ${s.row.id}::uuid and state = 'paused'`,
      );
      return loadSweep(ctx, String(a.id), 'viewer');
    },
  }),
  cancelSweep: t.field({
    type: Sweep,
    description: 'Ends the sweep: no more proposals, queued runs stopped, running runs asked to stop.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_p, a, ctx) => {
      const s = await loadSweep(ctx, String(a.id), 'member');
      await ctx.h.rows(sql`update sweeps set state = 'cancelled' where id = ${s.row.id}::uuid`);
      await lifecycle.requestStop(ctx.h, { sweepId: s.row.id });
      return loadSweep(ctx, String(a.id), 'viewer');
    },
  }),
}));
