// What one createSweep may ask for (space.ts SWEEP_LIMITS), from a hostile tester's reproductions: a grid's
// size is counted from its parameters and an oversize one refused before anything is enumerated (a 10^30
// grid used to exhaust the heap, an int_uniform grid over a billion values to build the list); run_cap and
// max_parallel are bounded, in createSweep and validateConfig(kind: SWEEP) alike; a sweep cancelled in the
// middle of a controller tick makes no further run; and every model.base a parameter proposes follows the
// base config's artifact rule.
import { freshDatabase } from '@anneal/db/testing';
import { sql } from 'drizzle-orm';
import type PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap } from '../bootstrap.ts';
import { openQueue } from '../queue.ts';
import { createApi } from '../yoga.ts';
import { capOf, propose, type SweepRow, tickSweep } from './controller.ts';
import { dimensions, gridProposal, gridSize, parseSweepConfig, SWEEP_LIMITS } from './space.ts';

type Gql = {
  // biome-ignore lint/suspicious/noExplicitAny: responses are read by shape
  data?: Record<string, any>;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

const metric = { name: 'val/f1', goal: 'maximize' };
/** 30 parameters of 10 values each: 10^30 combinations in 1.4 KB. */
const hugeGrid = Object.fromEntries(
  Array.from({ length: 30 }, (_, i) => [`optim.p${i}`, { values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }]),
);

describe('grid size, counted not enumerated', () => {
  it('indexes the n-th combination directly and counts int_uniform and q_uniform values', () => {
    const dims = dimensions({
      a: { values: ['x', 'y', 'z'] },
      b: { distribution: 'int_uniform', min: 0, max: 1_000_000_000 },
      c: { distribution: 'q_uniform', min: 0.05, max: 0.5, q: 0.1 },
    });
    expect(gridSize(dims, Number.MAX_SAFE_INTEGER)).toBe(3 * 1_000_000_001 * 5);
    expect(gridSize(dims)).toBe(Number.POSITIVE_INFINITY); // past the limit: not a count that could overflow
    expect(gridProposal(dims, 0)).toEqual({ a: 'x', b: 0, c: 0.1 });
    expect(gridProposal(dims, 7)).toEqual({ a: 'x', b: 1, c: 0.3 });
    expect(gridProposal(dims, 3 * 1_000_000_001 * 5 - 1)).toEqual({ a: 'z', b: 1_000_000_000, c: 0.5 });
    expect(gridProposal(dims, 3 * 1_000_000_001 * 5)).toBeUndefined();
  });

  it('refuses a 10^30 grid at once, naming parameters, without the heap growing', () => {
    const heap = process.memoryUsage().heapUsed;
    expect(() => parseSweepConfig({ method: 'grid', metric, parameters: hugeGrid })).toThrow(
      /parameters: a grid of more than 100,000 proposals/,
    );
    // Enumerating even a small part of 10^30 proposals would fill the heap (and never return).
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(64 * 2 ** 20);
  });

  it('refuses an int_uniform grid over a billion values, and accepts one at the limit', () => {
    expect(() =>
      parseSweepConfig({
        method: 'grid',
        metric,
        parameters: { layers: { distribution: 'int_uniform', min: 0, max: 1e9 } },
      }),
    ).toThrow(/^parameters: a grid of more than/);
    const atLimit = parseSweepConfig({
      method: 'grid',
      metric,
      parameters: { layers: { min: 1, max: SWEEP_LIMITS.gridProposals } },
    });
    expect(capOf(atLimit)).toBe(SWEEP_LIMITS.runCap);
    expect(propose(atLimit, SWEEP_LIMITS.gridProposals - 1, [])).toEqual({
      layers: SWEEP_LIMITS.gridProposals,
    });
  });

  it('bounds run_cap and max_parallel, naming the key', () => {
    const issues = (extra: object) => {
      try {
        parseSweepConfig({
          method: 'random',
          metric,
          parameters: { 'optim.lr': { min: 0.1, max: 0.2 } },
          ...extra,
        });
      } catch (e) {
        return (e as { issues: { path: string }[] }).issues.map((i) => i.path);
      }
      return [];
    };
    expect(issues({ run_cap: 1e12 })).toEqual(['run_cap']);
    expect(issues({ max_parallel: 1e9 })).toEqual(['max_parallel']);
    expect(issues({ run_cap: SWEEP_LIMITS.runCap, max_parallel: SWEEP_LIMITS.maxParallel })).toEqual([]);
  });
});

describe('createSweep and the controller within bounds', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let api: ReturnType<typeof createApi>;
  let queue: Awaited<ReturnType<typeof openQueue>>;
  let key = '';
  const artifacts: Record<string, string> = {};
  let defaultId = '';
  const gql = async (query: string, variables: Record<string, unknown> = {}): Promise<Gql> => {
    const res = await api.fetch('http://anneal.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as Gql;
  };
  // The pass-through schema and no shipped bases: the base config names the project's own model artifact.
  const base = { model: { base: '' }, optim: { lr: 0.1 } };
  const create = (c: unknown) =>
    gql(
      'mutation($c: JSON!, $b: JSON!) { createSweep(project: "default", config: $c, baseConfig: $b) { id } }',
      {
        c,
        b: base,
      },
    );
  const runCount = async () =>
    (
      await db.handle.rows<{ n: number }>(sql`select count(*)::int as n from runs where sweep_id is not null`)
    )[0].n;

  beforeAll(async () => {
    db = await freshDatabase('pglite');
    key = (await bootstrap(db.handle)).key!;
    queue = await openQueue(db.handle);
    api = createApi({
      handle: db.handle,
      keyCacheMs: 0,
      queue,
      validateConfig: (c) => c as Record<string, unknown>,
    });
    expect((await gql('mutation { createProject(name: "other") { id } }')).errors).toBeUndefined();
    // A model artifact in "default" and one in "other" (the admin is a member of both).
    for (const project of ['default', 'other']) {
      const run = (await gql(`mutation { createRun(project: "${project}", name: "producer") { id } }`)).data!
        .createRun.id;
      const [a] = await db.handle.rows<{ id: string }>(sql`
        insert into artifacts (project_id, run_id, kind, name, version, digest, size)
        select project_id, id, 'model', 'm', 0, ${'0'.repeat(64)}, 0 from runs where id = ${run.slice(4)}::uuid returning id`);
      artifacts[project] = a.id;
    }
    base.model.base = `artifact:${artifacts.default}`;
    [{ id: defaultId }] = await db.handle.rows<{ id: string }>(
      sql`select id from projects where name = 'default'`,
    );
  }, 60_000);
  afterAll(async () => {
    await queue?.stop({ graceful: false });
    await db?.drop();
  });

  it('refuses the oversize grid and the flood config as BAD_INPUT naming the key, storing nothing', async () => {
    const grid = await create({ method: 'grid', metric, parameters: hugeGrid });
    expect(grid.errors?.[0].extensions).toMatchObject({ code: 'BAD_INPUT', field: 'config.parameters' });
    const flood = { method: 'random', metric, parameters: { 'optim.lr': { min: 0.1, max: 0.2 } } };
    const cap = await create({ ...flood, run_cap: 1e12 });
    expect(cap.errors?.[0].extensions).toMatchObject({ code: 'BAD_INPUT', field: 'config.run_cap' });
    const par = await create({ ...flood, max_parallel: 1e9 });
    expect(par.errors?.[0].extensions).toMatchObject({ code: 'BAD_INPUT', field: 'config.max_parallel' });
    expect((await db.handle.rows<{ n: number }>(sql`select count(*)::int as n from sweeps`))[0].n).toBe(0);
    expect(await runCount()).toBe(0);
    const v = await gql('query($c: JSON!) { validateConfig(kind: SWEEP, config: $c) { path message } }', {
      c: { ...flood, run_cap: 1e12, max_parallel: 1e9 },
    });
    expect(v.data!.validateConfig.map((i: { path: string }) => i.path).sort()).toEqual([
      'max_parallel',
      'run_cap',
    ]);
    const g = await gql('query($c: JSON!) { validateConfig(kind: SWEEP, config: $c) { path message } }', {
      c: { method: 'grid', metric, parameters: hugeGrid },
    });
    expect(g.data!.validateConfig).toEqual([
      { path: 'parameters', message: expect.stringMatching(/a grid of more than/) },
    ]);
  });

  it("refuses another project's artifact among the model.base values, naming the value", async () => {
    const r = await create({
      method: 'grid',
      metric,
      parameters: {
        'model.base': { values: [`artifact:${artifacts.default}`, `artifact:${artifacts.other}`] },
      },
    });
    expect(r.errors?.[0].extensions).toMatchObject({
      code: 'BAD_INPUT',
      field: 'config.parameters.model.base.values[1]',
    });
    expect(r.errors?.[0].message).toMatch(/this project has no artifact/);
    expect(await runCount()).toBe(0);
    const single = await create({
      method: 'grid',
      metric,
      parameters: { model: { parameters: { base: { value: `artifact:${artifacts.other}` } } } },
    });
    expect(single.errors?.[0].extensions).toMatchObject({ field: 'config.parameters.model.base.value' });
    // The project's own artifacts pass: the sweep is made, its first run proposed.
    const own = await create({
      method: 'grid',
      metric,
      parameters: { 'model.base': { values: [`artifact:${artifacts.default}`] } },
    });
    expect(own.errors).toBeUndefined();
    expect(await runCount()).toBe(1);
    await db.handle.rows(sql`delete from runs where sweep_id is not null`);
  });

  it('stops proposing the moment the sweep is cancelled, even mid-tick', async () => {
    const cfg = parseSweepConfig({
      method: 'random',
      metric,
      max_parallel: 5,
      parameters: { 'optim.lr': { min: 0.1, max: 0.2 } },
    });
    const [row] =
      await db.handle.rows<SweepRow>(sql`insert into sweeps (project_id, name, config, base_config)
      values (${defaultId}::uuid, 'mid', ${JSON.stringify(cfg)}::jsonb, ${JSON.stringify(base)}::jsonb) returning *`);
    // The run queue cancels the sweep as its first run is queued: a cancelSweep arriving during the tick.
    const sent: string[] = [];
    const cancelling = {
      send: async (_q: string, job: { runId: string }) => {
        sent.push(job.runId);
        await db.handle.rows(sql`update sweeps set state = 'cancelled' where id = ${row.id}::uuid`);
        return 'job';
      },
    } as unknown as PgBoss;
    await tickSweep(
      { h: db.handle, queue: cancelling, validateConfig: (c) => c as Record<string, unknown> },
      row,
    );
    expect(sent).toHaveLength(1);
    expect(await runCount()).toBe(1);
    const [after] = await db.handle.rows<SweepRow>(sql`select * from sweeps where id = ${row.id}::uuid`);
    expect(after).toMatchObject({ state: 'cancelled', proposals: 1 });
    // A controller still holding the old (running) row claims nothing either.
    await tickSweep(
      { h: db.handle, queue: cancelling, validateConfig: (c) => c as Record<string, unknown> },
      row,
    );
    expect(await runCount()).toBe(1);
  });
});
