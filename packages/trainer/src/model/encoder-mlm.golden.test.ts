// Golden test of the encoder's masked-LM head: the tiny encoder of fixtures/make_encoder_mlm_fixture.py with
// Hugging Face BertForMaskedLM's head (decoder tied to the word embeddings) must reproduce PyTorch's logits,
// the loss over the masked positions, every gradient (the word embeddings' gets both the input and the tied
// decoder contributions) and a 10-step AdamW loss trajectory with clipping.

import { fileURLToPath } from 'node:url';
import { openGpu } from '@anneal/kernels/device';
import { Runtime } from '@anneal/kernels/kernel';
import { expectClose } from '@anneal/kernels/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '../safetensors.ts';
import { EncoderMLM } from './encoder-mlm.ts';
import { adamwLosses } from './golden.ts';
import { encoderToHF, loadEncoderCheckpoint } from './pretrained.ts';

const DIR = fileURLToPath(new URL('../../fixtures/encoder-mlm-tiny', import.meta.url));

describe('encoder + masked-LM head against PyTorch (golden fixture)', () => {
  const expected = readSafetensors(`${DIR}/expected.safetensors`).tensors;
  const get = (name: string) => expected.get(name)!.data;
  const [B, T] = expected.get('tokens')!.shape;
  const batch = {
    B,
    T,
    tokens: Uint32Array.from(get('tokens')),
    mask: Uint32Array.from(get('mask')),
    labels: null,
    targets: Int32Array.from(get('targets')),
  };
  let rt: Runtime;
  beforeAll(async () => {
    rt = new Runtime(await openGpu());
  });
  afterAll(() => rt.destroy());

  const load = () => {
    const { config, weights, missing } = loadEncoderCheckpoint(DIR, { head: 'mlm' });
    expect(missing).toEqual([]);
    const model = new EncoderMLM(rt, config);
    model.params.write(weights);
    return { config, model };
  };

  it('matches logits, masked loss and every parameter gradient', async () => {
    const { model } = load();
    rt.run('golden', (s) => {
      model.forward(s, batch);
      model.backward(s);
    });
    const logits = await model.readLogits();
    expectClose('mlm logits', logits, get('logits'), { atol: 2e-6, rtol: 1e-5 });
    expectClose('mlm loss', [await model.readLoss()], get('loss'), { atol: 0, rtol: 1e-5 });
    const grads = await model.grads.readAll();
    for (const spec of model.layout.specs) {
      const hf = (name: string) => get(`grad.${name.startsWith('cls.') ? '' : 'bert.'}${name}`);
      const want = spec.name.includes('self.qkv')
        ? Float32Array.from(['query', 'key', 'value'].flatMap((n) => [...hf(spec.name.replace('qkv', n))]))
        : hf(spec.name);
      const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expectClose(`mlm grad ${spec.name}`, grads.get(spec.name)!, want, {
        atol: 1e-4 * scale + 1e-7,
        rtol: 1e-4,
      });
    }
  });

  it('matches the loss trajectory of 10 AdamW steps', async () => {
    const { model } = load();
    const losses = await adamwLosses(rt, model, batch, { lr: 5e-3, weightDecay: 0.01 });
    expectClose('mlm adamw trajectory', losses, get('adamw_losses'), { atol: 1e-4, rtol: 1e-3 });
  });

  it('round-trips through Hugging Face BertForMaskedLM names', async () => {
    const { config, model } = load();
    const hf = encoderToHF(config, await model.params.readAll());
    expect(hf.config.architectures).toEqual(['BertForMaskedLM']);
    expect([...hf.tensors.keys()].filter((n) => n.startsWith('cls.'))).toEqual([
      'cls.predictions.transform.dense.weight',
      'cls.predictions.transform.dense.bias',
      'cls.predictions.transform.LayerNorm.weight',
      'cls.predictions.transform.LayerNorm.bias',
      'cls.predictions.bias',
    ]);
  });
});
