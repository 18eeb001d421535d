// The sweep controller. It keeps no state of its own: each tick reads the running sweeps and their runs from
// the database, stops runs the early-termination rule prunes, and fills free slots (max_parallel) with new
// proposals until run_cap or the grid is exhausted. A proposal is claimed and its run inserted in one
// statement, so a controller killed at any point — or two controllers at once — never skips or doubles one;
// a restarted API simply ticks again.

import type { DbHandle } from '@anneal/db/client';
import { sql } from 'drizzle-orm';
import type PgBoss from 'pg-boss';
import { RUNS_QUEUE, type RunJob } from '../queue.ts';
import * as lifecycle from '../runs/lifecycle.ts';
import { type Curve, describePruning, shouldPrune } from './asha.ts';
import {
  dimensions,
  gridProposal,
  gridSize,
  isProgramSweep,
  type Proposal,
  randomProposal,
  SWEEP_LIMITS,
  type SweepConfig,
} from './space.ts';
import { type Trial, tpeProposal } from './tpe.ts';

export interface SweepRow {
  id: string;
  project_id: string;
  name: string;
  config: SweepConfig;
  base_config: Record<string, unknown>;
  state: 'running' | 'paused' | 'finished' | 'cancelled';
  proposals: number;
}

interface SweepRunRow {
  id: string;
  status: string;
  summary: Record<string, unknown>;
  sweep_params: Proposal | null;
  stop_requested_at: Date | null;
}

export interface ControllerDeps {
  h: DbHandle;
  /** The run queue: a trainer sweep's runs are launched on it (a program sweep's are claimed by agents). */
  queue: PgBoss | null;
  /** The trainer's config validation: a proposal is checked before its run is queued. */
  validateConfig: ((config: unknown) => Record<string, unknown>) | null;
}

const ACTIVE = new Set(['queued', 'running']);
const DONE = new Set(['finished', 'pruned']);

/** The base run config with a proposal's values set at their paths (`optim.lr` → config.optim.lr). */
export function applyParams(base: Record<string, unknown>, params: Proposal): Record<string, unknown> {
  const out = structuredClone(base);
  for (const [path, value] of Object.entries(params)) {
    const keys = path.split('.');
    let node = out;
    for (const k of keys.slice(0, -1)) {
      if (typeof node[k] !== 'object' || node[k] === null) node[k] = {};
      node = node[k] as Record<string, unknown>;
    }
    node[keys[keys.length - 1]] = value;
  }
  return out;
}

/** The sweep metric of a run's summary, oriented so that lower is better; NaN when absent. */
export function objective(cfg: SweepConfig, summary: Record<string, unknown>): number {
  const v = metricValue(cfg, summary);
  return cfg.metric.goal === 'maximize' ? -v : v;
}

/** The sweep's metric in a run's summary, or NaN where it is missing or not a finite number. */
export function metricValue(cfg: SweepConfig, summary: Record<string, unknown>): number {
  const v = Number(summary[cfg.metric.name]);
  return Number.isFinite(v) ? v : Number.NaN;
}

/**
 * How many proposals the sweep may make in all: its run_cap (bounded, for a row stored before the bound) and a
 * grid's size, counted without enumerating it.
 */
export function capOf(cfg: SweepConfig): number {
  const cap = Math.min(cfg.run_cap ?? Number.POSITIVE_INFINITY, SWEEP_LIMITS.runCap);
  return cfg.method === 'grid' ? Math.min(cap, gridSize(dimensions(cfg.parameters))) : cap;
}

/** The n-th proposal of a sweep, given its finished trials (TPE uses them; grid and random do not). */
export function propose(cfg: SweepConfig, n: number, trials: Trial[]): Proposal {
  const dims = dimensions(cfg.parameters);
  if (cfg.method === 'grid') {
    const p = gridProposal(dims, n);
    if (!p) throw new RangeError(`proposal ${n} is past the end of the grid`);
    return p;
  }
  if (cfg.method === 'random') return randomProposal(dims, cfg.seed, n);
  return tpeProposal(dims, trials, cfg.seed, n);
}

/** One pass over every running sweep. */
export async function tickSweeps(d: ControllerDeps): Promise<void> {
  const sweeps = await d.h.rows<SweepRow>(
    sql`select * from sweeps where state = 'running' order by created_at`,
  );
  for (const s of sweeps) await tickSweep(d, s);
}

/** A resolved run config whose `tracking` names the project, tags and group the run row has. */
export function tracked(
  config: Record<string, unknown>,
  t: { project: string; tags?: string[]; group?: string | null },
): Record<string, unknown> {
  const tracking: Record<string, unknown> = {
    ...((config.tracking as Record<string, unknown> | undefined) ?? {}),
    project: t.project,
  };
  if (t.tags?.length) tracking.tags = t.tags;
  if (t.group) tracking.group = t.group;
  return { ...config, tracking };
}

const nameOf = async (d: ControllerDeps, projectId: string) =>
  (await d.h.rows<{ name: string }>(sql`select name from projects where id = ${projectId}::uuid`))[0].name;

