// Sweeps of any program on a live schema (embedded PGlite): W&B sweep files with program / command and
// parameters of any name are accepted, trainer sweeps still need their base config, and claimSweepRun hands
// each proposal to exactly one agent — concurrent claims included — and refuses anyone who may not run the
// sweep (a viewer, a member of another project, a revoked key, a trainer sweep, a malformed id).
import type { DbHandle } from '@anneal/db/client';
import { freshDatabase } from '@anneal/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as auth from '../auth.ts';
import { createApi } from '../server.ts';
import { parseSweepConfig } from './space.ts';

type Gql = {
  // biome-ignore lint/suspicious/noExplicitAny: responses are read by shape, as a client would
  data?: Record<string, any>;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

// Five sweep files as W&B users write them (from W&B's documentation and examples).
const WANDB_FILES = {
  random: `
program: train.py
method: random
metric: { name: val_loss, goal: minimize }
parameters:
  learning_rate: { distribution: log_uniform_values, min: 0.0001, max: 0.1 }
  batch_size: { values: [16, 32, 64] }
  dropout: { distribution: uniform, min: 0.1, max: 0.5 }
`,
  bayesHyperband: `
method: bayes
metric: { name: val/acc, goal: maximize }
early_terminate: { type: hyperband, min_iter: 3, eta: 3 }
command:
  - \${env}
  - python3
  - train.py
  - \${args}
parameters:
  lr: { min: 0.00001, max: 0.01 }
  optimizer: { values: [adam, sgd] }
`,
  programProject: `
program: train.py
project: my-project
entity: my-team
name: lr-search
description: searching the learning rate
method: grid
metric: { name: loss }
parameters:
  epochs: { value: 5 }
  lr: { values: [0.1, 0.01] }
`,
  logUniformExponent: `
program: main.py
method: random
metric: { name: accuracy, goal: maximize }
parameters:
  weight_decay: { distribution: log_uniform, min: -9.21, max: -2.3 }
  layers: { distribution: int_uniform, min: 1, max: 4 }
run_cap: 10
`,
  nestedGrid: `
program: train.py
method: grid
metric: { name: loss }
command:
  - \${env}
  - \${interpreter}
  - \${program}
  - \${args_json_file}
parameters:
  model:
    parameters:
      width: { values: [64, 128] }
      depth: { values: [2, 4] }
  seed: { value: 1 }
`,
};

describe('sweeps of any program', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let h: DbHandle;
  let api: ReturnType<typeof createApi>;
  const keys: Record<string, string> = {};
  const gql = async (key: string, query: string, variables: object = {}): Promise<Gql> => {
    const res = await api.fetch('http://anneal.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as Gql;
  };
  const code = (r: Gql) => r.errors?.[0]?.extensions?.code;
  const CREATE =
    'mutation($p: String!, $c: JSON!, $b: JSON) { createSweep(project: $p, config: $c, baseConfig: $b) { id state proposals } }';
  const CLAIM =
    'mutation($id: ID!) { claimSweepRun(sweepId: $id) { runId project attempt params program command sweepState } }';

  beforeAll(async () => {
    db = await freshDatabase('pglite');
    h = db.handle;
    api = createApi({ handle: h, keyCacheMs: 0 });
    const ids: Record<string, string> = {};
    for (const name of ['alpha', 'beta']) {
      const [p] = await h.rows<{ id: string }>(
        sql`insert into projects (name) values (${name}) returning id`,
      );
      ids[name] = p.id;
    }
    for (const name of ['ann', 'vic', 'bob']) {
      const [u] = await h.rows<{ id: string }>(
        sql`insert into users (email, name) values (${`${name}@x.org`}, ${name}) returning id`,
      );
      ids[name] = u.id;
      keys[name] = (await auth.createApiKey(h, u.id, name)).key;
    }
    // ann: member of alpha; vic: viewer of alpha; bob: member of beta only.
    await h.rows(sql`insert into memberships values (${ids.alpha}::uuid, ${ids.ann}::uuid, 'member'),
      (${ids.alpha}::uuid, ${ids.vic}::uuid, 'viewer'), (${ids.beta}::uuid, ${ids.bob}::uuid, 'member')`);
  }, 60_000);
  afterAll(() => db?.drop());

  it('parses real W&B sweep files with program, command, project, entity, name and description', () => {
    for (const [name, text] of Object.entries(WANDB_FILES))
      expect(() => parseSweepConfig(text), name).not.toThrow();
    // W&B's macros are literal text in the file, replaced by the agent.
    expect(parseSweepConfig(WANDB_FILES.bayesHyperband).command).toEqual([
      `$\{env}`,
      'python3',
      'train.py',
      `$\{args}`,
    ]);
    expect(() => parseSweepConfig({ ...parseSweepConfig(WANDB_FILES.random), command: [] })).toThrow(
      /command/,
    );
    expect(() => parseSweepConfig({ ...parseSweepConfig(WANDB_FILES.random), programme: 'x' })).toThrow(
      /unknown key programme/,
    );
  });

  it('creates program sweeps without a base config; a trainer sweep still needs one', async () => {
    for (const [name, text] of Object.entries(WANDB_FILES)) {
      const r = await gql(keys.ann, CREATE, { p: 'alpha', c: text });
      expect(r.errors, `${name}: ${JSON.stringify(r.errors)}`).toBeUndefined();
      expect(r.data!.createSweep.state).toBe('running');
    }
    const trainer = await gql(keys.ann, CREATE, {
      p: 'alpha',
      c: { method: 'random', metric: { name: 'loss' }, parameters: { 'optim.lr': { values: [0.1] } } },
    });
    // This API has no run queue: a trainer sweep cannot run here at all, and says why.
    expect(code(trainer)).toBe('CONFLICT');
    expect(trainer.errors![0].message).toMatch(/no program or command/);
    const grid = await gql(keys.ann, CREATE, {
      p: 'alpha',
      c: {
        program: 'x.py',
        method: 'grid',
        metric: { name: 'loss' },
        parameters: { lr: { min: 0.1, max: 0.5 } },
      },
    });
    expect(grid.errors![0].extensions).toMatchObject({ code: 'BAD_INPUT', field: 'config.parameters.lr' });
    const viewer = await gql(keys.vic, CREATE, { p: 'alpha', c: WANDB_FILES.random });
    expect(code(viewer)).toBe('FORBIDDEN');
  });

  it('hands each proposal to one agent, concurrent claims included, and nothing past max_parallel', async () => {
    const made = await gql(keys.ann, CREATE, {
      p: 'alpha',
      c: { ...parseSweepConfig(WANDB_FILES.random), max_parallel: 3, run_cap: 5, seed: 7 },
      b: { data: 'mnist' },
    });
    const id = made.data!.createSweep.id as string;
    const claims = await Promise.all(Array.from({ length: 8 }, () => gql(keys.ann, CLAIM, { id })));
    for (const c of claims) expect(c.errors, JSON.stringify(c.errors)).toBeUndefined();
    const got = claims.map((c) => c.data!.claimSweepRun).filter((c) => c.runId);
    expect(got.length).toBe(3);
    expect(new Set(got.map((c) => c.runId)).size).toBe(3);
    expect(new Set(got.map((c) => JSON.stringify(c.params))).size).toBe(3);
    for (const c of got) {
      expect(c).toMatchObject({
        project: 'alpha',
        attempt: 1,
        program: 'train.py',
        command: null,
        sweepState: 'running',
      });
      expect(Object.keys(c.params).sort()).toEqual(['batch_size', 'dropout', 'learning_rate']);
    }
    // The claimed run is running as attempt 1, its config the base under the proposal; the script joins it.
    const run = await gql(keys.ann, 'query($id: ID!) { run(id: $id) { status attempt config } }', {
      id: got[0].runId,
    });
    expect(run.data!.run).toMatchObject({
      status: 'running',
      attempt: 1,
      config: { data: 'mnist', ...got[0].params },
    });
    const joined = await gql(
      keys.ann,
      'mutation($id: ID!) { createRun(project: "alpha", id: $id, attempt: 1) { id attempt } }',
      { id: got[0].runId },
    );
    expect(joined.data!.createRun.attempt).toBe(1);
    // A finished trial frees a slot: the next claim gets the fourth proposal.
    await gql(keys.ann, 'mutation($id: ID!) { finishRun(runId: $id, status: finished) { id } }', {
      id: got[0].runId,
    });
    const next = (await gql(keys.ann, CLAIM, { id })).data!.claimSweepRun;
    expect(next.runId).toMatch(/^run_/);
    expect(got.map((c) => c.runId)).not.toContain(next.runId);
    // Paused, an agent gets nothing and is told why; cancelled, it is told to stop.
    await gql(keys.ann, 'mutation($id: ID!) { pauseSweep(id: $id) { id } }', { id });
    expect((await gql(keys.ann, CLAIM, { id })).data!.claimSweepRun).toMatchObject({
      runId: null,
      sweepState: 'paused',
    });
    await gql(keys.ann, 'mutation($id: ID!) { cancelSweep(id: $id) { id } }', { id });
    expect((await gql(keys.ann, CLAIM, { id })).data!.claimSweepRun).toMatchObject({
      runId: null,
      sweepState: 'cancelled',
    });
  });

  it('refuses claims from those who may not run the sweep, and for trainer sweeps or bad ids', async () => {
    const id = (await gql(keys.ann, CREATE, { p: 'alpha', c: WANDB_FILES.programProject })).data!.createSweep
      .id;
    expect(code(await gql(keys.vic, CLAIM, { id }))).toBe('FORBIDDEN');
    expect(code(await gql(keys.bob, CLAIM, { id }))).toBe('NOT_FOUND');
    const bad = await gql(keys.ann, CLAIM, { id: 'sweep_../../etc' });
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_INPUT', field: 'sweepId' });
    const [trainer] = await h.rows<{
      id: string;
    }>(sql`insert into sweeps (project_id, name, config, base_config)
      select id, 't', ${JSON.stringify({ method: 'random', metric: { name: 'l', goal: 'minimize' }, parameters: { 'optim.lr': { values: [1] } }, max_parallel: 1, seed: 0 })}::jsonb, '{}'::jsonb
      from projects where name = 'alpha' returning id`);
    const refused = await gql(keys.ann, CLAIM, { id: `sweep_${trainer.id}` });
    expect(refused.errors![0].extensions).toMatchObject({ code: 'BAD_INPUT', field: 'sweepId' });
    await h.rows(sql`update api_keys set revoked_at = now() where hash = ${auth.hashKey(keys.ann)}`);
    expect(code(await gql(keys.ann, CLAIM, { id }))).toBe('UNAUTHENTICATED');
  });
});
