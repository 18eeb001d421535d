// `anneal train` for causal language modelling: resolve the config, load the base (Hugging Face format:
// config.json, model.safetensors, tokenizer.json), load, clean, split and tokenize the data, train, evaluate
// on the test split, and leave a run directory behind:
//   <output.dir>/<name>-<time>/config.json       the resolved run config
//                              data.json         cleaning report and the split (indices), to reproduce it
//                              metrics.jsonl     every logged record
//                              checkpoints/{best,last}
//                              model/            the final weights in Hugging Face format + tokenizer.json

import { appendFileSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Runtime } from '@anneal/kernels/kernel';
import type { TrainConfig } from './config.ts';
import { clean } from './data/clean.ts';
import { loadSource } from './data/sources.ts';
import { splitIndices } from './data/split.ts';
import { gptParamSpecs } from './model/gpt.ts';
import { loadGPT2Checkpoint, saveGPT2Checkpoint } from './model/pretrained.ts';
import { EOS_TOKEN, Tokenizer } from './tokenizer.ts';
import { LMTrainer, type MetricsRecord, packWindows } from './train.ts';

export interface RunResult {
  dir: string;
  metrics: Record<string, number>;
  steps: number;
}

export async function runCausalLM(
  rt: Runtime,
  config: TrainConfig,
  { log = console.log, shouldStop }: { log?: (line: string) => void; shouldStop?: () => boolean } = {},
): Promise<RunResult> {
  if (config.model.task !== 'causal-lm')
    throw new Error(`model.task: ${config.model.task} runs are not available yet`);
  if (!config.data.source) throw new Error('data.source: required to train');
  const base = config.model.base;
  const { config: model, weights } = loadGPT2Checkpoint(base, gptParamSpecs);
  const tokenizer = Tokenizer.fromFile(join(base, 'tokenizer.json'));
  if (tokenizer.vocabSize > model.vocabSize) {
    throw new Error(`${base}: tokenizer has ${tokenizer.vocabSize} tokens, the model ${model.vocabSize}`);
  }
  const dir = join(config.output.dir, `${config.name}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);

  const raw = loadSource(config.data.source);
  const { rows, report } = clean(raw, config.data.clean);
  for (const r of report) log(`data: ${r.step}: ${r.changed} changed, ${r.removed} removed`);
  const split = splitIndices(rows.length, { ...config.data.split, seed: config.seed });
  writeFileSync(join(dir, 'data.json'), JSON.stringify({ rows: rows.length, report, split }));
  const T = Math.min(config.data.maxLength, model.nPositions);
  const eos = tokenizer.tokenId(EOS_TOKEN);
  const windows = async (idx: number[]) =>
    packWindows(await tokenizer.encodeBatch(idx.map((i) => rows[i].text)), T, eos);
  const [train, validation, test] = await Promise.all([
    windows(split.train),
    windows(split.validation),
    windows(split.test),
  ]);
  log(
    `data: ${rows.length} documents → ${train.length} / ${validation.length} / ${test.length} windows of ${T + 1} tokens`,
  );
  if (train.length < config.train.batchSize)
    throw new Error(`data: ${train.length} training windows, fewer than one batch`);

  const metricsFile = join(dir, 'metrics.jsonl');
  const t0 = performance.now();
  const trainer: LMTrainer = new LMTrainer({
    rt,
    config,
    model,
    weights,
    train,
    validation,
    checkpointDir: join(dir, 'checkpoints'),
    shouldStop,
    onMetrics: (m: MetricsRecord) => {
      appendFileSync(metricsFile, `${JSON.stringify({ ...m, time: Date.now() })}\n`);
      const total = trainer.totalSteps;
      const secs = (performance.now() - t0) / 1000;
      const tokS = (m.step * config.train.batchSize * config.optim.gradAccumSteps * T) / Math.max(secs, 1e-9);
      const eta = m.step ? (secs / m.step) * (total - m.step) : 0;
      const fields = Object.entries(m)
        .filter(([k]) => k.includes('/'))
        .map(([k, v]) => `${k} ${k.endsWith('lr') ? v.toExponential(2) : v.toFixed(4)}`);
      log(
        `step ${m.step}/${total}  epoch ${m.epoch}  ${fields.join('  ')}  ${tokS.toFixed(0)} tok/s  ETA ${eta.toFixed(0)}s`,
      );
    },
  });
  const metrics = await trainer.run();
  if (test.length) {
    // The final (or, with early stopping, the restored best) weights on the held-out split.
    const loss = await trainer.evaluate(test);
    metrics['test/loss'] = loss;
    metrics['test/perplexity'] = Math.exp(loss);
  }
  const shapes = new Map(trainer.gpt.layout.specs.map((s) => [s.name, s.shape]));
  saveGPT2Checkpoint(join(dir, 'model'), model, await trainer.gpt.params.readAll(), shapes);
  copyFileSync(join(base, 'tokenizer.json'), join(dir, 'model', 'tokenizer.json'));
  writeFileSync(join(dir, 'summary.json'), `${JSON.stringify(metrics, null, 2)}\n`);
  log('');
  for (const [k, v] of Object.entries(metrics)) log(`${k.padEnd(20)} ${v.toPrecision(6)}`);
  log(`\nrun directory: ${dir}`);
  return { dir, metrics, steps: trainer.step };
}
