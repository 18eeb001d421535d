// Regression tests for the attempt rules, on PGlite and Postgres: createRun(attempt: n) joins only the run's
// latest attempt while it runs (or after the reaper crashed it); any other n is CONFLICT (BAD_INPUT below 1)
// naming `attempt`, and nothing is crashed or reopened (attack report finding 5). A heartbeat revives only a
// run the reaper crashed, not one its client finished as crashed (finding 9).
import { ENGINES, freshDatabase } from '@anneal/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap } from './bootstrap.ts';
import { reapCrashed } from './runs/lifecycle.ts';
import { createApi } from './yoga.ts';

type Gql = {
  // biome-ignore lint/suspicious/noExplicitAny: responses are read by shape, as a client would
  data?: Record<string, any>;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

describe.each(ENGINES)('attempts on %s', (engine) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let api: ReturnType<typeof createApi>;
  let key = '';

  const gql = async (query: string, variables: Record<string, unknown> = {}): Promise<Gql> => {
    const res = await api.fetch('http://anneal.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as Gql;
  };
  const ok = async (query: string, variables: Record<string, unknown> = {}) => {
    const r = await gql(query, variables);
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    return r.data!;
  };
  const attempts = async (id: string) =>
    (
      await db.handle.rows<{ number: number; status: string; reason: string | null }>(
        sql`select number, status, reason from run_attempts where run_id = ${id.slice(4)}::uuid order by number`,
      )
    ).map((a) => `${a.number}:${a.status}${a.reason ? `:${a.reason}` : ''}`);
  const join = (id: string, attempt: number) =>
    gql(
      'mutation($id: ID!, $n: Int) { createRun(project: "default", id: $id, attempt: $n) { attempt status } }',
      {
        id,
        n: attempt,
      },
    );
  const resume = async (id: string) =>
    (await ok('mutation($id: ID!) { createRun(project: "default", id: $id) { attempt } }', { id })).createRun
      .attempt as number;
  const create = async (name: string) =>
    (await ok('mutation($n: String!) { createRun(project: "default", name: $n) { id } }', { n: name }))
      .createRun.id as string;
  const reap = async (id: string) => {
    await db.handle.rows(
      sql`update runs set heartbeat_at = now() - interval '1 hour' where id = ${id.slice(4)}::uuid`,
    );
    return reapCrashed(db.handle, 60);
  };

  beforeAll(async () => {
    db = await freshDatabase(engine);
    key = (await bootstrap(db.handle)).key!;
    api = createApi({ handle: db.handle });
  }, 60_000);
  afterAll(() => db?.drop());

  it('joins only the latest running attempt; an earlier, later or non-positive one is refused, crashing nothing (finding 5)', async () => {
    const id = await create('joins');
    expect(await resume(id)).toBe(2);
    expect(await attempts(id)).toEqual(['1:crashed:attempt 2 started', '2:running']);
    // The latest, running: joined, nothing else changes.
    expect((await join(id, 2)).data!.createRun).toEqual({ attempt: 2, status: 'running' });
    // An earlier one, a later one: CONFLICT naming `attempt`; the running attempt 2 is left alone.
    for (const n of [1, 3, 99]) {
      const r = await join(id, n);
      expect(r.errors?.[0].extensions, `attempt ${n}`).toEqual({ code: 'CONFLICT', field: 'attempt' });
      expect(r.errors?.[0].message).toMatch(/latest attempt is 2 \(running\)/);
    }
    // Zero or negative: BAD_INPUT.
    for (const n of [0, -5]) {
      const r = await join(id, n);
      expect(r.errors?.[0].extensions, `attempt ${n}`).toEqual({ code: 'BAD_INPUT', field: 'attempt' });
    }
    expect(await attempts(id)).toEqual(['1:crashed:attempt 2 started', '2:running']);
    // A finished attempt is not reopened by a join.
    await ok('mutation($id: ID!) { finishRun(runId: $id) { id } }', { id });
    expect((await join(id, 2)).errors?.[0].extensions).toEqual({ code: 'CONFLICT', field: 'attempt' });
    expect(await attempts(id)).toEqual(['1:crashed:attempt 2 started', '2:finished']);
    // The reaper's crash is the API's lapse, not the client's: the client may join again.
    const lapsed = await create('lapsed');
    expect((await reap(lapsed)).length).toBe(1);
    expect((await join(lapsed, 1)).data!.createRun).toEqual({ attempt: 1, status: 'running' });
    expect(await attempts(lapsed)).toEqual(['1:running']);
  });

  it('revives on heartbeat only a run the reaper crashed, not one finished as crashed (finding 9)', async () => {
    const beat = 'mutation($id: ID!) { heartbeat(runId: $id) { status } }';
    const status = async (id: string) =>
      (await ok('query($id: ID!) { run(id: $id) { status } }', { id })).run.status as string;
    const finished = await create('finished-crashed');
    await ok('mutation($id: ID!) { finishRun(runId: $id, status: crashed) { id } }', { id: finished });
    await ok(beat, { id: finished });
    expect(await status(finished)).toBe('crashed');
    expect(await attempts(finished)).toEqual(['1:crashed']);
    const reaped = await create('reaped');
    expect((await reap(reaped)).length).toBe(1);
    expect(await status(reaped)).toBe('crashed');
    await ok(beat, { id: reaped });
    expect(await status(reaped)).toBe('running');
    expect(await attempts(reaped)).toEqual(['1:running']);
  });
});
