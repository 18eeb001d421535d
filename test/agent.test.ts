// `anneal agent` (the TypeScript CLI) and `python -m anneal agent` sharing program sweeps against a live API started
// here (embedded PGlite, the sweep controller ticking as `anneal api` runs it): no proposal runs twice, every trial
// ends finished or pruned with its reason, hyperband's pruned trials stopped by whichever agent ran them. Then the
// PyTorch proof: a `method: bayes` + `early_terminate: hyperband` sweep of examples/python/torch_mlp.py run by two
// agents (skipped, saying so, where torch is absent). Skipped where python3 is missing.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrap } from '@anneal/api/bootstrap';
import { createApi } from '@anneal/api/server';
import { tickSweeps } from '@anneal/api/sweeps';
import { freshDatabase } from '@anneal/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const python = spawnSync('python3', ['--version']).status === 0 ? 'python3' : null;
if (!python) console.warn('test/agent.test.ts: python3 is not installed: the sweep agent tests are skipped');
const torchPython = ['python3', '/usr/bin/python3'].find(
  (exe) => spawnSync(exe, ['-c', 'import torch']).status === 0,
);
if (python && !torchPython)
  console.warn(
    'test/agent.test.ts: torch is not installed (apt install python3-torch): the PyTorch sweep is skipped',
  );

// Logs `loss` through the Python SDK, which joins the run the agent claimed (ANNEAL_RUN_ID).
const TRAIN = `
import argparse, time
import anneal
p = argparse.ArgumentParser()
p.add_argument("--lr", type=float, required=True)
p.add_argument("--layers", type=int, required=True)
p.add_argument("--steps", type=int, default=20)
p.add_argument("--delay", type=float, default=0.0)
args = p.parse_args()
run = anneal.init(project="ignored-when-an-agent-runs-us")
for step in range(args.steps):
    run.log({"loss": args.layers * args.lr / (step + 1)})
    time.sleep(args.delay)
print(f"trained lr={args.lr} layers={args.layers}")
run.finish()
`;

interface SweepRun {
  id: string;
  status: string;
  sweepParams: Record<string, unknown>;
  stopReason: string | null;
  stopDetail: string | null;
}

