// Golden test of RoBERTa- and DistilBERT-style checkpoints: tiny models built in plain PyTorch by
// fixtures/make_roberta_fixture.py with Hugging Face's names and config fields (RoBERTa: `roberta.*`, positions
// from padding_idx + 1, a one-row token-type table, an lm_head to skip; DistilBERT: `distilbert.transformer…`,
// q_lin/…/output_layer_norm, no token types), loaded from their files into Anneal's encoder, must reproduce
// PyTorch's logits (first-token and mean pooling), loss, every gradient, and 10 AdamW steps. Neither base
// carries a classifier: the fixture's head is installed in its place, as a fine-tune installs a fresh one.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openGpu } from '@anneal/kernels/device';
import { Runtime } from '@anneal/kernels/kernel';
import { expectClose } from '@anneal/kernels/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors, serializeSafetensors } from '../safetensors.ts';
import { EncoderClassifier } from './encoder-classifier.ts';
import { adamwLosses } from './golden.ts';
import { encoderHFName, loadEncoderCheckpoint } from './pretrained.ts';

const fixtureDir = (name: string) => fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));

describe.each([
  ['roberta-tiny', 'roberta', 2],
  ['distilbert-tiny', 'distilbert', 0],
] as const)('%s against PyTorch', (fixture, arch, offset) => {
  const DIR = fixtureDir(fixture);
  const expected = readSafetensors(`${DIR}/expected.safetensors`).tensors;
  const get = (name: string) => {
    const t = expected.get(name);
    if (!t) throw new Error(`${fixture}: expected.safetensors has no ${name}`);
    return t.data;
  };
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

  const load = (pooling: 'first' | 'mean' = 'first') => {
    const loaded = loadEncoderCheckpoint(DIR, { pooling, numLabels: 3 });
    expect(loaded.arch).toBe(arch);
    expect(loaded.missing).toEqual(['classifier.weight', 'classifier.bias']);
    loaded.weights.set('classifier.weight', get('head.classifier.weight'));
    loaded.weights.set('classifier.bias', get('head.classifier.bias'));
    const model = new EncoderClassifier(rt, loaded.config);
    model.params.write(loaded.weights);
    return { model, config: loaded.config };
  };

  it('reads the family config: positions after the offset, eps, GELU', () => {
    const { config } = loadEncoderCheckpoint(DIR);
    const hf = JSON.parse(readFileSync(`${DIR}/config.json`, 'utf8'));
    expect(config.maxPositions).toBe(hf.max_position_embeddings - offset);
    expect(config.layerNormEps).toBe(arch === 'roberta' ? 1e-5 : 1e-12);
    expect(config.hiddenAct).toBe('gelu');
    expect(config.hidden).toBe(arch === 'roberta' ? hf.hidden_size : hf.dim);
  });

  it('matches logits, loss and every parameter gradient', async () => {
    const { model } = load();
    rt.run('golden', (s) => {
      model.forward(s, batch);
      model.backward(s);
    });
    expectClose(`${arch} logits`, await model.readLogits(), get('logits'), { atol: 2e-6, rtol: 1e-5 });
    expectClose(`${arch} loss`, [await model.readLoss()], get('loss'), { atol: 0, rtol: 1e-5 });
    const grads = await model.grads.readAll();
    for (const spec of model.layout.specs) {
      const got = grads.get(spec.name)!;
      const hf = (name: string) =>
        get(name.startsWith('classifier.') ? `grad.head.${name}` : `grad.${encoderHFName(arch, name)}`);
      let want: Float32Array;
      if (spec.name.includes('self.qkv'))
        want = Float32Array.from(
          ['query', 'key', 'value'].flatMap((n) => [...hf(spec.name.replace('qkv', n))]),
        );
      else if (spec.name === 'embeddings.position_embeddings.weight')
        want = hf(spec.name).slice(offset * spec.shape[1]); // RoBERTa's rows before padding_idx + 1 are unread
      else want = hf(spec.name);
      const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expectClose(`${arch} grad ${spec.name}`, got, want, { atol: 1e-4 * scale + 1e-7, rtol: 1e-4 });
    }
  });

  it('matches logits with masked mean pooling', async () => {
    const { model } = load('mean');
    rt.run('mean', (s) => model.forward(s, batch));
    expectClose(`${arch} logits (mean pooling)`, await model.readLogits(), get('logits_mean_pooling'), {
      atol: 2e-6,
      rtol: 1e-5,
    });
  });

  it('matches the loss trajectory of 10 AdamW steps', async () => {
    const { model } = load();
    const losses = await adamwLosses(rt, model, batch, { lr: 5e-3, weightDecay: 0.01 });
    expectClose(`${arch} adamw trajectory`, losses, get('adamw_losses'), { atol: 1e-4, rtol: 1e-3 });
  });
});