export async function tickSweep(d: ControllerDeps, sweep: SweepRow): Promise<void> {
  const cfg = sweep.config;
  const runs = await d.h.rows<SweepRunRow>(
    sql`select id, status, summary, sweep_params, stop_requested_at from runs where sweep_id = ${sweep.id}::uuid`,
  );
  if (cfg.early_terminate) await prune(d, cfg, runs);
  let active = runs.filter((r) => ACTIVE.has(r.status) && !r.stop_requested_at).length;
  const trials: Trial[] = runs
    .filter((r) => DONE.has(r.status) && r.sweep_params)
    .map((r) => ({ params: r.sweep_params!, value: objective(cfg, r.summary) }));
  const cap = capOf(cfg);
  let n = sweep.proposals;
  // A program sweep's proposals wait, queued, for an agent to claim them (claimSweepRun); a trainer sweep's
  // are validated and launched on the run queue, which a server without one cannot do.
  const program = isProgramSweep(cfg);
  if (!program && (!d.queue || !d.validateConfig)) return;
  // At most max_parallel runs active, and so at most that many proposals per tick (bounded again here for a
  // row stored before the bound).
  const parallel = Math.min(cfg.max_parallel, SWEEP_LIMITS.maxParallel);
  let name: string | undefined;
  const projectName = async () => {
    name ??= await nameOf(d, sweep.project_id);
    return name;
  };
  for (let made = 0; made < parallel && active < parallel && n < cap; made++) {
    const params = propose(cfg, n, trials);
    const merged = applyParams(sweep.base_config, params);
    // A trainer run's config says where it really lives: the sweep's project, its group and tags (not the
    // schema's `tracking.project: default`).
    const config = program
      ? merged
      : tracked(d.validateConfig!(merged), {
          project: await projectName(),
          tags: ['sweep'],
          group: sweep.name,
        });
    // Claim proposal n and insert its run in one statement: a concurrent or crashed controller cannot skip
    // or repeat it, and a sweep paused or cancelled meanwhile (even during this tick) makes no more runs.
    const [run] = await d.h.rows<{ id: string }>(sql`
      with claim as (update sweeps set proposals = proposals + 1
        where id = ${sweep.id}::uuid and proposals = ${n} and state = 'running' returning id)
      insert into runs (project_id, name, status, config, sweep_id, sweep_params, tags, "group")
      select ${sweep.project_id}::uuid, ${`${sweep.name}-${n}`}, 'queued', ${JSON.stringify(config)}::jsonb,
             ${sweep.id}::uuid, ${JSON.stringify(params)}::jsonb, array['sweep'], ${sweep.name}
      from claim returning id`);
    if (!run) return; // another controller took it, or the sweep stopped; the next tick sees the new state
    if (!program) {
      const jobId = await d.queue!.send(RUNS_QUEUE, { runId: run.id } satisfies RunJob);
      await lifecycle.queue(d.h, run.id, jobId);
    }
    n++;
    active++;
  }
  if (n >= cap && active === 0)
    await d.h.rows(
      sql`update sweeps set state = 'finished' where id = ${sweep.id}::uuid and state = 'running'`,
    );
}

/** Asks the worker of every running run the rung rule prunes to stop it as `pruned`. */
async function prune(d: ControllerDeps, cfg: SweepConfig, runs: SweepRunRow[]): Promise<void> {
  const running = runs.filter((r) => r.status === 'running' && !r.stop_requested_at);
  if (!running.length) return;
  const ids = runs.map((r) => sql`${r.id}::uuid`);
  const points = await d.h.rows<{ run_id: string; step: number | string; value: number | string }>(sql`
    select run_id, step, value from metric_points
    where run_id in (${sql.join(ids, sql`, `)}) and key = ${cfg.metric.name} order by run_id, step`);
  const curves = new Map<string, Curve>();
  for (const p of points) {
    const c = curves.get(p.run_id) ?? [];
    c.push([Number(p.step), Number(p.value)]);
    curves.set(p.run_id, c);
  }
  for (const r of running) {
    const v = shouldPrune(curves, r.id, cfg.early_terminate!, cfg.metric.goal);
    if (!v.prune) continue;
    const detail = describePruning(cfg.metric.name, cfg.metric.goal, cfg.early_terminate!.eta, v);
    await lifecycle.prune(d.h, r.id, detail);
  }
}

/** Spearman rank correlation of x and y (average ranks for ties); NaN with fewer than 3 pairs. */
export function spearman(x: number[], y: number[]): number {
  if (x.length < 3) return Number.NaN;
  const rank = (v: number[]) => {
    const order = v.map((value, i) => ({ value, i })).sort((a, b) => a.value - b.value);
    const r = new Array<number>(v.length);
    for (let i = 0; i < order.length; ) {
      let j = i;
      while (j + 1 < order.length && order[j + 1].value === order[i].value) j++;
      for (let k = i; k <= j; k++) r[order[k].i] = (i + j) / 2;
      i = j + 1;
    }
    return r;
  };
  const [rx, ry] = [rank(x), rank(y)];
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const [mx, my] = [mean(rx), mean(ry)];
  let num = 0;
  let dx = 0;
  let dy = 0;
  for (let i = 0; i < rx.length; i++) {
    num += (rx[i] - mx) * (ry[i] - my);
    dx += (rx[i] - mx) ** 2;
    dy += (ry[i] - my) ** 2;
  }
  return dx && dy ? num / Math.sqrt(dx * dy) : Number.NaN;
}
