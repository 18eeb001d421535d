// Generation from a Llama-family decoder on the tiny Llama golden fixture (GQA 6/2 heads, llama3-scaled RoPE,
// q/k/v/o biases, untied head; fixtures/make_llama_fixture.py): the KV-cache decode reproduces LlamaModel's
// training forward at every position, greedy tokens equal a float64 CPU Llama (model/llama.reference.ts,
// itself checked against PyTorch's logits), LoRA decodes as merged, and a shipped base generates text.

import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openGpu } from '@anneal/kernels/device';
import { Runtime } from '@anneal/kernels/kernel';
import { expectClose, randInt, randn } from '@anneal/kernels/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Generator, kvDecoder } from './generate.ts';
import { teacherForcedLogits } from './kvdecoder.testing.ts';
import { llamaForwardRef, llamaGreedyRef } from './model/llama.reference.ts';
import { Llama, llamaParamSpecs } from './model/llama.ts';
import { loadLlamaCheckpoint } from './model/llama-pretrained.ts';
import { mergeLora, withLora } from './model/lora.ts';
import { readSafetensors } from './safetensors.ts';
import { wordLevelTokenizerJson } from './tokenizer.testing.ts';
import { Tokenizer } from './tokenizer.ts';

const DIR = fileURLToPath(new URL('../fixtures/llama-tiny', import.meta.url));
const BASE = fileURLToPath(new URL('../../../bases/llama-brown-256', import.meta.url));
const { config, weights } = loadLlamaCheckpoint(DIR);
const V = config.vocabSize;
// Three sequences of different lengths within the 32 positions; prompts of 5, 9 and 1 tokens.
const SEQS = [20, 27, 13].map((n, i) => Array.from(randInt(n, 700 + i, V)));
const PROMPTS = [5, 9, 1].map((n, i) => SEQS[i].slice(0, n));

/** A word-level tokenizer over the fixture's 97 ids: token i is `t<i>`. */
function fixtureTokenizer(): Tokenizer {
  return Tokenizer.fromJSON(wordLevelTokenizerJson(V));
}

