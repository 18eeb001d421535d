// The run directory: what a training run leaves on disk, written as it goes so a crash leaves what it had.
//   <output.dir>/<name>-<time>/config.json       the resolved run config
//                              tracking.json     the tracked run's id, when tracked (tracking.ts)
//                              rejected.jsonl    what the API refused, with the reasons (tracking.ts)
//                              data.json         cleaning report and the split (indices), to reproduce it
//                              splits/*.jsonl    classification only: the cleaned train/validation/test rows
//                              metrics.jsonl     every logged record
//                              checkpoints/{best,last}   (train.ts)
//                              model/            the final weights in Hugging Face format + tokenizer.json
//                              summary.json      final metrics

import { appendFileSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainConfig } from '@anneal/config';
import type { Split } from './assemble.ts';
import { writeAdapter } from './checkpoint.ts';
import type { Example, StepReport } from './data/clean.ts';
import { serializeSafetensors } from './safetensors.ts';
import type { HFModel, MetricsRecord } from './train.ts';

/** A new run directory under output.dir, named after the run and the time, holding the resolved config. */
export function createRunDir(config: TrainConfig): string {
  const runDir = join(config.output.dir, `${config.name}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(runDir, { recursive: true });
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

/** The trained model as a Hugging Face directory, model/: weights, config, LoRA adapter, the base's tokenizer. */
export function exportModel(runDir: string, hf: HFModel, base: string): void {
  const dir = join(runDir, 'model');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.safetensors'), serializeSafetensors(hf.tensors, { format: 'pt' }));
  writeFileSync(join(dir, 'config.json'), `${JSON.stringify(hf.config, null, 2)}\n`);
  if (hf.adapter) writeAdapter(dir, hf.adapter);
  copyFileSync(join(base, 'tokenizer.json'), join(dir, 'tokenizer.json'));
}

/** summary.json: the final metrics (and a classifier's test confusion matrix). */
export function writeSummary(runDir: string, summary: Record<string, unknown>): void {
  writeFileSync(join(runDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
}
