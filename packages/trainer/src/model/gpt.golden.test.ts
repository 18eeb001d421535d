// The whole-model golden test (llm.c's test_gpt2): a tiny GPT-2 built in PyTorch by
// fixtures/make_gpt2_fixture.py, loaded from its Hugging Face-format files, must reproduce PyTorch's logits,
// loss, every parameter gradient, and the loss trajectory of 10 AdamW steps with clipping.

import { fileURLToPath } from 'node:url';
import { openGpu } from '@anneal/kernels/device';
import { Runtime } from '@anneal/kernels/kernel';
import { expectClose } from '@anneal/kernels/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '../safetensors.ts';
import { adamwLosses } from './golden.ts';
import { GPT, gptParamSpecs } from './gpt.ts';
import { loadGPT2Checkpoint } from './pretrained.ts';

const DIR = fileURLToPath(new URL('../../fixtures/gpt2-tiny', import.meta.url));

describe('GPT-2 against PyTorch (golden fixture)', () => {
  let rt: Runtime;
  let model: GPT;
  const expected = readSafetensors(`${DIR}/expected.safetensors`).tensors;
  const get = (name: string) => expected.get(name)!.data;
  const [B, T] = expected.get('tokens')!.shape;
  const batch = {
    B,
    T,
    tokens: Uint32Array.from(get('tokens')),
    targets: Int32Array.from(get('targets')),
  };
  const { config, weights } = loadGPT2Checkpoint(DIR, gptParamSpecs);

  beforeAll(async () => {
    rt = new Runtime(await openGpu());
    model = new GPT(rt, config);
    model.params.write(weights);
  });
  afterAll(() => rt.destroy());

  it('matches logits, loss and every parameter gradient', async () => {
    rt.run('golden', (s) => {
      model.forward(s, batch);
      model.backward(s);
    });
    // Logits are O(1) after two f32 blocks and a 97-way head: 1e-5 relative, 2e-6 absolute near zero.
    expectClose('gpt2 logits', await model.readLogits(), get('logits'), { atol: 2e-6, rtol: 1e-5 });
    expectClose('gpt2 loss', [await model.readLoss()], get('loss'), { atol: 0, rtol: 1e-5 });
    const grads = await model.grads.readAll();
    for (const spec of model.layout.specs) {
      const want = get(`grad.${spec.name}`);
      // Gradients sum over B·T positions and pass back through up to two blocks in f32; each tensor is
      // compared relative to its own scale: 1e-4 of its largest magnitude, plus 1e-4 relative.
      const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expectClose(`gpt2 grad ${spec.name}`, grads.get(spec.name)!, want, { atol: 1e-4 * scale, rtol: 1e-4 });
    }
  });

  it('matches the loss trajectory of 10 AdamW steps with weight decay and clipping', async () => {
    const fresh = new GPT(rt, config);
    fresh.params.write(weights);
    const losses = await adamwLosses(rt, fresh, batch, { lr: 1e-2, weightDecay: 0.1 });
    // f32 against float64 over 10 updates of lr 1e-2: the trajectory agrees to 1e-4 (absolute, losses ~1–5).
    expectClose('gpt2 adamw trajectory', losses, get('adamw_losses'), { atol: 1e-4, rtol: 0 });
    expect(losses[9]).toBeLessThan(losses[0] / 2);
  });
});
