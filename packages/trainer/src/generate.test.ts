// Generation on the tiny GPT-2 fixture against PyTorch (fixtures/make_gpt2_generate_fixture.py): greedy
// tokens equal PyTorch's, the KV-cache decode reproduces the full forward's logits at every position, seeded
// sampling is bit-reproducible, and stop sequences, eos and streaming behave as documented.

import { fileURLToPath } from 'node:url';
import { openGpu } from '@anneal/kernels/device';
import { Runtime } from '@anneal/kernels/kernel';
import { expectClose, randn } from '@anneal/kernels/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Generator, kvDecoder } from './generate.ts';
import { teacherForcedLogits } from './kvdecoder.testing.ts';
import { GPT, gptParamSpecs } from './model/gpt.ts';
import { mergeLora, withLora } from './model/lora.ts';
import { loadGPT2Checkpoint } from './model/pretrained.ts';
import { readSafetensors } from './safetensors.ts';
import { wordLevelTokenizerJson } from './tokenizer.testing.ts';
import { Tokenizer } from './tokenizer.ts';

const DIR = fileURLToPath(new URL('../fixtures/gpt2-tiny', import.meta.url));
const fixture = readSafetensors(`${DIR}/generate.safetensors`).tensors;
const get = (name: string) => fixture.get(name)!;
const PROMPTS = [0, 1, 2].map((i) => Array.from(get(`prompt.${i}`).data));
const GREEDY = [0, 1, 2].map((i) => Array.from(get(`greedy.${i}`).data));

