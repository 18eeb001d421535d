// GPT2ForSequenceClassification against PyTorch (fixtures/make_gpt2_classifier_fixture.py): the tiny GPT-2
// of the LM golden test with a `score` head, a right-padded batch pooled at each last real token.

import { fileURLToPath } from 'node:url';
import { openGpu } from '@anneal/kernels/device';
import { Runtime } from '@anneal/kernels/kernel';
import { expectClose } from '@anneal/kernels/testing';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { readSafetensors } from '../safetensors.ts';
import { gptParamSpecs } from './gpt.ts';
import { GPTClassifier } from './gpt-classifier.ts';
import { loadGPT2Checkpoint } from './pretrained.ts';

const DIR = fileURLToPath(new URL('../../fixtures/gpt2-tiny', import.meta.url));

describe('GPT-2 sequence classification against PyTorch', () => {
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
    const { config, weights } = loadGPT2Checkpoint(DIR, gptParamSpecs);
    const model = new GPTClassifier(rt, config, K);
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
    // Tolerances as in the LM golden test (same trunk, f32 against float64).
    expectClose('gpt2 cls logits', await model.readLogits(), get('logits'), { atol: 2e-6, rtol: 1e-5 });
    expectClose('gpt2 cls loss', [await model.readLoss()], get('loss'), { atol: 0, rtol: 1e-5 });
    const grads = await model.grads.readAll();
    for (const spec of model.layout.specs) {
      const want = get(`grad.${spec.name}`);
      const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expectClose(`gpt2 cls grad ${spec.name}`, grads.get(spec.name)!, want, {
        atol: 1e-4 * scale + 1e-8,
        rtol: 1e-4,
      });
    }
  });
});
