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
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, printTable, startApi, startLogger, type Tally, tally } from './harness.ts';

const STEPS = 300;
const rows: Tally[] = [];
const isRoot = process.getuid?.() === 0;

afterAll(() => printTable(rows));

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
      const t = await tally(url, 'api-kill', 'SIGKILL the API mid-run', STEPS);
      rows.push(t);
      expect(t).toMatchObject({
        stored: STEPS * 3,
        wrong: 0,
        duplicates: 0,
        lines: STEPS,
        status: 'finished',
      });
    } finally {
      await logger.kill();
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
      const t = await tally(url, 'pg-restart', 'restart Postgres mid-run', STEPS);
      rows.push(t);
      expect(t).toMatchObject({
        stored: STEPS * 3,
        wrong: 0,
        duplicates: 0,
        lines: STEPS,
        status: 'finished',
      });
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
      const t = await tally(url, 'disk-full', 'fill the spool disk', STEPS);
      rows.push(t);
      expect(t).toMatchObject({
        stored: STEPS * 3,
        wrong: 0,
        duplicates: 0,
        lines: STEPS,
        status: 'finished',
      });
    } finally {
      await logger.kill();
      execFileSync('umount', ['-l', spool]);
      await api.kill();
      await db.drop();
    }
  });
});
