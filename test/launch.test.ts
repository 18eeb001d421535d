// Launching runs onto a worker, on the embedded database as `anneal api` runs it: launchRun validates the config
// with the trainer's schema and queues the run (pg-boss over PGlite), the worker trains it and logs through the
// API; stopRun stops a running job within 10 s with a checkpoint saved; a run whose worker stopped heartbeating
// is marked crashed and its job goes back to the queue for a retry.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { bootstrap } from '@anneal/api/bootstrap';
import { openQueue, RUNS_QUEUE } from '@anneal/api/queue';
import { createApiPubSub } from '@anneal/api/schema';
import { createApi, listen, sweepCrashed } from '@anneal/api/server';
import { freshDatabase } from '@anneal/db/testing';
import { resolveConfig } from '@anneal/trainer/config';
import { startWorker } from '@anneal/trainer/worker';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'packages/trainer/bin/anneal.js');

describe('launching runs onto a worker', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let server: Server;
  let url = '';
  let key = '';
  let queue: Awaited<ReturnType<typeof openQueue>>;
  let worker: Awaited<ReturnType<typeof startWorker>> | null = null;
  const pubsub = createApiPubSub();
  const dir = mkdtempSync(join(tmpdir(), 'anneal-launch-'));
  const base = join(dir, 'base');

  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as {
      // biome-ignore lint/suspicious/noExplicitAny: responses are read by shape
      data?: Record<string, any>;
      errors?: { message: string; extensions?: Record<string, unknown> }[];
    };
  };
  const status = async (id: string) =>
    (await gql('query($id: ID!) { run(id: $id) { status } }', { id })).data!.run.status as string;
  const until = async (what: () => Promise<boolean>, ms: number) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await what()) return true;
      await new Promise((r) => setTimeout(r, 200));
    }
    return false;
  };
  const config = (name: string, maxSteps: number) => ({
    name,
    model: { base },
    data: {
      source: { kind: 'brown', categories: ['r'] },
      maxLength: 32,
      split: { validation: 0.1, test: 0.1, stratify: false },
    },
    train: { batchSize: 4, epochs: 1000, maxSteps, evalEvery: 1000, logEvery: 1 },
    output: { dir: join(dir, 'runs') },
  });

  beforeAll(async () => {
    await promisify(execFile)(process.execPath, [
      BIN,
      'init',
      '--like',
      join(ROOT, 'bases/gpt-brown'),
      '--out',
      base,
    ]);
    db = await freshDatabase('pglite');
    key = (await bootstrap(db.handle)).key!;
    queue = await openQueue(db.handle);
    const api = createApi({
      handle: db.handle,
      pubsub,
      queue,
      validateConfig: (c) => resolveConfig(c, 'config'),
    });
    ({ server, url } = await listen(api, 0));
    worker = await startWorker({
      h: db.handle,
      apiUrl: url,
      apiKey: key,
      heartbeatSeconds: 1,
      log: () => {},
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await queue?.stop({ graceful: false, close: false });
    await new Promise((r) => server.close(r));
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("rejects a config the trainer's schema rejects, naming the key", async () => {
    const r = await gql('mutation($c: JSON!) { launchRun(project: "default", config: $c) { id } }', {
      c: { model: { base }, train: { batch_size: 8 } },
    });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_INPUT', field: 'config.train' });
    expect(r.errors?.[0].message).toMatch(/unknown key 'train\.batch_size'/);
  });

  it('queues a run that a worker trains, logging through the API', async () => {
    const r = await gql(
      'mutation($c: JSON!) { launchRun(project: "default", config: $c, tags: ["launched"]) { id name status } }',
      {
        c: config('launched-lm', 4),
      },
    );
    const run = r.data!.launchRun;
    expect(run).toMatchObject({ name: 'launched-lm', status: 'queued' });
    expect(await until(async () => (await status(run.id)) === 'finished', 90_000)).toBe(true);
    const d = (
      await gql(
        'query($id: ID!) { run(id: $id) { host gpu summary tags metrics(keys: ["train/loss"]) { count } } }',
        { id: run.id },
      )
    ).data!.run;
    expect(d.metrics[0].count).toBe(4);
    expect(d.summary['test/perplexity']).toBeGreaterThan(1);
    expect(d.tags).toEqual(['launched']);
    expect(d.host).toBeTruthy();
  });

  it('stops a running run within 10 s, with a checkpoint saved', async () => {
    const run = (
      await gql('mutation($c: JSON!) { launchRun(project: "default", config: $c) { id } }', {
        c: config('long-lm', 100_000),
      })
    ).data!.launchRun;
    const running = async () =>
      (
        await db.handle.rows<{ n: number }>(
          sql`select count(*)::int as n from metric_points where run_id = ${run.id.slice(4)}::uuid`,
        )
      )[0].n > 2;
    expect(await until(running, 90_000)).toBe(true);
    const t0 = Date.now();
    const stopped = (
      await gql('mutation($id: ID!) { stopRun(runId: $id) { stopRequested } }', { id: run.id })
    ).data!.stopRun;
    expect(stopped.stopRequested).toBe(true);
    expect(await until(async () => (await status(run.id)) === 'stopped', 10_000)).toBe(true);
    expect(Date.now() - t0).toBeLessThan(10_000);
    const runDir = readdirSync(join(dir, 'runs')).find((d) => d.startsWith('long-lm-'))!;
    expect(existsSync(join(dir, 'runs', runDir, 'checkpoints', 'last', 'trainer_state.json'))).toBe(true);
  });

  it('marks a run whose worker stopped heartbeating as crashed and requeues its job', async () => {
    await worker?.stop();
    worker = null;
    const [p] = await db.handle.rows<{ id: string }>(sql`select id from projects where name = 'default'`);
    const [r] = await db.handle.rows<{
      id: string;
    }>(sql`insert into runs (project_id, name, status, heartbeat_at)
      values (${p.id}::uuid, 'orphan', 'running', now() - interval '5 minutes') returning id`);
    const jobId = (await queue.send(RUNS_QUEUE, { runId: r.id }))!;
    await db.handle.rows(sql`update runs set job_id = ${jobId} where id = ${r.id}::uuid`);
    expect(await sweepCrashed(db.handle, queue, pubsub)).toEqual([r.id]);
    expect(await status(`run_${r.id}`)).toBe('crashed');
    expect((await queue.getJobById(RUNS_QUEUE, jobId))?.state).toBe('retry');
  });
});