/** A word-level tokenizer over the fixture's 97 ids: token i is `t<i>`, except <|endoftext|> at `eos`. */
function fixtureTokenizer(eos = 96): Tokenizer {
  return Tokenizer.fromJSON(wordLevelTokenizerJson(97, { [eos]: '<|endoftext|>' }));
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
    const dec = kvDecoder(rt, model, R, model.config.nPositions);
    const got = await teacherForcedLogits(rt, dec, seqs, rows, V);
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

  it("an f16 KV cache reproduces the full forward's logits within f16's precision", async () => {
    const V = model.config.vocabSize;
    const R = PROMPTS.length;
    const dec = kvDecoder(rt, model, R, model.config.nPositions, { kvDtype: 'f16' });
    dec.prefill(PROMPTS);
    for (let step = 0; step < 6; step++) {
      const logits = await dec.readLogits();
      for (let r = 0; r < R; r++) {
        const pos = dec.lengths[r] - 1;
        const want = get(`logits.${r}`).data.subarray(pos * V, (pos + 1) * V);
        // Keys and values rounded to f16 (relative 2^-11) through two blocks: logits of O(1) within 2e-3.
        expectClose(`f16 cache row ${r} position ${pos}`, logits.subarray(r * V, (r + 1) * V), want, {
          atol: 2e-3,
          rtol: 2e-3,
        });
      }
      rt.run('decode', (s) =>
        dec.decode(
          s,
          GREEDY.map((g) => g[step]),
        ),
      );
    }
    dec.dispose();
    const f16 = Generator.fromModel(rt, model, fixtureTokenizer(), { kvCache: 'f16' });
    expect(
      (await f16.generateIds(PROMPTS, { temperature: 0, maxNewTokens: 20 })).map((g) => g.tokens),
    ).toEqual(GREEDY);
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

  it('streams text pieces that add up to each completion, and stops at a stop sequence (not included)', async () => {
    const prompts = PROMPTS.map((p) => p.map((i) => `t${i}`).join(' '));
    const pieces: string[][] = prompts.map(() => []);
    const out = await gen.generate(
      prompts,
      { temperature: 0, maxNewTokens: 20, stop: ['t11', 't37'] },
      (i, piece) => pieces[i].push(piece),
    );
    // Prompt 0 continues t91 t91 t91 t91 t11 …, prompt 1 reaches t37 at its 17th token, prompt 2 at its 7th.
    expect(out.map((g) => g.finishReason)).toEqual(['stop', 'stop', 'stop']);
    expect(out[0].tokens).toEqual(GREEDY[0].slice(0, 5));
    expect(out[1].tokens).toEqual(GREEDY[1].slice(0, 17));
    expect(out[2].tokens).toEqual(GREEDY[2].slice(0, 7));
    for (const [i, g] of out.entries()) {
      expect(g.prompt).toBe(prompts[i]);
      expect(g.text).not.toMatch(/t11|t37/);
      expect(pieces[i].join('')).toBe(g.text);
      expect(pieces[i].length).toBeGreaterThan(1);
    }
    expect(out[0].text.trim()).toBe('t91 t91 t91 t91');
  });

  it('ends a completion at the end-of-text token, and starts an empty prompt from it', async () => {
    // With <|endoftext|> at id 11, prompt 0's greedy continuation (t91 ×4, then 11) ends at its fifth token.
    const eosGen = Generator.fromModel(rt, model, fixtureTokenizer(11));
    const [g] = await eosGen.generateIds([PROMPTS[0]], { temperature: 0, maxNewTokens: 20 });
    expect(g.finishReason).toBe('eos');
    expect(g.tokens).toEqual(GREEDY[0].slice(0, 4));
    const [empty] = await gen.generate([''], { temperature: 0, maxNewTokens: 3 });
    const [fromEos] = await gen.generateIds([[96]], { temperature: 0, maxNewTokens: 3 });
    expect(empty.tokens).toEqual(fromEos.tokens);
  });

  it('stops at the context length, and refuses bad input naming the field', async () => {
    // nPositions is 32: after a 9-token prompt, 23 new tokens fill the context and the logits at its last
    // position choose one more (never fed back).
    const [g] = await gen.generateIds([PROMPTS[1]], { temperature: 0, maxNewTokens: 100 });
    expect(g.tokens).toHaveLength(24);
    expect(g.finishReason).toBe('length');
    await expect(gen.generateIds([new Array(32).fill(1)])).rejects.toThrow(/prompt 0 has 32 tokens/);
    await expect(gen.generateIds([[1]], { topP: 1.5 })).rejects.toThrow(/topP must be in \(0, 1\]/);
    await expect(gen.generateIds([[1]], { temperature: -1 })).rejects.toThrow(/temperature/);
    await expect(gen.generateIds([[1]], { maxNewTokens: 0 })).rejects.toThrow(/maxNewTokens/);
    await expect(gen.generateIds([[1]], { stop: [''] })).rejects.toThrow(/stop/);
    await expect(gen.generateIds([[1]], { tempreature: 1 } as never)).rejects.toThrow(
      /unknown option tempreature/,
    );
    await expect(gen.generateIds([[97]])).rejects.toThrow(/token id 97 is outside the vocabulary/);
    await expect(gen.generate([])).rejects.toThrow(/prompts is empty/);
  });

  it('applies the repetition penalty (greedy no longer repeats the prompt-0 loop)', async () => {
    const [plain] = await gen.generateIds([PROMPTS[0]], { temperature: 0, maxNewTokens: 8 });
    const [pen] = await gen.generateIds([PROMPTS[0]], {
      temperature: 0,
      maxNewTokens: 8,
      repetitionPenalty: 5,
    });
    expect(plain.tokens.slice(0, 4)).toEqual([91, 91, 91, 91]);
    // A penalised token already seen (91 is in the prompt) loses to others: no token repeats within 8.
    expect(pen.tokens[0]).not.toBe(91);
    expect(new Set(pen.tokens).size).toBe(pen.tokens.length);
  });

  it('decodes a model with LoRA adapters as the same model with them merged', async () => {
    const { config, weights } = loadGPT2Checkpoint(DIR, gptParamSpecs);
    const specs = withLora(
      gptParamSpecs(config),
      { rank: 4, alpha: 8, targets: ['c_attn', 'c_fc'] },
      'in-out',
      /^$/,
    );
    const all = new Map(weights);
    specs.forEach((sp, i) => {
      if (/lora_[AB]/.test(sp.name)) all.set(sp.name, randn(sp.shape[0] * sp.shape[1], 500 + i, 0.2));
    });
    const lora = new GPT(rt, config, specs);
    lora.params.write(all);
    const merged = new GPT(rt, config);
    merged.params.write(mergeLora(all, specs, 'in-out'));
    const logits = async (m: GPT) => {
      const dec = kvDecoder(rt, m, 3, 32);
      dec.prefill(PROMPTS);
      const out = [await dec.readLogits()];
      for (let i = 0; i < 4; i++) {
        rt.run('decode', (s) => dec.decode(s, [GREEDY[0][i], GREEDY[1][i], GREEDY[2][i]]));
        out.push(await dec.readLogits());
      }
      dec.dispose();
      return out;
    };
    const [a, b] = [await logits(lora), await logits(merged)];
    // The adapter adds scale·(x·Aᵀ)·Bᵀ in f32 where the merged weight folded it in: 1e-5 of O(1) logits.
    for (const [i, l] of a.entries())
      expectClose(`LoRA decode step ${i}`, l, b[i], { atol: 1e-5, rtol: 1e-4 });
    for (const m of [lora, merged]) for (const g of [...m.params.groups, ...m.grads.groups]) g.release();
  });
});