describe('generation from a tiny Llama (GQA, llama3 RoPE, biases, untied head)', () => {
  let rt: Runtime;
  let model: Llama;
  /** The training forward's logits (T, V) of each sequence, alone. */
  const full: Float32Array[] = [];

  beforeAll(async () => {
    rt = new Runtime(await openGpu());
    model = new Llama(rt, config);
    model.params.write(weights);
    for (const seq of SEQS) {
      rt.run('llama forward', (s) =>
        model.forward(s, { B: 1, T: seq.length, tokens: Uint32Array.from(seq), targets: null }),
      );
      full.push(await model.readLogits());
    }
  });
  afterAll(() => rt.destroy());

  it("the float64 reference reproduces PyTorch's logits on the golden fixture", () => {
    const expected = readSafetensors(`${DIR}/expected.safetensors`).tensors;
    const [B, T] = expected.get('tokens')!.shape;
    const tokens = Array.from(expected.get('tokens')!.data);
    const want = expected.get('logits')!.data;
    for (let b = 0; b < B; b++)
      // PyTorch ran in f32: its logits carry f32 rounding of O(1) values.
      expectClose(
        `llama reference logits, sequence ${b}`,
        llamaForwardRef(config, weights, tokens.slice(b * T, (b + 1) * T)),
        want.subarray(b * T * V, (b + 1) * T * V),
        { atol: 1e-5, rtol: 1e-4 },
      );
  });

  it("KV-cache decoding reproduces the training forward's logits at every position, rows batched", async () => {
    // Rows: each prompt prefilled, and each sequence's first token alone (so every position, prompt included,
    // comes from a decode step in some row); then teacher forcing along each sequence.
    const rows = [
      ...PROMPTS.map((p, i) => ({ seq: i, prefill: p.length })),
      ...SEQS.map((_, i) => ({ seq: i, prefill: 1 })),
    ];
    const dec = kvDecoder(rt, model, rows.length, config.maxPositions);
    const got = await teacherForcedLogits(rt, dec, SEQS, rows, V);
    dec.dispose();
    rows.forEach((r, i) => {
      const first = r.prefill - 1;
      expect(got[i].map((g) => g.pos)).toEqual(
        Array.from({ length: SEQS[r.seq].length - first }, (_, k) => first + k),
      );
      // Both in f32 through two blocks; the cache changes only the attention's summation order and the
      // GEMV's. Logits are O(1): 1e-5 absolute + 1e-4 relative.
      for (const g of got[i])
        expectClose(
          `llama row ${i} (sequence ${r.seq}, prefill ${r.prefill}) logits at position ${g.pos}`,
          g.logits,
          full[r.seq].subarray(g.pos * V, (g.pos + 1) * V),
          { atol: 1e-5, rtol: 1e-4 },
        );
    });
  });

  it("an f16 KV cache reproduces the training forward's logits within f16's precision", async () => {
    const dec = kvDecoder(rt, model, SEQS.length, config.maxPositions, { kvDtype: 'f16' });
    dec.prefill(PROMPTS);
    for (let step = 0; step < 4; step++) {
      const logits = await dec.readLogits();
      for (let r = 0; r < SEQS.length; r++) {
        const pos = dec.lengths[r] - 1;
        // Keys and values rounded to f16 (relative 2^-11) through two blocks: logits of O(1) within 2e-3.
        expectClose(
          `llama f16 cache row ${r} position ${pos}`,
          logits.subarray(r * V, (r + 1) * V),
          full[r].subarray(pos * V, (pos + 1) * V),
          { atol: 2e-3, rtol: 2e-3 },
        );
      }
      rt.run('decode', (s) =>
        dec.decode(
          s,
          SEQS.map((q, r) => q[dec.lengths[r]]),
        ),
      );
    }
    dec.dispose();
  });

  it('greedy decoding equals the float64 reference, batched rows equal each alone, f16 cache too', async () => {
    const n = 12;
    const want = PROMPTS.map((p) => llamaGreedyRef(config, weights, p, n));
    // Each arg max wins by a clear margin over f32 rounding (else the comparison would be luck).
    for (const w of want) expect(Math.min(...w.margins)).toBeGreaterThan(1e-4);
    const tokenizer = fixtureTokenizer();
    const gen = Generator.fromModel(rt, model, tokenizer);
    // A row ends at config.json's eos_token_id (2), which is not part of its tokens.
    const out = await gen.generateIds(PROMPTS, { temperature: 0, maxNewTokens: n });
    const cut = want.map((w) => {
      const e = w.tokens.indexOf(2);
      return e < 0 ? w.tokens : w.tokens.slice(0, e);
    });
    expect(out.map((g) => g.tokens)).toEqual(cut);
    for (let i = 0; i < PROMPTS.length; i++) {
      const [one] = await gen.generateIds([PROMPTS[i]], { temperature: 0, maxNewTokens: n });
      expect(one.tokens).toEqual(cut[i]);
      expect(one.finishReason).toBe(cut[i].length < n ? 'eos' : 'length');
    }
    const f16 = Generator.fromModel(rt, model, tokenizer, { kvCache: 'f16' });
    const out16 = await f16.generateIds(PROMPTS, { temperature: 0, maxNewTokens: n });
    expect(out16.map((g) => g.tokens)).toEqual(cut);
  });

  it('samples reproducibly, streams text that adds up, ends at any eos_token_id, starts an empty prompt at bos', async () => {
    const gen = Generator.fromModel(rt, model, fixtureTokenizer());
    // config.json's eos_token_id (2) ends a completion (the greedy test above sees it when a row reaches it).
    expect(config.eosTokenId).toBe(2);
    const o = { temperature: 0.9, topK: 20, seed: 7, maxNewTokens: 10, numSamples: 2 };
    const prompts = PROMPTS.map((p) => p.map((i) => `t${i}`).join(' '));
    const pieces: string[][] = [[], [], [], [], [], []];
    const a = await gen.generate(prompts, o, (i, piece) => pieces[i].push(piece));
    const b = await gen.generate(prompts, o);
    expect(b.map((g) => g.tokens)).toEqual(a.map((g) => g.tokens));
    for (const [i, g] of a.entries()) {
      expect(pieces[i].join('')).toBe(g.text);
      expect(g.tokens).not.toContain(2);
      if (g.finishReason === 'length') expect(g.tokens).toHaveLength(10);
      else expect(g.finishReason).toBe('eos');
    }
    // eos_token_id may be a list: prompt 1's greedy continuation (43, 0, 32, …) ends at 32.
    const eosModel = new Llama(rt, { ...config, eosTokenId: [7, 32] });
    eosModel.params.write(weights);
    const eosGen = Generator.fromModel(rt, eosModel, fixtureTokenizer());
    const [ended] = await eosGen.generateIds([PROMPTS[1]], { temperature: 0, maxNewTokens: 12 });
    expect(ended).toMatchObject({ tokens: [43, 0], finishReason: 'eos' });
    eosModel.release();
    for (const g of [...eosModel.params.groups, ...eosModel.grads.groups]) g.release();
    // An empty prompt starts from bos_token_id (1).
    const [empty] = await gen.generate([''], { temperature: 0, maxNewTokens: 3 });
    const [fromBos] = await gen.generateIds([[1]], { temperature: 0, maxNewTokens: 3 });
    expect(empty.tokens).toEqual(fromBos.tokens);
  });

  it('decodes a Llama with LoRA adapters as the same model with them merged', async () => {
    const specs = withLora(
      llamaParamSpecs(config),
      { rank: 4, alpha: 8, targets: ['q_proj', 'v_proj', 'o_proj', 'down_proj'] },
      'out-in',
      /^$/,
    );
    const all = new Map(weights);
    specs.forEach((sp, i) => {
      if (/lora_[AB]/.test(sp.name)) all.set(sp.name, randn(sp.shape[0] * sp.shape[1], 800 + i, 0.2));
    });
    const lora = new Llama(rt, config, specs);
    lora.params.write(all);
    const merged = new Llama(rt, config);
    merged.params.write(mergeLora(all, specs, 'out-in'));
    const logits = async (m: Llama) => {
      const dec = kvDecoder(rt, m, 3, 32);
      dec.prefill(PROMPTS);
      const out = [await dec.readLogits()];
      for (let i = 0; i < 4; i++) {
        rt.run('decode', (s) =>
          dec.decode(
            s,
            SEQS.map((q, r) => q[dec.lengths[r]]),
          ),
        );
        out.push(await dec.readLogits());
      }
      dec.dispose();
      return out;
    };
    const [a, b] = [await logits(lora), await logits(merged)];
    // The adapter adds scale·(x·Aᵀ)·Bᵀ in f32 where the merged weight folded it in: 1e-5 of O(1) logits.
    for (const [i, l] of a.entries())
      expectClose(`llama LoRA decode step ${i}`, l, b[i], { atol: 1e-5, rtol: 1e-4 });
    // The adapters change the logits (a test that would pass with them ignored is no test).
    const plain = full[0].subarray(4 * V, 5 * V); // sequence 0 at its last prompt position, no adapters
    const moved = a[0].subarray(0, V).map((x, i) => Math.abs(x - plain[i]));
    expect(Math.max(...moved)).toBeGreaterThan(1e-3);
    for (const m of [lora, merged]) {
      m.release();
      for (const g of [...m.params.groups, ...m.grads.groups]) g.release();
    }
  });

  it("chat: a model dir's chat template renders the conversation, its bos is not added twice, its eos_token ends the reply", async () => {
    // The fixture as a chat model: a tokenizer that adds bos (t1) itself, as Llama's does, and a template that
    // writes it too (as Llama's and Mistral's do): the rendered text is encoded without special tokens.
    const dir = mkdtempSync(join(tmpdir(), 'anneal-llama-chat-'));
    try {
      cpSync(join(DIR, 'config.json'), join(dir, 'config.json'));
      cpSync(join(DIR, 'model.safetensors'), join(dir, 'model.safetensors'));
      const tokenizer = {
        ...wordLevelTokenizerJson(V),
        post_processor: {
          type: 'TemplateProcessing',
          single: [{ SpecialToken: { id: 't1', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
          pair: [{ Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }],
          special_tokens: { t1: { id: 't1', ids: [1], tokens: ['t1'] } },
        },
      };
      writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
      const template =
        "{{ bos_token }}{% for m in messages %}{% if m['role'] == 'user' %} t9 {% else %} t8 {% endif %}{{ m['content'] }}{% endfor %}{% if add_generation_prompt %} t7{% endif %}";
      const conversation = [
        { role: 'user', content: 't11 t12' },
        { role: 'assistant', content: 't13' },
        { role: 'user', content: 't14' },
      ];
      const rendered = [1, 9, 11, 12, 8, 13, 9, 14, 7];
      // The reply's greedy tokens without any chat eos, to pick one the reply reaches as eos_token below.
      const plain = Generator.fromModel(rt, model, fixtureTokenizer());
      const [free] = await plain.generateIds([rendered], { temperature: 0, maxNewTokens: 8 });
      expect(free.tokens.length).toBeGreaterThan(2);
      const eos = free.tokens.find((t, i) => i > 0 && t > 2 && !free.tokens.slice(0, i).includes(t))!;
      writeFileSync(
        join(dir, 'tokenizer_config.json'),
        JSON.stringify({ chat_template: template, bos_token: 't1', eos_token: `t${eos}` }),
      );
      const gen = await Generator.load(rt, dir);
      // A plain prompt still gets the tokenizer's bos; the chat prompt has it once, from the template.
      expect(await gen.tokenizer.encodeBatch(['t9'])).toEqual([[1, 9]]);
      const [reply] = await gen.chat([conversation], { temperature: 0, maxNewTokens: 8 });
      expect(reply.prompt).toBe('t1 t9 t11 t12 t8 t13 t9 t14 t7');
      expect(reply.tokens).toEqual(free.tokens.slice(0, free.tokens.indexOf(eos)));
      expect(reply.finishReason).toBe('eos');
      gen.dispose();
      // A model without a template says so.
      await expect(plain.chat([conversation])).rejects.toThrow(/has no chat template/);
      // A broken tokenizer_config.json fails chat, by name, and leaves plain generation alone.
      writeFileSync(join(dir, 'tokenizer_config.json'), '{not json');
      const broken = await Generator.load(rt, dir);
      const [still] = await broken.generateIds([rendered], { temperature: 0, maxNewTokens: 8 });
      expect(still.tokens).toEqual(free.tokens);
      await expect(broken.chat([conversation])).rejects.toThrow(/tokenizer_config\.json: not valid JSON/);
      broken.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Generator.load reads a Llama model directory (the shipped llama-brown-256 base) and writes text', async () => {
    const gen = await Generator.load(rt, BASE);
    const [g] = await gen.generate(['The jury said'], { temperature: 0, maxNewTokens: 12 });
    expect(g.tokens.length).toBeGreaterThan(0);
    expect(g.text.trim().length).toBeGreaterThan(0);
    gen.dispose();
  });
});
