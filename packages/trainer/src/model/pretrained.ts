// Loading and saving Hugging Face-format GPT-2 checkpoints from a local directory: config.json +
// model.safetensors (+ tokenizer.json, handled by the tokenizer). Nothing is downloaded.
// Accepted tensor names: GPT2Model's (`h.0.attn.c_attn.weight`) and GPT2LMHeadModel's
// (`transformer.h.0…`); the attention-mask buffers old checkpoints carry (`attn.bias`, `attn.masked_bias`)
// and a tied `lm_head.weight` are skipped.

import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSafetensors, serializeSafetensors } from '../safetensors.ts';
import type { GPTConfig } from './gpt.ts';

const MODEL_FILES = ['config.json', 'model.safetensors', 'tokenizer.json'];

/** Throws unless `dir` is a model directory Anneal can read, naming `field` and what is missing. */
export function checkModelDir(dir: string, field: string): void {
  const what = `a model directory holds ${MODEL_FILES.join(', ')} (Hugging Face format; the weights may be shards listed by model.safetensors.index.json)`;
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new Error(`${field}: ${dir} is not a directory; ${what}`);
  const sharded = existsSync(join(dir, 'model.safetensors.index.json'));
  const missing = MODEL_FILES.filter(
    (f) => !existsSync(join(dir, f)) && !(sharded && f === 'model.safetensors'),
  );
  if (missing.length) throw new Error(`${field}: ${dir} has no ${missing.join(' or ')}; ${what}`);
}

export interface HFGPT2Config {
  model_type?: string;
  vocab_size: number;
  n_positions: number;
  n_embd: number;
  n_layer: number;
  n_head: number;
  layer_norm_epsilon?: number;
  activation_function?: string;
}

export function gptConfigFromHF(hf: HFGPT2Config, source = 'config.json'): GPTConfig {
  if (hf.model_type && hf.model_type !== 'gpt2')
    throw new Error(`${source}: model_type is ${hf.model_type}, expected gpt2`);
  for (const key of ['vocab_size', 'n_positions', 'n_embd', 'n_layer', 'n_head'] as const) {
    if (!Number.isInteger(hf[key]) || hf[key] <= 0)
      throw new Error(`${source}: ${key} must be a positive integer, got ${hf[key]}`);
  }
  if (hf.activation_function && !['gelu_new', 'gelu_pytorch_tanh'].includes(hf.activation_function)) {
    throw new Error(
      `${source}: activation_function ${hf.activation_function} is not supported (GPT-2 uses gelu_new)`,
    );
  }
  return {
    vocabSize: hf.vocab_size,
    nPositions: hf.n_positions,
    nEmbd: hf.n_embd,
    nLayer: hf.n_layer,
    nHead: hf.n_head,
    layerNormEps: hf.layer_norm_epsilon ?? 1e-5,
  };
}

export function gptConfigToHF(c: GPTConfig): HFGPT2Config {
  return {
    model_type: 'gpt2',
    vocab_size: c.vocabSize,
    n_positions: c.nPositions,
    n_embd: c.nEmbd,
    n_layer: c.nLayer,
    n_head: c.nHead,
    layer_norm_epsilon: c.layerNormEps,
    activation_function: 'gelu_new',
  };
}

const SKIPPED = /(^|\.)attn\.(bias|masked_bias)$|^lm_head\.weight$/;

