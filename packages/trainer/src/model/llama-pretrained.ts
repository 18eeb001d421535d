// Loading and saving Hugging Face Llama-family directories (Llama 2/3, Mistral, Qwen2, SmolLM, TinyLlama):
// config.json, model.safetensors or shards listed by model.safetensors.index.json, in F32, F16 or BF16
// (converted to f32). Nothing is downloaded. Tensor names are LlamaForCausalLM's; a tied checkpoint may carry
// an `lm_head.weight` copy, which is skipped, and the rotary `inv_freq` buffers old checkpoints saved are
// ignored (they are recomputed from rope_theta / rope_scaling).

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RopeScaling } from '@anneal/kernels/ops/rope/rope';
import { readSafetensorsDir, serializeSafetensors } from '../safetensors.ts';
import { checkLlamaConfig, type LlamaConfig, llamaParamSpecs } from './llama.ts';

/** The config.json fields Anneal reads (LlamaConfig, MistralConfig, Qwen2Config share them). */
export interface HFLlamaConfig {
  model_type?: string;
  architectures?: string[];
  vocab_size: number;
  hidden_size: number;
  intermediate_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  num_key_value_heads?: number;
  head_dim?: number;
  max_position_embeddings: number;
  rms_norm_eps?: number;
  rope_theta?: number;
  rope_scaling?: RopeScaling | null;
  tie_word_embeddings?: boolean;
  attention_bias?: boolean;
  mlp_bias?: boolean;
  hidden_act?: string;
  sliding_window?: number | null;
  use_sliding_window?: boolean;
  [key: string]: unknown;
}

export const LLAMA_MODEL_TYPES = ['llama', 'mistral', 'qwen2'];

export function llamaConfigFromHF(hf: HFLlamaConfig, source = 'config.json'): LlamaConfig {
  const type = hf.model_type ?? 'llama';
  if (!LLAMA_MODEL_TYPES.includes(type))
    throw new Error(`${source}: model_type is ${type}; Anneal's Llama reads ${LLAMA_MODEL_TYPES.join(', ')}`);
  for (const key of [
    'vocab_size',
    'hidden_size',
    'intermediate_size',
    'num_hidden_layers',
    'num_attention_heads',
    'max_position_embeddings',
  ] as const) {
    if (!Number.isInteger(hf[key]) || hf[key] <= 0)
      throw new Error(`${source}: ${key} must be a positive integer, got ${JSON.stringify(hf[key])}`);
  }
  const act = hf.hidden_act ?? 'silu';
  if (act !== 'silu')
    throw new Error(`${source}: hidden_act ${act} is not supported (Llama's MLP uses silu)`);
  if (hf.mlp_bias) throw new Error(`${source}: mlp_bias is not supported`);
  // Mistral's sliding window only matters past its length; longer sequences than the window are refused.
  const window = hf.use_sliding_window === false ? null : (hf.sliding_window ?? null);
  const maxPositions = window ? Math.min(window, hf.max_position_embeddings) : hf.max_position_embeddings;
  const nHead = hf.num_attention_heads;
  const headDim = hf.head_dim ?? hf.hidden_size / nHead;
  const qwen = type === 'qwen2';
  const config: LlamaConfig = {
    vocabSize: hf.vocab_size,
    hiddenSize: hf.hidden_size,
    intermediateSize: hf.intermediate_size,
    nLayer: hf.num_hidden_layers,
    nHead,
    nKvHead: hf.num_key_value_heads ?? nHead,
    headDim,
    maxPositions,
    rmsNormEps: hf.rms_norm_eps ?? 1e-6,
    ropeTheta: hf.rope_theta ?? 10000,
    ropeScaling: hf.rope_scaling ?? null,
    tieWordEmbeddings: hf.tie_word_embeddings ?? false,
    qkvBias: qwen || (hf.attention_bias ?? false),
    oBias: !qwen && (hf.attention_bias ?? false),
    ...(typeof hf.bos_token_id === 'number' ? { bosTokenId: hf.bos_token_id } : {}),
    ...(typeof hf.eos_token_id === 'number' || Array.isArray(hf.eos_token_id)
      ? { eosTokenId: hf.eos_token_id as number | number[] }
      : {}),
  };
  const field: Record<string, string> = {
    nKvHead: 'num_key_value_heads',
    headDim: 'head_dim',
    rmsNormEps: 'rms_norm_eps',
  };
  try {
    checkLlamaConfig(config, source);
  } catch (e) {
    let msg = (e as Error).message;
    for (const [k, v] of Object.entries(field)) msg = msg.replace(` ${k} `, ` ${v} `);
    throw new Error(msg);
  }
  return config;
}

