// Golden test of the encoder with a classification head: a tiny BERT-style model built in PyTorch by
// fixtures/make_encoder_fixture.py (Hugging Face BertForSequenceClassification names, padded batch), loaded
// from its files, must reproduce PyTorch's logits (first-token and mean pooling), loss, every gradient,
// and a 10-step AdamW loss trajectory with clipping.

import { fileURLToPath } from 'node:url';
import { openGpu } from '@anneal/kernels/device';
import { Runtime } from '@anneal/kernels/kernel';
import { expectClose } from '@anneal/kernels/testing';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { readSafetensors } from '../safetensors.ts';
import { EncoderClassifier } from './encoder-classifier.ts';
import { adamwLosses } from './golden.ts';
import { loadEncoderCheckpoint } from './pretrained.ts';

// The same model with the tanh GELU (gelu_new, Anneal's bases) and with BERT's exact erf GELU (gelu).
describe.each(['encoder-tiny', 'encoder-gelu-tiny'])(
  'encoder + classification head against PyTorch (%s)',
  (fixture) => {
    const DIR = fileURLToPath(new URL(`../../fixtures/${fixture}`, import.meta.url));
    const expected = readSafetensors(`${DIR}/expected.safetensors`).tensors;
    const get = (name: string) => expected.get(name)!.data;
    const [B, T] = expected.get('tokens')!.shape;
    const batch = {
      B,
      T,
      tokens: Uint32Array.from(get('tokens')),
      mask: Uint32Array.from(get('mask')),
      labels: Int32Array.from(get('labels')),
    };
    let rt: Runtime;
    beforeAll(async () => {
      rt = new Runtime(await openGpu());
    });
    afterAll(() => rt.destroy());

    it('matches logits, loss and every parameter gradient', async () => {
      const { config, weights } = loadEncoderCheckpoint(DIR);
      const model = new EncoderClassifier(rt, config);
      model.params.write(weights);
      rt.run('golden', (s) => {
        model.forward(s, batch);
        model.backward(s);
      });
      // Same origins as the GPT-2 golden test: f32 through two blocks, compared with float64.
      expectClose('encoder logits', await model.readLogits(), get('logits'), { atol: 2e-6, rtol: 1e-5 });
      expectClose('encoder loss', [await model.readLoss()], get('loss'), { atol: 0, rtol: 1e-5 });
      const grads = await model.grads.readAll();
      for (const spec of model.layout.specs) {
        const got = grads.get(spec.name)!;
        // Our fused QKV gradient is PyTorch's query | key | value gradients, stacked.
        const hf = (name: string) => get(`grad.${name.startsWith('classifier') ? '' : 'bert.'}${name}`);
        const want = spec.name.includes('self.qkv')
          ? Float32Array.from(['query', 'key', 'value'].flatMap((n) => [...hf(spec.name.replace('qkv', n))]))
          : hf(spec.name);
        const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        expectClose(`encoder grad ${spec.name}`, got, want, { atol: 1e-4 * scale + 1e-7, rtol: 1e-4 });
      }
    });

    it('matches logits with masked mean pooling', async () => {
      const { config, weights } = loadEncoderCheckpoint(DIR, { pooling: 'mean' });
      const model = new EncoderClassifier(rt, config);
      model.params.write(weights);
      rt.run('mean', (s) => model.forward(s, batch));
      expectClose('encoder logits (mean pooling)', await model.readLogits(), get('logits_mean_pooling'), {
        atol: 2e-6,
        rtol: 1e-5,
      });
    });

    it('matches the loss trajectory of 10 AdamW steps', async () => {
      const { config, weights } = loadEncoderCheckpoint(DIR);
      const model = new EncoderClassifier(rt, config);
      model.params.write(weights);
      const losses = await adamwLosses(rt, model, batch, { lr: 5e-3, weightDecay: 0.01 });
      // Losses fall from 1.5 to 0.013: 1e-4 absolute plus 1e-3 relative for the small late values.
      expectClose('encoder adamw trajectory', losses, get('adamw_losses'), { atol: 1e-4, rtol: 1e-3 });
    });
  },
);
