// `anneal train`: resolve the config, load the base (Hugging Face format: config.json, model.safetensors,
// tokenizer.json), load, clean, split and tokenize the data, train, evaluate on the test split, and leave a
// run directory behind:
//   <output.dir>/<name>-<time>/config.json       the resolved run config
//                              data.json         cleaning report and the split (indices), to reproduce it
//                              splits/*.jsonl    classification only: the cleaned train/validation/test rows
//                              metrics.jsonl     every logged record
//                              checkpoints/{best,last}
//                              model/            the final weights in Hugging Face format + tokenizer.json
//                              summary.json      final metrics
// Tasks: causal-lm (GPT bases), masked-lm (encoder bases) and sequence-classification (either).

import {
  appendFileSync,
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { type ClientOptions, Run } from '@anneal/client';
import { downloadCached } from '@anneal/client/artifacts';
import type { TrainConfig } from '@anneal/config';
import type { Runtime } from '@anneal/kernels/kernel';
import { readTrainerState, writeAdapter } from './checkpoint.ts';
import { clean, type Example } from './data/clean.ts';
import { loadSource } from './data/sources.ts';
import { splitIndices } from './data/split.ts';
import { normalInit } from './init.ts';
import { Encoder } from './model/encoder.ts';
import { type GPTConfig, gptParamSpecs } from './model/gpt.ts';
import { GPTClassifier } from './model/gpt-classifier.ts';
import type { WeightLayout } from './model/linear.ts';
import { initLora, loraIO, withLora } from './model/lora.ts';
import {
  checkModelDir,
  encoderToHF,
  gptConfigToHF,
  loadEncoderCheckpoint,
  loadGPT2Checkpoint,
} from './model/pretrained.ts';
import { freezeAllBut, type ParamSpec } from './params.ts';
import { serializeSafetensors } from './safetensors.ts';
import { ClassificationTask, type ModelIO } from './tasks/classification.ts';
import { LMTask, packWindows } from './tasks/lm.ts';
import { MASK_TOKEN, MLMTask } from './tasks/mlm.ts';
import { EOS_TOKEN, Tokenizer } from './tokenizer.ts';
import { type MetricsRecord, type Task, Trainer } from './train.ts';

export interface RunResult {
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

async function buildTask(
  rt: Runtime,
  config: TrainConfig,
  rows: Example[],
  split: { train: number[]; validation: number[]; test: number[] },
  tokenizer: Tokenizer,
  log: (line: string) => void,
): Promise<Task<unknown>> {
  const base = config.model.base;
  const eosId = tokenizer.tokenToIdOrNull(EOS_TOKEN);
  const needEos = () => {
    if (eosId === null)
      throw new Error(
        `model.base: ${base}/tokenizer.json has no ${EOS_TOKEN} token to separate documents with`,
      );
    return eosId;
  };
  const encode = (idx: number[]) => tokenizer.encodeBatch(idx.map((i) => rows[i].text));
  if (config.model.task === 'causal-lm') {
    if (config.data.augment.kind !== 'none')
      throw new Error('data.augment: token deletion and masking apply to classification runs');
    const { config: model, weights } = loadGPT2Checkpoint(base, gptParamSpecs);
    const specs = adapt(config, gptParamSpecs(model), model.nLayer, GPT_BLOCK, 'in-out');
    const T = Math.min(config.data.maxLength, model.nPositions);
    const eos = needEos();
    const windows = async (idx: number[]) => packWindows(await encode(idx), T, eos);
    const [train, validation, test] = await Promise.all([
      windows(split.train),
      windows(split.validation),
      windows(split.test),
    ]);
    log(
      `data: ${rows.length} documents → ${train.length} / ${validation.length} / ${test.length} windows of ${T + 1} tokens`,
    );
    const lora = config.model.lora;
    const initial = withAdapters(config, specs, weights);
    const task = new LMTask(rt, model, initial, { train, validation, test }, config.train.batchSize, specs);
    if (lora) task.io = loraIO(task.io, specs, 'in-out', weights, lora);
    return task as Task<unknown>;
  }
  if (config.model.task === 'masked-lm') {
    if (config.data.augment.kind !== 'none')
      throw new Error('data.augment: token deletion and masking apply to classification runs');
    if (tokenizer.tokenToIdOrNull(MASK_TOKEN) === null)
      throw new Error(`model.base: ${base}/tokenizer.json has no ${MASK_TOKEN} token for masked-LM training`);
    const maskId = tokenizer.tokenId(MASK_TOKEN);
    const { config: model, weights, missing } = loadEncoderCheckpoint(base, { head: 'mlm' });
    if (missing.length) throw new Error(`model.base: ${base} has no masked-LM head (${missing[0]} …)`);
    const T = Math.min(config.data.maxLength, model.maxPositions);
    // Windows of T tokens (packWindows makes T' + 1 = T).
    const eos = needEos();
    const windows = async (idx: number[]) => packWindows(await encode(idx), T - 1, eos);
    const [train, validation, test] = await Promise.all([
      windows(split.train),
      windows(split.validation),
      windows(split.test),
    ]);
    log(
      `data: ${rows.length} documents → ${train.length} / ${validation.length} / ${test.length} windows of ${T} tokens`,
    );
    const masking = { maskId, vocabSize: model.vocabSize, special: [eos] };
    return new MLMTask(
      rt,
      model,
      weights,
      { train, validation, test },
      config.train.batchSize,
      masking,
    ) as Task<unknown>;
  }
  const hfType = (JSON.parse(readFileSync(join(base, 'config.json'), 'utf8')) as { model_type?: string })
    .model_type;
  const K = config.model.numLabels;
  const labelled = async (idx: number[]) => {
    const ids = await encode(idx);
    return idx.map((i, k) => ({ ids: ids[k], label: rows[i].label! }));
  };
  const [train, validation, test] = await Promise.all([
    labelled(split.train),
    labelled(split.validation),
    labelled(split.test),
  ]);
  log(`data: ${rows.length} examples → ${train.length} / ${validation.length} / ${test.length}`);
  const fresh = (name: string, n: number) => {
    log(`model: ${base} has no ${name}; initialised N(0, 0.02) for ${K} classes from seed ${config.seed}`);
    return normalInit(n, config.seed, 0.02);
  };
  const side =
    hfType === 'gpt2' ? gptClassifier(rt, config, base, fresh) : encoderClassifier(rt, config, base, fresh);
  const T = Math.min(config.data.maxLength, side.maxT);
  const augment = config.data.augment;
  // BERT-style tokenizers (a Hugging Face checkpoint's WordPiece) add [CLS] … [SEP] themselves and pad with
  // [PAD]; Anneal's byte-level BPE bases use <|endoftext|> as the leading token and the padding.
  const cls = tokenizer.tokenToIdOrNull('[CLS]');
  const pad = tokenizer.tokenToIdOrNull('[PAD]');
  const bert = cls !== null && pad !== null;
  const opts = {
    batchSize: config.train.batchSize,
    T,
    clsId: bert || !side.prependCls ? null : needEos(),
    padId: bert ? pad : needEos(),
    truncation: config.data.truncation,
    keepEnds: bert,
    augment,
  };
  return new ClassificationTask(rt, side.net, side.io, K, { train, validation, test }, opts) as Task<unknown>;
}

type Fresh = (name: string, n: number) => Float32Array;

const GPT_BLOCK = (name: string) => {
  const m = /^h\.(\d+)\./.exec(name);
  return m ? Number(m[1]) : null;
};
const ENCODER_BLOCK = (name: string) => {
  const m = /^encoder\.layer\.(\d+)\./.exec(name);
  return m ? Number(m[1]) : null;
};

/** Trainable with LoRA besides the adapters: the classification heads. */
const LORA_HEAD = /^(score|classifier)\./;

/**
 * Parameter-efficient fine-tuning: model.lora adds adapters and freezes everything but them and the head;
 * model.trainLastBlocks freezes every block but the last k, and the embeddings (`head` stays trainable).
 */
function adapt(
  config: TrainConfig,
  specs: ParamSpec[],
  nLayer: number,
  block: (n: string) => number | null,
  layout: WeightLayout,
  head = LORA_HEAD,
): ParamSpec[] {
  if (config.model.lora) return withLora(specs, config.model.lora, layout, LORA_HEAD);
  const k = config.model.trainLastBlocks;
  if (k === undefined) return specs;
  if (k > nLayer) throw new Error(`model.trainLastBlocks: ${k} exceeds the model's ${nLayer} blocks`);
  return freezeAllBut(specs, k, nLayer, block, head);
}

/** With LoRA: fresh adapters beside the loaded weights, and model files that carry them (lora.ts loraIO). */
function withAdapters(config: TrainConfig, specs: ParamSpec[], weights: Map<string, Float32Array>) {
  return config.model.lora ? new Map([...weights, ...initLora(specs, config.seed)]) : weights;
}

/** GPT2ForSequenceClassification from a GPT-2 base (with or without a trained `score` head). */
function gptClassifier(rt: Runtime, config: TrainConfig, base: string, fresh: Fresh) {
  const K = config.model.numLabels;
  if (config.model.pooling && config.model.pooling !== 'last') {
    throw new Error(`model.pooling: GPT classifies from the last token, not '${config.model.pooling}'`);
  }
  const withScore = (c: GPTConfig) => [
    ...gptParamSpecs(c),
    { name: 'score.weight', shape: [K, c.nEmbd], decay: true },
  ];
  const hasScore = hasTensor(join(base, 'model.safetensors'), 'score.weight');
  const { config: model, weights } = loadGPT2Checkpoint(base, hasScore ? withScore : gptParamSpecs);
  if (!hasScore) weights.set('score.weight', fresh('score head', K * model.nEmbd));
  const net = new GPTClassifier(rt, model, K, (all) =>
    adapt(config, all, model.nLayer, GPT_BLOCK, 'in-out', /^(ln_f|score)\./),
  );
  net.params.write(withAdapters(config, net.layout.specs, weights));
  const shapes = new Map(net.layout.specs.map((sp) => [sp.name, sp.shape]));
  const plain: ModelIO = {
    toHF: (w) => ({
      config: { ...gptConfigToHF(model), num_labels: K, architectures: ['GPT2ForSequenceClassification'] },
      tensors: new Map([...w].map(([n, data]) => [n, { shape: shapes.get(n)!, data }])),
    }),
    fromHF: (dir) => loadGPT2Checkpoint(dir, withScore).weights,
  };
  const lora = config.model.lora;
  const io = lora ? loraIO(plain, net.layout.specs, 'in-out', weights, lora) : plain;
  return { net, io, maxT: model.nPositions, prependCls: false };
}

/** The encoder with its classifier, pooling the first token (a prepended [CLS]-style token) or the mean. */
function encoderClassifier(rt: Runtime, config: TrainConfig, base: string, fresh: Fresh) {
  const K = config.model.numLabels;
  if (config.model.pooling === 'last')
    throw new Error("model.pooling: 'last' is for GPT bases; the encoder pools 'first' or 'mean'");
  const pooling = config.model.pooling === 'mean' ? 'mean' : 'first';
  const { config: model, weights, missing } = loadEncoderCheckpoint(base, { pooling, numLabels: K });
  if (missing.length) {
    weights.set('classifier.weight', fresh('classifier', K * model.hidden));
    weights.set('classifier.bias', new Float32Array(K));
  }
  const net = new Encoder(rt, model, (all) => adapt(config, all, model.nLayer, ENCODER_BLOCK, 'out-in'));
  net.params.write(withAdapters(config, net.layout.specs, weights));
  const plain: ModelIO = {
    toHF: (w) => encoderToHF(model, w),
    fromHF: (dir) => loadEncoderCheckpoint(dir, { pooling, numLabels: K }).weights,
  };
  const lora = config.model.lora;
  const io = lora ? loraIO(plain, net.layout.specs, 'out-in', weights, lora) : plain;
  return { net, io, maxT: model.maxPositions, prependCls: true };
}

/** Whether a safetensors file holds a tensor (reads only its header). */
function hasTensor(path: string, name: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const len = Buffer.alloc(8);
    readSync(fd, len, 0, 8, 0);
    const header = Buffer.alloc(Number(len.readBigUInt64LE(0)));
    readSync(fd, header, 0, header.length, 8);
    return name in JSON.parse(header.toString('utf8'));
  } finally {
    closeSync(fd);
  }
}

/** Every example of a classification run has a class index below model.numLabels, or an error says which not. */
function checkLabels(rows: Example[], config: TrainConfig): void {
  const source = config.data.source!;
  const field = 'labelField' in source ? `'${source.labelField}' (data.source.labelField)` : 'label';
  const missing = rows.findIndex((r) => r.label === undefined);
  if (missing >= 0)
    throw new Error(
      source.kind === 'text' || source.kind === 'brown'
        ? `data.source: ${source.kind} has no labels; a sequence-classification run needs a class index on every example (use jsonl or csv)`
        : `data.source: example ${missing} has no ${field}; a sequence-classification run needs a class index on every example`,
    );
  const big = rows.findIndex((r) => r.label! >= config.model.numLabels);
  if (big >= 0)
    throw new Error(
      `model.numLabels: ${config.model.numLabels}, but example ${big} has label ${rows[big].label} (class indices run from 0 to numLabels - 1)`,
    );
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

/**
 * The tracked run for a training run: when ANNEAL_API_URL is set or ANNEAL_MODE=offline, else null. `id`
 * continues an existing tracked run (a resumed training run).
 */
export function trackRun(
  rt: Runtime,
  config: TrainConfig,
  clientOptions: ClientOptions = {},
  id?: string,
  forkFrom?: { runId: string; step: number },
): Run | null {
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

/** The tracked run a checkpoint's training run logged to, if it was tracked. */
function trackedRunOf(checkpoint: string): string | undefined {
  const file = join(checkpoint, '..', '..', TRACKING_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { runId: string }).runId : undefined;
}

/**
 * The tracked run of a training run: a resumed one continues its checkpoint's tracked run, a forked one
 * (`--resume <checkpoint> --fork`) starts a new tracked run that branches off it after the checkpoint's step.
 */
function defaultTracker(rt: Runtime, config: TrainConfig, resume?: string, fork?: boolean): Run | null {
  if (fork && !resume) throw new Error('--fork: continues a checkpoint, so it needs --resume <checkpoint>');
  const source = resume ? trackedRunOf(resume) : undefined;
  if (!fork) return trackRun(rt, config, {}, source);
  if (!source)
    throw new Error(
      `--fork: ${resume}'s run was not tracked (no ${TRACKING_FILE}), so there is no run to fork`,
    );
  return trackRun(rt, config, {}, undefined, { runId: source, step: readTrainerState(resume!).step + 1 });
}

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
  }: {
    log?: (line: string) => void;
    shouldStop?: () => boolean;
    resume?: string;
    /** With resume: track the continuation as a fork of the checkpoint's run, which is left as it was. */
    fork?: boolean;
    tracker?: Run | null;
    /** The status a run stopped through shouldStop ends with: 'stopped', or 'pruned' for a sweep. */
    stoppedAs?: () => 'stopped' | 'pruned';
  } = {},
): Promise<RunResult> {
  if (!config.data.source) throw new Error('data.source: required to train');
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
    const result = await train(rt, await artifactBase(config, tracker, log), {
      log,
      shouldStop,
      resume,
      fork,
      tracker,
    });
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

/**
 * `model.base: artifact:<id>` (or `artifact:<name>:<alias>` in the tracking project) on this machine: downloaded
 * through the API into `<ANNEAL_DATA_DIR or .anneal>/artifacts/cache/<digest>` (once per content), and recorded
 * as the run's input. (A launched run's worker does this itself: launched.ts.)
 */
async function artifactBase(config: TrainConfig, tracker: Run | null, log: (line: string) => void) {
  const base = config.model.base;
  if (!base.startsWith('artifact:')) return config;
  const ref = base.slice('artifact:'.length);
  const cache = join(process.env.ANNEAL_DATA_DIR ?? '.anneal', 'artifacts', 'cache');
  const { dir, artifact } = await downloadCached(ref, cache, { project: config.tracking.project });
  log(`model.base: ${base} is ${artifact.name} v${artifact.version} (${artifact.id}), in ${dir}`);
  tracker?.useArtifact(artifact.id);
  return { ...config, model: { ...config.model, base: dir } };
}

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
    tracker: Run | null;
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
  const dir = join(config.output.dir, `${config.name}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  if (tracker) writeFileSync(join(dir, TRACKING_FILE), `${JSON.stringify({ runId: tracker.id })}\n`);
  tracker?.deadLetterTo(join(dir, 'rejected.jsonl')); // what the API refuses, with the reasons
  for (const r of report) log(`data: ${r.step}: ${r.changed} changed, ${r.removed} removed`);
  const split = splitRows(rows, config);
  writeFileSync(join(dir, 'data.json'), JSON.stringify({ rows: rows.length, report, split }));
  if (classify) {
    // The cleaned split as JSONL, so a baseline (scripts/baseline_tfidf.py) trains on the very same examples.
    mkdirSync(join(dir, 'splits'), { recursive: true });
    for (const [name, idx] of Object.entries(split)) {
      writeFileSync(
        join(dir, 'splits', `${name}.jsonl`),
        idx.map((i: number) => JSON.stringify(rows[i])).join('\n') + '\n',
      );
    }
  }
  const task = await buildTask(rt, config, rows, split, tokenizer, log);
  const specs = task.model.layout.specs;
  const count = (xs: ParamSpec[]) => xs.reduce((n, sp) => n + sp.shape.reduce((a, b) => a * b, 1), 0);
  const trainable = count(specs.filter((sp) => !sp.frozen));
  const lora = config.model.lora;
  log(
    `model: ${trainable.toLocaleString('en')} of ${count(specs).toLocaleString('en')} parameters trained` +
      (lora ? ` (LoRA rank ${lora.rank}, alpha ${lora.alpha} on ${lora.targets.join(', ')})` : ''),
  );

  const metricsFile = join(dir, 'metrics.jsonl');
  const t0 = performance.now();
  let last: { step: number; time: number } | null = null;
  const trainer: Trainer<unknown> = new Trainer({
    rt,
    config,
    task,
    checkpointDir: join(dir, 'checkpoints'),
    shouldStop,
    onMetrics: (m: MetricsRecord) => {
      appendFileSync(metricsFile, `${JSON.stringify({ ...m, time: Date.now() })}\n`);
      const { step, epoch, ...values } = m;
      tracker?.log({ ...values, epoch }, step);
      const total = trainer.totalSteps;
      const now = performance.now();
      const secs = (now - t0) / 1000;
      const perStep = config.train.batchSize * config.optim.gradAccumSteps;
      const exPerS = (m.step * perStep) / Math.max(secs, 1e-9);
      // System metrics beside a training record, to the tracker only (metrics.jsonl stays what training
      // computed): throughput since the last one, the process's memory, and what the run holds on the GPU.
      // (From the second training record: the first also timed pipeline compilation, or follows a resume.)
      if ('train/loss' in m) {
        if (last && m.step > last.step)
          tracker?.log(
            {
              'system/samples_per_s':
                ((m.step - last.step) * perStep) / Math.max((now - last.time) / 1000, 1e-9),
              'system/rss_mb': process.memoryUsage().rss / 2 ** 20,
              'system/gpu_mem_mb': rt.pool.allocatedBytes / 2 ** 20,
            },
            step,
          );
        last = { step: m.step, time: now };
      }
      const eta = m.step ? (secs / m.step) * (total - m.step) : 0;
      const fields = Object.entries(m)
        .filter(([k]) => k.includes('/'))
        .map(([k, v]) => `${k} ${k.endsWith('lr') ? v.toExponential(2) : v.toFixed(4)}`);
      log(
        `step ${m.step}/${total}  epoch ${m.epoch}  ${fields.join('  ')}  ${exPerS.toFixed(1)} seq/s  ETA ${eta.toFixed(0)}s`,
      );
    },
  });
  if (resume) {
    trainer.restore(resume);
    log(`resumed from ${resume} at step ${trainer.step} (epoch ${trainer.epoch}, batch ${trainer.position})`);
    if (tracker && fork) {
      log(`tracking: ${tracker.id} is a fork of ${trackedRunOf(resume)} from step ${trainer.step + 1}`);
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
  const hf = task.toHF(await task.model.params.readAll());
  mkdirSync(join(dir, 'model'), { recursive: true });
  writeFileSync(join(dir, 'model', 'model.safetensors'), serializeSafetensors(hf.tensors, { format: 'pt' }));
  writeFileSync(join(dir, 'model', 'config.json'), `${JSON.stringify(hf.config, null, 2)}\n`);
  if (hf.adapter) writeAdapter(join(dir, 'model'), hf.adapter);
  copyFileSync(join(base, 'tokenizer.json'), join(dir, 'model', 'tokenizer.json'));
  writeFileSync(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  if (summary['test/confusion'])
    log(`\nconfusion matrix (rows: true class): ${JSON.stringify(summary['test/confusion'])}`);
  log('');
  for (const [k, v] of Object.entries(metrics)) log(`${k.padEnd(20)} ${Number(v).toPrecision(6)}`);
  log(`\nrun directory: ${dir}`);
  if (tracker) recordArtifacts(tracker, dir, base, shouldStop?.() ?? false);
  return { dir, metrics, summary, steps: trainer.step };
}

/**
 * The run's outputs as artifacts, uploaded by the tracking client in the background: the exported model
 * (`model-<run>`), and versions of `checkpoint-<run>` — the best checkpoint (alias `best`) and, for a run
 * stopped on request, the `last` checkpoint it saved (alias `last`), so it can be resumed or fine-tuned from
 * anywhere. Each checkpoint gets the tokenizer, which makes it a complete base (no more saves come now).
 */
function recordArtifacts(tracker: Run, dir: string, base: string, stopped: boolean): void {
  const run = tracker.id.replace(/^run_/, '').slice(0, 8);
  void tracker.artifact({ kind: 'model', name: `model-${run}`, dir: join(dir, 'model') });
  const checkpoint = (which: 'best' | 'last') => {
    const at = join(dir, 'checkpoints', which);
    if (!existsSync(join(at, 'trainer_state.json'))) return;
    copyFileSync(join(base, 'tokenizer.json'), join(at, 'tokenizer.json'));
    const { step, metrics } = JSON.parse(readFileSync(join(at, 'trainer_state.json'), 'utf8'));
    void tracker.artifact({
      kind: 'checkpoint',
      name: `checkpoint-${run}`,
      dir: at,
      aliases: [which],
      metadata: { step, metrics, ...(which === 'last' ? { stopped: true } : {}) },
    });
  };
  checkpoint('best');
  if (stopped) checkpoint('last');
}
