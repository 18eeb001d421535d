// Golden test of LoRA on Llama: the tiny Llama of the Llama golden fixture with rank-2 adapters on every
// q/k/v/o and gate/up/down projection (fixtures/make_llama_lora_fixture.py, plain PyTorch, PEFT's
// formulation) must reproduce PyTorch's logits, loss, every adapter gradient and 10 AdamW steps over the
// adapters alone; merging the adapters must give a plain Llama with the same logits.

import { fileURLToPath } from 'node:url';
import { openGpu } from '@anneal/kernels/device';
import { Runtime } from '@anneal/kernels/kernel';
import { expectClose } from '@anneal/kernels/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '../safetensors.ts';
import { adamwLosses } from './golden.ts';
import { LLAMA_LORA_TARGETS, Llama, llamaParamSpecs } from './llama.ts';
import { loadLlamaCheckpoint } from './llama-pretrained.ts';
import { mergeLora, withLora } from './lora.ts';

const BASE = fileURLToPath(new URL('../../fixtures/llama-tiny', import.meta.url));
const DIR = fileURLToPath(new URL('../../fixtures/llama-lora-tiny', import.meta.url));

describe('LoRA on Llama against PyTorch (golden fixture)', () => {
  const base = readSafetensors(`${BASE}/expected.safetensors`).tensors;
  const expected = readSafetensors(`${DIR}/expected.safetensors`).tensors;
  const get = (name: string) => expected.get(name)!.data;
  const [B, T] = base.get('tokens')!.shape;
  const batch = {
    B,
    T,
    tokens: Uint32Array.from(base.get('tokens')!.data),
    targets: Int32Array.from(base.get('targets')!.data),
  };
  const { config, weights } = loadLlamaCheckpoint(BASE);
  const specs = withLora(
    llamaParamSpecs(config),
    { rank: 2, alpha: 8, targets: LLAMA_LORA_TARGETS },
    'out-in',
    /^$/,
  );
  const adapters = new Map(
    [...readSafetensors(`${DIR}/adapters.safetensors`).tensors].map(([n, t]) => [n, t.data]),
  );
  let rt: Runtime;
  beforeAll(async () => {
    rt = new Runtime(await openGpu());
  });
  afterAll(() => rt.destroy());
  const build = () => {
    const model = new Llama(rt, config, specs);
    model.params.write(weights);
    model.params.write(adapters);
    return model;
  };

  it('adds A (r, in) and B (out, r) to all seven projections of every layer and freezes the base', () => {
    const trainable = specs.filter((s) => !s.frozen).map((s) => s.name);
    expect(new Set(trainable)).toEqual(new Set(adapters.keys()));
    expect(trainable).toHaveLength(2 * 7 * config.nLayer);
    const KVD = config.nKvHead * config.headDim;
    expect(specs.find((s) => s.name === 'model.layers.0.self_attn.k_proj.lora_A.weight')?.shape).toEqual([
      2,
      config.hiddenSize,
    ]);
    expect(specs.find((s) => s.name === 'model.layers.0.self_attn.k_proj.lora_B.weight')?.shape).toEqual([
      KVD,
      2,
    ]);
    expect(specs.find((s) => s.name === 'model.layers.1.mlp.down_proj.lora_A.weight')?.shape).toEqual([
      2,
      config.intermediateSize,
    ]);
  });

  it('matches logits, loss and every adapter gradient', async () => {
    const model = build();
    rt.run('golden', (s) => {
      model.forward(s, batch);
      model.backward(s);
    });
    // Logits up to ~3.8 after 14 adapted projections in f32 (each adds a rank-2 product): 1e-5 absolute is
    // 3e-6 of their scale.
    expectClose('llama lora logits', await model.readLogits(), get('logits'), { atol: 1e-5, rtol: 1e-5 });
    expectClose('llama lora loss', [await model.readLoss()], get('loss'), { atol: 0, rtol: 1e-5 });
    const grads = await model.grads.readAll();
    for (const name of adapters.keys()) {
      const want = get(`grad.${name}`);
      const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expectClose(`llama lora grad ${name}`, grads.get(name)!, want, {
        atol: 1e-4 * scale + 1e-7,
        rtol: 1e-4,
      });
    }
  });

  it('matches the loss trajectory of 10 AdamW steps over the adapters, the base unchanged', async () => {
    const model = build();
    const losses = await adamwLosses(rt, model, batch, { lr: 1e-2, weightDecay: 0.01 });
    expectClose('llama lora adamw trajectory', losses, get('adamw_losses'), { atol: 1e-4, rtol: 1e-4 });
    const after = await model.params.readAll();
    expect(after.get('model.layers.0.self_attn.q_proj.weight')).toEqual(
      weights.get('model.layers.0.self_attn.q_proj.weight'),
    );
  });

  it('merges the adapters into plain Llama weights with the same logits', async () => {
    const merged = mergeLora(new Map([...weights, ...adapters]), specs, 'out-in');
    expect([...merged.keys()].some((n) => n.includes('lora'))).toBe(false);
    const plain = new Llama(rt, config);
    plain.params.write(merged);
    rt.run('merged', (s) => plain.forward(s, batch));
    expectClose('merged logits', await plain.readLogits(), get('logits'), { atol: 2e-5, rtol: 1e-5 });
  });
});
