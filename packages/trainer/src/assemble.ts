// The model a run trains, assembled from its config and base directory (Hugging Face format: config.json,
// model.safetensors, tokenizer.json): the task for model.task — causal-lm (a GPT base), masked-lm (an encoder
// base with its masked-LM head) or sequence-classification (either, with a classifier head loaded or freshly
// initialised) — with its data tokenized for the split, model.lora adapters or model.trainLastBlocks freezing
// applied, and the ModelIO that writes the trained weights back as Hugging Face files.
// Also here: the label check a classification run's data must pass before anything is written.
// Not here: where the data comes from and how it is split (run.ts), or the training loop (train.ts).

import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainConfig } from '@anneal/config';
import type { Runtime } from '@anneal/kernels/kernel';
import type { Example } from './data/clean.ts';
import { normalInit } from './init.ts';
import { EncoderClassifier } from './model/encoder-classifier.ts';
import { type GPTConfig, gptParamSpecs } from './model/gpt.ts';
import { GPTClassifier } from './model/gpt-classifier.ts';
import type { WeightLayout } from './model/linear.ts';
import { llamaParamSpecs } from './model/llama.ts';
import { LlamaClassifier, llamaClassifierSpecs } from './model/llama-classifier.ts';
import { LLAMA_MODEL_TYPES, llamaConfigToHF, loadLlamaCheckpoint } from './model/llama-pretrained.ts';
import { initLora, loraIO, withLora } from './model/lora.ts';
import {
  ENCODER_MODEL_TYPES,
  encoderArch,
  encoderToHF,
  gptConfigToHF,
  loadEncoderCheckpoint,
  loadGPT2Checkpoint,
} from './model/pretrained.ts';
import { freezeAllBut, type ParamSpec } from './params.ts';
import { ClassificationTask, type ModelIO } from './tasks/classification.ts';
import { LMTask, packWindows } from './tasks/lm.ts';
import { MASK_TOKEN, MLMTask } from './tasks/mlm.ts';
import { EOS_TOKEN, type Tokenizer } from './tokenizer.ts';
import type { Task } from './train.ts';

/** Example indices of the train / validation / test parts (run.ts splitRows). */
export type Split = { train: number[]; validation: number[]; test: number[] };

