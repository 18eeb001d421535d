// Loading Hugging Face Llama-family directories: sharded bf16 safetensors with an index file load to the f32
// model's logits within bf16's precision; a missing shard, a missing tensor, a shape that disagrees with
// config.json, a shard name that leaves the directory and an unsupported config are errors naming the part.

import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openGpu } from '@anneal/kernels/device';
import { Runtime } from '@anneal/kernels/kernel';
import { expectClose } from '@anneal/kernels/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { f32ToBf16, readSafetensors, serializeSafetensors } from '../safetensors.ts';
import { Llama, llamaParamSpecs } from './llama.ts';
import { llamaConfigFromHF, loadLlamaCheckpoint, saveLlamaCheckpoint } from './llama-pretrained.ts';

const FIXTURE = fileURLToPath(new URL('../../fixtures/llama-tiny', import.meta.url));

/** The fixture's tensors split over two shards in `dtype`, with model.safetensors.index.json. */
function writeSharded(
  dir: string,
  dtype: 'BF16' | 'F16' | 'F32' = 'BF16',
  mutate?: (names: string[]) => void,
) {
  const { tensors } = readSafetensors(join(FIXTURE, 'model.safetensors'));
  const names = [...tensors.keys()];
  mutate?.(names);
  const half = Math.ceil(names.length / 2);
  const shards = [names.slice(0, half), names.slice(half)];
  const map: Record<string, string> = {};
  shards.forEach((list, i) => {
    const file = `model-0000${i + 1}-of-00002.safetensors`;
    for (const n of list) map[n] = file;
    const entries = list.map(
      (n) => [n, tensors.get(n)!] as [string, { shape: number[]; data: Float32Array }],
    );
    writeFileSync(join(dir, file), serializeSafetensors(entries, { format: 'pt' }, dtype));
  });
  writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: map }));
  copyFileSync(join(FIXTURE, 'config.json'), join(dir, 'config.json'));
  return { map, tensors };
}

const bf16 = (v: number) => new Float32Array(new Uint32Array([f32ToBf16(v) << 16]).buffer)[0];

