// LlamaForSequenceClassification against PyTorch (fixtures/make_llama_classifier_fixture.py): the tiny Llama
// of the LM golden test with a `score` head, a right-padded batch pooled at each last real token.

import { fileURLToPath } from 'node:url';
import { openGpu } from '@anneal/kernels/device';
import { Runtime } from '@anneal/kernels/kernel';
import { expectClose } from '@anneal/kernels/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '../safetensors.ts';
import { LlamaClassifier } from './llama-classifier.ts';
import { loadLlamaCheckpoint } from './llama-pretrained.ts';

const DIR = fileURLToPath(new URL('../../fixtures/llama-tiny', import.meta.url));

describe('Llama sequence classification against PyTorch', () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = new Runtime(await openGpu());
  });
  afterAll(() => rt.destroy());

  it('matches logits, loss and every gradient with right padding', async () => {
    const expected = readSafetensors(`${DIR}/classifier.safetensors`).tensors;
    const get = (n: string) => expected.get(n)!.data;
    const [B, T] = expected.get('tokens')!.shape;
    const K = expected.get('score.weight')!.shape[0];
    const { config, weights } = loadLlamaCheckpoint(DIR);
    weights.delete('lm_head.weight');
    const model = new LlamaClassifier(rt, config, K);
    expect(model.layout.specs.some((s) => s.name === 'lm_head.weight')).toBe(false);
    model.params.write(new Map([...weights, ['score.weight', get('score.weight')]]));
    rt.run('cls', (s) => {
      model.forward(s, {
        B,
        T,
        tokens: Uint32Array.from(get('tokens')),
        mask: Uint32Array.from(get('mask')),
        labels: Int32Array.from(get('labels')),
      });
      model.backward(s);
    });
    expectClose('llama cls logits', await model.readLogits(), get('logits'), { atol: 5e-6, rtol: 1e-5 });
    expectClose('llama cls loss', [await model.readLoss()], get('loss'), { atol: 0, rtol: 1e-5 });
    const grads = await model.grads.readAll();
    for (const spec of model.layout.specs) {
      const want = get(`grad.${spec.name}`);
      const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expectClose(`llama cls grad ${spec.name}`, grads.get(spec.name)!, want, {
        atol: 1e-4 * scale + 1e-8,
        rtol: 1e-4,
      });
    }
  });
});
