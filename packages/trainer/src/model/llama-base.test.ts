// The shipped Llama-shaped base (bases/llama-brown-256, made by `anneal pretrain --arch llama`): it loads as a
// Hugging Face Llama directory, stays under 10 MB, its anneal.json command names its shape, and it predicts
// Brown text better than an untrained model would (loss below log(vocab)).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openGpu } from '@anneal/kernels/device';
import { Runtime } from '@anneal/kernels/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brownDocuments } from '../data/sources.ts';
import { Tokenizer } from '../tokenizer.ts';
import { Llama } from './llama.ts';
import { loadLlamaCheckpoint } from './llama-pretrained.ts';

const BASE = fileURLToPath(new URL('../../../../bases/llama-brown-256', import.meta.url));

describe('bases/llama-brown-256', () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = new Runtime(await openGpu());
  });
  afterAll(() => rt.destroy());

  it('is a < 10 MB Llama directory whose anneal.json command names its shape', () => {
    expect(statSync(join(BASE, 'model.safetensors')).size).toBeLessThan(10 * 1024 * 1024);
    const { config } = loadLlamaCheckpoint(BASE);
    expect(config).toMatchObject({
      nLayer: 4,
      hiddenSize: 192,
      nHead: 6,
      nKvHead: 2,
      tieWordEmbeddings: true,
    });
    const record = JSON.parse(readFileSync(join(BASE, 'anneal.json'), 'utf8'));
    expect(record.kind).toBe('llama causal-lm');
    expect(record.command).toMatch(
      /--arch llama .*--layers 4 --heads 6 --kv-heads 2 --embd 192 --context 256/,
    );
  });

  it('predicts held-out-genre Brown text better than chance', async () => {
    const { config, weights } = loadLlamaCheckpoint(BASE);
    const tk = Tokenizer.fromFile(join(BASE, 'tokenizer.json'));
    // Genre j (learned) was not in its pretraining genres (a, b, c).
    const ids = (await tk.encode(brownDocuments(['j'])[0].text)).slice(0, 129);
    const T = ids.length - 1;
    const model = new Llama(rt, config);
    model.params.write(weights);
    rt.run('eval', (s) =>
      model.forward(s, {
        B: 1,
        T,
        tokens: Uint32Array.from(ids.slice(0, T)),
        targets: Int32Array.from(ids.slice(1)),
      }),
    );
    const loss = await model.readLoss();
    expect(loss).toBeGreaterThan(0);
    expect(loss).toBeLessThan(Math.log(config.vocabSize) - 0.5);
  });
});