export function llamaConfigToHF(c: LlamaConfig): HFLlamaConfig {
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    vocab_size: c.vocabSize,
    hidden_size: c.hiddenSize,
    intermediate_size: c.intermediateSize,
    num_hidden_layers: c.nLayer,
    num_attention_heads: c.nHead,
    num_key_value_heads: c.nKvHead,
    head_dim: c.headDim,
    max_position_embeddings: c.maxPositions,
    rms_norm_eps: c.rmsNormEps,
    rope_theta: c.ropeTheta,
    rope_scaling: c.ropeScaling,
    tie_word_embeddings: c.tieWordEmbeddings,
    // Llama's attention_bias covers q/k/v/o; a q/k/v-only model (Qwen2) is written as qwen2.
    attention_bias: c.oBias,
    ...(c.qkvBias && !c.oBias ? { model_type: 'qwen2', architectures: ['Qwen2ForCausalLM'] } : {}),
    mlp_bias: false,
    hidden_act: 'silu',
    torch_dtype: 'float32',
    ...(c.bosTokenId !== undefined ? { bos_token_id: c.bosTokenId } : {}),
    ...(c.eosTokenId !== undefined ? { eos_token_id: c.eosTokenId } : {}),
  };
}

const SKIPPED = /\.rotary_emb\.inv_freq$/;

/**
 * Reads a Llama-family directory: its config and every tensor llamaParamSpecs expects, by name and shape
 * (f32). A missing tensor, a shape that disagrees with config.json, or a tensor left over is an error naming
 * the tensor. `allow` names extra tensors to hand back in `extra` (a classifier's `score.weight`);
 * `headless` reads a directory without an LM head (a sequence classifier's).
 */
export function loadLlamaCheckpoint(
  dir: string,
  { allow = [] as string[], headless = false } = {},
): {
  config: LlamaConfig;
  weights: Map<string, Float32Array>;
  extra: Map<string, { shape: number[]; data: Float32Array }>;
} {
  const configPath = join(dir, 'config.json');
  if (!existsSync(configPath)) throw new Error(`checkpoint ${dir}: missing ${configPath}`);
  let hf: HFLlamaConfig;
  try {
    hf = JSON.parse(readFileSync(configPath, 'utf8')) as HFLlamaConfig;
  } catch (e) {
    throw new Error(`${configPath}: not valid JSON (${(e as Error).message})`);
  }
  const config = llamaConfigFromHF(hf, configPath);
  const { tensors } = readSafetensorsDir(dir);
  const byName = new Map([...tensors].filter(([n]) => !SKIPPED.test(n)));
  if (config.tieWordEmbeddings) byName.delete('lm_head.weight');
  const weights = new Map<string, Float32Array>();
  const extra = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const name of allow) {
    const t = byName.get(name);
    if (t) extra.set(name, t);
    byName.delete(name);
  }
  // A checkpoint without an LM head (a classifier's) gets none.
  const specs = llamaParamSpecs(config).filter((s) => !(headless && s.name === 'lm_head.weight'));
  for (const spec of specs) {
    const t = byName.get(spec.name);
    if (!t) throw new Error(`checkpoint ${dir}: missing tensor ${spec.name} [${spec.shape}]`);
    if (t.shape.join(',') !== spec.shape.join(','))
      throw new Error(
        `checkpoint ${dir}: tensor ${spec.name} has shape [${t.shape}], config.json implies [${spec.shape}]`,
      );
    weights.set(spec.name, t.data);
    byName.delete(spec.name);
  }
  if (byName.size)
    throw new Error(`checkpoint ${dir}: unexpected tensors ${[...byName.keys()].slice(0, 5).join(', ')}`);
  return { config, weights, extra };
}

/** The model as HF files: config.json contents and tensors in LlamaForCausalLM's names. */
export function llamaToHF(c: LlamaConfig, weights: Map<string, Float32Array>) {
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const spec of llamaParamSpecs(c)) {
    const data = weights.get(spec.name);
    if (!data) throw new Error(`llama weights: missing ${spec.name}`);
    tensors.set(spec.name, { shape: spec.shape, data });
  }
  return { config: llamaConfigToHF(c), tensors };
}

/** Writes config.json and model.safetensors atomically (temp file, then rename). */
export function saveLlamaCheckpoint(dir: string, c: LlamaConfig, weights: Map<string, Float32Array>): void {
  const hf = llamaToHF(c, weights);
  mkdirSync(dir, { recursive: true });
  const write = (name: string, data: string | Uint8Array) => {
    const tmp = join(dir, `.${name}.tmp`);
    writeFileSync(tmp, data);
    renameSync(tmp, join(dir, name));
  };
  write('model.safetensors', serializeSafetensors(hf.tensors, { format: 'pt' }));
  write('config.json', `${JSON.stringify(hf.config, null, 2)}\n`);
}
