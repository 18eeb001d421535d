// `anneal train` and `anneal eval`: a training run from its resolved config to a run directory.
// The run's story, top to bottom in runTraining and train(): open the tracker; resolve an artifact base; load
// and clean the data (checking a classifier's labels before anything is written); create the run directory;
// split; assemble the model and task (assemble.ts); train, resuming from a checkpoint if asked (train.ts);
// evaluate on the test split; export the model and the summary; hand the outputs to the tracker as artifacts.
// Tasks: causal-lm (GPT-2, Llama bases), masked-lm (encoder bases) and sequence-classification (either).
//
// "Run" names several things; in the trainer they are kept apart as:
//   training run   one execution of this file's runTraining: a config trained into a run directory.
//   run directory  `runDir`: <output.dir>/<name>-<time>/, what a training run leaves on disk (rundir.ts).
//   tracked run    the API's record of a training run (id `run_…`), the page the dashboard shows.
//   tracker        the tracking client's `Run` object (@anneal/client), this process's handle on the tracked
//                  run; always `tracker` here, never `run` (tracking.ts).
//   sweep trial    a training run a sweep launched (apps/api sweeps): to the trainer, just a training run
//                  whose stop request ends it as 'pruned' (stoppedAs).
// And two methods named run that are not runs: Trainer.run() is the training loop, Runtime.run() submits GPU work.

import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainConfig } from '@anneal/config';
import type { Runtime } from '@anneal/kernels/kernel';
import { buildTask, checkLabels } from './assemble.ts';
import { clean, type Example } from './data/clean.ts';
import { loadSource } from './data/sources.ts';
import { splitIndices } from './data/split.ts';
import { Generator } from './generate.ts';
import { checkModelDir } from './model/pretrained.ts';
import type { ParamSpec } from './params.ts';
import { classifierInputs, INPUTS_KEY } from './predict.ts';
import { progressLine } from './progress.ts';
import { appendMetrics, createRunDir, exportModel, writeData, writeSummary } from './rundir.ts';
import { PREDICTIONS_KEY, predictionTable, SAMPLES_KEY, samplesTable, truncateText } from './tables.ts';
import { ClassificationTask } from './tasks/classification.ts';
import { LMTask } from './tasks/lm.ts';
import { Tokenizer } from './tokenizer.ts';
import {
  artifactBase,
  defaultTracker,
  noteTracker,
  recordArtifacts,
  systemMetrics,
  type Tracker,
  trackedRunIdOf,
} from './tracking.ts';
import { type MetricsRecord, type Task, Trainer, type TrainerOptions } from './train.ts';

// Where cli.ts imports it from; it lives with the rest of the tracker in tracking.ts.
export { trackRun } from './tracking.ts';

export interface RunResult {
  /** The run directory. */
  dir: string;
  metrics: Record<string, number>;
  /** The metrics, and for a classifier evaluated on test its confusion matrix (`test/confusion`, rows: true class). */
  summary: Record<string, number | number[][]>;
  steps: number;
}

/**
 * The run's train / validation / test split. Labelled rows are stratified by label whatever the task, so a
 * language-model run on a labelled dataset (domain-adaptive pretraining before a classifier) splits it exactly
 * as the classifier will and never sees the classifier's validation or test texts.
 */
export function splitRows(rows: Example[], config: TrainConfig) {
  const labelled = rows.length > 0 && rows.every((r) => r.label !== undefined);
  const labels = labelled && config.data.split.stratify ? rows.map((r) => r.label!) : undefined;
  return splitIndices(rows.length, { ...config.data.split, seed: config.seed, labels });
}

/** `anneal eval`: a saved model (a run's model/ or a checkpoint) on one split of a config's data. */
export async function evaluateModel(
  rt: Runtime,
  config: TrainConfig,
  modelDir: string,
  split: 'validation' | 'test',
  log: (line: string) => void = console.log,
): Promise<Record<string, number>> {
  if (!config.data.source) throw new Error('data.source: required to evaluate');
  checkModelDir(modelDir, 'model');
  const c = { ...config, model: { ...config.model, base: modelDir } };
  const { rows } = clean(loadSource(config.data.source), config.data.clean);
  const parts = splitRows(rows, config);
  const task = await buildTask(rt, c, rows, parts, Tokenizer.fromFile(join(modelDir, 'tokenizer.json')), log);
  const metrics = await task.evaluate(split);
  for (const [k, v] of Object.entries(metrics)) log(`${split}/${k}`.padEnd(20) + ` ${v.toPrecision(6)}`);
  if (task instanceof ClassificationTask && task.lastReport)
    log(`confusion matrix (rows: true class): ${JSON.stringify(task.lastReport.confusion)}`);
  return metrics;
}

