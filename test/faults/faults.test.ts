// Fault injection (issue 14): a run logs through the client while something breaks under it — the API is
// SIGKILLed, a worker is SIGKILLed, Postgres restarts, the spool's disk fills up. Each test asserts that every
// point arrives exactly once with the value sent, that no console line is stored twice, and that the run ends
// in the right state; the suite prints a table of what it saw. Loopback only, every wait bounded.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@anneal/db/client';
import { freshDatabase } from '@anneal/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { until } from '../stack.ts';
import { freePort, printTable, startApi, startLogger, startWorker, type Tally, tally } from './harness.ts';

const STEPS = 300;
const rows: Tally[] = [];
const isRoot = process.getuid?.() === 0;

afterAll(() => printTable(rows));

/** The logger's run arrived whole: every point once with the value sent, every console line once, finished. */
async function expectEveryPointOnce(databaseUrl: string, runName: string, fault: string) {
  const t = await tally(databaseUrl, runName, fault, STEPS);
  rows.push(t);
  expect(t).toMatchObject({ stored: STEPS * 3, wrong: 0, duplicates: 0, lines: STEPS, status: 'finished' });
}

describe('faults: every point exactly once, the run in the right state', () => {
  const dir = mkdtempSync(join(tmpdir(), 'anneal-faults-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('survives the API being SIGKILLed mid-run and restarted', async () => {
    const db = await freshDatabase('postgres');
    const url = (db.target as { url: string }).url;
    const port = await freePort();
    const data = join(dir, 'api-kill');
    let { api, url: apiUrl, key } = await startApi(url, data, port);
    const logger = startLogger(apiUrl, key, join(dir, 'api-kill-client'), {
      STEPS: String(STEPS),
      RUN_NAME: 'api-kill',
    });
    try {
      await logger.waitFor(/step 100\n/);
      await api.kill('SIGKILL');
      await logger.waitFor(/step 160\n/); // it goes on logging while the API is gone
      ({ api } = await startApi(url, data, port));
      expect(await logger.exited).toBe(0);
      await expectEveryPointOnce(url, 'api-kill', 'SIGKILL the API mid-run');
    } finally {
      await logger.kill();
      await api.kill();
      await db.drop();
    }
  });

  // A launched run on `anneal worker`: the worker is SIGKILLed mid-run, the API's reaper marks the run crashed
  // once its heartbeat lapses (4 s here), the queue retries it on a second worker, which trains it from the start
  // as attempt 2. The final history has every step once; the first attempt's points are kept aside.
  it('survives a worker being SIGKILLed mid-run: retried as attempt 2 on another worker', async () => {
    const db = await freshDatabase('postgres');
    const url = (db.target as { url: string }).url;
    const port = await freePort();
    const {
      api,
      url: apiUrl,
      key,
    } = await startApi(url, join(dir, 'worker-kill'), port, {
      ANNEAL_HEARTBEAT_LAPSE_S: '4',
    });
    const work = join(dir, 'worker-kill-work');
    mkdirSync(work, { recursive: true });
    let worker = await startWorker(url, apiUrl, key, work);
    const maxSteps = 40;
    const gql = async (query: string, variables: Record<string, unknown> = {}) => {
      const res = await fetch(`${apiUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query, variables }),
      });
      // biome-ignore lint/suspicious/noExplicitAny: responses are read by shape
      return (await res.json()) as { data?: any; errors?: unknown[] };
    };
    try {
      const launched = await gql('mutation($c: JSON!) { launchRun(project: "default", config: $c) { id } }', {
        c: {
          name: 'worker-kill',
          model: { base: 'bases/gpt-brown' },
          data: {
            source: { kind: 'brown', categories: ['r'] },
            maxLength: 32,
            split: { validation: 0.1, test: 0.1, stratify: false },
          },
          train: { batchSize: 4, epochs: 1000, maxSteps, evalEvery: 1000, logEvery: 1 },
          output: { dir: 'runs' },
        },
      });
      expect(launched.errors).toBeUndefined();
      const runId: string = launched.data.launchRun.id;
      const id = runId.slice(4);
      const losses = async () =>
        (
          await db.handle.rows<{ n: number }>(
            sql`select count(*)::int as n from metric_points where run_id = ${id}::uuid and key = 'train/loss'`,
          )
        )[0].n;
      expect(await until(async () => (await losses()) >= 10, 120_000)).toBe(true);
      await worker.kill('SIGKILL');
      worker = await startWorker(url, apiUrl, key, work);
      const status = async () =>
        (await gql('query($id: ID!) { run(id: $id) { status } }', { id: runId })).data.run.status;
      expect(await until(async () => (await status()) === 'finished', 240_000)).toBe(true);
      const d = (
        await gql(
          `query($id: ID!) { run(id: $id) { status history(keys: ["train/loss"]) { step value }
            attempts { number status reason rewound(keys: ["train/loss"]) { step } } logs { seq line } } }`,
          { id: runId },
        )
      ).data.run;
      const steps = d.history.map((p: { step: number }) => p.step);
      // A console line stored twice would repeat its sequence number (the trainer may print the same text twice).
      const lines = d.logs.map((l: { seq: number }) => l.seq);
      const t: Tally = {
        fault: 'SIGKILL a worker mid-run',
        sent: maxSteps,
        stored: steps.length,
        wrong: d.history.filter((p: { value: number }) => !Number.isFinite(p.value)).length,
        duplicates: lines.length - new Set(lines).size + steps.length - new Set(steps).size,
        status: d.status,
      };
      rows.push(t);
      expect(steps).toEqual(Array.from({ length: maxSteps }, (_, i) => i + 1));
      expect(t).toMatchObject({ wrong: 0, duplicates: 0, status: 'finished' });
      expect(lines).toEqual(lines.map((_: number, i: number) => i)); // the retry's console, whole, from 0
      expect(d.attempts.map((a: { number: number; status: string }) => [a.number, a.status])).toEqual([
        [1, 'crashed'],
        [2, 'finished'],
      ]);
      expect(d.attempts[0].reason).toBe('no heartbeat for 4 s');
      // The first attempt's points from before the kill, which the retry's rewind removed, are still readable.
      expect(d.attempts[1].rewound.length).toBeGreaterThanOrEqual(10);
    } finally {
      await worker.kill();
      await api.kill();
      await db.drop();
    }
  });

  // A cluster of its own, so restarting it disturbs no other test's database.
  it.skipIf(!isRoot)('survives Postgres restarting mid-run (pg_ctlcluster restart)', async () => {
    const version = execFileSync('ls', ['/usr/lib/postgresql']).toString().trim().split('\n')[0];
    const listed = execFileSync('pg_lsclusters', ['-h']).toString();
    let pgPort = Number(listed.match(new RegExp(`^${version}\\s+anneal_faults\\s+(\\d+)`, 'm'))?.[1] ?? 0);
    if (!pgPort) {
      pgPort = await freePort();
      execFileSync(
        'pg_createcluster',
        [version, 'anneal_faults', '-p', String(pgPort), '--', '--auth=trust'],
        {
          stdio: 'ignore',
        },
      );
    }
    if (!/\bonline\b/.test(execFileSync('pg_lsclusters', ['-h', version, 'anneal_faults']).toString()))
      execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'anneal_faults', 'start']);
    const name = `anneal_faults_${Date.now()}`;
    const admin = await connect({
      kind: 'postgres',
      url: `postgres://postgres@127.0.0.1:${pgPort}/postgres`,
    });
    await admin.query(`create database ${name}`);
    await admin.close();
    const url = `postgres://postgres@127.0.0.1:${pgPort}/${name}`;
    const data = join(dir, 'pg-restart');
    const { api, url: apiUrl, key } = await startApi(url, data, await freePort());
    const logger = startLogger(apiUrl, key, join(dir, 'pg-restart-client'), {
      STEPS: String(STEPS),
      RUN_NAME: 'pg-restart',
    });
    try {
      await logger.waitFor(/step 100\n/);
      execFileSync('pg_ctlcluster', [
        '--skip-systemctl-redirect',
        version,
        'anneal_faults',
        'restart',
        '-m',
        'fast',
      ]);
      expect(await logger.exited).toBe(0);
      await expectEveryPointOnce(url, 'pg-restart', 'restart Postgres mid-run');
    } finally {
      await logger.kill();
      await api.kill();
      execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'anneal_faults', 'stop'], {
        stdio: 'ignore',
      });
    }
  });

  // A 64 KiB tmpfs as the spool directory: it fills after a few dozen steps. Logging goes on from memory.
  it.skipIf(!isRoot)("keeps logging when the spool directory's disk is full", async () => {
    const db = await freshDatabase('postgres');
    const url = (db.target as { url: string }).url;
    const { api, url: apiUrl, key } = await startApi(url, join(dir, 'disk-full'), await freePort());
    const clientData = join(dir, 'disk-full-client');
    const spool = join(clientData, 'spool');
    mkdirSync(spool, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', spool]);
    const logger = startLogger(apiUrl, key, clientData, { STEPS: String(STEPS), RUN_NAME: 'disk-full' });
    try {
      expect(await logger.exited).toBe(0);
      expect(logger.out).toMatch(/spool.*(full|ENOSPC|no space)/i);
      await expectEveryPointOnce(url, 'disk-full', 'fill the spool disk');
    } finally {
      await logger.kill();
      execFileSync('umount', ['-l', spool]);
      await api.kill();
      await db.drop();
    }
  });
});
