// The trainer logs through the client into a live API (embedded PGlite), and a notebook reads it back with
// Python's standard library (examples/notebook.py, run with python3).
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { bootstrap } from '@anneal/api/bootstrap';
import { createApi, listen } from '@anneal/api/server';
import { freshDatabase } from '@anneal/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'apps/cli/bin/anneal.js');
const run = promisify(execFile);

describe('training tracked through the API', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let server: Server;
  let url = '';
  let key = '';
  const dir = mkdtempSync(join(tmpdir(), 'anneal-tracking-'));
  beforeAll(async () => {
    db = await freshDatabase('pglite');
    key = (await bootstrap(db.handle)).key!;
    ({ server, url } = await listen(
      createApi({
        handle: db.handle,
        dashboardUrl: 'http://dashboard.test',
        artifactStore: join(dir, 'store'),
      }),
      0,
    ));
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends every metric, the console and the summary; a notebook reads them back', async () => {
    const base = join(dir, 'base');
    await run(process.execPath, [BIN, 'init', '--like', join(ROOT, 'bases/gpt-brown'), '--out', base]);
    const cfg = join(dir, 'lm.yaml');
    writeFileSync(
      cfg,
      [
        'name: tracked-lm',
        `model: { base: ${JSON.stringify(base)} }`,
        "data: { source: { kind: brown, categories: ['r'] }, maxLength: 32, split: { validation: 0.1, test: 0.1, stratify: false } }",
        'train: { batchSize: 4, epochs: 1, maxSteps: 6, evalEvery: 3, logEvery: 1 }',
        "tracking: { project: default, tags: ['ci'] }",
        `output: { dir: ${JSON.stringify(join(dir, 'runs'))} }`,
      ].join('\n'),
    );
    const env = {
      ...process.env,
      ANNEAL_API_URL: url,
      ANNEAL_API_KEY: key,
      ANNEAL_DATA_DIR: join(dir, 'data'),
    };
    const { stdout } = await run(process.execPath, [BIN, 'train', cfg], { env, maxBuffer: 1 << 24 });
    expect(stdout).toMatch(/tracking: run_[0-9a-f-]{36} in project default/);
    // The run's page, where the API says its dashboard is.
    const id = stdout.match(/tracking: (run_[0-9a-f-]{36}) in project/)![1];
    expect(stdout).toContain(`tracking: view the run at http://dashboard.test/r/${id}\n`);
    const [r] = await db.handle.rows<{
      id: string;
      status: string;
      summary: Record<string, number>;
      tags: string[];
      gpu: { description?: string };
    }>(sql`select id, status, summary, tags, gpu from runs where name = 'tracked-lm'`);
    expect(r.status).toBe('finished');
    expect(r.tags).toEqual(['ci']);
    expect(r.summary['test/perplexity']).toBeGreaterThan(1);
    const points = await db.handle.rows<{ key: string; n: number }>(
      sql`select key, count(*)::int as n from metric_points where run_id = ${r.id}::uuid group by key order by key`,
    );
    expect(points).toEqual(
      expect.arrayContaining([
        { key: 'train/loss', n: 6 },
        { key: 'val/loss', n: 2 },
        { key: 'test/loss', n: 1 },
        // System metrics from the second training record on (logEvery 1: steps 2..6).
        { key: 'system/samples_per_s', n: 5 },
        { key: 'system/rss_mb', n: 5 },
        { key: 'system/gpu_mem_mb', n: 5 },
      ]),
    );
    const [gpuMem] = await db.handle.rows<{ v: number }>(
      sql`select max(value) as v from metric_points where run_id = ${r.id}::uuid and key = 'system/gpu_mem_mb'`,
    );
    expect(Number(gpuMem.v)).toBeGreaterThan(0); // the model, its gradients and AdamW's moments at least
    const [{ n: lines }] = await db.handle.rows<{ n: number }>(
      sql`select count(*)::int as n from log_lines where run_id = ${r.id}::uuid`,
    );
    expect(lines).toBeGreaterThan(5);

    // --resume continues the same tracked run from the checkpoint, rewinding what was logged after it: here a
    // loss at step 7 that a crashed attempt logged before its next checkpoint.
    await db.handle.rows(sql`insert into metric_points (run_id, key, step, wall_time, value)
      values (${r.id}::uuid, 'train/loss', 7, now(), 999)`);
    const runDir = readdirSync(join(dir, 'runs')).find((d) => d.startsWith('tracked-lm-'))!;
    const resumed = await run(
      process.execPath,
      [BIN, 'train', cfg, '--train.maxSteps=8', '--resume', join(dir, 'runs', runDir, 'checkpoints', 'last')],
      { env, maxBuffer: 1 << 24 },
    );
    expect(resumed.stdout).toContain(`tracking: run_${r.id} continues from step 6`);
    expect((await db.handle.rows(sql`select id from runs where name = 'tracked-lm'`)).length).toBe(1);
    const losses = await db.handle.rows<{ step: number; value: number }>(
      sql`select step::int, value from metric_points where run_id = ${r.id}::uuid and key = 'train/loss' order by step`,
    );
    expect(losses.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(losses.every((p) => p.value < 20)).toBe(true); // the stale 999 was replaced
    // The resume is the run's second attempt, its console numbered from 0 beside the first's.
    const attempts = await db.handle.rows<{ number: number; status: string; first: number; n: number }>(
      sql`select a.number, a.status, min(l.seq)::int as first, count(l.seq)::int as n
        from run_attempts a left join log_lines l on l.run_id = a.run_id and l.attempt = a.number
        where a.run_id = ${r.id}::uuid group by a.number, a.status order by a.number`,
    );
    expect(attempts.map((a) => [a.number, a.status, a.first])).toEqual([
      [1, 'finished', 0],
      [2, 'finished', 0],
    ]);
    expect(attempts[0].n).toBe(lines);

    // --fork continues the same checkpoint as a new tracked run, branching off after step 6 with another
    // learning rate: it starts with the source's points up to step 6; the source keeps its own timeline.
    const forked = await run(
      process.execPath,
      [
        BIN,
        'train',
        cfg,
        '--name=tracked-fork',
        '--train.maxSteps=8',
        '--optim.lr=1e-5',
        '--resume',
        join(dir, 'runs', runDir, 'checkpoints', 'last'),
        '--fork',
      ],
      { env, maxBuffer: 1 << 24 },
    );
    const [f] = await db.handle.rows<{
      id: string;
      forked_from_id: string;
      fork_step: string;
      status: string;
    }>(sql`select id, forked_from_id, fork_step, status from runs where name = 'tracked-fork'`);
    expect(forked.stdout).toContain(`tracking: run_${f.id} is a fork of run_${r.id} from step 7`);
    expect({ from: f.forked_from_id, step: Number(f.fork_step), status: f.status }).toEqual({
      from: r.id,
      step: 7,
      status: 'finished',
    });
    const branch = await db.handle.rows<{ step: number; value: number }>(
      sql`select step::int, value from metric_points where run_id = ${f.id}::uuid and key = 'train/loss' order by step`,
    );
    expect(branch.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(branch.slice(0, 6)).toEqual(losses.slice(0, 6));
    // Step 7's loss is the checkpoint's weights' (the same in both); step 8's follows another learning rate.
    expect(branch[6].value).toBe(losses[6].value);
    expect(branch[7].value).not.toBe(losses[7].value);
    const source = await db.handle.rows<{ step: number; value: number }>(
      sql`select step::int, value from metric_points where run_id = ${r.id}::uuid and key = 'train/loss' order by step`,
    );
    expect(source).toEqual(losses);
    await expect(
      run(process.execPath, [BIN, 'train', cfg, '--fork'], { env, maxBuffer: 1 << 24 }),
    ).rejects.toMatchObject({ stderr: expect.stringMatching(/--fork: .*needs --resume/) });

    const nb = await run('python3', [join(ROOT, 'examples/notebook.py'), 'default'], {
      env: { ...process.env, ANNEAL_API_URL: url, ANNEAL_API_KEY: key },
    });
    expect(nb.stdout).toContain(`run_${r.id}  tracked-lm  finished`);
    expect(nb.stdout).toMatch(/train\/loss|rows/);
    // The CSV table agrees with the paged history, point for point.
    expect(nb.stdout).toMatch(/^ {2}\S+: (\d+) points by history\(\), \1 in history\.csv \(\d+ steps\)$/m);
  });

  it('records the model and best checkpoint as artifacts, and fine-tunes from one by reference', async () => {
    const gql = async (query: string, variables: Record<string, unknown> = {}) =>
      (
        await (
          await fetch(`${url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
            body: JSON.stringify({ query, variables }),
          })
        ).json()
      ).data;
    const [r] = await db.handle.rows<{ id: string }>(sql`select id from runs where name = 'tracked-lm'`);
    const { artifacts } = (
      await gql('query($id: ID!) { run(id: $id) { artifacts { id name kind version aliases digest } } }', {
        id: `run_${r.id}`,
      })
    ).run;
    const short = r.id.slice(0, 8);
    // The first attempt's, then the resumed attempt's new versions (same names: the same tracked run).
    expect(artifacts.map((a: { name: string; version: number }) => `${a.name}:v${a.version}`)).toEqual([
      `model-${short}:v0`,
      `checkpoint-${short}:v0`,
      `model-${short}:v1`,
      `checkpoint-${short}:v1`,
    ]);
    expect(artifacts[3].aliases.sort()).toEqual(['best', 'latest']);
    const env = {
      ...process.env,
      ANNEAL_API_URL: url,
      ANNEAL_API_KEY: key,
      ANNEAL_DATA_DIR: join(dir, 'data'),
    };
    const { stdout } = await run(
      process.execPath,
      [
        BIN,
        'train',
        join(dir, 'lm.yaml'),
        '--name=from-artifact',
        `--model.base=artifact:model-${short}`,
        '--train.maxSteps=2',
      ],
      { env, maxBuffer: 1 << 24 },
    );
    const model = artifacts[2]; // model-…:latest
    expect(stdout).toContain(`model.base: artifact:model-${short} is model-${short} v1 (${model.id})`);
    const [child] = await db.handle.rows<{ id: string; status: string }>(
      sql`select id, status from runs where name = 'from-artifact'`,
    );
    expect(child.status).toBe('finished');
    const { inputs } = (
      await gql('query($id: ID!) { run(id: $id) { inputs { id } } }', { id: `run_${child.id}` })
    ).run;
    expect(inputs).toEqual([{ id: model.id }]);
    const cache = join(dir, 'data', 'artifacts', 'cache');
    expect(readdirSync(cache).filter((n) => n !== '.leases')).toEqual([model.digest]);
    expect(readdirSync(join(cache, '.leases'))).toEqual([]); // released when training ended
  });
});
