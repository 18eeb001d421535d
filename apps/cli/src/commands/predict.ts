// `anneal predict <classifier model> <jsonl|csv|text file> [--out file] [--format jsonl|csv]`: a trained
// classifier's label and class probabilities for every input, with a progress bar and the throughput on
// stderr. The model is named as `anneal eval` and `anneal generate` take it (model-ref.ts: a model or run
// directory, a run id, an artifact); a run's model/ is tokenized as its run was (packages/trainer/src/predict.ts).
// Inputs that carry a label are scored too: on a run's splits/test.jsonl the accuracy is `anneal eval`'s.

import { createWriteStream } from 'node:fs';
import { openGpu } from '@anneal/kernels/device';
import { Runtime } from '@anneal/kernels/kernel';
import { type InputFormat, loadClassifier, predictTexts, readInputs } from '@anneal/trainer/predict';
import { progressBar } from '@anneal/trainer/progress';
import { Command } from 'commander';
import { resolveModel } from '../model-ref.ts';

const FORMATS = ['jsonl', 'csv', 'text'] as const;

interface PredictOptions {
  out?: string;
  format: string;
  inputFormat?: string;
  textField: string;
  labelField: string;
  maxLength?: string;
  batchSize?: string;
  project?: string;
}

export const predictCommand = new Command('predict')
  .description(
    "a classifier's label and class probabilities for each input: anneal predict <model> <file.jsonl|.csv|.txt>",
  )
  .argument('<model>', 'a model or run directory, a run id (run_<uuid>) or artifact:<id | name[:alias]>')
  .argument(
    '<input>',
    'JSONL or CSV (a text column; a label column is scored if present), or text: one input a line',
  )
  .option('--out <file>', 'write the predictions here (default: stdout)')
  .option('--format <format>', 'jsonl or csv', 'jsonl')
  .option('--input-format <format>', 'jsonl, csv or text (default: from the extension)')
  .option('--text-field <name>', 'the text field or column', 'text')
  .option('--label-field <name>', 'the label field or column, scored when present', 'label')
  .option('--max-length <n>', "tokens per input (default: the run's data.maxLength)")
  .option('--batch-size <n>', "inputs per batch (default: the run's train.batchSize)")
  .option('--project <name>', 'the project of an artifact:<name:alias>')
  .action(async (model: string, input: string, o: PredictOptions) => {
    if (o.format !== 'jsonl' && o.format !== 'csv')
      throw new Error(`--format: expected jsonl or csv, got ${o.format}`);
    if (o.inputFormat !== undefined && !(FORMATS as readonly string[]).includes(o.inputFormat))
      throw new Error(`--input-format: expected jsonl, csv or text, got ${o.inputFormat}`);
    const int = (v: string | undefined, name: string) => {
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${name}: expected a positive integer, got ${v}`);
      return n;
    };
    const overrides = {
      maxLength: int(o.maxLength, '--max-length'),
      batchSize: int(o.batchSize, '--batch-size'),
    };
    const inputs = readInputs(input, o.inputFormat as InputFormat | undefined, {
      textField: o.textField,
      labelField: o.labelField,
    });
    const { dir, source } = await resolveModel(model, { field: 'model', project: o.project });
    if (dir !== model) console.error(`predict: the model is ${source}`);
    const rt = new Runtime(await openGpu());
    try {
      const c = await loadClassifier(rt, dir, overrides);
      const { maxLength, truncation } = c.config.data;
      const reads =
        truncation.keep === 'chunks'
          ? `read whole in windows of ${maxLength} tokens (at most ${truncation.maxChunks}, mean logits)`
          : `${maxLength} tokens each`;
      console.error(
        `predict: ${inputs.length.toLocaleString('en')} inputs, ${c.labels.length} classes, ${reads} (from ${c.settings})`,
      );
      const t0 = performance.now();
      const tty = process.stderr.isTTY;
      const predictions = await predictTexts(
        c,
        inputs.map((x) => x.text),
        (done) => {
          if (tty)
            process.stderr.write(`\r${progressBar(done, inputs.length, (performance.now() - t0) / 1000)}`);
        },
      );
      const secs = (performance.now() - t0) / 1000;
      process.stderr.write(`${tty ? '\r' : ''}${progressBar(inputs.length, inputs.length, secs)}\n`);
      await writePredictions(o.out, o.format, c.labels, predictions);
      const labelled = inputs.filter((x) => x.label !== undefined).length;
      if (labelled === inputs.length && labelled > 0) {
        const right = inputs.filter((x, i) => predictions[i].label === x.label).length;
        console.error(
          `accuracy ${(right / inputs.length).toPrecision(6)} (${right} of ${inputs.length} inputs' labels)`,
        );
      }
      if (o.out) console.error(`predictions: ${o.out}`);
    } finally {
      rt.destroy();
    }
  });

/** One line (JSONL) or row (CSV: index, label, p_<class>…) per input, in input order. */
async function writePredictions(
  out: string | undefined,
  format: 'jsonl' | 'csv',
  labels: string[],
  predictions: { label: number; probabilities: number[] }[],
): Promise<void> {
  const sink = out ? createWriteStream(out) : process.stdout;
  const write = (s: string) =>
    sink.write(s) ? Promise.resolve() : new Promise<void>((r) => sink.once('drain', () => r()));
  if (format === 'csv') await write(`index,label,${labels.map((l) => csvCell(`p_${l}`)).join(',')}\n`);
  for (const [i, p] of predictions.entries()) {
    if (format === 'csv') await write(`${i},${csvCell(labels[p.label])},${p.probabilities.join(',')}\n`);
    else
      await write(
        `${JSON.stringify({
          index: i,
          label: p.label,
          ...(labels[p.label] !== String(p.label) ? { name: labels[p.label] } : {}),
          probabilities: p.probabilities,
        })}\n`,
      );
  }
  if (out)
    await new Promise<void>((resolve, reject) =>
      (sink as ReturnType<typeof createWriteStream>).end((e?: Error) => (e ? reject(e) : resolve())),
    );
}

/** A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180). */
const csvCell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
