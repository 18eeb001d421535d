// The Llama golden test: a tiny Llama (GQA 6/2 heads, llama3-scaled RoPE, SwiGLU, RMSNorm, q/k/v/o biases,
// untied head) built from scratch in PyTorch by fixtures/make_llama_fixture.py, loaded from its Hugging Face
// files, must reproduce PyTorch's logits, loss, every parameter gradient and 10 AdamW steps.

import { fileURLToPath } from 'node:url';
import { openGpu } from '@anneal/kernels/device';
import { Runtime } from '@anneal/kernels/kernel';
import { expectClose } from '@anneal/kernels/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '../safetensors.ts';
import { adamwLosses } from './golden.ts';
import { Llama } from './llama.ts';
import { loadLlamaCheckpoint } from './llama-pretrained.ts';

const DIR = fileURLToPath(new URL('../../fixtures/llama-tiny', import.meta.url));

describe('Llama against PyTorch (golden fixture)', () => {
  let rt: Runtime;
  const expected = readSafetensors(`${DIR}/expected.safetensors`).tensors;
  const get = (name: string) => expected.get(name)!.data;
  const [B, T] = expected.get('tokens')!.shape;
  const batch = { B, T, tokens: Uint32Array.from(get('tokens')), targets: Int32Array.from(get('targets')) };
  const { config, weights } = loadLlamaCheckpoint(DIR);

  beforeAll(async () => {
    rt = new Runtime(await openGpu());
  });
  afterAll(() => rt.destroy());

  it('reads the fixture config as GQA with llama3 rope scaling and biases', () => {
    expect(config).toMatchObject({ nHead: 6, nKvHead: 2, headDim: 8, qkvBias: true, oBias: true });
    expect(config.ropeScaling?.rope_type).toBe('llama3');
    expect(config.tieWordEmbeddings).toBe(false);
  });

  it('matches logits, loss and every parameter gradient', async () => {
    const model = new Llama(rt, config);
    model.params.write(weights);
    rt.run('golden', (s) => {
      model.forward(s, batch);
      model.backward(s);
    });
    expectClose('llama logits', await model.readLogits(), get('logits'), { atol: 5e-6, rtol: 1e-5 });
    expectClose('llama loss', [await model.readLoss()], get('loss'), { atol: 0, rtol: 1e-5 });
    const grads = await model.grads.readAll();
    for (const spec of model.layout.specs) {
      const want = get(`grad.${spec.name}`);
      const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expectClose(`llama grad ${spec.name}`, grads.get(spec.name)!, want, { atol: 1e-4 * scale, rtol: 1e-4 });
    }
  });

  it('matches the loss trajectory of 10 AdamW steps with weight decay and clipping', async () => {
    const model = new Llama(rt, config);
    model.params.write(weights);
    const losses = await adamwLosses(rt, model, batch, { lr: 1e-2, weightDecay: 0.1 });
    expectClose('llama adamw trajectory', losses, get('adamw_losses'), { atol: 1e-4, rtol: 1e-4 });
    expect(losses[9]).toBeLessThan(losses[0] / 2);
  });
});