/** Reads config and weights; checks every expected tensor is present with its shape and nothing is left over. */
export function loadGPT2Checkpoint(
  dir: string,
  expected: (config: GPTConfig) => { name: string; shape: number[] }[],
): { config: GPTConfig; weights: Map<string, Float32Array> } {
  const configPath = join(dir, 'config.json');
  const weightsPath = join(dir, 'model.safetensors');
  for (const p of [configPath, weightsPath])
    if (!existsSync(p)) throw new Error(`checkpoint ${dir}: missing ${p}`);
  const config = gptConfigFromHF(JSON.parse(readFileSync(configPath, 'utf8')) as HFGPT2Config, configPath);
  const { tensors } = readSafetensors(weightsPath);
  const byName = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [raw, t] of tensors) {
    const name = raw.replace(/^transformer\./, '');
    if (SKIPPED.test(name)) continue;
    byName.set(name, t);
  }
  const weights = new Map<string, Float32Array>();
  for (const spec of expected(config)) {
    const t = byName.get(spec.name);
    if (!t) throw new Error(`${weightsPath}: missing tensor ${spec.name} [${spec.shape}]`);
    if (t.shape.join(',') !== spec.shape.join(',')) {
      throw new Error(
        `${weightsPath}: tensor ${spec.name} has shape [${t.shape}], config.json implies [${spec.shape}]`,
      );
    }
    weights.set(spec.name, t.data);
    byName.delete(spec.name);
  }
  if (byName.size)
    throw new Error(`${weightsPath}: unexpected tensors ${[...byName.keys()].slice(0, 5).join(', ')}`);
  return { config, weights };
}

/** Writes config.json and model.safetensors atomically (temp file, then rename). */
export function saveGPT2Checkpoint(
  dir: string,
  config: GPTConfig,
  weights: Map<string, Float32Array>,
  shapes: Map<string, number[]>,
): void {
  mkdirSync(dir, { recursive: true });
  const write = (name: string, data: string | Uint8Array) => {
    const tmp = join(dir, `.${name}.tmp`);
    writeFileSync(tmp, data);
    renameSync(tmp, join(dir, name));
  };
  write(
    'model.safetensors',
    serializeSafetensors(
      [...weights].map(([n, d]) => [n, { shape: shapes.get(n)!, data: d }]),
      { format: 'pt' },
    ),
  );
  write('config.json', `${JSON.stringify(gptConfigToHF(config), null, 2)}\n`);
}

export interface HFBertConfig {
  model_type?: string;
  vocab_size: number;
  max_position_embeddings: number;
  hidden_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  intermediate_size: number;
  hidden_act?: string;
  layer_norm_eps?: number;
  num_labels?: number;
  id2label?: Record<string, string>;
}

/** A block's tensors other than Q/K/V, with their shapes: the same names in Hugging Face and in Anneal. */
function encoderLayerTensors(C: number, I: number): [string, number[]][] {
  return [
    ['attention.output.dense.weight', [C, C]],
    ['attention.output.dense.bias', [C]],
    ['attention.output.LayerNorm.weight', [C]],
    ['attention.output.LayerNorm.bias', [C]],
    ['intermediate.dense.weight', [I, C]],
    ['intermediate.dense.bias', [I]],
    ['output.dense.weight', [C, I]],
    ['output.dense.bias', [C]],
    ['output.LayerNorm.weight', [C]],
    ['output.LayerNorm.bias', [C]],
  ];
}

/** The encoder families whose Hugging Face checkpoints load into Anneal's encoder. */
export type EncoderArch = 'bert' | 'roberta' | 'distilbert';

const ROBERTA_TYPES = ['roberta', 'xlm-roberta', 'camembert'];

/** Every config.json model_type the encoder loads. */
export const ENCODER_MODEL_TYPES = ['bert', ...ROBERTA_TYPES, 'distilbert'];

/** The family of a config.json's model_type (BERT when absent: Anneal's own bases before model_type). */
export function encoderArch(modelType: string | undefined, source = 'config.json'): EncoderArch {
  if (modelType === undefined || modelType === 'bert') return 'bert';
  if (ROBERTA_TYPES.includes(modelType)) return 'roberta';
  if (modelType === 'distilbert') return 'distilbert';
  throw new Error(
    `${source}: model_type is ${modelType}; the encoder loads bert, ${ROBERTA_TYPES.join(', ')} or distilbert`,
  );
}

