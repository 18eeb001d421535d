// The Python SDK (clients/python) against a live API started here (embedded PGlite): runs
// `python3 -m unittest discover clients/python/tests` with ANNEAL_TEST_API_URL / ANNEAL_TEST_API_KEY, and a small
// control server (ANNEAL_TEST_CONTROL_URL) through which a test stops the API (`POST /stop`: its port closed,
// every connection cut, as a killed process) and starts it again on the same port (`POST /start`), as the
// TypeScript client's delivery tests do. Skipped, saying so, where python3 is missing.
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { bootstrap } from '@anneal/api/bootstrap';
import { createApi } from '@anneal/api/server';
import { tickSweeps } from '@anneal/api/sweeps';
import { freshDatabase } from '@anneal/db/testing';
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
    expect(out).not.toMatch(/skipped '/); // every Python test ran here (they skip only without the live API)
    expect(code).toBe(0);
  }, 600_000);
});
