// Launching runs onto a worker, on the embedded database as `anneal api` runs it: launchRun validates the config
// with the trainer's schema and queues the run (pg-boss over PGlite), the worker trains it and logs through the
// API; stopRun stops a running job within 10 s with a checkpoint saved; a run whose worker stopped heartbeating
// is marked crashed and its job goes back to the queue for a retry.

import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { RUNS_QUEUE } from '@anneal/api/queue';
import * as lifecycle from '@anneal/api/runs/lifecycle';
import { reapCrashedRuns } from '@anneal/api/server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, until } from './stack.ts';

describe('launching runs onto a worker', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  const status = async (id: string) =>
    (await stack.gql('query($id: ID!) { run(id: $id) { status } }', { id })).data!.run.status as string;

  beforeAll(async () => {
    stack = await startStack('launch');
  });
  afterAll(() => stack?.close());

  it("rejects a config the trainer's schema rejects, naming the key", async () => {
    const r = await stack.gql('mutation($c: JSON!) { launchRun(project: "default", config: $c) { id } }', {
      c: { model: { base: stack.base }, train: { batch_size: 8 } },
    });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_INPUT', field: 'config.train' });
    expect(r.errors?.[0].message).toMatch(/unknown key 'train\.batch_size'/);
  });

  it('queues a run that a worker trains, logging through the API', async () => {
    const r = await stack.gql(
      'mutation($c: JSON!) { launchRun(project: "default", config: $c, tags: ["launched"]) { id name status } }',
      { c: stack.lmConfig('launched-lm', 4) },
    );
    const run = r.data!.launchRun;
    expect(run).toMatchObject({ name: 'launched-lm', status: 'queued' });
    expect(await until(async () => (await status(run.id)) === 'finished', 90_000)).toBe(true);
    const d = (
      await stack.gql(
        'query($id: ID!) { run(id: $id) { host gpu summary tags metrics(keys: ["train/loss"]) { count } artifacts { id kind name aliases metadata files { path } } } }',
        {
          id: run.id,
        },
      )
    ).data!.run;
    expect(d.metrics[0].count).toBe(4);
    expect(d.summary['test/perplexity']).toBeGreaterThan(1);
    expect(d.tags).toEqual(['launched']);
    expect(d.host).toBe(hostname()); // the worker's machine
    // The exported model is an artifact listing its files, each downloadable with the key.
    const model = d.artifacts.find((a: { kind: string }) => a.kind === 'model');
    expect(model.files.map((f: { path: string }) => f.path)).toEqual([
      'config.json',
      'model.safetensors',
      'tokenizer.json',
    ]);
    const res = await fetch(`${stack.url}/artifacts/${model.id}/config.json`, {
      headers: { authorization: `Bearer ${stack.key}` },
    });
    expect(res.status).toBe(200);
    expect((await res.json()).model_type).toBe('gpt2');
  });

  it('validates run and sweep configs by path without storing anything', async () => {
    const count = async () =>
      (await stack.gql('{ runs(project: "default") { totalCount } }')).data!.runs.totalCount as number;
    const before = await count();
    const issues = async (kind: string, config: unknown) => {
      const r = await stack.gql(
        'query($k: ConfigKind!, $c: JSON!) { validateConfig(kind: $k, config: $c) { path message severity } }',
        { k: kind, c: config },
      );
      expect(r.errors).toBeUndefined();
      return r.data!.validateConfig;
    };
    const good = stack.lmConfig('ok', 1);
    expect(await issues('RUN', good)).toEqual([]);
    expect(
      await issues('RUN', { ...good, optim: { lr: -1 }, train: { batch_size: 8, batchSiz: 8 } }),
    ).toEqual([
      { path: 'optim.lr', message: expect.stringMatching(/>0|positive|greater/i), severity: 'error' },
      { path: 'train.batch_size', message: "unknown key 'train.batch_size'", severity: 'error' },
      { path: 'train.batchSiz', message: "unknown key 'train.batchSiz'", severity: 'error' },
    ]);
    // A launched run cannot name a directory on the server; a shipped base that is not there is a warning.
    expect(await issues('RUN', { ...good, model: { ...good.model, base: '/nowhere/gpt' } })).toEqual([
      {
        path: 'model.base',
        message: expect.stringContaining('cannot name a directory on the server'),
        severity: 'error',
      },
    ]);
    expect(await issues('RUN', { ...good, model: { ...good.model, base: 'bases/nowhere' } })).toEqual([
      {
        path: 'model.base',
        message: expect.stringContaining('bases/nowhere has no config.json'),
        severity: 'warning',
      },
    ]);
    expect(
      await issues(
        'SWEEP',
        'method: grid\nmetric: { name: val/loss, goal: down }\nparameters: { optim.lr: { valuez: [1] } }',
      ),
    ).toEqual([
      { path: 'metric.goal', message: expect.any(String), severity: 'error' },
      {
        path: 'parameters.optim.lr.valuez',
        message: "unknown key 'parameters.optim.lr.valuez'",
        severity: 'error',
      },
      {
        path: 'parameters.optim.lr',
        message: expect.stringMatching(/^give exactly one of value/),
        severity: 'error',
      },
    ]);
    // With the base run config, a parameter the trainer does not know is reported under parameters.
    const r = await stack.gql(
      'query($c: JSON!, $b: JSON) { validateConfig(kind: SWEEP, config: $c, baseConfig: $b) { path message } }',
      {
        c: 'method: grid\nmetric: { name: val/loss }\nparameters: { optim.learningRate: { values: [1] } }',
        b: good,
      },
    );
    expect(r.data!.validateConfig).toEqual([
      { path: 'parameters.optim.learningRate', message: "unknown key 'optim.learningRate'" },
    ]);
    expect(await count()).toBe(before);
  });

  it("offers the shipped bases and the project's recorded models as bases to fine-tune", async () => {
    const r = await stack.gql(
      '{ project(ref: "default") { models { name location source kind run { name } } } }',
    );
    const models = r.data!.project.models;
    expect(
      models.filter((m: { source: string }) => m.source === 'base').map((m: { name: string }) => m.name),
    ).toEqual(['bases/encoder-brown-256', 'bases/gpt-brown', 'bases/gpt-brown-256', 'bases/llama-brown-256']);
    // The exported model and the best checkpoint (the run validated its last step) of the run launched above.
    const recorded = models.filter((m: { source: string }) => m.source === 'artifact');
    expect(recorded).toEqual([
      expect.objectContaining({
        name: expect.stringMatching(/^launched-lm \/ checkpoint-[0-9a-f]{8}:v0$/),
        kind: 'checkpoint',
        run: { name: 'launched-lm' },
      }),
      expect.objectContaining({
        name: expect.stringMatching(/^launched-lm \/ model-[0-9a-f]{8}:v0$/),
        kind: 'model',
        run: { name: 'launched-lm' },
      }),
    ]);
    // A recorded model is a complete base: a run config naming it validates without warnings.
    expect(
      (
        await stack.gql('query($c: JSON!) { validateConfig(kind: RUN, config: $c) { path } }', {
          c: {
            ...stack.lmConfig('again', 1),
            model: { ...stack.lmConfig('again', 1).model, base: recorded[1].location },
          },
        })
      ).data!.validateConfig,
    ).toEqual([]);
  });

  it('fine-tunes from a recorded model: the worker downloads it and the run records it as its input', async () => {
    const models = (await stack.gql('{ project(ref: "default") { models { location kind } } }')).data!.project
      .models;
    const base = models.find((m: { kind: string }) => m.kind === 'model').location as string;
    expect(base).toMatch(/^artifact:[0-9a-f-]{36}$/);
    const run = (
      await stack.gql('mutation($c: JSON!) { launchRun(project: "default", config: $c) { id } }', {
        c: { ...stack.lmConfig('from-artifact', 2), model: { base } },
      })
    ).data!.launchRun;
    expect(await until(async () => (await status(run.id)) === 'finished', 90_000)).toBe(true);
    const d = (
      await stack.gql('query($id: ID!) { run(id: $id) { config inputs { id digest run { name } } } }', {
        id: run.id,
      })
    ).data!.run;
    expect(d.config.model.base).toBe(base); // the run keeps the reference; the worker used its download
    expect(d.inputs).toEqual([
      { id: base.slice('artifact:'.length), digest: expect.any(String), run: { name: 'launched-lm' } },
    ]);
    // Downloaded once into the worker's cache, under the content digest; the run's lease on it ends with the run.
    const cache = join(stack.dir, 'cache');
    expect(readdirSync(cache).filter((n) => n !== '.leases')).toEqual([d.inputs[0].digest]);
    expect(await until(async () => readdirSync(join(cache, '.leases')).length === 0, 10_000)).toBe(true);
  });

  it('fails a queued run whose config breaks the launch rules on the worker too, naming the key', async () => {
    // As if it got past launchRun (an older server, a sweep proposal): the worker checks again, trains nothing.
    const [p] = await stack.db.handle.rows<{ id: string }>(
      sql`select id from projects where name = 'default'`,
    );
    // Another project's model (the worker's key is the admin's, which could read it: the worker checks).
    const other = (await stack.gql('mutation { createProject(name: "elsewhere") { id } }')).data!
      .createProject.id;
    const producer = (await stack.gql('mutation { createRun(project: "elsewhere", name: "p") { id } }')).data!
      .createRun.id;
    const [theirs] = await stack.db.handle.rows<{ id: string }>(sql`
      insert into artifacts (project_id, run_id, kind, name, version, digest, size)
      values (${other.slice('project_'.length)}::uuid, ${producer.slice(4)}::uuid, 'model', 'theirs', 0, ${'0'.repeat(64)}, 0)
      returning id`);
    for (const [name, patch, message] of [
      [
        'sneaky-path',
        { data: { source: { kind: 'text', paths: ['/etc/passwd'] } } },
        /^config\.data\.source\.paths\.0: '\/etc\/passwd' is absolute/,
      ],
      [
        // A name the schema refuses, stored by an older server: failed, not retried, nothing written.
        'sneaky-name',
        { name: '../../../../../../../../tmp/anneal-pwned/owned' },
        /^config: name: must not contain '\/'/,
      ],
      [
        // A link in the worker's runs directory that leads out of it (here to the artifact cache).
        'sneaky-output',
        { output: { dir: 'escape/owned' } },
        /^config\.output\.dir: 'escape\/owned' leads out of the worker's runs directory/,
      ],
      [
        'sneaky-artifact',
        { model: { base: `artifact:${theirs.id}` } },
        /^config\.model\.base: this project has no artifact/,
      ],
    ] as const) {
      if (name === 'sneaky-output') {
        mkdirSync(join(stack.dir, 'worker'), { recursive: true });
        mkdirSync(join(stack.dir, 'cache'), { recursive: true });
        symlinkSync(join(stack.dir, 'cache'), join(stack.dir, 'worker', 'escape'));
      }
      const config = { ...stack.lmConfig(name, 1), ...patch };
      const [row] = await stack.db.handle.rows<{
        id: string;
      }>(sql`insert into runs (project_id, name, status, config)
        values (${p.id}::uuid, ${name}, 'queued', ${JSON.stringify(config)}::jsonb) returning id`);
      await stack.queue.send(RUNS_QUEUE, { runId: row.id });
      const id = `run_${row.id}`;
      expect(await until(async () => (await status(id)) === 'failed', 30_000), name).toBe(true);
      const logs = (await stack.gql('query($id: ID!) { run(id: $id) { logs { line stream } } }', { id }))
        .data!.run.logs;
      expect(logs, name).toEqual([{ line: expect.stringMatching(message), stream: 'stderr' }]);
      expect(
        (await stack.gql('query($id: ID!) { run(id: $id) { inputs { id } } }', { id })).data!.run.inputs,
      ).toEqual([]);
    }
    expect(existsSync(join(stack.dir, 'cache', 'owned'))).toBe(false); // nothing was written through the link
  });

  it('stops a running run within 10 s, with a checkpoint saved', async () => {
    const run = (
      await stack.gql('mutation($c: JSON!) { launchRun(project: "default", config: $c) { id } }', {
        c: stack.lmConfig('long-lm', 100_000),
      })
    ).data!.launchRun;
    const running = async () =>
      (
        await stack.db.handle.rows<{ n: number }>(
          sql`select count(*)::int as n from metric_points where run_id = ${run.id.slice(4)}::uuid`,
        )
      )[0].n > 2;
    expect(await until(running, 90_000)).toBe(true);
    const t0 = Date.now();
    const stopped = (
      await stack.gql('mutation($id: ID!) { stopRun(runId: $id) { stopRequested } }', { id: run.id })
    ).data!.stopRun;
    expect(stopped.stopRequested).toBe(true);
    expect(await until(async () => (await status(run.id)) === 'stopped', 10_000)).toBe(true);
    expect(Date.now() - t0).toBeLessThan(10_000);
    const runDir = readdirSync(join(stack.dir, 'worker', 'runs')).find((d) => d.startsWith('long-lm-'))!;
    expect(
      existsSync(join(stack.dir, 'worker', 'runs', runDir, 'checkpoints', 'last', 'trainer_state.json')),
    ).toBe(true);
    // The checkpoint it stopped at is recorded in the API as an artifact (alias `last`), so it can be resumed
    // or fine-tuned from anywhere.
    const { artifacts } = (
      await stack.gql(
        'query($id: ID!) { run(id: $id) { artifacts { kind aliases metadata files { path } } } }',
        {
          id: run.id,
        },
      )
    ).data!.run;
    const last = artifacts.find((a: { aliases: string[] }) => a.aliases.includes('last'));
    expect(last).toMatchObject({ kind: 'checkpoint', metadata: { stopped: true } });
    expect(last.files.map((f: { path: string }) => f.path)).toContain('trainer_state.json');
  });

  it('stops an attempt a retry superseded, which then ends only itself, never the run', async () => {
    const h = stack.db.handle;
    const run = (
      await stack.gql('mutation($c: JSON!) { launchRun(project: "default", config: $c) { id } }', {
        c: stack.lmConfig('superseded-lm', 100_000),
      })
    ).data!.launchRun;
    const id = run.id.slice(4);
    const training = async () =>
      (
        await h.rows<{ n: number }>(
          sql`select count(*)::int as n from metric_points where run_id = ${id}::uuid`,
        )
      )[0].n > 2;
    expect(await until(training, 90_000)).toBe(true);
    // Its heartbeat stalled, the reaper took it for dead and the retry started on another machine.
    expect(await lifecycle.start(h, id, { host: 'elsewhere' })).toEqual({ number: 2 });
    const attempts = async () =>
      (
        await stack.gql('query($id: ID!) { run(id: $id) { status attempts { number status host } } }', {
          id: run.id,
        })
      ).data!.run;
    expect(await until(async () => (await attempts()).attempts[0].status === 'stopped', 15_000)).toBe(true);
    const d = await attempts();
    expect(d.status).toBe('running'); // the retry's
    expect(d.attempts.map((a: { number: number; status: string }) => [a.number, a.status])).toEqual([
      [1, 'stopped'],
      [2, 'running'],
    ]);
    await lifecycle.finish(h, id, 'failed');
  });

  it("retries a crashed run from the start as attempt 2: both attempts' consoles complete and apart, the rewound points kept", async () => {
    const h = stack.db.handle;
    const [p] = await h.rows<{ id: string }>(sql`select id from projects where name = 'default'`);
    const [r] = await h.rows<{ id: string }>(sql`insert into runs (project_id, name, status, config)
      values (${p.id}::uuid, 'retried-lm', 'queued', ${JSON.stringify(stack.lmConfig('retried-lm', 3))}::jsonb)
      returning id`);
    const id = `run_${r.id}`;
    // The first attempt, as a worker that dies mid-run leaves it: started on its machine, its tracking client
    // joined the attempt, printed five lines and logged a loss of 999 at steps 1-3; then nothing.
    expect(await lifecycle.start(h, r.id, { host: 'first-worker' })).toEqual({ number: 1 });
    const joined = await stack.gql(
      'mutation($id: ID!) { createRun(project: "default", id: $id, attempt: 1) { attempt status } }',
      { id },
    );
    expect(joined.data!.createRun).toEqual({ attempt: 1, status: 'running' });
    const first = [0, 1, 2, 3, 4].map((i) => ({ seq: i, line: `first attempt, line ${i}` }));
    await stack.gql('mutation($id: ID!, $l: [LogLineInput!]!) { appendLogs(runId: $id, lines: $l) }', {
      id,
      l: first,
    });
    await stack.gql(
      'mutation($id: ID!) { logMetrics(runId: $id, points: [{ key: "train/loss", step: 1, value: 999 }, { key: "train/loss", step: 2, value: 999 }, { key: "train/loss", step: 3, value: 999 }]) { stored } }',
      { id },
    );
    await h.rows(sql`update runs set heartbeat_at = now() - interval '5 minutes' where id = ${r.id}::uuid`);
    expect(await reapCrashedRuns({ handle: h, queue: stack.queue, pubsub: stack.pubsub })).toEqual([r.id]);
    // The queue's retry.
    await stack.queue.send(RUNS_QUEUE, { runId: r.id });
    expect(await until(async () => (await status(id)) === 'finished', 90_000)).toBe(true);
    const d = (
      await stack.gql(
        `query($id: ID!) { run(id: $id) { attempt history(keys: ["train/loss"]) { step value }
          latest: logs { seq line } latestCount: logCount first: logs(attempt: 1) { seq line } firstCount: logCount(attempt: 1)
          attempts { number status host reason rewound(keys: ["train/loss"]) { step value } } } }`,
        { id },
      )
    ).data!.run;
    expect(d.attempt).toBe(2);
    expect(d.history.map((x: { step: number }) => x.step)).toEqual([1, 2, 3]);
    for (const x of d.history) expect(x.value).toBeLessThan(20); // a real loss, not the earlier 999
    // The first attempt's console, whole and alone.
    expect(d.first).toEqual(first);
    expect(d.firstCount).toBe(5);
    // The retry's: numbered from 0 without a gap, none of the first attempt's lines among them.
    const lines = d.latest as { seq: number; line: string }[];
    expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i));
    expect(d.latestCount).toBe(lines.length);
    expect(lines.some((l) => /retry \(attempt 2\): history rewound to step 0/.test(l.line))).toBe(true);
    expect(lines.some((l) => /first attempt, line/.test(l.line))).toBe(false);
    expect(
      d.attempts.map((a: { number: number; status: string; reason: string | null }) => [
        a.number,
        a.status,
        a.reason,
      ]),
    ).toEqual([
      [1, 'crashed', 'no heartbeat for 60 s'],
      [2, 'finished', null],
    ]);
    expect(d.attempts[0].host).toBe('first-worker');
    expect(d.attempts[1].host).toBeTruthy();
    // What the retry's rewind removed stays readable on the attempt that rewound.
    expect(d.attempts[0].rewound).toEqual([]);
    expect(d.attempts[1].rewound).toEqual([1, 2, 3].map((step) => ({ step, value: 999 })));
  });

  it('marks a run whose worker stopped heartbeating as crashed and requeues its job', async () => {
    await stack.stopWorker();
    const h = stack.db.handle;
    const [p] = await h.rows<{ id: string }>(sql`select id from projects where name = 'default'`);
    const [r] = await h.rows<{ id: string }>(sql`insert into runs (project_id, name, status, heartbeat_at)
      values (${p.id}::uuid, 'orphan', 'running', now() - interval '5 minutes') returning id`);
    const jobId = (await stack.queue.send(RUNS_QUEUE, { runId: r.id }))!;
    await h.rows(sql`update runs set job_id = ${jobId} where id = ${r.id}::uuid`);
    expect(await reapCrashedRuns({ handle: h, queue: stack.queue, pubsub: stack.pubsub })).toEqual([r.id]);
    expect(await status(`run_${r.id}`)).toBe('crashed');
    expect((await stack.queue.getJobById(RUNS_QUEUE, jobId))?.state).toBe('retry');
  });
});