// A block's tensors by Anneal's (= BERT's) names, as each family spells them under its layer prefix.
const DISTILBERT_BLOCK: Record<string, string> = {
  'attention.self.query': 'attention.q_lin',
  'attention.self.key': 'attention.k_lin',
  'attention.self.value': 'attention.v_lin',
  'attention.output.dense': 'attention.out_lin',
  'attention.output.LayerNorm': 'sa_layer_norm',
  'intermediate.dense': 'ffn.lin1',
  'output.dense': 'ffn.lin2',
  'output.LayerNorm': 'output_layer_norm',
};
// The masked-LM head by BertForMaskedLM's names, as RobertaForMaskedLM / DistilBertForMaskedLM spell it (the
// decoder weight is tied to the word embeddings in all three).
const MLM_HEAD: Record<EncoderArch, Record<string, string>> = {
  bert: {},
  roberta: {
    'cls.predictions.transform.dense': 'lm_head.dense',
    'cls.predictions.transform.LayerNorm': 'lm_head.layer_norm',
    'cls.predictions.bias': 'lm_head.bias',
  },
  distilbert: {
    'cls.predictions.transform.dense': 'vocab_transform',
    'cls.predictions.transform.LayerNorm': 'vocab_layer_norm',
    'cls.predictions.bias': 'vocab_projector.bias',
  },
};
const TIED_DECODER: Record<EncoderArch, string[]> = {
  bert: ['cls.predictions.decoder.weight', 'cls.predictions.decoder.bias'],
  roberta: ['lm_head.decoder.weight', 'lm_head.decoder.bias'],
  distilbert: ['vocab_projector.weight'],
};

/**
 * The Hugging Face name of one of Anneal's encoder tensors (the unfused Q, K, V names too:
 * `encoder.layer.0.attention.self.query.weight`) in checkpoints of family `arch`, e.g. roberta
 * `roberta.encoder.layer.0.attention.self.query.weight`, distilbert `distilbert.transformer.layer.0.attention.q_lin.weight`.
 */
export function encoderHFName(arch: EncoderArch, name: string): string {
  if (name.startsWith('classifier.')) return name;
  if (name.startsWith('cls.')) {
    const direct = MLM_HEAD[arch][name];
    if (direct) return direct;
    const m = /^(.*)\.(weight|bias)$/.exec(name);
    const mapped = m && MLM_HEAD[arch][m[1]];
    return mapped ? `${mapped}.${m[2]}` : name;
  }
  if (arch === 'bert') return `bert.${name}`;
  if (arch === 'roberta') return `roberta.${name}`;
  const block = /^encoder\.layer\.(\d+)\.(.*)\.(weight|bias)$/.exec(name);
  if (block) {
    const piece = DISTILBERT_BLOCK[block[2]];
    if (!piece) throw new Error(`encoderHFName: ${name} has no DistilBERT counterpart`);
    return `distilbert.transformer.layer.${block[1]}.${piece}.${block[3]}`;
  }
  return `distilbert.${name}`;
}

