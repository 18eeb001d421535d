// A sweep end to end on the embedded stack: created by mutation (W&B YAML), its runs proposed by the
// controller and trained by the worker, some pruned by ASHA on their training loss; the controller is
// "killed" mid-sweep (its loop stopped, a fresh one started) and picks up where it was; the sweep reports its
// best run and parameters.
import { tickSweeps } from '@anneal/api/sweeps';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, until } from './stack.ts';

describe('a sweep of tiny fine-tuning runs', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  beforeAll(async () => {
    stack = await startStack('sweep');
  });
  afterAll(() => stack?.close());

  /** A controller loop like the one in `anneal api`; stopping it is killing the controller. */
  const controller = () => {
    let stopped = false;
    const loop = (async () => {
      while (!stopped) {
        await tickSweeps({ h: stack.db.handle, queue: stack.queue, validateConfig: stack.validateConfig });
        await new Promise((r) => setTimeout(r, 300));
      }
    })();
    return async () => {
      stopped = true;
      await loop;
    };
  };

  it('runs to completion with some runs pruned, across a controller restart, and reports the best', async () => {
    const yaml = `
method: random
seed: 5
metric: { name: train/loss, goal: minimize }
parameters:
  optim:
    parameters:
      lr: { distribution: log_uniform_values, min: 1.0e-5, max: 3.0e-2 }
run_cap: 5
max_parallel: 2
early_terminate: { type: hyperband, min_iter: 3, eta: 2 }
`;
    const bad = await stack.gql(
      'mutation($c: JSON!, $b: JSON!) { createSweep(project: "default", config: $c, baseConfig: $b) { id } }',
      {
        c: yaml.replace('optim:', 'optimiser:'),
        b: stack.lmConfig('sweep', 12),
      },
    );
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_INPUT', field: 'config.parameters' });
    expect(bad.errors?.[0].message).toMatch(/unknown key 'optimiser'/);

    const created = await stack.gql(
      'mutation($c: JSON!, $b: JSON!) { createSweep(project: "default", name: "lr", config: $c, baseConfig: $b) { id state proposals } }',
      { c: yaml, b: stack.lmConfig('sweep', 12) },
    );
    const sweep = created.data!.createSweep;
    expect(sweep).toMatchObject({ state: 'running', proposals: 2 }); // max_parallel runs queued at once
    const q = `query($id: ID!) { sweep(id: $id) { state proposals counts { status count } best { value run { name sweepParams } }
      bestSoFar importance { parameter spearman } runs { name status sweepParams config summary stopReason stopDetail }
      trials { name status params value } } }`;
    const read = async () => (await stack.gql(q, { id: sweep.id })).data!.sweep;

    let stop = controller();
    expect(await until(async () => (await read()).proposals >= 3, 120_000)).toBe(true);
    await stop(); // the controller dies mid-sweep …
    const mid = await read();
    stop = controller(); // … and a new one picks up from the database
    expect(await until(async () => (await read()).state === 'finished', 240_000)).toBe(true);
    await stop();

    const done = await read();
    expect(done.proposals).toBe(5);
    expect(done.runs.map((r: { name: string }) => r.name).sort()).toEqual([
      'lr-0',
      'lr-1',
      'lr-2',
      'lr-3',
      'lr-4',
    ]);
    expect(mid.proposals).toBeLessThanOrEqual(5);
    // Every run trained with the learning rate the sweep chose for it.
    for (const r of done.runs) expect(r.config.optim.lr).toBe(r.sweepParams['optim.lr']);
    const counts = Object.fromEntries(
      done.counts.map((c: { status: string; count: number }) => [c.status, c.count]),
    );
    expect((counts.finished ?? 0) + (counts.pruned ?? 0)).toBe(5);
    expect(counts.pruned).toBeGreaterThan(0);
    // Each pruned run says why: the rung, its value there and the cutoff it missed.
    for (const r of done.runs as { status: string; stopReason: string | null; stopDetail: string | null }[]) {
      if (r.status !== 'pruned') continue;
      expect(r.stopReason).toBe('pruned');
      expect(r.stopDetail).toMatch(
        /^pruned at rung (\d+) \(step ≥ \1\): train\/loss \S+, outside the best \d+ of the \d+ runs there \(minimize, eta 2; the last of those kept is \S+\)$/,
      );
    }
    // The best run is one of the sweep's, with a learning rate from the declared range.
    expect(done.best.run.name).toMatch(/^lr-[0-4]$/);
    expect(done.best.run.sweepParams['optim.lr']).toBeGreaterThanOrEqual(1e-5);
    expect(done.best.run.sweepParams['optim.lr']).toBeLessThanOrEqual(3e-2);
    expect(done.bestSoFar.length).toBe(5);
    expect(done.bestSoFar.every((v: number, i: number) => i === 0 || v <= done.bestSoFar[i - 1])).toBe(true);
    expect(done.best.value).toBe(done.bestSoFar.at(-1));
    expect(done.importance[0].parameter).toBe('optim.lr');
    // trials: each run's parameters and metric value without its whole summary, for large sweeps' pages.
    expect(done.trials).toEqual(
      done.runs.map(
        (r: { name: string; status: string; sweepParams: unknown; summary: Record<string, number> }) => ({
          name: r.name,
          status: r.status,
          params: r.sweepParams,
          value: r.summary['train/loss'] ?? null,
        }),
      ),
    );
    expect(done.trials.filter((t: { value: number | null }) => t.value !== null).length).toBeGreaterThan(0);
  });
});

