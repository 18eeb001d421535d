// The whole server side in one process, as `anneal api` runs it on the embedded database: a fresh PGlite,
// the admin's key, the run queue, the API on a free port and a worker training launched runs. A launched config
// names its base `bases/<name>` (launch-paths.ts): the stack's bases directory holds the shipped bases and
// `bases/tiny`, a from-scratch twin of gpt-brown; its data root is <dir>/data and runs go to <dir>/runs.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { bootstrap } from '@anneal/api/bootstrap';
import { openQueue } from '@anneal/api/queue';
import { createApiPubSub } from '@anneal/api/schema';
import { createApi, listen } from '@anneal/api/server';
import { startWorker } from '@anneal/cli/worker';
import { resolveConfig } from '@anneal/config';
import { freshDatabase } from '@anneal/db/testing';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BIN = join(ROOT, 'apps/cli/bin/anneal.js');

export async function startStack(name: string) {
  const dir = mkdtempSync(join(tmpdir(), `anneal-${name}-`));
  const bases = join(dir, 'bases');
  mkdirSync(bases);
  for (const b of readdirSync(join(ROOT, 'bases'))) symlinkSync(join(ROOT, 'bases', b), join(bases, b));
  // A from-scratch twin of the shipped base: small and fast on lavapipe.
  const base = join(bases, 'tiny');
  await promisify(execFile)(process.execPath, [
    BIN,
    'init',
    '--like',
    join(ROOT, 'bases/gpt-brown'),
    '--out',
    base,
  ]);
  const db = await freshDatabase('pglite');
  const boot = await bootstrap(db.handle);
  const key = boot.key!;
  const queue = await openQueue(db.handle);
  const pubsub = createApiPubSub();
  // What the sweep controller (sweep.test.ts ticks it by hand) validates proposals with; the API validates
  // launched configs with @anneal/config itself.
  const validateConfig = (c: unknown) => resolveConfig(c, 'config');
  const { server, url } = await listen(
    createApi({
      handle: db.handle,
      pubsub,
      queue,
      bases,
      dataRoot: join(dir, 'data'),
      artifactStore: join(dir, 'store'),
      localSignIn: true,
    }),
    0,
  );
  let worker: Awaited<ReturnType<typeof startWorker>> | null = await startWorker({
    h: db.handle,
    apiUrl: url,
    apiKey: key,
    heartbeatSeconds: 1,
    publish: (e) => pubsub.publish('tryProgress', e.id, e),
    dirs: { bases, dataRoot: join(dir, 'data'), runsDir: join(dir, 'worker'), cacheDir: join(dir, 'cache') },
    log: process.env.ANNEAL_TEST_WORKER_LOG ? (l) => console.log(`worker: ${l}`) : () => {},
  });
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
  return {
    dir,
    base,
    db,
    key,
    /** The embedded admin's password (admin@localhost). */
    password: boot.password!,
    queue,
    pubsub,
    validateConfig,
    url,
    gql,
    /** A small causal-LM run config on Brown's humor genre. */
    lmConfig: (runName: string, maxSteps: number) => ({
      name: runName,
      model: { base: 'bases/tiny' },
      data: {
        source: { kind: 'brown', categories: ['r'] },
        maxLength: 32,
        split: { validation: 0.1, test: 0.1, stratify: false },
      },
      train: { batchSize: 4, epochs: 1000, maxSteps, evalEvery: 1000, logEvery: 1 },
      output: { dir: 'runs' },
    }),
    async stopWorker() {
      await worker?.stop();
      worker = null;
    },
    async close() {
      await worker?.stop();
      await queue.stop({ graceful: false, close: false });
      await new Promise((r) => server.close(r));
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until `what` holds or `ms` pass. */
export async function until(what: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await what()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}
