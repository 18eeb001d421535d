// Loading and saving Hugging Face-format GPT-2 checkpoints from a local directory: config.json +
// model.safetensors (+ tokenizer.json, handled by the tokenizer). Nothing is downloaded.
// Accepted tensor names: GPT2Model's (`h.0.attn.c_attn.weight`) and GPT2LMHeadModel's
// (`transformer.h.0…`); the attention-mask buffers old checkpoints carry (`attn.bias`, `attn.masked_bias`)
// and a tied `lm_head.weight` are skipped.

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSafetensors, serializeSafetensors } from '../safetensors.ts';
import type { GPTConfig } from './gpt.ts';

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
