// A classifier on new text (classify.ts) against PyTorch: the tiny GPT2ForSequenceClassification of the golden
// fixture (fixtures/make_gpt2_classifier_fixture.py) exported as a model directory, with a word-level tokenizer
// that maps `t<i>` to id i, so each fixture row's real tokens are a text. Classifier.classify must give
// softmax(PyTorch's logits) for every row, padded and pooled at the last real token as in training.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openGpu } from '@anneal/kernels/device';
import { Runtime } from '@anneal/kernels/kernel';
import { expectClose } from '@anneal/kernels/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Classifier } from './classify.ts';
import { readSafetensors, serializeSafetensors } from './safetensors.ts';
import { wordLevelTokenizerJson } from './tokenizer.testing.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/gpt2-tiny', import.meta.url));

describe('Classifier on new text against PyTorch', () => {
  let rt: Runtime;
  const dir = mkdtempSync(join(tmpdir(), 'anneal-classify-'));

  beforeAll(async () => {
    rt = new Runtime(await openGpu());
  });
  afterAll(() => {
    rt.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it("gives softmax of PyTorch's logits for each text", async () => {
    const golden = readSafetensors(join(FIXTURE, 'classifier.safetensors')).tensors;
    const [B, T] = golden.get('tokens')!.shape;
    const score = golden.get('score.weight')!;
    const K = score.shape[0];
    const tensors = new Map(readSafetensors(join(FIXTURE, 'model.safetensors')).tensors);
    tensors.set('score.weight', score);
    writeFileSync(join(dir, 'model.safetensors'), serializeSafetensors(tensors));
    const config = JSON.parse(readFileSync(join(FIXTURE, 'config.json'), 'utf8')) as Record<string, unknown>;
    delete config.fixture;
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({ ...config, num_labels: K, architectures: ['GPT2ForSequenceClassification'] }),
    );
    writeFileSync(
      join(dir, 'tokenizer.json'),
      JSON.stringify(wordLevelTokenizerJson(97, { 96: '<|endoftext|>' })),
    );
    const tokens = golden.get('tokens')!.data;
    const mask = golden.get('mask')!.data;
    const texts = Array.from({ length: B }, (_, b) => {
      const ids: number[] = [];
      for (let t = 0; t < T; t++) if (mask[b * T + t]) ids.push(tokens[b * T + t]);
      return ids.map((i) => (i === 96 ? '<|endoftext|>' : `t${i}`)).join(' ');
    });
    const clf = await Classifier.load(rt, dir, { maxLength: T });
    expect(clf.labels).toEqual(Array.from({ length: K }, (_, k) => String(k)));
    const got = await clf.classify(texts);
    clf.dispose();
    const logits = golden.get('logits')!.data;
    const want = Array.from({ length: B }, (_, b) => {
      const row = Array.from(logits.subarray(b * K, (b + 1) * K));
      const m = Math.max(...row);
      const z = row.reduce((a, v) => a + Math.exp(v - m), 0);
      return row.map((v) => Math.exp(v - m) / z);
    });
    expectClose('classifier probabilities', got.flat(), want.flat(), { atol: 1e-6, rtol: 1e-5 });
  });

  it('reads a long text whole with `chunks`: softmax of the mean logits of its windows', async () => {
    // The model directory of the test above. A 23-token text at maxLength 5: windows [0,5) [5,10) [10,15)
    // [15,20) and the last one ending at the end, [18,23); with maxChunks 3, the first, the middle and the last.
    const words = Array.from({ length: 23 }, (_, i) => `t${(i * 7 + 3) % 96}`);
    const short = `t5 t9 t11`;
    const plain = await Classifier.load(rt, dir, { maxLength: 8 });
    const want = async (windows: string[][]) => {
      const p = await plain.classify(windows.map((w) => w.join(' ')));
      const mean = p[0].map((_, k) => p.reduce((a, row) => a + Math.log(row[k]), 0) / p.length);
      const z = mean.reduce((a, v) => a + Math.exp(v), 0);
      return mean.map((v) => Math.exp(v) / z);
    };
    const at = (s: number) => words.slice(s, s + 5);
    for (const [maxChunks, starts] of [
      [8, [0, 5, 10, 15, 18]],
      [3, [0, 10, 18]],
    ] as const) {
      const chunked = await Classifier.load(rt, dir, {
        maxLength: 5,
        truncation: { keep: 'chunks', maxChunks },
      });
      const [long, fits] = await chunked.classify([words.join(' '), short]);
      chunked.dispose();
      expectClose(`pooled over ${starts.length} windows`, long, await want(starts.map(at)), {
        atol: 1e-6,
        rtol: 1e-5,
      });
      expectClose('a text that fits: one window', fits, (await plain.classify([short]))[0], {
        atol: 1e-6,
        rtol: 1e-5,
      });
    }
    plain.dispose();
  });

  it('refuses a causal-LM model directory, saying what it describes', async () => {
    // The directory of the test above (tokenizer and weights) with the plain GPT-2 config: a language model.
    const lm = mkdtempSync(join(tmpdir(), 'anneal-classify-lm-'));
    try {
      for (const f of ['model.safetensors', 'tokenizer.json'])
        writeFileSync(join(lm, f), readFileSync(join(dir, f)));
      writeFileSync(
        join(lm, 'config.json'),
        JSON.stringify({ model_type: 'gpt2', architectures: ['GPT2LMHeadModel'], vocab_size: 97 }),
      );
      await expect(Classifier.load(rt, lm)).rejects.toThrow(
        /is not a classifier \(config.json architectures: \["GPT2LMHeadModel"\]\)/,
      );
    } finally {
      rmSync(lm, { recursive: true, force: true });
    }
  });
});