describe('sweep lifecycle', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  beforeAll(async () => {
    stack = await startStack('sweep-life');
    await stack.stopWorker(); // runs stay queued: only the controller's bookkeeping is under test
  });
  afterAll(() => stack?.close());

  it('pauses (no proposals), resumes, and cancels (queued runs stopped, no more proposals)', async () => {
    const config = {
      method: 'grid',
      metric: { name: 'val/loss' },
      parameters: {
        optim: { parameters: { lr: { values: [1e-3, 3e-4, 1e-4] } } },
        train: { parameters: { batchSize: { values: [2, 4] } } },
      },
      max_parallel: 2,
    };
    const tick = () =>
      tickSweeps({ h: stack.db.handle, queue: stack.queue, validateConfig: stack.validateConfig });
    const s = (
      await stack.gql(
        'mutation($c: JSON!, $b: JSON!) { createSweep(project: "default", name: "g", config: $c, baseConfig: $b) { id proposals } }',
        {
          c: config,
          b: stack.lmConfig('g', 2),
        },
      )
    ).data!.createSweep;
    expect(s.proposals).toBe(2);
    const read = async () =>
      (
        await stack.gql(
          'query($id: ID!) { sweep(id: $id) { state proposals counts { status count } runs { sweepParams } } }',
          { id: s.id },
        )
      ).data!.sweep;
    // max_parallel holds while two runs are queued.
    await tick();
    expect((await read()).proposals).toBe(2);
    await stack.gql('mutation($id: ID!) { pauseSweep(id: $id) { state } }', { id: s.id });
    await stack.db.handle.query("update runs set status = 'finished' where name like 'g-%'");
    await tick();
    expect(await read()).toMatchObject({ state: 'paused', proposals: 2 });
    await stack.gql('mutation($id: ID!) { resumeSweep(id: $id) { state } }', { id: s.id });
    await tick();
    const resumed = await read();
    expect(resumed).toMatchObject({ state: 'running', proposals: 4 });
    // Grid order: the last parameter varies fastest.
    expect(resumed.runs.map((r: { sweepParams: Record<string, number> }) => r.sweepParams)).toEqual([
      { 'optim.lr': 1e-3, 'train.batchSize': 2 },
      { 'optim.lr': 1e-3, 'train.batchSize': 4 },
      { 'optim.lr': 3e-4, 'train.batchSize': 2 },
      { 'optim.lr': 3e-4, 'train.batchSize': 4 },
    ]);
    const cancelled = (
      await stack.gql('mutation($id: ID!) { cancelSweep(id: $id) { state counts { status count } } }', {
        id: s.id,
      })
    ).data!.cancelSweep;
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.counts).toEqual([
      { status: 'finished', count: 2 },
      { status: 'stopped', count: 2 },
    ]);
    await tick();
    expect((await read()).proposals).toBe(4);
  });
});