export interface TrainingOptions {
  log?: (line: string) => void;
  shouldStop?: () => boolean;
  /** A checkpoint directory to continue from (its tracked run continues too, unless `fork`). */
  resume?: string;
  /** With resume: track the continuation as a fork of the checkpoint's run, which is left as it was. */
  fork?: boolean;
  /** The tracker to log to; by default one from the environment (tracking.ts defaultTracker), or none. */
  tracker?: Tracker | null;
  /** The status a run stopped through shouldStop ends with: 'stopped', or 'pruned' for a sweep trial. */
  stoppedAs?: () => 'stopped' | 'pruned';
}

/** A training run: train() between opening the tracker and finishing it with the run's status. */
export async function runTraining(
  rt: Runtime,
  config: TrainConfig,
  {
    log: print = console.log,
    shouldStop,
    resume,
    fork,
    tracker = defaultTracker(rt, config, resume, fork),
    stoppedAs = () => 'stopped',
  }: TrainingOptions = {},
): Promise<RunResult> {
  if (!config.data.source) throw new Error('data.source: required to train');
  // Every console line also goes to the tracked run's console.
  const log = (line: string) => {
    print(line);
    tracker?.logs(line.split('\n'));
  };
  if (tracker) {
    log(`tracking: ${tracker.id} in project ${config.tracking.project}`);
    const page = await tracker.pageUrl();
    if (page) log(`tracking: view the run at ${page}`);
  }
  try {
    const base = await artifactBase(config, tracker, log);
    const result = await train(rt, base.config, { log, shouldStop, resume, fork, tracker }).finally(
      base.release,
    );
    tracker?.summary(result.summary);
    const delivered = await tracker?.finish(shouldStop?.() ? stoppedAs() : 'finished');
    if (tracker && !delivered)
      print(
        `tracking: the API is unreachable; ${tracker.pending} operations wait in ${tracker.spoolFile} (anneal sync)`,
      );
    return result;
  } catch (e) {
    tracker?.logs([String((e as Error).stack ?? e)], 'stderr');
    await tracker?.finish('failed');
    throw e;
  }
}

/** The training run itself, on a local base: data, run directory, model, training, test, export. */
async function train(
  rt: Runtime,
  config: TrainConfig,
  {
    log,
    shouldStop,
    resume,
    fork,
    tracker,
  }: {
    log: (line: string) => void;
    shouldStop?: () => boolean;
    resume?: string;
    fork?: boolean;
    tracker: Tracker | null;
  },
): Promise<RunResult> {
  if (!config.data.source) throw new Error('data.source: required to train');
  const base = config.model.base;
  checkModelDir(base, 'model.base');
  const tokenizer = Tokenizer.fromFile(join(base, 'tokenizer.json'));
  // The data before the run directory: a dataset a run cannot use leaves nothing behind.
  const classify = config.model.task === 'sequence-classification';
  const { rows, report } = clean(loadSource(config.data.source), config.data.clean);
  if (classify) checkLabels(rows, config);
  const runDir = createRunDir(config);
  if (tracker) noteTracker(tracker, runDir);
  for (const r of report) log(`data: ${r.step}: ${r.changed} changed, ${r.removed} removed`);
  const split = splitRows(rows, config);
  writeData(runDir, rows, report, split, classify);

  const task = await buildTask(rt, config, rows, split, tokenizer, log);
  logParameters(task.model.layout.specs, config, log);

  const perStep = config.train.batchSize * config.optim.gradAccumSteps;
  const progress = progressLine(perStep, performance.now());
  const system = systemMetrics(rt, tracker, perStep);
  const trainer: Trainer<unknown> = new Trainer({
    rt,
    config,
    task,
    checkpointDir: join(runDir, 'checkpoints'),
    shouldStop,
    onEvaluate: sampler(rt, config, task, tokenizer, runDir, tracker, log),
    onMetrics: (m: MetricsRecord) => {
      appendMetrics(runDir, m);
      const { step, epoch, ...values } = m;
      tracker?.log({ ...values, epoch }, step);
      const now = performance.now();
      system(m, now);
      log(progress(m, trainer.totalSteps, now));
    },
  });
  if (resume) {
    trainer.restore(resume);
    log(`resumed from ${resume} at step ${trainer.step} (epoch ${trainer.epoch}, batch ${trainer.position})`);
    if (tracker && fork) {
      log(`tracking: ${tracker.id} is a fork of ${trackedRunIdOf(resume)} from step ${trainer.step + 1}`);
    } else if (tracker) {
      // The tracked run goes on from the checkpoint: whatever it logged after that step (before a crash, or a
      // timeline abandoned for an older checkpoint) makes way for what this run logs.
      tracker.rewind(trainer.step + 1);
      log(
        `tracking: ${tracker.id} continues from step ${trainer.step}; its history after that step is rewound`,
      );
    }
  }
  await trainer.run();
  if (trainer.stoppedBy === 'time') log(`train.maxMinutes: time budget reached at step ${trainer.step}`);
  if (trainer.restoredStep !== null) log(`restored the best weights (step ${trainer.restoredStep})`);

  // The final (or, with early stopping, the restored best) weights on the held-out split — not for a run
  // stopped on request, which should end promptly (its checkpoint can be evaluated later).
  const tested = task.splitSizes.test > 0 && !shouldStop?.();
  if (tested) await trainer.evaluate('test');
  const metrics = trainer.metrics;
  const summary: RunResult['summary'] = { ...metrics };
  if (tested && task instanceof ClassificationTask && task.lastReport)
    summary['test/confusion'] = task.lastReport.confusion;
  if (tested && tracker && task instanceof ClassificationTask && task.lastProbs?.split === 'test')
    logPredictions(tracker, config, rows, split.test, task, trainer.step, log);
  const hf = task.toHF(await task.model.params.readAll());
  // A classifier's model/ says how its inputs were prepared, so it predicts as its run evaluated wherever it
  // goes (an artifact, a copy): `anneal predict` reads this (predict.ts); Hugging Face ignores the extra key.
  if (classify) hf.config = { ...(hf.config as object), [INPUTS_KEY]: classifierInputs(config) };
  exportModel(runDir, hf, base);
  writeSummary(runDir, summary);
  if (summary['test/confusion'])
    log(`\nconfusion matrix (rows: true class): ${JSON.stringify(summary['test/confusion'])}`);
  log('');
  for (const [k, v] of Object.entries(metrics)) log(`${k.padEnd(20)} ${Number(v).toPrecision(6)}`);
  log(`\nrun directory: ${runDir}`);
  if (tracker) recordArtifacts(tracker, runDir, base, shouldStop?.() ?? false);
  return { dir: runDir, metrics, summary, steps: trainer.step };
}