/** Reads config.json's fields for the family into Anneal's encoder config, naming a bad field. */
function encoderConfigFromHF(
  arch: EncoderArch,
  hf: Record<string, unknown>,
  source: string,
  opts: { pooling: 'first' | 'mean'; numLabels?: number; head: 'classifier' | 'mlm' },
) {
  const int = (key: string) => {
    const v = hf[key];
    if (!Number.isInteger(v) || (v as number) <= 0)
      throw new Error(`${source}: ${key} must be a positive integer, got ${JSON.stringify(v)}`);
    return v as number;
  };
  const distil = arch === 'distilbert';
  const act = (hf[distil ? 'activation' : 'hidden_act'] as string | undefined) ?? 'gelu';
  if (!['gelu', 'gelu_new', 'gelu_pytorch_tanh'].includes(act)) {
    throw new Error(
      `${source}: ${distil ? 'activation' : 'hidden_act'} ${act} is not supported (gelu, gelu_new or gelu_pytorch_tanh)`,
    );
  }
  // RoBERTa numbers positions from padding_idx + 1 (rows 0..padding_idx are never read by a real token).
  const offset = arch === 'roberta' ? ((hf.pad_token_id as number | undefined) ?? 1) + 1 : 0;
  const rows = int('max_position_embeddings');
  if (rows <= offset)
    throw new Error(
      `${source}: max_position_embeddings ${rows} leaves no positions after the offset ${offset}`,
    );
  const id2label = hf.id2label as Record<string, string> | undefined;
  const config = {
    vocabSize: int('vocab_size'),
    maxPositions: rows - offset,
    nLayer: int(distil ? 'n_layers' : 'num_hidden_layers'),
    nHead: int(distil ? 'n_heads' : 'num_attention_heads'),
    hidden: int(distil ? 'dim' : 'hidden_size'),
    intermediate: int(distil ? 'hidden_dim' : 'intermediate_size'),
    layerNormEps: distil
      ? 1e-12
      : ((hf.layer_norm_eps as number | undefined) ?? (arch === 'roberta' ? 1e-5 : 1e-12)),
    numLabels:
      opts.numLabels ??
      (hf.num_labels as number | undefined) ??
      (id2label ? Object.keys(id2label).length : 2),
    pooling: opts.pooling,
    head: opts.head,
    hiddenAct: (act === 'gelu' ? 'gelu' : 'gelu_new') as 'gelu' | 'gelu_new',
  };
  if (config.hidden % config.nHead)
    throw new Error(`${source}: hidden size ${config.hidden} is not divisible by ${config.nHead} heads`);
  return { config, offset };
}

/**
 * Reads a Hugging Face encoder directory — BERT (`bert.*`), RoBERTa / XLM-R (`roberta.*`) or DistilBERT
 * (`distilbert.*`), base, masked-LM or Anneal-saved — into the encoder's layout: fuses query/key/value into
 * `attention.self.qkv`; folds token-type row 0 into the position embeddings (every token is type 0 in
 * segment-free use: exact; DistilBERT has none); drops RoBERTa's first padding_idx + 1 position rows, which
 * no token reads (its positions start at padding_idx + 1: for Anneal's right-padded batches, token t reads
 * row t + padding_idx + 1 in Hugging Face and row t here, so the model is unchanged); and skips the tanh pooler
 * (Anneal pools without it). A missing classifier (a base model) is reported in `missing` for the caller to
 * initialise. Sequence-classification checkpoints with a two-layer head (RoBERTa's classifier.dense /
 * out_proj, DistilBERT's pre_classifier) are refused by name: Anneal's head is one Linear.
 */
