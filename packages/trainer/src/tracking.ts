// A training run's tracker: the tracking client's `Run` (@anneal/client), the handle through which the run's
// config, metrics, console lines, summary, status and artifacts reach the API's tracked run (the record the
// dashboard shows). Here: opening it (new, continued on resume, or forked from a checkpoint's step), noting
// it in the run directory (tracking.json, and rejected.jsonl for what the API refuses), system metrics beside
// the training metrics, and the run's outputs as artifacts at the end.
// There is no tracker (null) unless ANNEAL_API_URL is set or ANNEAL_MODE=offline: training never needs one.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { type ClientOptions, Run } from '@anneal/client';
import { downloadCached } from '@anneal/client/artifacts';
import type { TrainConfig } from '@anneal/config';
import type { Runtime } from '@anneal/kernels/kernel';
import { readTrainerState } from './checkpoint.ts';
import { copyTokenizerFiles } from './rundir.ts';
import type { MetricsRecord } from './train.ts';

/** The tracking client's handle on a tracked run (called `tracker` throughout, never `run`). */
export type Tracker = Run;

/**
 * The tracker for a training run: when ANNEAL_API_URL is set or ANNEAL_MODE=offline, else null. `id`
 * continues an existing tracked run (a resumed training run); `forkFrom` starts one branching off another.
 */
export function trackRun(
  rt: Runtime,
  config: TrainConfig,
  clientOptions: ClientOptions = {},
  id?: string,
  forkFrom?: { runId: string; step: number },
): Tracker | null {
  const enabled = clientOptions.url ?? process.env.ANNEAL_API_URL ?? process.env.ANNEAL_MODE === 'offline';
  if (!enabled) return null;
  const t = config.tracking;
  return Run.init(
    {
      ...(id ? { id } : {}),
      ...(forkFrom ? { forkFrom } : {}),
      project: t.project,
      name: config.name,
      config: config as unknown as Record<string, unknown>,
      tags: t.tags,
      group: t.group,
      notes: t.notes,
      host: hostname(),
      gpu: rt.gpu.info,
    },
    clientOptions,
  );
}

/** The run directory's record of its tracked run (tracking.json), beside its checkpoints/. */
const TRACKING_FILE = 'tracking.json';

/** The id of the tracked run a checkpoint's training run logged to, if it was tracked. */
export function trackedRunIdOf(checkpoint: string): string | undefined {
  const file = join(checkpoint, '..', '..', TRACKING_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { runId: string }).runId : undefined;
}

/**
 * The tracker of a training run that was given none: a resumed one continues its checkpoint's tracked run, a
 * forked one (`--resume <checkpoint> --fork`) starts a new tracked run that branches off it after the
 * checkpoint's step.
 */
export function defaultTracker(
  rt: Runtime,
  config: TrainConfig,
  resume?: string,
  fork?: boolean,
): Tracker | null {
  if (fork && !resume) throw new Error('--fork: continues a checkpoint, so it needs --resume <checkpoint>');
  const source = resume ? trackedRunIdOf(resume) : undefined;
  if (!fork) return trackRun(rt, config, {}, source);
  if (!source)
    throw new Error(
      `--fork: ${resume}'s run was not tracked (no ${TRACKING_FILE}), so there is no run to fork`,
    );
  return trackRun(rt, config, {}, undefined, { runId: source, step: readTrainerState(resume!).step + 1 });
}

/**
 * Notes the tracked run in a new run directory (tracking.json, which a later --resume or --fork reads) and
 * sends what the API refuses, with the reasons, to its rejected.jsonl.
 */
export function noteTracker(tracker: Tracker, runDir: string): void {
  writeFileSync(join(runDir, TRACKING_FILE), `${JSON.stringify({ runId: tracker.id })}\n`);
  tracker.deadLetterTo(join(runDir, 'rejected.jsonl'));
}

/**
 * System metrics beside a training record, to the tracker only (metrics.jsonl stays what training computed):
 * throughput since the previous training record, the process's memory, and what the run holds on the GPU.
 * From the second training record on: the first also timed pipeline compilation, or follows a resume.
 */
export function systemMetrics(rt: Runtime, tracker: Tracker | null, samplesPerStep: number) {
  let last: { step: number; time: number } | null = null;
  return (m: MetricsRecord, now: number): void => {
    if (!('train/loss' in m)) return;
    if (last && m.step > last.step)
      tracker?.log(
        {
          'system/samples_per_s':
            ((m.step - last.step) * samplesPerStep) / Math.max((now - last.time) / 1000, 1e-9),
          'system/rss_mb': process.memoryUsage().rss / 2 ** 20,
          'system/gpu_mem_mb': rt.pool.allocatedBytes / 2 ** 20,
        },
        m.step,
      );
    last = { step: m.step, time: now };
  };
}

/**
 * The run's outputs as artifacts, uploaded by the tracking client in the background: the exported model
 * (`model-<run>`), and versions of `checkpoint-<run>` — the best checkpoint (alias `best`) and, for a run
 * stopped on request, the `last` checkpoint it saved (alias `last`), so it can be resumed or fine-tuned from
 * anywhere. Each checkpoint gets the tokenizer, which makes it a complete base (no more saves come now).
 */
export function recordArtifacts(tracker: Tracker, runDir: string, base: string, stopped: boolean): void {
  const short = tracker.id.replace(/^run_/, '').slice(0, 8);
  void tracker.artifact({ kind: 'model', name: `model-${short}`, dir: join(runDir, 'model') });
  const checkpoint = (which: 'best' | 'last') => {
    const at = join(runDir, 'checkpoints', which);
    if (!existsSync(join(at, 'trainer_state.json'))) return;
    copyTokenizerFiles(base, at);
    const { step, metrics } = JSON.parse(readFileSync(join(at, 'trainer_state.json'), 'utf8'));
    void tracker.artifact({
      kind: 'checkpoint',
      name: `checkpoint-${short}`,
      dir: at,
      aliases: [which],
      metadata: { step, metrics, ...(which === 'last' ? { stopped: true } : {}) },
    });
  };
  checkpoint('best');
  if (stopped) checkpoint('last');
}

/**
 * `model.base: artifact:<id>` (or `artifact:<name>:<alias>` in the tracking project) on this machine: downloaded
 * through the API into `<ANNEAL_DATA_DIR or .anneal>/artifacts/cache/<digest>` (once per content), and recorded
 * as the run's input. Any other base is returned as it is. `release` ends the cache lease on the download: the
 * caller calls it when training no longer reads the base. (A launched run's worker does this itself:
 * launched.ts.)
 */
export async function artifactBase(
  config: TrainConfig,
  tracker: Tracker | null,
  log: (line: string) => void,
): Promise<{ config: TrainConfig; release: () => void }> {
  const base = config.model.base;
  if (!base.startsWith('artifact:')) return { config, release: () => {} };
  const ref = base.slice('artifact:'.length);
  const cache = join(process.env.ANNEAL_DATA_DIR ?? '.anneal', 'artifacts', 'cache');
  const { dir, artifact, release } = await downloadCached(ref, cache, {
    project: config.tracking.project,
    log,
  });
  log(`model.base: ${base} is ${artifact.name} v${artifact.version} (${artifact.id}), in ${dir}`);
  tracker?.useArtifact(artifact.id);
  return { config: { ...config, model: { ...config.model, base: dir } }, release };
}
