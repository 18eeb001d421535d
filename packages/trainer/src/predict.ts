// `anneal predict`: a trained classifier (an exported model/ directory) on new texts — read from JSONL, CSV or a
// text file with one input per line — giving each its predicted label and class probabilities.
//
// The texts are tokenized, truncated and batched exactly as the run's evaluation did: a classifier's exported
// config.json records data.maxLength, data.truncation, model.pooling and train.batchSize (`anneal_inputs`), so
// an artifact or a copy predicts as its run evaluated; for a model exported before that, its run directory's
// config.json beside model/, else the config's defaults, unless overridden. The
// texts are used as given (no cleaning): a run's cleaned test split is `<run dir>/splits/test.jsonl`, so
// predicting on it reproduces `anneal eval`'s accuracy exactly.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { resolveConfig, type TrainConfig } from '@anneal/config';
import type { Runtime } from '@anneal/kernels/kernel';
import { buildTask } from './assemble.ts';
import type { Example } from './data/clean.ts';
import { loadSource } from './data/sources.ts';
import { checkModelDir } from './model/pretrained.ts';
import { ClassificationTask, type Truncation } from './tasks/classification.ts';
import { Tokenizer } from './tokenizer.ts';

export type InputFormat = 'jsonl' | 'csv' | 'text';

/** The key of a classifier's exported config.json that records how its run prepared inputs. */
export const INPUTS_KEY = 'anneal_inputs';

/** How a classifier run tokenized, truncated, pooled and batched its inputs (config.json's `anneal_inputs`). */
export function classifierInputs(config: TrainConfig) {
  return {
    maxLength: config.data.maxLength,
    truncation: config.data.truncation,
    pooling: config.model.pooling ?? null,
    batchSize: config.train.batchSize,
  };
}
type Inputs = Partial<ReturnType<typeof classifierInputs>>;

/** The inputs of a file: JSONL and CSV rows (their `label`, when present, is kept to score against), or lines. */
export function readInputs(
  file: string,
  format: InputFormat = formatOf(file),
  { textField = 'text', labelField = 'label' } = {},
): Example[] {
  if (!existsSync(file)) throw new Error(`predict: no such file ${file}`);
  if (format === 'text')
    return readFileSync(file, 'utf8')
      .split(/\r?\n/)
      .filter((l) => l.trim())
      .map((text) => ({ text }));
  return loadSource({ kind: format, path: file, textField, labelField });
}

/** The input format from a file's extension: .jsonl / .ndjson, .csv, anything else text. */
export function formatOf(file: string): InputFormat {
  const ext = extname(file).toLowerCase();
  return ext === '.jsonl' || ext === '.ndjson' ? 'jsonl' : ext === '.csv' ? 'csv' : 'text';
}

export interface Classifier {
  task: ClassificationTask;
  tokenizer: Tokenizer;
  /** Class names from config.json's id2label, else the class indices as text. */
  labels: string[];
  /** Where the tokenization settings came from (the run's config.json, or defaults). */
  settings: string;
  config: TrainConfig;
}

/**
 * A classifier from an exported model directory, tokenizing as its run did (the run directory's config.json
 * when the model is a run's model/), `overrides` on top (maxLength, batchSize).
 */
export async function loadClassifier(
  rt: Runtime,
  modelDir: string,
  overrides: { maxLength?: number; batchSize?: number; truncation?: Partial<Truncation> } = {},
): Promise<Classifier> {
  checkModelDir(modelDir, 'model');
  const hf = JSON.parse(readFileSync(join(modelDir, 'config.json'), 'utf8')) as {
    architectures?: string[];
    num_labels?: number;
    id2label?: Record<string, string>;
  };
  if (!hf.architectures?.some((a) => a.endsWith('ForSequenceClassification')))
    throw new Error(
      `model: ${modelDir} is not a classifier (config.json architectures: ${JSON.stringify(hf.architectures ?? [])}); anneal predict takes a sequence-classification model`,
    );
  const K = hf.num_labels ?? (hf.id2label ? Object.keys(hf.id2label).length : 2);
  // Its own record (models exported since anneal_inputs), else its run directory's config, else defaults.
  const runConfigFile = join(dirname(modelDir), 'config.json');
  const recorded = (hf as { [INPUTS_KEY]?: Inputs })[INPUTS_KEY];
  const run = existsSync(runConfigFile)
    ? (JSON.parse(readFileSync(runConfigFile, 'utf8')) as Partial<TrainConfig>)
    : null;
  const inputs: Inputs = recorded ?? {
    maxLength: run?.data?.maxLength,
    truncation: run?.data?.truncation,
    pooling: run?.model?.pooling,
    batchSize: run?.train?.batchSize,
  };
  const config = resolveConfig({
    model: {
      base: modelDir,
      task: 'sequence-classification',
      numLabels: K,
      pooling: inputs.pooling ?? undefined,
    },
    data: {
      maxLength: overrides.maxLength ?? inputs.maxLength,
      truncation: overrides.truncation ?? inputs.truncation,
    },
    train: { batchSize: overrides.batchSize ?? inputs.batchSize },
  });
  const tokenizer = Tokenizer.fromFile(join(modelDir, 'tokenizer.json'));
  // The model alone: no rows yet (predict() tokenizes them), nothing logged about a split.
  const task = await buildTask(rt, config, [], { train: [], validation: [], test: [] }, tokenizer, () => {});
  if (!(task instanceof ClassificationTask))
    throw new Error(`model: ${modelDir} did not load as a classifier`);
  const labels = Array.from({ length: K }, (_, k) => hf.id2label?.[k] ?? String(k));
  return {
    task,
    tokenizer,
    labels,
    settings: recorded
      ? `${join(modelDir, 'config.json')} ${INPUTS_KEY}`
      : run
        ? runConfigFile
        : 'the config defaults',
    config,
  };
}

export interface Prediction {
  /** The predicted class (argmax; the lowest index on a tie). */
  label: number;
  probabilities: number[];
}

/** Texts tokenized and predicted at a time: memory stays bounded by a block, not by the whole input. */
export const PREDICT_BLOCK = 2048;

/**
 * Class probabilities of each text, batched as the run evaluated; `onBatch(done)` after each batch, with the
 * texts done so far. Texts are tokenized and read (as windows, with `keep: chunks`) a block of PREDICT_BLOCK at
 * a time, so a large file's token ids and windows never all sit in memory at once.
 */
export async function predictTexts(
  c: Classifier,
  texts: string[],
  onBatch?: (done: number) => void,
  { block: size = PREDICT_BLOCK } = {},
): Promise<Prediction[]> {
  const K = c.task.numLabels;
  const out: Prediction[] = [];
  for (let from = 0; from < texts.length; from += size) {
    const block = texts.slice(from, from + size);
    const ids = await c.tokenizer.encodeBatch(block);
    // The label is only read by the loss, which prediction ignores.
    const { probs } = await c.task.predict(
      ids.map((x) => ({ ids: x, label: 0 })),
      onBatch && ((done) => onBatch(from + done)),
    );
    for (let i = 0; i < block.length; i++) {
      const p = Array.from(probs.subarray(i * K, (i + 1) * K));
      let label = 0;
      for (let k = 1; k < K; k++) if (p[k] > p[label]) label = k;
      out.push({ label, probabilities: p });
    }
  }
  return out;
}