export function loadEncoderCheckpoint(
  dir: string,
  {
    pooling = 'first' as 'first' | 'mean',
    numLabels,
    head = 'classifier' as 'classifier' | 'mlm',
  }: { pooling?: 'first' | 'mean'; numLabels?: number; head?: 'classifier' | 'mlm' } = {},
): {
  config: import('./encoder.ts').EncoderConfig;
  weights: Map<string, Float32Array>;
  missing: string[];
  arch: EncoderArch;
} {
  const configPath = join(dir, 'config.json');
  const weightsPath = join(dir, 'model.safetensors');
  for (const p of [configPath, weightsPath])
    if (!existsSync(p)) throw new Error(`checkpoint ${dir}: missing ${p}`);
  const hf = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
  const arch = encoderArch(hf.model_type as string | undefined, configPath);
  const { config, offset } = encoderConfigFromHF(arch, hf, configPath, { pooling, numLabels, head });
  const raw = new Map<string, { shape: number[]; data: Float32Array }>();
  // A bare BertModel / RobertaModel / DistilBertModel saves its tensors without the family's prefix.
  const prefix = arch === 'distilbert' ? 'distilbert.' : `${arch}.`;
  for (const [n, t] of readSafetensors(weightsPath).tensors)
    raw.set(/^(embeddings|encoder|transformer|pooler)\./.test(n) ? `${prefix}${n}` : n, t);
  for (const bad of ['classifier.dense.weight', 'classifier.out_proj.weight', 'pre_classifier.weight']) {
    if (raw.has(bad))
      throw new Error(
        `${weightsPath}: ${bad} is a two-layer classification head; Anneal's classifier is one Linear on the ` +
          'pooled state: fine-tune from the base model (its checkpoint without the classifier tensors)',
      );
  }
  const hfName = (name: string) => encoderHFName(arch, name);
  const take = (name: string, shape: number[]) => {
    const key = hfName(name);
    const t = raw.get(key);
    if (!t) throw new Error(`${weightsPath}: missing tensor ${key} [${shape}]`);
    if (t.shape.join(',') !== shape.join(','))
      throw new Error(`${weightsPath}: tensor ${key} has shape [${t.shape}], config.json implies [${shape}]`);
    raw.delete(key);
    return t.data;
  };
  const C = config.hidden;
  const weights = new Map<string, Float32Array>();
  weights.set(
    'embeddings.word_embeddings.weight',
    take('embeddings.word_embeddings.weight', [config.vocabSize, C]),
  );
  const pos = take('embeddings.position_embeddings.weight', [config.maxPositions + offset, C]).slice(
    offset * C,
  );
  const typesKey = hfName('embeddings.token_type_embeddings.weight');
  const types = raw.get(typesKey);
  if (types) {
    if (types.shape.length !== 2 || types.shape[1] !== C)
      throw new Error(`${weightsPath}: tensor ${typesKey} has shape [${types.shape}], want [types, ${C}]`);
    for (let i = 0; i < pos.length; i++) pos[i] += types.data[i % C];
    raw.delete(typesKey);
  }
  weights.set('embeddings.position_embeddings.weight', pos);
  for (const n of ['embeddings.LayerNorm.weight', 'embeddings.LayerNorm.bias']) weights.set(n, take(n, [C]));
  for (let l = 0; l < config.nLayer; l++) {
    const p = `encoder.layer.${l}`;
    const qkvW = new Float32Array(3 * C * C);
    const qkvB = new Float32Array(3 * C);
    ['query', 'key', 'value'].forEach((n, i) => {
      qkvW.set(take(`${p}.attention.self.${n}.weight`, [C, C]), i * C * C);
      qkvB.set(take(`${p}.attention.self.${n}.bias`, [C]), i * C);
    });
    weights.set(`${p}.attention.self.qkv.weight`, qkvW);
    weights.set(`${p}.attention.self.qkv.bias`, qkvB);
    for (const [n, shape] of encoderLayerTensors(C, config.intermediate))
      weights.set(`${p}.${n}`, take(`${p}.${n}`, shape));
  }
  for (const n of [...raw.keys()]) if (/^(bert\.|roberta\.)?pooler\./.test(n)) raw.delete(n);
  const missing: string[] = [];
  const mlm = [
    ['cls.predictions.transform.dense.weight', [C, C]],
    ['cls.predictions.transform.dense.bias', [C]],
    ['cls.predictions.transform.LayerNorm.weight', [C]],
    ['cls.predictions.transform.LayerNorm.bias', [C]],
    ['cls.predictions.bias', [config.vocabSize]],
  ] as const;
  for (const n of TIED_DECODER[arch]) raw.delete(n);
  if (head === 'mlm') {
    for (const [n, shape] of mlm) {
      if (raw.has(hfName(n))) weights.set(n, take(n, [...shape]));
      else missing.push(n);
    }
  } else if (raw.has('classifier.weight')) {
    weights.set('classifier.weight', take('classifier.weight', [config.numLabels, C]));
    weights.set('classifier.bias', take('classifier.bias', [config.numLabels]));
  } else {
    missing.push('classifier.weight', 'classifier.bias');
  }
  // A pretraining head is not used by a classifier fine-tuned from the base.
  if (head !== 'mlm') for (const [n] of mlm) raw.delete(hfName(n));
  if (raw.size)
    throw new Error(`${weightsPath}: unexpected tensors ${[...raw.keys()].slice(0, 5).join(', ')}`);
  return { config, weights, missing, arch };
}

