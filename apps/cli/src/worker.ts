// `anneal worker`: claims launched runs from the queue (apps/api queue.ts) one at a time and trains them.
// Each claim starts an attempt of the run (lifecycle.ts start), which the run's tracking client joins; metrics,
// console and summary go through that client like any run's. The worker itself writes a heartbeat to the run
// every few seconds and, when the heartbeat finds stopRun's flag (or a retry that superseded its attempt),
// stops the training loop (which saves its `last` checkpoint, recorded as an artifact) and ends the run (or its
// attempt) as stopped. A launched config's names become this machine's directories first (launched.ts): a
// shipped base, an artifact downloaded from the store, data under ANNEAL_DATA_ROOT. The artifact cache is bounded
// (ANNEAL_CACHE_GB, @anneal/client cache.ts): read once at start, cleaned of a crash's leftovers, and every
// eviction logged here.

import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultDataRoot } from '@anneal/api/launch-paths';
import { openQueue, RUNS_QUEUE, type RunJob } from '@anneal/api/queue';
import * as lifecycle from '@anneal/api/runs/lifecycle';
import type { TryPublish } from '@anneal/api/tryit';
import { Run } from '@anneal/client';
import { ArtifactRejected } from '@anneal/client/artifacts';
import { type CacheOptions, cacheBudgetBytes, evictCache } from '@anneal/client/cache';
import { ConfigError, resolveConfig, type TrainConfig } from '@anneal/config';
import type { DbHandle } from '@anneal/db/client';
import { openGpu } from '@anneal/kernels/device';
import { Runtime } from '@anneal/kernels/kernel';
import { tuneAttention } from '@anneal/kernels/ops/attention/attention';
import { tuneMatmul } from '@anneal/kernels/ops/matmul/matmul';
import { runTraining } from '@anneal/trainer/run';
import { sql } from 'drizzle-orm';
import { type LaunchDirs, LaunchRefused, localize } from './launched.ts';
import { REPO } from './repo.ts';
import { startTryWorker } from './tryit.ts';

export interface WorkerOptions {
  h: DbHandle;
  /** Where the tracking client sends metrics (the API) and its key. */
  apiUrl: string;
  apiKey: string;
  /** Seconds between heartbeats (and stop checks). */
  heartbeatSeconds?: number;
  log?: (line: string) => void;
  /**
   * This machine's directories for launched runs: shipped bases (default: the repository's bases/), the data
   * root (ANNEAL_DATA_ROOT), where output.dir goes (default <ANNEAL_DATA_DIR or .anneal>/runs: the worker's
   * own directory, not its working directory, where a run could reach the checkout or the state) and the
   * artifact cache (default <ANNEAL_DATA_DIR or .anneal>/artifacts/cache).
   */
  dirs?: Partial<LaunchDirs>;
  /** The artifact cache's budget in bytes (default: ANNEAL_CACHE_GB GiB, else 20). */
  cacheBytes?: number;
  /**
   * How try-it requests' progress is announced (tryit.ts): by default NOTIFY on Postgres; `anneal api` on the
   * embedded database passes its own pubsub.
   */
  publish?: TryPublish;
}

const dataDir = () => process.env.ANNEAL_DATA_DIR ?? '.anneal';

export async function startWorker(o: WorkerOptions) {
  const log = o.log ?? ((line: string) => console.log(`worker: ${line}`));
  // A bad ANNEAL_CACHE_GB stops the worker here, not its first download.
  const cache: CacheOptions = { budgetBytes: o.cacheBytes ?? cacheBudgetBytes(), log };
  const cacheDir = o.dirs?.cacheDir ?? resolve(join(dataDir(), 'artifacts', 'cache'));
  // What a crashed worker left (downloads cut short, leases of dead processes) goes now, and what is over budget;
  // a failure here is logged, not fatal: the next download's eviction tries again.
  await evictCache(cacheDir, cache).catch((e: Error) =>
    log(`cache: cleaning ${cacheDir} failed: ${e.message}`),
  );
  // A promise some request left rejected unhandled is logged, and the worker goes on: Node's default (exit) would
  // let one bad try-it request or run end every other project's training on this machine. Each request's own
  // failure is still stored by its handler; this is the net under a mistake in one.
  const onUnhandled = (reason: unknown) =>
    log(`unhandled rejection (the worker goes on): ${(reason as Error)?.stack ?? String(reason)}`);
  process.on('unhandledRejection', onUnhandled);
  const queue = await openQueue(o.h);
  const rt = new Runtime(await openGpu());
  await tuneMatmul(rt);
  await tuneAttention(rt);
  const id = await queue.work<RunJob>(
    RUNS_QUEUE,
    { batchSize: 1, pollingIntervalSeconds: 1 },
    async ([job]) => {
      await runJob(o, rt, job.data.runId, log, cache).catch((e) => {
        log(`run_${job.data.runId} failed: ${(e as Error).message}`);
        throw e; // pg-boss retries it by its policy
      });
    },
  );
  // Try-it requests run beside training, on the same adapter, one at a time.
  const tries = await startTryWorker(queue, {
    h: o.h,
    rt,
    apiUrl: o.apiUrl,
    apiKey: o.apiKey,
    cacheDir,
    cacheBytes: cache.budgetBytes,
    publish: o.publish,
    log,
  });
  log(`waiting for runs on ${hostname()} (${rt.gpu.info.description || rt.gpu.info.vendor})`);
  return {
    async stop() {
      await tries.stop();
      await queue.offWork(id);
      await queue.stop({ graceful: true, close: false, wait: true });
      rt.destroy();
      process.off('unhandledRejection', onUnhandled);
    },
  };
}