describe('encoder checkpoints: bad input is named', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'anneal-encoder-families-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A copy of a fixture with its config and tensors edited. */
  const variant = (
    fixture: string,
    name: string,
    edit: {
      config?: (c: Record<string, unknown>) => void;
      tensors?: (t: Map<string, { shape: number[]; data: Float32Array }>) => void;
    },
  ) => {
    const src = fixtureDir(fixture);
    const out = join(dir, name);
    const config = JSON.parse(readFileSync(`${src}/config.json`, 'utf8'));
    edit.config?.(config);
    const tensors = new Map(
      [...readSafetensors(`${src}/model.safetensors`).tensors].map(([n, t]) => [
        n,
        { shape: t.shape, data: t.data },
      ]),
    );
    edit.tensors?.(tensors);
    mkdirSync(out, { recursive: true });
    writeFileSync(`${out}/config.json`, JSON.stringify(config));
    writeFileSync(`${out}/model.safetensors`, serializeSafetensors(tensors, { format: 'pt' }));
    return out;
  };

  it('refuses an unknown model_type, naming it and the families it reads', () => {
    const d = variant('roberta-tiny', 'albert', { config: (c) => (c.model_type = 'albert') });
    expect(() => loadEncoderCheckpoint(d)).toThrow(/model_type is albert; the encoder loads bert, roberta/);
  });

  it('refuses a RoBERTa two-layer classification head by name', () => {
    const d = variant('roberta-tiny', 'roberta-cls', {
      tensors: (t) => {
        t.set('classifier.dense.weight', { shape: [24, 24], data: new Float32Array(24 * 24) });
        t.set('classifier.out_proj.weight', { shape: [3, 24], data: new Float32Array(3 * 24) });
      },
    });
    expect(() => loadEncoderCheckpoint(d)).toThrow(
      /classifier\.dense\.weight is a two-layer classification head/,
    );
  });

  it('names a missing DistilBERT tensor by its Hugging Face name', () => {
    const d = variant('distilbert-tiny', 'distil-missing', {
      tensors: (t) => t.delete('distilbert.transformer.layer.1.ffn.lin2.weight'),
    });
    expect(() => loadEncoderCheckpoint(d)).toThrow(
      /missing tensor distilbert\.transformer\.layer\.1\.ffn\.lin2\.weight \[24,48\]/,
    );
  });

  it('names a position table too short for the RoBERTa offset', () => {
    const d = variant('roberta-tiny', 'roberta-pos', { config: (c) => (c.max_position_embeddings = 2) });
    expect(() => loadEncoderCheckpoint(d)).toThrow(
      /max_position_embeddings 2 leaves no positions after the offset 2/,
    );
  });

  it('names a config field of the wrong type', () => {
    const d = variant('distilbert-tiny', 'distil-dim', { config: (c) => (c.dim = '24') });
    expect(() => loadEncoderCheckpoint(d)).toThrow(/dim must be a positive integer, got "24"/);
  });

  it('loads the masked-LM head of each family under BertForMaskedLM names', () => {
    for (const fixture of ['roberta-tiny', 'distilbert-tiny']) {
      const { weights, missing } = loadEncoderCheckpoint(fixtureDir(fixture), { head: 'mlm' });
      expect(missing).toEqual([]);
      expect(weights.get('cls.predictions.bias')?.length).toBe(53);
      expect(weights.get('cls.predictions.transform.dense.weight')?.length).toBe(24 * 24);
    }
  });
});
