// What `anneal agent` needs to run a sweep of any program (a sweep with `program` or `command`):
// `claimSweepRun(sweepId)` hands the agent the next proposal — its run (started as attempt 1, so the script's
// `anneal.init()` joins it with ANNEAL_RUN_ID / ANNEAL_RUN_ATTEMPT), its parameters and the sweep's command —
// or nothing while every allowed trial is running. A claim is one UPDATE of a queued run that re-checks
// `status = 'queued'` (and skips rows another claim holds), so two agents, on any number of machines and API
// processes, never get the same proposal. The controller fills the queue (max_parallel proposals at a time);
// the claim ticks it first, so agents make progress without waiting for the controller's next pass. A run the
// sweep prunes shows `stopRequested` (with stopReason 'pruned') to the agent's heartbeat: the agent stops the
// program and finishes the run as pruned.

import { sql } from 'drizzle-orm';
import { builder } from '../builder.ts';
import { ApiError, badInput } from '../errors.ts';
import * as lifecycle from '../runs/lifecycle.ts';
import { tickSweep } from './controller.ts';
import { loadSweep } from './graphql.ts';
import { isProgramSweep } from './space.ts';

interface Claim {
  runId: string | null;
  project: string | null;
  attempt: number | null;
  params: Record<string, unknown> | null;
  program: string | null;
  command: string[] | null;
  sweepState: string;
}

const ClaimRef = builder.objectRef<Claim>('SweepClaim').implement({
  description:
    "A proposal of a program sweep for an agent: the run to report into, its parameters and the sweep's program and command (W&B macros unexpanded). `runId` is null when there is nothing to run now: the sweep is paused or every allowed trial is running (ask again), or it is finished or cancelled (`sweepState`: stop).",
  fields: (t) => ({
    runId: t.id({ nullable: true, resolve: (c) => c.runId }),
    project: t.string({
      nullable: true,
      description:
        "The sweep's project (its name): the script's run is there, whatever project the script names.",
      resolve: (c) => c.project,
    }),
    attempt: t.int({ nullable: true, resolve: (c) => c.attempt }),
    params: t.field({ type: 'JSON', nullable: true, resolve: (c) => c.params }),
    program: t.string({ nullable: true, resolve: (c) => c.program }),
    command: t.stringList({ nullable: true, resolve: (c) => c.command }),
    sweepState: t.string({ resolve: (c) => c.sweepState }),
  }),
});

builder.mutationField('claimSweepRun', (t) =>
  t.field({
    type: ClaimRef,
    description:
      'An agent claims the next proposal of a sweep with a program or command; no two claims get the same one.',
    args: {
      sweepId: t.arg.id({ required: true }),
      host: t.arg.string({ required: false, description: "The agent's machine, recorded on the run." }),
    },
    resolve: async (_p, a, ctx) => {
      const s = await loadSweep(ctx, String(a.sweepId), 'member', 'sweepId');
      const cfg = s.row.config;
      if (!isProgramSweep(cfg))
        throw badInput(
          'sweepId',
          `sweep ${a.sweepId} runs Anneal's trainer (no program or command): its runs are launched on the queue, not claimed`,
        );
      if (a.host != null && (a.host.length > 255 || /[\p{Cc}]/u.test(a.host)))
        throw badInput('host', 'at most 255 characters, no control characters');
      const none = (state: string): Claim => ({
        runId: null,
        project: null,
        attempt: null,
        params: null,
        program: null,
        command: null,
        sweepState: state,
      });
      if (s.row.state !== 'running') return none(s.row.state);
      await tickSweep({ h: ctx.h, queue: null, validateConfig: null }, s.row);
      const [run] = await ctx.h.rows<{ id: string; sweep_params: Record<string, unknown> }>(sql`
        update runs set status = 'running', heartbeat_at = now()
        where id = (
          select id from runs where sweep_id = ${s.row.id}::uuid and status = 'queued' and stop_requested_at is null
          order by created_at, name limit 1 for update skip locked)
          and status = 'queued'
        returning id, sweep_params`);
      if (!run) {
        const [now] = await ctx.h.rows<{ state: string }>(
          sql`select state from sweeps where id = ${s.row.id}::uuid`,
        );
        return none(now?.state ?? s.row.state);
      }
      const started = await lifecycle.start(ctx.h, run.id, { host: a.host ?? null });
      if (!started) throw new ApiError('CONFLICT', `run_${run.id} vanished while it was claimed`);
      const [project] = await ctx.h.rows<{ name: string }>(
        sql`select name from projects where id = ${s.row.project_id}::uuid`,
      );
      return {
        runId: `run_${run.id}`,
        project: project?.name ?? null,
        attempt: started.number,
        params: run.sweep_params,
        program: cfg.program ?? null,
        command: cfg.command ?? null,
        sweepState: s.row.state,
      };
    },
  }),
);