async function runJob(
  o: WorkerOptions,
  rt: Runtime,
  runId: string,
  log: (line: string) => void,
  cache: CacheOptions,
) {
  const [run] = await o.h.rows<{
    name: string;
    project_id: string;
    config: unknown;
    stop_requested_at: Date | null;
    started_at: Date | string | null;
  }>(sql`select name, project_id, config, stop_requested_at, started_at from runs where id = ${runId}::uuid`);
  if (!run) return log(`run ${runId} no longer exists; skipped`);
  if (run.stop_requested_at) return log(`run ${runId} was stopped before it started`);
  // A stored config the schema now refuses (queued by an older server: a name with `..`, say) fails the run
  // below, with the reason in its console; retrying it would not help.
  let launched: TrainConfig | null = null;
  let invalid: ConfigError | null = null;
  try {
    launched = resolveConfig(run.config, 'config');
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    invalid = e;
  }
  // Each claim of the job is an attempt: a retry's console is kept apart from the earlier attempts'.
  const attempt = await lifecycle.start(o.h, runId, { host: hostname(), gpu: rt.gpu.info });
  if (!attempt) return log(`run ${runId} no longer exists; skipped`);
  log(`run_${runId} (${run.name}) started, attempt ${attempt.number}`);
  let stop = false;
  let reason = 'user';
  let release = () => {}; // the base's cache lease, held until the run ends
  const beat = setInterval(
    () =>
      void lifecycle
        .beat(o.h, runId)
        .then((r) => {
          if (!r || r.stop) stop = true;
          if (r?.stopReason) reason = r.stopReason;
          // Taken for dead (a stalled heartbeat) and retried elsewhere: this attempt stops; its finish then
          // ends only itself (finishRun's attempt), never the retry's run.
          if (r && r.attempt !== attempt.number && !stop) {
            stop = true;
            log(`run_${runId}: attempt ${r.attempt} superseded this one (${attempt.number}); stopping`);
          }
        })
        .catch((e: Error) => log(`heartbeat: ${e.message}`)),
    (o.heartbeatSeconds ?? 3) * 1000,
  );
  try {
    const tracker = Run.init(
      {
        project: `project_${run.project_id}`,
        id: `run_${runId}`,
        name: run.name,
        config: (launched ?? run.config) as never,
        attempt: attempt.number,
      },
      { url: o.apiUrl, apiKey: o.apiKey },
    );
    const dirs: LaunchDirs = {
      bases: join(REPO, 'bases'),
      dataRoot: defaultDataRoot(),
      runsDir: resolve(join(dataDir(), 'runs')),
      cacheDir: resolve(join(dataDir(), 'artifacts', 'cache')),
      ...o.dirs,
    };
    let config: TrainConfig;
    try {
      if (!launched) throw new LaunchRefused(invalid!.message);
      const local = await localize(launched, run.project_id, {
        ...dirs,
        h: o.h,
        apiUrl: o.apiUrl,
        apiKey: o.apiKey,
        cache,
      });
      release = local.release;
      config = local.config;
      tracker.logs(local.log);
      if (local.input) tracker.useArtifact(local.input);
    } catch (e) {
      // A config this machine cannot train (a path out of bounds, an artifact the project does not have or the
      // key cannot read) fails the run: retrying would not change that. The API unreachable or a download that
      // arrived damaged is worth another try: the job goes back to the queue (pg-boss retries it).
      const final = e instanceof ArtifactRejected || e instanceof LaunchRefused;
      tracker.logs([(e as Error).message], 'stderr');
      if (!final) throw e;
      await tracker.finish('failed');
      return log(`run_${runId} failed: ${(e as Error).message}`);
    }
    if (run.started_at) {
      // A retry (its worker crashed) trains from the start: the earlier attempt's points make way for the
      // new ones instead of silently keeping the old values at the same steps.
      tracker.rewind(0);
      tracker.logs([
        `retry (attempt ${attempt.number}): history rewound to step 0 (the first attempt started ${new Date(run.started_at).toISOString()})`,
      ]);
    }
    const stoppedAs = () => (reason === 'pruned' ? 'pruned' : 'stopped');
    await runTraining(rt, config, { tracker, shouldStop: () => stop, stoppedAs, log: () => {} });
    log(`run_${runId} ${stop ? stoppedAs() : 'finished'}`);
  } finally {
    clearInterval(beat);
    release();
  }
}