describe.skipIf(!python)('anneal agent (TypeScript) and python -m anneal agent share a program sweep', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let api: Server;
  let url = '';
  let key = '';
  let controller: NodeJS.Timeout | undefined;

  beforeAll(async () => {
    db = await freshDatabase('pglite');
    key = (await bootstrap(db.handle)).key!;
    api = createServer(createApi({ handle: db.handle }));
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    // The sweep controller's loop, as `anneal api` runs it: it proposes and prunes.
    controller = setInterval(() => {
      void tickSweeps({ h: db.handle, queue: null, validateConfig: null }).catch(() => {});
    }, 300);
  });
  afterAll(async () => {
    clearInterval(controller);
    api?.closeAllConnections();
    await new Promise((r) => api?.close(r));
    await db?.drop();
  });

  async function gql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data: T; errors?: unknown };
    expect(body.errors).toBeUndefined();
    return body.data;
  }

  const createSweep = async (config: Record<string, unknown>) =>
    (
      await gql<{ createSweep: { id: string } }>(
        'mutation($c: JSON!) { createSweep(project: "default", config: $c) { id } }',
        { c: config },
      )
    ).createSweep.id;

  const sweepRuns = async (id: string) =>
    (
      await gql<{ sweep: { state: string; runs: SweepRun[] } }>(
        'query($id: ID!) { sweep(id: $id) { state runs { id status sweepParams stopReason stopDetail } } }',
        { id },
      )
    ).sweep;

  /** Runs an agent process to its end; returns its console. */
  function runAgent(kind: 'ts' | 'py', sweepId: string, cwd: string, py = python!) {
    const [cmd, args] =
      kind === 'ts'
        ? [
            process.execPath,
            [join(ROOT, 'apps/cli/bin/anneal.js'), 'agent', sweepId, '--grace', '5', '--poll', '1'],
          ]
        : [py, ['-m', 'anneal', 'agent', sweepId, '--grace', '5']];
    const child = spawn(cmd, args, {
      cwd,
      env: {
        ...process.env,
        ANNEAL_API_URL: url,
        ANNEAL_API_KEY: key,
        ANNEAL_DATA_DIR: cwd,
        PYTHONPATH: join(ROOT, 'clients/python'),
        ANNEAL_PYTHON: py, // the TypeScript agent's ${interpreter}
      },
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    const done = new Promise<{ code: number | null; out: string }>((r) =>
      child.on('close', (code) => r({ code, out })),
    );
    return Object.assign(done, { child, output: () => out });
  }

  /** The runs an agent's console says it claimed (`anneal agent: run_…: <command>`). */
  const claimed = (out: string) =>
    out
      .split('\n')
      .filter((l) => /^anneal agent: run_\S+: /.test(l) && !l.includes(' stopping it '))
      .map((l) => l.split(' ')[2].replace(/:$/, ''));

  /** Both agents ran trials, none twice, and the sweep's runs are exactly those, each proposal once. */
  function expectShared(outs: { code: number | null; out: string }[], runs: SweepRun[]) {
    for (const o of outs) expect(o.code, o.out).toBe(0);
    const [a, b] = outs.map((o) => claimed(o.out));
    expect(a.length, outs[0].out).toBeGreaterThan(0);
    expect(b.length, outs[1].out).toBeGreaterThan(0);
    expect(a.filter((id) => b.includes(id))).toEqual([]);
    expect(runs.map((r) => r.id).sort()).toEqual([...a, ...b].sort());
    const params = runs.map((r) => JSON.stringify(r.sweepParams, Object.keys(r.sweepParams).sort()));
    expect(new Set(params).size).toBe(runs.length);
    for (const r of runs) {
      expect(['finished', 'pruned'], JSON.stringify(r)).toContain(r.status);
      if (r.status === 'pruned') {
        expect(r.stopReason).toBe('pruned');
        expect(r.stopDetail).toBeTruthy(); // which rung, which metric value
      }
    }
  }

  it('one TypeScript and one Python agent run a hyperband sweep: no proposal twice, pruned trials stopped with their reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anneal-agents-'));
    writeFileSync(join(dir, 'train.py'), TRAIN);
    const id = await createSweep({
      program: 'train.py',
      method: 'grid',
      metric: { name: 'loss', goal: 'minimize' },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: W&B's command macros
      command: ['${env}', '${interpreter}', '${program}', '${args}', '--steps=60', '--delay=0.05'],
      parameters: { layers: { values: [1, 2, 3, 4, 5, 6] }, lr: { value: 0.5 } },
      early_terminate: { type: 'hyperband', min_iter: 3, eta: 2 },
      max_parallel: 2,
    });
    const outs = await Promise.all([runAgent('ts', id, dir), runAgent('py', id, dir)]);
    const sweep = await sweepRuns(id);
    expect(sweep.state).toBe('finished');
    expect(sweep.runs.map((r) => r.sweepParams.layers).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expectShared(outs, sweep.runs);
    // layers=1 has the lowest loss at every rung: it is never pruned; some worse trial is, and its agent said so.
    expect(sweep.runs.find((r) => r.sweepParams.layers === 1)?.status).toBe('finished');
    expect(sweep.runs.some((r) => r.status === 'pruned')).toBe(true);
    expect(outs.map((o) => o.out).join('')).toContain('stopping it (pruned)');
    // Each finished trial's console is its run's console, whichever agent ran it (the SDK in the script records it).
    for (const r of sweep.runs.filter((x) => x.status === 'finished')) {
      const { run } = await gql<{ run: { logs: { line: string }[] } }>(
        'query($id: ID!) { run(id: $id) { logs(afterSeq: -1, first: 1000) { line } } }',
        { id: r.id },
      );
      expect(run.logs.map((l) => l.line)).toContain(`trained lr=0.5 layers=${r.sweepParams.layers}`);
    }
    // The TypeScript agent wrote the arguments as Python's str() does, as the Python agent does.
    expect(outs[0].out).toMatch(/train\.py --lr=0\.5 --layers=\d --steps=60 --delay=0\.05\n/);
  }, 300_000);

  it('refuses a sweep that does not exist, a malformed sweep id and a bad --count in one line naming what was wrong', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anneal-agent-bad-'));
    let r = await runAgent('ts', 'sweep_00000000-0000-4000-8000-000000000000', dir);
    expect(r.code).toBe(1);
    expect(r.out.trim()).toMatch(/^anneal: agent: sweep\b.*not found/i);
    r = await runAgent('ts', 'nope', dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^anneal: agent: .*sweepId/m);
    const child = spawn(
      process.execPath,
      [join(ROOT, 'apps/cli/bin/anneal.js'), 'agent', 'sweep_x', '--count', '0'],
      {
        env: { ...process.env, ANNEAL_API_URL: url },
      },
    );
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    expect(await new Promise((res) => child.on('close', res))).not.toBe(0);
    expect(err).toContain('--count must be a positive integer, got 0');
  });

  it('an agent that is itself stopped (SIGTERM) stops its trial and ends the run stopped, not orphaned', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anneal-agent-term-'));
    writeFileSync(join(dir, 'train.py'), TRAIN);
    const id = await createSweep({
      program: 'train.py',
      method: 'grid',
      metric: { name: 'loss', goal: 'minimize' },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: W&B's command macros
      command: ['${interpreter}', '${program}', '${args}', '--steps=2000', '--delay=0.05'],
      parameters: { layers: { values: [1, 2] }, lr: { value: 0.1 } },
    });
    const agent = runAgent('ts', id, dir);
    await expect.poll(agent.output, { timeout: 30_000 }).toMatch(/anneal agent: run_\S+: .*train\.py/);
    const runId = claimed(agent.output())[0];
    // The script is up and logging before the agent is stopped.
    const points = async () =>
      (
        await gql<{ run: { history: unknown[] } }>(
          'query($id: ID!) { run(id: $id) { history(keys: ["loss"]) { step } } }',
          { id: runId },
        )
      ).run.history.length;
    await expect.poll(points, { timeout: 30_000 }).toBeGreaterThan(0);
    agent.child.kill('SIGTERM');
    // Resolves on the agent's pipes closing, which the trial inherited: the script has ended too.
    const { code, out } = await agent;
    expect(code, out).toBe(130);
    expect(claimed(out)).toEqual([runId]); // no further trial claimed
    const sweep = await sweepRuns(id);
    // The controller may already have queued the next proposal for some agent to claim: queued is not orphaned.
    expect(sweep.runs.filter((r) => r.status !== 'queued').map((r) => [r.id, r.status])).toEqual([
      [runId, 'stopped'],
    ]);
  });

  it.skipIf(!torchPython)(
    'the PyTorch proof: a bayes + hyperband sweep of examples/python/torch_mlp.py run by a TypeScript and a Python agent',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'anneal-torch-sweep-'));
      const id = await createSweep({
        program: join(ROOT, 'examples/python/torch_mlp.py'),
        method: 'bayes',
        metric: { name: 'train/loss', goal: 'minimize' },
        // biome-ignore lint/suspicious/noTemplateCurlyInString: W&B's command macros
        command: ['${env}', '${interpreter}', '${program}', '${args}', '--steps=200'],
        parameters: {
          lr: { distribution: 'log_uniform_values', min: 1e-4, max: 0.05 },
          hidden: { values: [4, 16, 32] },
        },
        early_terminate: { type: 'hyperband', min_iter: 25, eta: 2 },
        run_cap: 5,
        max_parallel: 2,
        seed: 1,
      });
      const outs = await Promise.all([
        runAgent('ts', id, dir, torchPython),
        runAgent('py', id, dir, torchPython),
      ]);
      const sweep = await sweepRuns(id);
      expect(sweep.state).toBe('finished');
      expect(sweep.runs).toHaveLength(5);
      console.log(
        `torch sweep: ${sweep.runs.map((r) => `${JSON.stringify(r.sweepParams)} ${r.status}`).join('; ')}`,
      );
      expectShared(outs, sweep.runs);
      // Each trial trained with its proposal: the script printed its validation accuracy.
      for (const o of outs) expect(o.out).toMatch(/step 19: train\/loss [\d.]+ val\/acc [\d.]+/);
    },
    300_000,
  );
});