/** The task of `config.model.task` on `config.model.base`, its data the split's rows tokenized. */
export async function buildTask(
  rt: Runtime,
  config: TrainConfig,
  rows: Example[],
  split: Split,
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
  const arch = baseArch(config);
  if (config.model.task === 'causal-lm') {
    if (config.data.augment.kind !== 'none')
      throw new Error('data.augment: token deletion and masking apply to classification runs');
    if (arch === 'bert') throw new Error(`model.task: causal-lm needs a gpt2 or llama base; ${base} is bert`);
    const llama = arch === 'llama'; // null (no model_type): GPT-2, whose loader accepts that
    const { config: model, weights } = llama
      ? loadLlamaCheckpoint(base)
      : loadGPT2Checkpoint(base, gptParamSpecs);
    const layout: WeightLayout = llama ? 'out-in' : 'in-out';
    const specs =
      'hiddenSize' in model
        ? adapt(config, llamaParamSpecs(model), model.nLayer, LLAMA_BLOCK, layout)
        : adapt(config, gptParamSpecs(model), model.nLayer, GPT_BLOCK, layout);
    const T = Math.min(config.data.maxLength, 'hiddenSize' in model ? model.maxPositions : model.nPositions);
    // Documents are separated by <|endoftext|> when the tokenizer has it (Anneal's bases, GPT-2), else by the
    // base's own end-of-sequence token (config.json eos_token_id: Llama's </s>, Llama 3's <|end_of_text|>).
    const eos = eosId ?? baseEos(base) ?? needEos();
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
    if (lora) task.io = loraIO(task.io, specs, layout, weights, lora);
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
    arch === 'llama'
      ? llamaClassifier(rt, config, base, fresh)
      : arch === 'gpt2'
        ? gptClassifier(rt, config, base, fresh)
        : encoderClassifier(rt, config, base, fresh);
  const T = Math.min(config.data.maxLength, side.maxT);
  const augment = config.data.augment;
  // BERT-style tokenizers (a Hugging Face checkpoint's WordPiece) add [CLS] … [SEP] themselves and pad with
  // [PAD]; a RoBERTa-family checkpoint's byte-level BPE adds <s> … </s> and pads with <pad> (the same roles);
  // Anneal's byte-level BPE bases use <|endoftext|> as the leading token and the padding.
  const roberta = arch === 'bert' && encoderArch(baseModelType(base)) === 'roberta';
  const cls = tokenizer.tokenToIdOrNull('[CLS]') ?? (roberta ? tokenizer.tokenToIdOrNull('<s>') : null);
  const pad = tokenizer.tokenToIdOrNull('[PAD]') ?? (roberta ? tokenizer.tokenToIdOrNull('<pad>') : null);
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
  const task = new ClassificationTask(rt, side.net, side.io, K, { train, validation, test }, opts);
  const { keep, maxChunks } = config.data.truncation;
  if (keep === 'chunks' && train.length)
    log(
      `data: read whole: ${train.length} training texts → ${task.trainSize} windows of ${T} tokens (at most ${maxChunks} a text); a text's prediction pools its windows' logits`,
    );
  return task as Task<unknown>;
}

/**
 * The base's architecture: model.arch, which must agree with config.json's model_type, or that model_type
 * (llama, mistral and qwen2 are all the Llama family); null when neither says (the loaders then decide, as
 * before model.arch existed: GPT-2 for causal-lm, the encoder for classification).
 */
export function baseArch(config: TrainConfig): 'gpt2' | 'llama' | 'bert' | null {
  const path = join(config.model.base, 'config.json');
  let type: string | undefined;
  try {
    type = (JSON.parse(readFileSync(path, 'utf8')) as { model_type?: string }).model_type;
  } catch (e) {
    throw new Error(`model.base: ${path} is not readable JSON (${(e as Error).message})`);
  }
  const want = config.model.arch;
  if (type === undefined) return want ?? null;
  const found = LLAMA_MODEL_TYPES.includes(type)
    ? 'llama'
    : ENCODER_MODEL_TYPES.includes(type)
      ? 'bert'
      : type;
  if (!['gpt2', 'llama', 'bert'].includes(found))
    throw new Error(
      `model.base: ${path} has model_type ${type}; Anneal trains gpt2, llama (${LLAMA_MODEL_TYPES.join(', ')}) and bert (${ENCODER_MODEL_TYPES.join(', ')})`,
    );
  if (want && want !== found)
    throw new Error(
      `model.arch: ${want}, but ${config.model.base} is a ${found} model (config.json model_type ${type})`,
    );
  return found as 'gpt2' | 'llama' | 'bert';
}

/** config.json's model_type, if it has one. */
function baseModelType(base: string): string | undefined {
  return (JSON.parse(readFileSync(join(base, 'config.json'), 'utf8')) as { model_type?: string }).model_type;
}

/** config.json's eos_token_id (the first, when a list), or null. */
function baseEos(base: string): number | null {
  const hf = JSON.parse(readFileSync(join(base, 'config.json'), 'utf8')) as {
    eos_token_id?: number | number[];
  };
  const id = Array.isArray(hf.eos_token_id) ? hf.eos_token_id[0] : hf.eos_token_id;
  return Number.isInteger(id) ? (id as number) : null;
}

/** Every example of a classification run has a class index below model.numLabels, or an error says which not. */
export function checkLabels(rows: Example[], config: TrainConfig): void {
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

/** A classifier head's fresh weights, N(0, 0.02) from the run's seed (and a line saying so). */
type Fresh = (name: string, n: number) => Float32Array;

const LLAMA_BLOCK = (name: string) => {
  const m = /^model\.layers\.(\d+)\./.exec(name);
  return m ? Number(m[1]) : null;
};
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

/** LlamaForSequenceClassification from a Llama-family base (its LM head dropped, a `score` head fresh or loaded). */
function llamaClassifier(rt: Runtime, config: TrainConfig, base: string, fresh: Fresh) {
  const K = config.model.numLabels;
  if (config.model.pooling && config.model.pooling !== 'last')
    throw new Error(`model.pooling: a Llama classifies from the last token, not '${config.model.pooling}'`);
  // The base's LM head, if any, is read past (allowed, then dropped): the classifier has none.
  const {
    config: model,
    weights,
    extra,
  } = loadLlamaCheckpoint(base, {
    allow: ['score.weight', 'lm_head.weight'],
    headless: true,
  });
  const score = extra.get('score.weight');
  if (score && score.shape.join(',') !== `${K},${model.hiddenSize}`)
    throw new Error(`model.numLabels: ${K}, but ${base}'s score.weight is [${score.shape}]`);
  weights.set('score.weight', score?.data ?? fresh('score head', K * model.hiddenSize));
  const net = new LlamaClassifier(rt, model, K, (all) =>
    adapt(config, all, model.nLayer, LLAMA_BLOCK, 'out-in', /^(model\.norm|score)\./),
  );
  net.params.write(withAdapters(config, net.layout.specs, weights));
  const plain: ModelIO = {
    toHF: (w) => {
      const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
      for (const sp of llamaClassifierSpecs(model, K))
        tensors.set(sp.name, { shape: sp.shape, data: w.get(sp.name)! });
      const hf = llamaConfigToHF(model);
      const arch =
        hf.model_type === 'qwen2' ? 'Qwen2ForSequenceClassification' : 'LlamaForSequenceClassification';
      return { config: { ...hf, num_labels: K, architectures: [arch] }, tensors };
    },
    fromHF: (dir) => {
      const { weights: w, extra: e } = loadLlamaCheckpoint(dir, { allow: ['score.weight'], headless: true });
      const sc = e.get('score.weight');
      if (!sc) throw new Error(`${dir}: no score.weight (a Llama classifier's head)`);
      w.set('score.weight', sc.data);
      return w;
    },
  };
  const lora = config.model.lora;
  const io = lora ? loraIO(plain, net.layout.specs, 'out-in', weights, lora) : plain;
  return { net, io, maxT: model.maxPositions, prependCls: false };
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
  const net = new EncoderClassifier(rt, model, (all) =>
    adapt(config, all, model.nLayer, ENCODER_BLOCK, 'out-in'),
  );
  net.params.write(withAdapters(config, net.layout.specs, weights));
  const plain: ModelIO = {
    toHF: (w) => encoderToHF(model, w),
    fromHF: (dir) => loadEncoderCheckpoint(dir, { pooling, numLabels: K }).weights,
  };
  const lora = config.model.lora;
  const io = lora ? loraIO(plain, net.layout.specs, 'out-in', weights, lora) : plain;
  return { net, io, maxT: model.maxPositions, prependCls: true };
}

/** Whether a safetensors file holds a tensor (reads only its header, not the weights). */
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
