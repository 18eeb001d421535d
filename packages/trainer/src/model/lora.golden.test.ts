// Golden test of LoRA: the tiny GPT-2 of the GPT golden fixture with rank-2 adapters on every c_attn and
// c_proj layer (fixtures/make_gpt2_lora_fixture.py, plain PyTorch, PEFT's formulation) must reproduce
// PyTorch's logits, loss, every adapter gradient and 10 AdamW steps over the adapters alone; merging the
// adapters into the weights must give a plain GPT-2 with the same logits.

import { fileURLToPath } from 'node:url';
import { openGpu } from '@anneal/kernels/device';
import { Runtime } from '@anneal/kernels/kernel';
import { expectClose } from '@anneal/kernels/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '../safetensors.ts';
import { adamwLosses } from './golden.ts';
import { GPT, gptParamSpecs } from './gpt.ts';
import { mergeLora, withLora } from './lora.ts';
import { loadGPT2Checkpoint } from './pretrained.ts';

const BASE = fileURLToPath(new URL('../../fixtures/gpt2-tiny', import.meta.url));
const DIR = fileURLToPath(new URL('../../fixtures/gpt2-lora-tiny', import.meta.url));

describe('LoRA on GPT-2 against PyTorch (golden fixture)', () => {
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
  const { config, weights } = loadGPT2Checkpoint(BASE, gptParamSpecs);
  const specs = withLora(
    gptParamSpecs(config),
    { rank: 2, alpha: 8, targets: ['c_attn', 'c_proj'] },
    'in-out',
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
    const model = new GPT(rt, config, specs);
    model.params.write(weights);
    model.params.write(adapters);
    return model;
  };

  it('adds A and B to each targeted layer and freezes every base parameter', () => {
    const trainable = specs.filter((s) => !s.frozen).map((s) => s.name);
    expect(trainable).toEqual(
      [...adapters.keys()].sort(
        (a, b) => specs.findIndex((s) => s.name === a) - specs.findIndex((s) => s.name === b),
      ),
    );
    expect(specs.find((s) => s.name === 'h.0.attn.c_attn.lora_A.weight')?.shape).toEqual([2, config.nEmbd]);
    expect(specs.find((s) => s.name === 'h.0.attn.c_attn.lora_B.weight')?.shape).toEqual([
      3 * config.nEmbd,
      2,
    ]);
    expect(() =>
      withLora(gptParamSpecs(config), { rank: 2, alpha: 8, targets: ['q_proj'] }, 'in-out', /^$/),
    ).toThrow("model.lora.targets: 'q_proj' matches no dense layer of this model");
  });

  it('matches logits, loss and every adapter gradient', async () => {
    const model = build();
    rt.run('golden', (s) => {
      model.forward(s, batch);
      model.backward(s);
    });
    expectClose('lora logits', await model.readLogits(), get('logits'), { atol: 2e-6, rtol: 1e-5 });
    expectClose('lora loss', [await model.readLoss()], get('loss'), { atol: 0, rtol: 1e-5 });
    const grads = await model.grads.readAll();
    for (const name of adapters.keys()) {
      const want = get(`grad.${name}`);
      const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expectClose(`lora grad ${name}`, grads.get(name)!, want, { atol: 1e-4 * scale + 1e-7, rtol: 1e-4 });
    }
  });

  it('matches the loss trajectory of 10 AdamW steps over the adapters', async () => {
    const model = build();
    const losses = await adamwLosses(rt, model, batch, { lr: 1e-2, weightDecay: 0.01 });
    expectClose('lora adamw trajectory', losses, get('adamw_losses'), { atol: 1e-4, rtol: 1e-4 });
    // The base weights did not move.
    const after = await model.params.readAll();
    expect(after.get('h.0.attn.c_attn.weight')).toEqual(weights.get('h.0.attn.c_attn.weight'));
  });

  it('merges the adapters into plain GPT-2 weights with the same logits', async () => {
    const merged = mergeLora(new Map([...weights, ...adapters]), specs, 'in-out');
    expect([...merged.keys()].some((n) => n.includes('lora'))).toBe(false);
    const plain = new GPT(rt, config);
    plain.params.write(merged);
    rt.run('merged', (s) => plain.forward(s, batch));
    expectClose('merged logits', await plain.readLogits(), get('logits'), { atol: 5e-6, rtol: 1e-5 });
  });
});