describe('Llama checkpoints from Hugging Face directories', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'anneal-llama-'));
    dirs.push(d);
    return d;
  };
  let rt: Runtime;
  beforeAll(async () => {
    rt = new Runtime(await openGpu());
  });
  afterAll(() => {
    rt.destroy();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('loads 2 bf16 shards through the index: bf16-rounded weights, logits within bf16 tolerance', async () => {
    const dir = tmp();
    const { tensors } = writeSharded(dir);
    const { config, weights } = loadLlamaCheckpoint(dir);
    for (const spec of llamaParamSpecs(config)) {
      const want = Float32Array.from(tensors.get(spec.name)!.data, bf16);
      expect(weights.get(spec.name), spec.name).toEqual(want);
    }
    const f32 = loadLlamaCheckpoint(FIXTURE);
    const expected = readSafetensors(join(FIXTURE, 'expected.safetensors')).tensors;
    const [B, T] = expected.get('tokens')!.shape;
    const batch = { B, T, tokens: Uint32Array.from(expected.get('tokens')!.data), targets: null };
    const logits = async (w: Map<string, Float32Array>) => {
      const m = new Llama(rt, config);
      m.params.write(w);
      rt.run('logits', (s) => m.forward(s, batch));
      return m.readLogits();
    };
    const full = await logits(f32.weights);
    const half = await logits(weights);
    // bf16 keeps 8 significant bits (relative rounding ≤ 2^-9 ≈ 0.2%) on every weight; through two blocks the
    // logits (|x| ≤ 4) move by well under 0.1 but they do move.
    expectClose('bf16 logits vs f32', half, full, { atol: 0.1, rtol: 0.02 });
    expect(half).not.toEqual(full);
  });

  it('reads f16 shards', () => {
    const dir = tmp();
    writeSharded(dir, 'F16');
    const { weights } = loadLlamaCheckpoint(dir);
    const f32 = loadLlamaCheckpoint(FIXTURE).weights;
    const w = weights.get('model.layers.0.self_attn.q_proj.weight')!;
    const want = f32.get('model.layers.0.self_attn.q_proj.weight')!;
    expectClose('f16 q_proj', w, want, { atol: 1e-4, rtol: 1e-3 });
  });

  it('names the missing shard', () => {
    const dir = tmp();
    writeSharded(dir);
    rmSync(join(dir, 'model-00002-of-00002.safetensors'));
    expect(() => loadLlamaCheckpoint(dir)).toThrow(
      /shard model-00002-of-00002\.safetensors \(holding [\w.]+\) is missing/,
    );
  });

  it('names a tensor the index lists but its shard lacks, and one no file has', () => {
    const dir = tmp();
    const { map } = writeSharded(dir, 'BF16', (names) => names.splice(names.indexOf('model.norm.weight'), 1));
    const index = join(dir, 'model.safetensors.index.json');
    writeFileSync(
      index,
      JSON.stringify({ weight_map: { ...map, 'model.norm.weight': 'model-00001-of-00002.safetensors' } }),
    );
    expect(() => loadLlamaCheckpoint(dir)).toThrow(
      /model-00001-of-00002\.safetensors: tensor model\.norm\.weight is missing/,
    );
    writeFileSync(index, JSON.stringify({ weight_map: map }));
    expect(() => loadLlamaCheckpoint(dir)).toThrow(/missing tensor model\.norm\.weight \[48\]/);
  });

  it('names a tensor whose shape disagrees with config.json', () => {
    const dir = tmp();
    writeSharded(dir);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, num_key_value_heads: 3 }));
    expect(() => loadLlamaCheckpoint(dir)).toThrow(
      /tensor model\.layers\.0\.self_attn\.k_proj\.weight has shape \[16,48\], config\.json implies \[24,48\]/,
    );
  });

  it('refuses a shard path outside the directory', () => {
    const dir = tmp();
    writeSharded(dir);
    for (const bad of ['../model.safetensors', '/etc/passwd', '.hidden.safetensors']) {
      writeFileSync(
        join(dir, 'model.safetensors.index.json'),
        JSON.stringify({ weight_map: { 'model.norm.weight': bad } }),
      );
      expect(() => loadLlamaCheckpoint(dir), bad).toThrow(
        /weight_map\.model\.norm\.weight names .*not a shard file/,
      );
    }
  });

  it('reads Llama, Mistral and Qwen2 config fields and rejects unsupported ones by name', () => {
    const base = {
      vocab_size: 32000,
      hidden_size: 2048,
      intermediate_size: 5632,
      num_hidden_layers: 22,
      num_attention_heads: 32,
      num_key_value_heads: 4,
      max_position_embeddings: 2048,
      rms_norm_eps: 1e-5,
    };
    // TinyLlama-1.1B's shape
    expect(llamaConfigFromHF({ ...base, model_type: 'llama' })).toMatchObject({
      headDim: 64,
      nKvHead: 4,
      ropeTheta: 10000,
      qkvBias: false,
      oBias: false,
      tieWordEmbeddings: false,
    });
    expect(llamaConfigFromHF({ ...base, model_type: 'qwen2', tie_word_embeddings: true })).toMatchObject({
      qkvBias: true,
      oBias: false,
      tieWordEmbeddings: true,
    });
    expect(llamaConfigFromHF({ ...base, model_type: 'mistral', sliding_window: 1024 }).maxPositions).toBe(
      1024,
    );
    expect(() => llamaConfigFromHF({ ...base, num_key_value_heads: 5 })).toThrow(
      /num_key_value_heads \(5\) must divide num_attention_heads \(32\)/,
    );
    expect(() => llamaConfigFromHF({ ...base, hidden_act: 'gelu' })).toThrow(
      /hidden_act gelu is not supported/,
    );
    expect(() => llamaConfigFromHF({ ...base, rope_scaling: { rope_type: 'yarn', factor: 4 } })).toThrow(
      /rope_scaling\.rope_type: 'yarn' is not supported/,
    );
    expect(() => llamaConfigFromHF({ ...base, model_type: 'gpt2' })).toThrow(/model_type is gpt2/);
  });

  it('saves a checkpoint that loads back to the same config and weights', () => {
    const { config, weights } = loadLlamaCheckpoint(FIXTURE);
    const dir = tmp();
    saveLlamaCheckpoint(dir, config, weights);
    const back = loadLlamaCheckpoint(dir);
    expect(back.config).toEqual(config);
    for (const [n, w] of weights) expect(back.weights.get(n), n).toEqual(w);
  });
});
