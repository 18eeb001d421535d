// The run directory: what a training run leaves on disk, written as it goes so a crash leaves what it had.
//   <output.dir>/<name>-<time>/config.json       the resolved run config
//                              tracking.json     the tracked run's id, when tracked (tracking.ts)
//                              rejected.jsonl    what the API refused, with the reasons (tracking.ts)
//                              data.json         cleaning report and the split (indices), to reproduce it
//                              splits/*.jsonl    classification only: the cleaned train/validation/test rows
//                              metrics.jsonl     every logged record
//                              checkpoints/{best,last}   (train.ts)
//                              model/            the final weights in Hugging Face format + the base's tokenizer
//                                                files (tokenizer.json, tokenizer_config.json: a chat template)
//                              summary.json      final metrics

import { appendFileSync, copyFileSync, lstatSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { TrainConfig } from '@anneal/config';
import type { Split } from './assemble.ts';
import { writeAdapter } from './checkpoint.ts';
import type { Example, StepReport } from './data/clean.ts';
import { serializeSafetensors } from './safetensors.ts';
import type { HFModel, MetricsRecord } from './train.ts';

/**
 * The run's name as one safe directory name: letters, digits, `_`, `-` and single dots (never leading, never
 * `..`), at most 64 characters; `run` when nothing is left. The config schema already refuses names with
 * separators or `..`; this holds for a config that reached the trainer some other way.
 */
export function runSlug(name: string): string {
  const slug = name
    .normalize('NFKC')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[.-]+/, '')
    .slice(0, 64)
    .replace(/[.-]+$/, '');
  return slug || 'run';
}

/** Thrown for a run directory that would not be inside output.dir. */
export class RunDirRefused extends Error {}

/**
 * Creates `segment` as a new directory directly inside `outputDir` (created if missing) and returns its path,
 * refusing a segment that resolves anywhere else: checked against the parent's real path, so a link as
 * output.dir is followed once and nothing below it can lead out. An existing entry (a planted link) is not
 * reused: the directory is created new.
 */
export function createChildDir(outputDir: string, segment: string): string {
  mkdirSync(outputDir, { recursive: true });
  const parent = realpathSync(outputDir);
  const dir = resolve(parent, segment);
  const prefix = parent.endsWith(sep) ? parent : parent + sep;
  if (!dir.startsWith(prefix) || dir.slice(prefix.length).includes(sep) || segment.includes('\0'))
    throw new RunDirRefused(`run directory '${segment}' would not be directly inside output.dir (${parent})`);
  mkdirSync(dir); // not recursive: fails on anything already there, a symbolic link included
  return dir;
}

/** A new run directory under output.dir, named after the run and the time, holding the resolved config. */
export function createRunDir(config: TrainConfig): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const base = `${runSlug(config.name)}-${stamp}`;
  let runDir = '';
  // Two runs of one name started in the same millisecond each get their own directory.
  for (let i = 1; !runDir; i++) {
    try {
      runDir = createChildDir(config.output.dir, i === 1 ? base : `${base}-${i}`);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || i >= 100) throw e;
    }
  }
  writeFileSync(join(runDir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  return runDir;
}

/**
 * The cleaned data's record: data.json (row count, cleaning report, split indices) and, for a classifier, the
 * cleaned split as JSONL, so a baseline (scripts/baseline_tfidf.py) trains on the very same examples.
 */
export function writeData(
  runDir: string,
  rows: Example[],
  report: StepReport[],
  split: Split,
  withSplits: boolean,
): void {
  writeFileSync(join(runDir, 'data.json'), JSON.stringify({ rows: rows.length, report, split }));
  if (!withSplits) return;
  mkdirSync(join(runDir, 'splits'), { recursive: true });
  for (const [name, idx] of Object.entries(split)) {
    writeFileSync(
      join(runDir, 'splits', `${name}.jsonl`),
      idx.map((i: number) => JSON.stringify(rows[i])).join('\n') + '\n',
    );
  }
}

/** Appends a metrics record, with the wall-clock time, to metrics.jsonl. */
export function appendMetrics(runDir: string, m: MetricsRecord): void {
  appendFileSync(join(runDir, 'metrics.jsonl'), `${JSON.stringify({ ...m, time: Date.now() })}\n`);
}

/** The base's files a fine-tuned model keeps as they are, beside tokenizer.json, where the base has them. */
const TOKENIZER_EXTRAS = ['tokenizer_config.json', 'special_tokens_map.json', 'generation_config.json'];

/**
 * The base's tokenizer.json into `dir`, with its tokenizer_config.json (a chat model's chat template and special
 * tokens), special_tokens_map.json and generation_config.json where they are regular files (never through a
 * link) — as Hugging Face's Trainer saves them with a fine-tuned model.
 */
export function copyTokenizerFiles(base: string, dir: string): void {
  copyFileSync(join(base, 'tokenizer.json'), join(dir, 'tokenizer.json'));
  for (const f of TOKENIZER_EXTRAS)
    if (lstatSync(join(base, f), { throwIfNoEntry: false })?.isFile())
      copyFileSync(join(base, f), join(dir, f));
}

/** The trained model as a Hugging Face directory, model/: weights, config, LoRA adapter, the base's tokenizer. */
export function exportModel(runDir: string, hf: HFModel, base: string): void {
  const dir = join(runDir, 'model');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.safetensors'), serializeSafetensors(hf.tensors, { format: 'pt' }));
  writeFileSync(join(dir, 'config.json'), `${JSON.stringify(hf.config, null, 2)}\n`);
  if (hf.adapter) writeAdapter(dir, hf.adapter);
  copyTokenizerFiles(base, dir);
}

/** summary.json: the final metrics (and a classifier's test confusion matrix). */
export function writeSummary(runDir: string, summary: Record<string, unknown>): void {
  writeFileSync(join(runDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
}