/** The encoder's weights in Hugging Face BertForSequenceClassification names (Q, K, V split again). */
export function encoderToHF(
  c: import('./encoder.ts').EncoderConfig,
  weights: Map<string, Float32Array>,
): {
  config: HFBertConfig & Record<string, unknown>;
  tensors: Map<string, { shape: number[]; data: Float32Array }>;
} {
  const C = c.hidden;
  const I = c.intermediate;
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  const put = (name: string, shape: number[], data: Float32Array) => tensors.set(name, { shape, data });
  const w = (n: string) => {
    const d = weights.get(n);
    if (!d) throw new Error(`encoder weights: missing ${n}`);
    return d;
  };
  put('bert.embeddings.word_embeddings.weight', [c.vocabSize, C], w('embeddings.word_embeddings.weight'));
  put(
    'bert.embeddings.position_embeddings.weight',
    [c.maxPositions, C],
    w('embeddings.position_embeddings.weight'),
  );
  // Token type 0 was folded into the positions on load: write zeros so the sum is unchanged.
  put('bert.embeddings.token_type_embeddings.weight', [2, C], new Float32Array(2 * C));
  put('bert.embeddings.LayerNorm.weight', [C], w('embeddings.LayerNorm.weight'));
  put('bert.embeddings.LayerNorm.bias', [C], w('embeddings.LayerNorm.bias'));
  for (let l = 0; l < c.nLayer; l++) {
    const p = `encoder.layer.${l}`;
    const qw = w(`${p}.attention.self.qkv.weight`);
    const qb = w(`${p}.attention.self.qkv.bias`);
    ['query', 'key', 'value'].forEach((n, i) => {
      put(`bert.${p}.attention.self.${n}.weight`, [C, C], qw.slice(i * C * C, (i + 1) * C * C));
      put(`bert.${p}.attention.self.${n}.bias`, [C], qb.slice(i * C, (i + 1) * C));
    });
    for (const [n, shape] of encoderLayerTensors(C, I)) put(`bert.${p}.${n}`, shape, w(`${p}.${n}`));
  }
  if (c.head === 'mlm') {
    for (const n of ['transform.dense.weight', 'transform.dense.bias'])
      put(`cls.predictions.${n}`, n.endsWith('weight') ? [C, C] : [C], w(`cls.predictions.${n}`));
    for (const n of ['transform.LayerNorm.weight', 'transform.LayerNorm.bias'])
      put(`cls.predictions.${n}`, [C], w(`cls.predictions.${n}`));
    put('cls.predictions.bias', [c.vocabSize], w('cls.predictions.bias'));
  } else {
    put('classifier.weight', [c.numLabels, C], w('classifier.weight'));
    put('classifier.bias', [c.numLabels], w('classifier.bias'));
  }
  return {
    config: {
      model_type: 'bert',
      architectures: [c.head === 'mlm' ? 'BertForMaskedLM' : 'BertForSequenceClassification'],
      vocab_size: c.vocabSize,
      max_position_embeddings: c.maxPositions,
      hidden_size: C,
      num_hidden_layers: c.nLayer,
      num_attention_heads: c.nHead,
      intermediate_size: I,
      hidden_act: c.hiddenAct ?? 'gelu_new',
      layer_norm_eps: c.layerNormEps,
      type_vocab_size: 2,
      num_labels: c.numLabels,
      anneal_pooling: c.pooling,
    },
    tensors,
  };
}

/** Writes the encoder as a Hugging Face directory: config.json and model.safetensors. */
export function saveEncoderCheckpoint(
  dir: string,
  c: import('./encoder.ts').EncoderConfig,
  weights: Map<string, Float32Array>,
): void {
  const hf = encoderToHF(c, weights);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.safetensors'), serializeSafetensors(hf.tensors, { format: 'pt' }));
  writeFileSync(join(dir, 'config.json'), `${JSON.stringify(hf.config, null, 2)}\n`);
}
