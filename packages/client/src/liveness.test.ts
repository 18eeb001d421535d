// Liveness and attempts against a live API, on PGlite and Postgres, with a 1 s heartbeat lapse: a run tracked
// by a process that dies is crashed once its heartbeat lapses, as is a run a notebook created and never beat
// for; a run that beats stays running, and one the reaper took for dead while the API was down goes back to
// running when it beats again. A resumed run is a new attempt whose console is numbered and kept apart.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApiKey } from '@anneal/api/auth';
import { bootstrap } from '@anneal/api/bootstrap';
import { heartbeatLapseSeconds } from '@anneal/api/runs/lifecycle';
import { createApiPubSub } from '@anneal/api/schema';
import { createApi, listen, reapCrashedRuns, startReaper } from '@anneal/api/server';
import { ENGINES, freshDatabase } from '@anneal/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Run } from './index.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const LAPSE = 1;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(ENGINES)('run liveness on %s', (engine) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let api: ReturnType<typeof createApi>;
  let server: Server | null = null;
  let url = '';
  let port = 0;
  let apiKey = '';
  const pubsub = createApiPubSub();
  const dir = mkdtempSync(join(tmpdir(), 'anneal-liveness-'));
  const children: ChildProcess[] = [];
  const reap = () => reapCrashedRuns({ handle: db.handle, queue: null, pubsub, lapseSeconds: LAPSE });
  const uuid = (id: string) => id.replace(/^run_/, '');
  const gql = async (query: string, variables: Record<string, unknown> = {}, key = apiKey) => {
    const res = await api.fetch('http://anneal.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: responses are read by shape, as a client would
    return (await res.json()) as { data?: any; errors?: { message: string; extensions?: any }[] };
  };
  const status = async (id: string) =>
    (await db.handle.rows<{ status: string }>(sql`select status from runs where id = ${uuid(id)}::uuid`))[0]
      .status;
  const attempts = async (id: string) =>
    (await gql('query($id: ID!) { run(id: $id) { attempts { number status host reason } } }', { id })).data
      .run.attempts;

  beforeAll(async () => {
    db = await freshDatabase(engine);
    apiKey = (await bootstrap(db.handle)).key!;
    api = createApi({ handle: db.handle, pubsub });
    ({ server, url } = await listen(api, 0));
    port = Number(new URL(url).port);
  });
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('crashes a run whose tracking process died once its heartbeat lapses; while it beats, it runs', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'packages/client/src/fixtures/tracked-process.ts'],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          ANNEAL_API_URL: url,
          ANNEAL_API_KEY: apiKey,
          ANNEAL_DATA_DIR: join(dir, `child-${engine}`),
          ANNEAL_HEARTBEAT_S: '0.2',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    children.push(child);
    const id = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /run_[0-9a-f-]{36}/.exec(out);
        if (m) resolve(m[0]);
      });
      child.on('exit', (code) =>
        reject(new Error(`tracked process exited (${code}) before printing its run`)),
      );
    });
    // Three lapses long the process beats: every pass of the reaper leaves the run running.
    for (let i = 0; i < 6; i++) {
      await sleep(500);
      expect(await reap()).not.toContain(uuid(id));
    }
    expect(await status(id)).toBe('running');
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const t0 = Date.now();
    let reaped: string[] = [];
    while (!reaped.includes(uuid(id)) && Date.now() - t0 < 10_000) {
      await sleep(100);
      reaped = await reap();
    }
    expect(reaped).toEqual([uuid(id)]);
    // Not before the lapse: the last beat was at most 0.2 s before the kill.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(LAPSE * 1000 - 300);
    expect(await status(id)).toBe('crashed');
    expect(await attempts(id)).toEqual([
      { number: 1, status: 'crashed', host: 'test-host', reason: `no heartbeat for ${LAPSE} s` },
    ]);
  });

  it('crashes a run a notebook created and never beat for', async () => {
    const r = await gql('mutation { createRun(project: "default", name: "notebook") { id status } }');
    expect(r.data.createRun.status).toBe('running');
    const id = r.data.createRun.id as string;
    expect(await reap()).toEqual([]);
    await sleep(LAPSE * 1000 + 200);
    expect(await reap()).toEqual([uuid(id)]);
    expect(await status(id)).toBe('crashed');
    // Ended runs are not reaped again.
    expect(await reap()).toEqual([]);
  });

  it('reaps on its own once started, with the lapse from ANNEAL_HEARTBEAT_LAPSE_S (a positive number of seconds)', async () => {
    expect(heartbeatLapseSeconds({})).toBe(60);
    expect(heartbeatLapseSeconds({ ANNEAL_HEARTBEAT_LAPSE_S: '2.5' })).toBe(2.5);
    for (const bad of ['0', '-3', 'soon'])
      expect(() => heartbeatLapseSeconds({ ANNEAL_HEARTBEAT_LAPSE_S: bad })).toThrow(
        `ANNEAL_HEARTBEAT_LAPSE_S: a number of seconds above 0, got '${bad}'`,
      );
    const r = await gql('mutation { createRun(project: "default", name: "left-open") { id } }');
    const id = r.data.createRun.id as string;
    const reaper = startReaper({ handle: db.handle, queue: null, pubsub, lapseSeconds: LAPSE });
    try {
      const t0 = Date.now();
      while ((await status(id)) === 'running' && Date.now() - t0 < 5000) await sleep(100);
      expect(await status(id)).toBe('crashed');
    } finally {
      reaper.stop();
    }
  });

  it('refuses an ANNEAL_HEARTBEAT_S that is not a number of seconds, naming it', () => {
    const saved = process.env.ANNEAL_HEARTBEAT_S;
    process.env.ANNEAL_HEARTBEAT_S = 'often';
    try {
      expect(() => Run.init({ project: 'default' }, { url, apiKey, spoolDir: join(dir, 'env') })).toThrow(
        "ANNEAL_HEARTBEAT_S must be a number of seconds (0: off), got 'often'",
      );
    } finally {
      if (saved === undefined) delete process.env.ANNEAL_HEARTBEAT_S;
      else process.env.ANNEAL_HEARTBEAT_S = saved;
    }
  });

  it('revives a client-tracked run crashed while the API was down once it beats again; a finished run stays finished', async () => {
    const run = Run.init(
      { project: 'default', name: 'outage' },
      { url, apiKey, spoolDir: join(dir, `spool-${engine}`), heartbeatMs: 100, warn: () => {} },
    );
    expect(await run.flush(5000)).toBe(true);
    await new Promise<void>((r) => server!.close(() => r()));
    await sleep(LAPSE * 1000 + 300);
    expect(await reap()).toEqual([uuid(run.id)]);
    expect(await status(run.id)).toBe('crashed');
    ({ server } = await listen(api, port));
    const t0 = Date.now();
    while ((await status(run.id)) !== 'running' && Date.now() - t0 < 5000) await sleep(50);
    expect(await status(run.id)).toBe('running');
    expect(await attempts(run.id)).toEqual([{ number: 1, status: 'running', host: null, reason: null }]);
    expect(await run.finish()).toBe(true);
    await sleep(LAPSE * 1000 + 200);
    expect(await reap()).toEqual([]);
    expect(await status(run.id)).toBe('finished');
    expect((await attempts(run.id))[0].status).toBe('finished');
  });

  it('does not revive a launched run the reaper crashed: its queue job was failed for a retry', async () => {
    const [p] = await db.handle.rows<{ id: string }>(sql`select id from projects where name = 'default'`);
    const [r] = await db.handle.rows<{
      id: string;
    }>(sql`insert into runs (project_id, name, status, job_id, heartbeat_at)
      values (${p.id}::uuid, 'launched', 'crashed', 'job-1', now()) returning id`);
    const b = await gql('mutation($id: ID!) { heartbeat(runId: $id) { status } }', { id: `run_${r.id}` });
    expect(b.data.heartbeat.status).toBe('crashed');
  });

  it("keeps a resumed run's console per attempt, each numbered from 0", async () => {
    const o = { url, apiKey, spoolDir: join(dir, `resume-${engine}`), heartbeatMs: 0 };
    const first = Run.init({ project: 'default', name: 'resumed', host: 'a' }, o);
    first.logs(['one: a', 'one: b', 'one: c']);
    expect(await first.flush(5000)).toBe(true); // dies here, unfinished
    const second = Run.init({ project: 'default', id: first.id, host: 'b' }, o);
    second.logs(['two: a', 'two: b']);
    expect(await second.finish()).toBe(true);
    const q = await gql(
      `query($id: ID!) { run(id: $id) { status attempt
        latest: logs { seq line } count: logCount
        one: logs(attempt: 1) { seq line } oneCount: logCount(attempt: 1)
        attempts { number status host reason } } }`,
      { id: first.id },
    );
    expect(q.errors).toBeUndefined();
    const run = q.data.run;
    expect(run.status).toBe('finished');
    expect(run.attempt).toBe(2);
    expect(run.latest).toEqual([
      { seq: 0, line: 'two: a' },
      { seq: 1, line: 'two: b' },
    ]);
    expect(run.count).toBe(2);
    expect(run.one.map((l: { seq: number; line: string }) => [l.seq, l.line])).toEqual([
      [0, 'one: a'],
      [1, 'one: b'],
      [2, 'one: c'],
    ]);
    expect(run.oneCount).toBe(3);
    expect(run.attempts).toEqual([
      { number: 1, status: 'crashed', host: 'a', reason: 'attempt 2 started' },
      { number: 2, status: 'finished', host: 'b', reason: null },
    ]);
    // The first process, superseded, finishing late ends only its own attempt: not the run, not its summary.
    expect(await first.finish('failed', { late: true })).toBe(true);
    const after = await gql('query($id: ID!) { run(id: $id) { status summary attempts { status } } }', {
      id: first.id,
    });
    expect(after.data.run.status).toBe('finished');
    expect(after.data.run.summary).toEqual({});
    expect(after.data.run.attempts.map((x: { status: string }) => x.status)).toEqual(['failed', 'finished']);
    // An attempt the run does not have is an error naming the argument.
    for (const n of [0, 3, -1]) {
      const bad = await gql('query($id: ID!, $n: Int!) { run(id: $id) { logs(attempt: $n) { seq } } }', {
        id: first.id,
        n,
      });
      expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_INPUT', field: 'attempt' });
    }
    const badAppend = await gql(
      'mutation($id: ID!) { appendLogs(runId: $id, attempt: 7, lines: [{ seq: 0, line: "x" }]) }',
      { id: first.id },
    );
    expect(badAppend.errors?.[0].extensions).toMatchObject({ code: 'BAD_INPUT', field: 'attempt' });
  });

  it('lets neither a member of another project nor a viewer beat, resume or read the attempts of a run', async () => {
    const h = db.handle;
    const [p] = await h.rows<{ id: string }>(sql`select id from projects where name = 'default'`);
    const [other] = await h.rows<{ id: string }>(
      sql`insert into projects (name) values ('other') returning id`,
    );
    const key = async (email: string, project: string, role: string) => {
      const [u] = await h.rows<{ id: string }>(
        sql`insert into users (email, name) values (${email}, ${email}) returning id`,
      );
      await h.rows(sql`insert into memberships values (${project}::uuid, ${u.id}::uuid, ${role})`);
      return (await createApiKey(h, u.id, 'test')).key;
    };
    const outsider = await key(`outsider-${engine}@x.org`, other.id, 'admin');
    const viewer = await key(`viewer-${engine}@x.org`, p.id, 'viewer');
    const r = await gql('mutation { createRun(project: "default", name: "guarded") { id } }');
    const id = r.data.createRun.id as string;
    await db.handle.rows(
      sql`update runs set heartbeat_at = now() - interval '1 hour' where id = ${uuid(id)}::uuid`,
    );
    expect(await reap()).toEqual([uuid(id)]);
    const beat = 'mutation($id: ID!) { heartbeat(runId: $id) { status } }';
    const resume = 'mutation($id: ID!) { createRun(project: "default", id: $id, attempt: 1) { attempt } }';
    const append =
      'mutation($id: ID!) { appendLogs(runId: $id, attempt: 1, lines: [{ seq: 0, line: "x" }]) }';
    for (const [k, code] of [
      [outsider, 'NOT_FOUND'],
      [viewer, 'FORBIDDEN'],
    ] as const) {
      for (const q of [beat, resume, append])
        expect((await gql(q, { id }, k)).errors?.[0].extensions?.code, q).toBe(code);
    }
    const read = await gql('query($id: ID!) { run(id: $id) { attempts { number } } }', { id }, outsider);
    expect(read.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    // None of it revived the run or started an attempt.
    expect(await status(id)).toBe('crashed');
    expect(await attempts(id)).toEqual([
      { number: 1, status: 'crashed', host: null, reason: `no heartbeat for ${LAPSE} s` },
    ]);
    // Joining an attempt that is not the latest is refused: neither the old one reopened nor the running one crashed.
    await gql('mutation($id: ID!) { createRun(project: "default", id: $id) { attempt } }', { id });
    const stale = await gql(resume, { id });
    expect(stale.errors?.[0].extensions).toEqual({ code: 'CONFLICT', field: 'attempt' });
    expect((await attempts(id)).map((a: { status: string }) => a.status)).toEqual(['crashed', 'running']);
  });
});
