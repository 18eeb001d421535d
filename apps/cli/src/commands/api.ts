// `anneal api` and `anneal start`: the tracking API on DATABASE_URL or the embedded database, with the run queue,
// the heartbeat reaper, the sweep controller loop, (on the embedded database) a worker, and optionally the
// dashboard as a child process. The API validates launched configs with @anneal/config itself; the sweep
// controller is given the same validation with the launch-path rules.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { bootstrap } from '@anneal/api/bootstrap';
import { createSharedPubSub } from '@anneal/api/events';
import { defaultDataRoot, withLaunchPaths } from '@anneal/api/launch-paths';
import { openQueue } from '@anneal/api/queue';
import { createApi, listen, startReaper } from '@anneal/api/server';
import { tickSweeps } from '@anneal/api/sweeps';
import { resolveConfig } from '@anneal/config';
import { connect, describeTarget } from '@anneal/db/client';
import { migrate } from '@anneal/db/migrate';
import { Command } from 'commander';
import { REPO } from '../repo.ts';
import { startWorker } from '../worker.ts';

export const apiCommand = new Command('api')
  .description(
    'serve the tracking API (GraphQL on /graphql, SSE subscriptions, /health) on DATABASE_URL or the embedded database, ' +
      'with the run queue; on the embedded database it also runs a worker (launched runs train here). The first start ' +
      'creates an admin, a `default` project and an API key',
  )
  .option('--port <n>', 'port (ANNEAL_PORT)', process.env.ANNEAL_PORT ?? '4000')
  .option('--host <addr>', 'interface to listen on', '127.0.0.1')
  .option('--no-worker', 'do not train launched runs in this process')
  .option('--web [port]', 'also serve the dashboard (apps/web, built by setup) on this port', false)
  .action(serveApi);

export interface ApiCommandOptions {
  port: string;
  host: string;
  /** Train launched runs in this process (only on the embedded database). */
  worker: boolean;
  /** Also serve the dashboard: true for :3000, or its port. */
  web: string | boolean;
}

/** `anneal api` (and `anneal start`): the API, its queue, reaper and sweep controller, a worker, the dashboard. */
export async function serveApi(o: ApiCommandOptions): Promise<void> {
  const dataDir = process.env.ANNEAL_DATA_DIR ?? '.anneal';
  const h = await connect();
  await migrate(h);
  const boot = await bootstrap(h, dataDir);
  if (boot.key)
    console.log(
      `first start: created admin@localhost (password ${boot.password}), project "default" and an API key (saved to ${dataDir}/api-key):\n  ${boot.key}`,
    );
  const queue = await openQueue(h);
  // Live events reach every API process on the same Postgres (LISTEN/NOTIFY).
  const pubsub = await createSharedPubSub(h);
  // PGlite serves one process: launched runs train here. On Postgres, `anneal worker` processes can share it.
  const embedded = h.target.kind === 'pglite';
  const api = createApi({
    handle: h,
    pubsub,
    queue,
    bases: join(REPO, 'bases'),
    // Where runs' pages are: the dashboard this process serves, else ANNEAL_WEB_URL (one served elsewhere).
    dashboardUrl: o.web
      ? `http://${o.host}:${o.web === true ? 3000 : Number(o.web)}`
      : (process.env.ANNEAL_WEB_URL ?? null),
    // Single-user mode on this machine: the browser is signed in as the local admin (loopback only).
    localSignIn: embedded && /^(127\.|localhost$|::1$)/.test(o.host),
  });

  const { server, url } = await listen(api, Number(o.port), o.host);
  console.log(`${describeTarget(h.target)}\nAnneal API on ${url}/graphql`);
  // Runs whose heartbeat lapsed (ANNEAL_HEARTBEAT_LAPSE_S, default 60 s) are marked crashed.
  const reaper = startReaper({
    handle: h,
    queue,
    pubsub,
    onError: (e) => console.error(`reaper: ${e.message}`),
  });
  // The sweep controller: stateless, so this loop (or one in another API process) resumes any sweep.
  // Its proposals follow the launch rules too (a parameter cannot point model.base or a data path elsewhere).
  const validateConfig = withLaunchPaths((c: unknown) => resolveConfig(c, 'config'), {
    basesDir: join(REPO, 'bases'),
    dataRoot: defaultDataRoot(),
  });
  let ticking = false;
  const controller = setInterval(() => {
    if (ticking) return;
    ticking = true;
    void tickSweeps({ h, queue, validateConfig })
      .catch((e: Error) => console.error(`sweeps: ${e.message}`))
      .finally(() => {
        ticking = false;
      });
  }, 2000);
  const worker =
    o.worker && embedded
      ? await startWorker({
          h,
          apiUrl: url,
          apiKey: readFileSync(join(dataDir, 'api-key'), 'utf8').trim(),
          publish: (e) => pubsub.publish('tryProgress', e.id, e),
        })
      : null;
  const dashboard = o.web ? startDashboard(url, o.web === true ? 3000 : Number(o.web), o.host) : null;
  const stop = async () => {
    dashboard?.kill();
    reaper.stop();
    clearInterval(controller);
    await worker?.stop();
    await queue.stop({ graceful: false, close: false });
    server.close();
    await h.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

/** `next start` for apps/web as a child process, talking to the API at `api`. */
function startDashboard(api: string, port: number, host: string) {
  const web = join(REPO, 'apps/web');
  if (!existsSync(join(web, '.next', 'BUILD_ID'))) {
    console.log('dashboard: not built — run ./scripts/setup.sh (or pnpm --filter @anneal/web build)');
    return null;
  }
  const next = createRequire(join(web, 'package.json')).resolve('next/dist/bin/next');
  const child = spawn(process.execPath, [next, 'start', '-p', String(port), '-H', host], {
    cwd: web,
    env: { ...process.env, ANNEAL_API_URL: api, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: 'inherit',
  });
  console.log(`dashboard on http://${host}:${port} (sign in as admin@localhost)`);
  return child;
}