/**
 * A causal LM's samples at each evaluation (eval.samples; off without prompts): generated from the prompts with
 * the weights just evaluated, appended to `<run dir>/samples.jsonl` and logged as the tracked run's table
 * `samples` at that step. Once per step: a step evaluated twice (an epoch's end on an evalEvery step, the best
 * weights restored) keeps its first samples.
 */
function sampler(
  rt: Runtime,
  config: TrainConfig,
  task: Task<unknown>,
  tokenizer: Tokenizer,
  runDir: string,
  tracker: Tracker | null,
  log: (line: string) => void,
): TrainerOptions<unknown>['onEvaluate'] {
  const o = config.eval.samples;
  if (!o.prompts.length) return undefined;
  if (!(task instanceof LMTask)) {
    log(`eval.samples: ignored, a ${config.model.task} run does not generate text`);
    return undefined;
  }
  const generator = Generator.fromModel(rt, task.model, tokenizer);
  const done = new Set<number>();
  return async (split, step) => {
    if (split !== 'validation' || done.has(step)) return;
    done.add(step);
    const { prompts, maxNewTokens, temperature, topK, topP, seed } = o;
    const out = await generator.generate(prompts, { maxNewTokens, temperature, topK, topP, seed });
    appendFileSync(
      join(runDir, 'samples.jsonl'),
      `${JSON.stringify({ step, samples: out.map((g) => ({ prompt: g.prompt, text: g.text })) })}\n`,
    );
    tracker?.logTable(SAMPLES_KEY, samplesTable(out), { step });
    log(`samples at step ${step}: ${JSON.stringify(truncateText(out[0].prompt + out[0].text, 120))}`);
  };
}

/**
 * The classifier's test predictions as the tracked run's table `test/predictions` (eval.predictions; tables.ts),
 * at the run's last step.
 */
function logPredictions(
  tracker: Tracker,
  config: TrainConfig,
  rows: Example[],
  test: number[],
  task: ClassificationTask,
  step: number,
  log: (line: string) => void,
): void {
  const o = config.eval.predictions;
  if (o.maxRows === 0 || !task.lastProbs) return;
  const examples = test.map((i) => ({ text: rows[i].text, label: rows[i].label! }));
  const table = predictionTable(examples, task.lastProbs.probs, task.numLabels, o);
  tracker.logTable(PREDICTIONS_KEY, table, { step });
  const wrong = table.rows.filter((r) => r[5] === false).length;
  log(
    `tracking: ${table.rows.length} test predictions logged as ${PREDICTIONS_KEY} (${wrong} misclassified first)`,
  );
}

/** "model: 1,234 of 5,678 parameters trained (LoRA …)". */
function logParameters(specs: ParamSpec[], config: TrainConfig, log: (line: string) => void): void {
  const count = (xs: ParamSpec[]) => xs.reduce((n, sp) => n + sp.shape.reduce((a, b) => a * b, 1), 0);
  const trainable = count(specs.filter((sp) => !sp.frozen));
  const lora = config.model.lora;
  log(
    `model: ${trainable.toLocaleString('en')} of ${count(specs).toLocaleString('en')} parameters trained` +
      (lora ? ` (LoRA rank ${lora.rank}, alpha ${lora.alpha} on ${lora.targets.join(', ')})` : ''),
  );
}
