// The Python SDK (clients/python) against a live API started here (embedded PGlite): runs
// `python3 -m unittest discover clients/python/tests` with ANNEAL_TEST_API_URL / ANNEAL_TEST_API_KEY, and a small
// control server (ANNEAL_TEST_CONTROL_URL) through which a test stops the API (`POST /stop`: its port closed,
// every connection cut, as a killed process) and starts it again on the same port (`POST /start`), as the
// TypeScript client's delivery tests do. Skipped, saying so, where python3 is missing.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrap } from '@anneal/api/bootstrap';
import { createApi } from '@anneal/api/server';
import { tickSweeps } from '@anneal/api/sweeps';
import { sync } from '@anneal/client';
import { freshDatabase } from '@anneal/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const python = spawnSync('python3', ['--version']).status === 0 ? 'python3' : null;
if (!python) console.warn('test/python.test.ts: python3 is not installed: the Python SDK tests are skipped');

describe.skipIf(!python)('the Python SDK against a live API', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let app: ReturnType<typeof createApi>;
  let api: Server | null = null;
  let control: Server;
  let port = 0;
  let key = '';
  let controller: NodeJS.Timeout | undefined;

  const start = () =>
    new Promise<void>((resolve, reject) => {
      api = createServer(app);
      api.once('error', reject);
      api.listen(port, '127.0.0.1', () => {
        port = (api!.address() as AddressInfo).port;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!api) return resolve();
      const s = api;
      api = null;
      s.close(() => resolve());
      s.closeAllConnections();
    });

  beforeAll(async () => {
    db = await freshDatabase('pglite');
    key = (await bootstrap(db.handle)).key!;
    app = createApi({ handle: db.handle });
    await start();
    control = createServer(async (req, res) => {
      if (req.url === '/stop') await stop();
      else if (req.url === '/start') await start();
      res.end('ok');
    });
    await new Promise<void>((r) => control.listen(0, '127.0.0.1', r));
    // The sweep controller's loop, as `anneal api` runs it: it prunes the program sweeps' trials.
    controller = setInterval(() => {
      void tickSweeps({ h: db.handle, queue: null, validateConfig: null }).catch(() => {});
    }, 300);
  });
  afterAll(async () => {
    clearInterval(controller);
    await stop();
    control?.close();
    await db?.drop();
  });

  it('passes python3 -m unittest discover clients/python/tests', async () => {
    const env = {
      ...process.env,
      PYTHONPATH: join(ROOT, 'clients/python'),
      ANNEAL_TEST_API_URL: `http://127.0.0.1:${port}`,
      ANNEAL_TEST_API_KEY: key,
      ANNEAL_TEST_CONTROL_URL: `http://127.0.0.1:${(control.address() as AddressInfo).port}`,
    };
    // Asynchronous: the API answering the tests runs on this event loop.
    const child = spawn(
      python!,
      [
        '-m',
        'unittest',
        'discover',
        '-v',
        '-s',
        'clients/python/tests',
        '-t',
        'clients/python',
        ...(process.env.ANNEAL_PY_TEST_FILTER ? ['-k', process.env.ANNEAL_PY_TEST_FILTER] : []),
      ],
      {
        cwd: ROOT,
        env,
      },
    );
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    const code = await new Promise<number | null>((r) => child.on('close', r));
    if (code !== 0) console.log(out);
    expect(out).toMatch(/\nOK/);
    // Every Python test ran here (they skip only without the live API), but the PyTorch example where torch is absent.
    const skips = out.split('\n').filter((l) => l.includes("skipped '"));
    for (const l of skips) expect(l).toMatch(/torch is not installed/);
    if (skips.length) console.warn(`test/python.test.ts: ${skips.length} Python test skipped: ${skips[0]}`);
    expect(code).toBe(0);
  }, 600_000);

  it("`anneal sync` (the TypeScript client) delivers a Python run's spool, once", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anneal-pyspool-'));
    const script = [
      'import anneal',
      'run = anneal.init(project="default", name="py-offline", mode="offline", config={"lr": 0.1})',
      'for s in range(120): run.log({"loss": 1 / (s + 1)})',
      'print("hello from python")',
      'run.finish()',
      'print(run.id)',
    ].join('\n');
    const made = spawnSync(python!, ['-c', script], {
      env: { ...process.env, PYTHONPATH: join(ROOT, 'clients/python'), ANNEAL_DATA_DIR: dir },
      encoding: 'utf8',
    });
    expect(made.status, made.stderr).toBe(0);
    const runId = made.stdout.trim().split('\n').pop()!;
    const options = { url: `http://127.0.0.1:${port}`, apiKey: key, spoolDir: join(dir, 'spool') };
    expect(await sync(options)).toEqual([{ run: runId, delivered: true, pending: 0 }]);
    expect(await sync(options)).toEqual([]); // nothing left to send
    const [row] = await db.handle.rows<{ status: string; config: unknown; n: number; logs: number }>(
      sql`select status, config, (select count(*)::int from metric_points where run_id = r.id) as n,
          (select count(*)::int from log_lines where run_id = r.id) as logs
          from runs r where id = ${runId.slice(4)}::uuid`,
    );
    expect(row).toEqual({ status: 'finished', config: { lr: 0.1 }, n: 120, logs: 1 });
  });
});
