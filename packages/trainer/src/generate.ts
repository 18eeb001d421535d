// Text generation from a GPT-2-style causal LM on Anneal's kernels: a prefill over the prompts (the fused
// causal attention), then one decode step per new token on a per-layer KV cache, with the logits processors
// (repetition penalty) and the sampler (temperature, top-k, top-p, greedy) on the GPU. Each step reads back
// only the chosen token ids — R integers, never the R·V logits.
//
// Batching: R = prompts × numSamples rows decode together. Prompts are right-padded to the longest in the
// prefill and every row keeps its own length, so a row's new token goes to its own position (its keys and
// values overwrite the padding slots of the cache before anything reads them).
// Stop sequences end a row when its text contains one (the text is cut before it); streamed pieces hold back
// any tail that could still become a stop sequence, and an incomplete UTF-8 character.

import { join } from 'node:path';
import type { Runtime, Step } from '@anneal/kernels/kernel';
import { attentionForward } from '@anneal/kernels/ops/attention/attention';
import { decodeAttention, embedAt, kvAppend } from '@anneal/kernels/ops/decode/decode';
import { geluForward } from '@anneal/kernels/ops/gelu/gelu';
import { gemv, gemvFits } from '@anneal/kernels/ops/gemv/gemv';
import { layernormForward } from '@anneal/kernels/ops/layernorm/layernorm';
import { gatherForward } from '@anneal/kernels/ops/pool/pool';
import { residualForward } from '@anneal/kernels/ops/residual/residual';
import {
  checkSamplerSettings,
  markSeen,
  repetitionPenalty,
  sampleTokens,
} from '@anneal/kernels/ops/sample/sample';
import type { Tensor } from '@anneal/kernels/tensor';
import { GPT, type GPTConfig, gptParamSpecs } from './model/gpt.ts';
import { linearForward } from './model/linear.ts';
import type { LoraAdapter } from './model/lora.ts';
import { checkModelDir, loadGPT2Checkpoint } from './model/pretrained.ts';
import { EOS_TOKEN, Tokenizer } from './tokenizer.ts';

export interface SamplingOptions {
  /** Tokens to generate per completion at most (default 64). */
  maxNewTokens: number;
  /** 0 = greedy (default 1). */
  temperature: number;
  /** 0 = off (default). */
  topK: number;
  /** 1 = off (default). */
  topP: number;
  /** 1 = off (default); CTRL-style, as Hugging Face's RepetitionPenaltyLogitsProcessor. */
  repetitionPenalty: number;
  /** Sampling is bit-reproducible for a seed (default 0). */
  seed: number;
  /** Stop sequences: a completion ends at the first one, which is not included in its text. */
  stop: string[];
  /** Completions per prompt (default 1). */
  numSamples: number;
}

export const DEFAULT_SAMPLING: SamplingOptions = {
  maxNewTokens: 64,
  temperature: 1,
  topK: 0,
  topP: 1,
  repetitionPenalty: 1,
  seed: 0,
  stop: [],
  numSamples: 1,
};

export interface Generation {
  prompt: string;
  /** The completion (without the prompt, the stop sequence or the end-of-text token). */
  text: string;
  /** The generated token ids (without the prompt and the end-of-text token). */
  tokens: number[];
  finishReason: 'length' | 'stop' | 'eos';
}

/** Checks options, naming the field and what was wrong. */
export function samplingOptions(o: Partial<SamplingOptions> = {}): SamplingOptions {
  const known = new Set(Object.keys(DEFAULT_SAMPLING));
  for (const k of Object.keys(o)) if (!known.has(k)) throw new Error(`generate: unknown option ${k}`);
  const r: SamplingOptions = { ...DEFAULT_SAMPLING };
  for (const [k, v] of Object.entries(o))
    if (v !== undefined) (r as unknown as Record<string, unknown>)[k] = v;
  if (!(Number.isInteger(r.maxNewTokens) && r.maxNewTokens >= 1))
    throw new Error(`maxNewTokens must be an integer >= 1, got ${r.maxNewTokens}`);
  if (!(Number.isInteger(r.numSamples) && r.numSamples >= 1))
    throw new Error(`numSamples must be an integer >= 1, got ${r.numSamples}`);
  if (!(Number.isFinite(r.repetitionPenalty) && r.repetitionPenalty > 0))
    throw new Error(`repetitionPenalty must be a finite number > 0, got ${r.repetitionPenalty}`);
  if (!Array.isArray(r.stop) || r.stop.some((s) => typeof s !== 'string' || s === ''))
    throw new Error('stop must be a list of non-empty strings');
  checkSamplerSettings({ temperature: r.temperature, topK: r.topK, topP: r.topP, seed: r.seed });
  return r;
}

/** The activations of one forward over N = R·T new tokens (the prefill's, or a decode step's with T = 1). */
class Scratch {
  readonly x: Tensor; // (N, C) residual stream
  readonly ln: Tensor; // (N, C)
  readonly mean: Tensor; // (N)
  readonly rstd: Tensor; // (N)
  readonly qkv: Tensor; // (N, 3C)
  readonly atty: Tensor; // (N, C)
  readonly proj: Tensor; // (N, C)
  readonly x2: Tensor; // (N, C)
  readonly fc: Tensor; // (N, 4C)
  readonly fcGelu: Tensor; // (N, 4C)
  readonly scores: Tensor; // decode: (R, NH, T, maxT); prefill: lse (R, NH, T)
  readonly tokens: Tensor<'u32'>; // (N)
  readonly positions: Tensor<'u32'>; // (N)
  readonly lora: Map<number, { u: Tensor; t0: Tensor }> = new Map();
  private readonly all: Tensor[] = [];

  constructor(
    private readonly rt: Runtime,
    readonly R: number,
    readonly T: number,
    c: GPTConfig,
    maxT: number,
    decode: boolean,
  ) {
    const N = R * T;
    const C = c.nEmbd;
    const t = (shape: number[], label: string) => this.keep(rt.empty(shape, `gen.${label}`));
    this.x = t([N, C], 'x');
    this.ln = t([N, C], 'ln');
    this.mean = t([N], 'mean');
    this.rstd = t([N], 'rstd');
    this.qkv = t([N, 3 * C], 'qkv');
    this.atty = t([N, C], 'atty');
    this.proj = t([N, C], 'proj');
    this.x2 = t([N, C], 'x2');
    this.fc = t([N, 4 * C], 'fc');
    this.fcGelu = t([N, 4 * C], 'fc_gelu');
    this.scores = t(decode ? [R, c.nHead, T, maxT] : [R, c.nHead, T], decode ? 'scores' : 'lse');
    this.tokens = this.keep(rt.empty([N], 'gen.tokens', 'u32'));
    this.positions = this.keep(rt.empty([N], 'gen.positions', 'u32'));
  }

  private keep<T extends Tensor>(x: T): T {
    this.all.push(x);
    return x;
  }

  /** LoRA scratch for rank r: u and t0 (N, r). */
  loraScratch(rank: number): { u: Tensor; t0: Tensor } {
    let s = this.lora.get(rank);
    if (!s) {
      const N = this.R * this.T;
      s = {
        u: this.keep(this.rt.empty([N, rank], 'gen.lora.u')),
        t0: this.keep(this.rt.empty([N, rank], 'gen.lora.t0')),
      };
      this.lora.set(rank, s);
    }
    return s;
  }

  release(): void {
    for (const x of this.all) x.release();
  }
}

/**
 * The KV-cache forward of a GPT on token ids: `prefill` the prompts of R rows, then `decode` one token per
 * row per step. After either, `logits` (R, V) holds each row's next-token logits; `sample` records the
 * logits processors and the sampler, writing the chosen ids into `next` (R), which the following `decode`
 * embeds without a round trip through the CPU.
 */
export class KVDecoder {
  readonly R: number;
  readonly maxT: number;
  /** Tokens each row holds in the cache (its prompt plus what it generated). */
  readonly lengths: number[];
  readonly logits: Tensor; // (R, V)
  readonly next: Tensor<'u32'>; // (R)
  private readonly k: Tensor[];
  private readonly v: Tensor[];
  private readonly start: Tensor<'u32'>; // (R) where this step's first token goes
  private readonly seen: Tensor<'u32'> | null; // (R, V) for the repetition penalty
  private readonly last: Tensor; // (R, C)
  private readonly lastLn: Tensor; // (R, C)
  private readonly lastIdx: Tensor<'u32'>; // (R)
  private readonly lastMean: Tensor; // (R)
  private readonly lastRstd: Tensor; // (R)
  private step: Scratch | null = null;
  private readonly owned: Tensor[] = [];

  constructor(
    readonly rt: Runtime,
    readonly model: GPT,
    R: number,
    maxT: number,
    { trackSeen = false } = {},
  ) {
    const c = model.config;
    if (!(Number.isInteger(R) && R >= 1))
      throw new Error(`KVDecoder: rows must be a positive integer, got ${R}`);
    if (!(Number.isInteger(maxT) && maxT >= 1 && maxT <= c.nPositions))
      throw new Error(`KVDecoder: maxT must be an integer in [1, nPositions=${c.nPositions}], got ${maxT}`);
    this.R = R;
    this.maxT = maxT;
    this.lengths = new Array(R).fill(0);
    const own = <T extends Tensor>(x: T): T => {
      this.owned.push(x);
      return x;
    };
    this.k = Array.from({ length: c.nLayer }, (_, l) => own(rt.empty([R, maxT, c.nEmbd], `kv.k${l}`)));
    this.v = Array.from({ length: c.nLayer }, (_, l) => own(rt.empty([R, maxT, c.nEmbd], `kv.v${l}`)));
    this.logits = own(rt.empty([R, c.vocabSize], 'gen.logits'));
    this.next = own(rt.empty([R], 'gen.next', 'u32'));
    this.start = own(rt.empty([R], 'gen.start', 'u32'));
    this.seen = trackSeen ? own(rt.empty([R, c.vocabSize], 'gen.seen', 'u32')) : null;
    if (this.seen) rt.fill(this.seen, 0);
    this.last = own(rt.empty([R, c.nEmbd], 'gen.last'));
    this.lastLn = own(rt.empty([R, c.nEmbd], 'gen.last_ln'));
    this.lastIdx = own(rt.empty([R], 'gen.last_idx', 'u32'));
    this.lastMean = own(rt.empty([R], 'gen.last_mean'));
    this.lastRstd = own(rt.empty([R], 'gen.last_rstd'));
  }

  private p(name: string): Tensor {
    return this.model.params.get(name);
  }

  /** A block's dense layer, with its LoRA update when the model has one (as GPTBody.dense). */
  private dense(s: Step, y: Tensor, x: Tensor, module: string, sc: Scratch): void {
    const N = sc.R * sc.T;
    const A = `${module}.lora_A.weight`;
    const spec = this.model.layout.specs.find((q) => q.name === A);
    let lora: LoraAdapter | null = null;
    if (spec?.loraScale !== undefined) {
      const a = this.p(A);
      const b = this.p(`${module}.lora_B.weight`);
      const rank = a.shape[0];
      const { u, t0 } = sc.loraScratch(rank);
      lora = { A: a, B: b, dA: a, dB: b, rank, scale: spec.loraScale, u, t0, t1: t0 };
    }
    const w = this.p(`${module}.weight`);
    const [K, OC] = w.shape;
    // A decode step has one row per sequence: a GEMV, not a tiled matmul.
    if (!lora && gemvFits(N, OC, K, false)) gemv(s, y, x, w, this.p(`${module}.bias`), { M: N, N: OC, K });
    else linearForward(s, y, x, w, this.p(`${module}.bias`), N, { lora });
  }

  /** The blocks over sc.x; each layer's new keys and values go to the cache at start[r] + t. */
  private blocks(s: Step, sc: Scratch, prefill: boolean): Tensor {
    const { nEmbd: C, nHead: NH, layerNormEps: eps, nLayer } = this.model.config;
    const { R, T } = sc;
    const N = R * T;
    let x = sc.x;
    for (let l = 0; l < nLayer; l++) {
      const h = `h.${l}`;
      layernormForward(s, sc.ln, sc.mean, sc.rstd, x, this.p(`${h}.ln_1.weight`), this.p(`${h}.ln_1.bias`), {
        N,
        C,
        eps,
      });
      this.dense(s, sc.qkv, sc.ln, `${h}.attn.c_attn`, sc);
      kvAppend(s, this.k[l], this.v[l], sc.qkv, this.start, { B: R, T, C, maxT: this.maxT });
      if (prefill) attentionForward(s, sc.atty, sc.scores, sc.qkv, null, { B: R, T, C, NH, causal: true });
      else
        decodeAttention(s, sc.atty, sc.scores, sc.qkv, this.k[l], this.v[l], this.start, {
          B: R,
          Tq: T,
          C,
          NH,
          maxT: this.maxT,
        });
      this.dense(s, sc.proj, sc.atty, `${h}.attn.c_proj`, sc);
      residualForward(s, sc.x2, x, sc.proj);
      layernormForward(
        s,
        sc.ln,
        sc.mean,
        sc.rstd,
        sc.x2,
        this.p(`${h}.ln_2.weight`),
        this.p(`${h}.ln_2.bias`),
        {
          N,
          C,
          eps,
        },
      );
      this.dense(s, sc.fc, sc.ln, `${h}.mlp.c_fc`, sc);
      geluForward(s, sc.fcGelu, sc.fc);
      this.dense(s, sc.proj, sc.fcGelu, `${h}.mlp.c_proj`, sc);
      // x ← x2 + proj: the residual stream stays in sc.x.
      residualForward(s, sc.x, sc.x2, sc.proj);
      x = sc.x;
    }
    return x;
  }

  /** Final LayerNorm and the tied LM head over R rows of hidden states. */
  private head(s: Step, h: Tensor): void {
    const { nEmbd: C, layerNormEps: eps } = this.model.config;
    layernormForward(
      s,
      this.lastLn,
      this.lastMean,
      this.lastRstd,
      h,
      this.p('ln_f.weight'),
      this.p('ln_f.bias'),
      {
        N: this.R,
        C,
        eps,
      },
    );
    const wte = this.p('wte.weight');
    const [V] = wte.shape;
    // gemv for any number of rows (blocks of 8): it also binds a head over the binding limit in row blocks.
    if (gemvFits(this.R, V, C, true, Number.POSITIVE_INFINITY))
      gemv(s, this.logits, this.lastLn, wte, null, { M: this.R, N: V, K: C }, { transB: true });
    else linearForward(s, this.logits, this.lastLn, wte, null, this.R, { weightLayout: 'out-in' });
  }

  /** Records and submits the prefill of every row's prompt (ids), replacing whatever the cache held. */
  prefill(prompts: number[][]): void {
    const { vocabSize: V, nEmbd: C } = this.model.config;
    if (prompts.length !== this.R) throw new Error(`prefill: ${prompts.length} prompts for ${this.R} rows`);
    const T = Math.max(...prompts.map((p) => p.length));
    prompts.forEach((p, r) => {
      if (p.length === 0) throw new Error(`prompt ${r} has no tokens`);
      if (p.length > this.maxT)
        throw new Error(`prompt ${r} has ${p.length} tokens; the cache holds ${this.maxT}`);
      for (const id of p)
        if (!(Number.isInteger(id) && id >= 0 && id < V))
          throw new Error(`prompt ${r}: token id ${id} is outside the vocabulary (${V})`);
    });
    const sc = new Scratch(this.rt, this.R, T, this.model.config, this.maxT, false);
    const tokens = new Uint32Array(this.R * T);
    const positions = new Uint32Array(this.R * T);
    prompts.forEach((p, r) => {
      tokens.set(p, r * T);
      for (let t = 0; t < T; t++) positions[r * T + t] = t;
      this.lengths[r] = p.length;
    });
    this.rt.write(sc.tokens, tokens);
    this.rt.write(sc.positions, positions);
    this.rt.write(this.start, new Uint32Array(this.R));
    this.rt.write(
      this.lastIdx,
      Uint32Array.from(prompts, (p) => p.length - 1),
    );
    if (this.seen) {
      const seen = new Uint32Array(this.R * V);
      prompts.forEach((p, r) => {
        for (const id of p) seen[r * V + id] = 1;
      });
      this.rt.write(this.seen, seen);
    }
    const s = this.rt.step('generate.prefill');
    embedAt(s, sc.x, sc.tokens, sc.positions, this.p('wte.weight'), this.p('wpe.weight'), {
      R: this.R * T,
      C,
    });
    const h = this.blocks(s, sc, true);
    gatherForward(s, this.last, h, this.lastIdx, { B: this.R, T, C });
    this.head(s, this.last);
    this.rt.submit(s);
    sc.release();
  }

  /**
   * Records one decode step into `s`: row r's token (from `next`, or `tokens` when given) goes to position
   * lengths[r]; `active` rows advance, the others rewrite their last slot (their output is ignored).
   */
  decode(s: Step, tokens?: ArrayLike<number>, active?: boolean[]): void {
    const c = this.model.config;
    this.step ??= new Scratch(this.rt, this.R, 1, c, this.maxT, true);
    const sc = this.step;
    const pos = new Uint32Array(this.R);
    for (let r = 0; r < this.R; r++) {
      const advance = active ? active[r] : true;
      if (advance && this.lengths[r] >= this.maxT)
        throw new Error(`decode: row ${r} is full (${this.maxT} tokens in the cache)`);
      pos[r] = advance ? this.lengths[r] : Math.max(0, this.lengths[r] - 1);
      if (advance) this.lengths[r]++;
    }
    this.rt.write(sc.positions, pos);
    this.rt.write(this.start, pos);
    if (tokens) {
      for (const id of Array.from(tokens))
        if (!(Number.isInteger(id) && id >= 0 && id < c.vocabSize))
          throw new Error(`decode: token id ${id} is outside the vocabulary (${c.vocabSize})`);
      this.rt.write(this.next, Uint32Array.from(tokens));
    }
    embedAt(s, sc.x, this.next, sc.positions, this.p('wte.weight'), this.p('wpe.weight'), {
      R: this.R,
      C: c.nEmbd,
    });
    const h = this.blocks(s, sc, false);
    this.head(s, h);
  }

  /** Records the logits processors and the sampler: next (R) = the chosen ids. */
  sample(s: Step, o: SamplingOptions, step: number): void {
    const V = this.model.config.vocabSize;
    if (this.seen && o.repetitionPenalty !== 1)
      repetitionPenalty(s, this.logits, this.seen, o.repetitionPenalty);
    sampleTokens(s, this.next, this.logits, { R: this.R, V }, { ...o, step });
    if (this.seen) markSeen(s, this.seen, this.next, { R: this.R, V });
  }

  readLogits(): Promise<Float32Array> {
    return this.rt.read(this.logits) as Promise<Float32Array>;
  }

  readNext(): Promise<Uint32Array> {
    return this.rt.read(this.next) as Promise<Uint32Array>;
  }

  dispose(): void {
    this.step?.release();
    this.step = null;
    for (const x of this.owned) x.release();
  }
}

/** The longest suffix of `text` that is a proper prefix of a stop sequence (held back while streaming). */
function pendingStop(text: string, stops: string[]): number {
  let hold = 0;
  for (const st of stops)
    for (let n = Math.min(st.length - 1, text.length); n > hold; n--)
      if (text.endsWith(st.slice(0, n))) {
        hold = n;
        break;
      }
  return hold;
}

export class Generator {
  private readonly eos: number | null;

  private constructor(
    readonly rt: Runtime,
    readonly model: GPT,
    readonly tokenizer: Tokenizer,
    private readonly ownsModel: boolean,
  ) {
    this.eos = tokenizer.tokenToIdOrNull(EOS_TOKEN);
  }

  /** An exported causal-LM model directory (what a run writes under `model/`, or a HF GPT-2 dir). */
  static async load(rt: Runtime, modelDir: string): Promise<Generator> {
    checkModelDir(modelDir, 'model');
    const { config, weights } = loadGPT2Checkpoint(modelDir, gptParamSpecs);
    const tokenizer = Tokenizer.fromFile(join(modelDir, 'tokenizer.json'));
    const model = new GPT(rt, config);
    model.params.write(weights);
    return new Generator(rt, model, tokenizer, true);
  }

  /** The model being trained, with its current weights (for samples logged at each evaluation). */
  static fromModel(rt: Runtime, model: GPT, tokenizer: Tokenizer): Generator {
    return new Generator(rt, model, tokenizer, false);
  }

  /**
   * Completions of each prompt: numSamples per prompt, in prompt order (prompt i's sample j at i·numSamples + j),
   * decoded together as one batch. onToken(index, piece) streams each completion's text as it grows (index into
   * the result); the pieces of a completion add up to its final text.
   */
  async generate(
    prompts: string[],
    opts: Partial<SamplingOptions> = {},
    onToken?: (index: number, piece: string) => void,
  ): Promise<Generation[]> {
    const o = samplingOptions(opts);
    if (!Array.isArray(prompts) || prompts.length === 0) throw new Error('generate: prompts is empty');
    if (prompts.some((p) => typeof p !== 'string'))
      throw new Error('generate: every prompt must be a string');
    const encoded = await this.tokenizer.encodeBatch(prompts);
    const ids = encoded.map((e, i) => {
      if (e.length > 0) return e;
      if (this.eos === null)
        throw new Error(`prompt ${i} is empty and the tokenizer has no ${EOS_TOKEN} to start from`);
      return [this.eos]; // GPT-2 starts unconditional text from <|endoftext|>
    });
    return this.generateIds(ids, o, { prompts, onToken });
  }

  /** Generation from token ids (the tokenizer still turns the output into text and checks stop sequences). */
  async generateIds(
    promptIds: number[][],
    opts: Partial<SamplingOptions> = {},
    { prompts, onToken }: { prompts?: string[]; onToken?: (index: number, piece: string) => void } = {},
  ): Promise<Generation[]> {
    const o = samplingOptions(opts);
    const nPos = this.model.config.nPositions;
    promptIds.forEach((p, i) => {
      if (p.length >= nPos)
        throw new Error(
          `prompt ${i} has ${p.length} tokens; the model's context (${nPos}) leaves no room to generate`,
        );
    });
    const R = promptIds.length * o.numSamples;
    const rows = Array.from({ length: R }, (_, r) => promptIds[Math.floor(r / o.numSamples)]);
    const maxT = Math.min(nPos, Math.max(...rows.map((p) => p.length)) + o.maxNewTokens);
    const dec = new KVDecoder(this.rt, this.model, R, maxT, { trackSeen: o.repetitionPenalty !== 1 });
    const out = rows.map((_, r) => ({
      prompt: prompts?.[Math.floor(r / o.numSamples)] ?? '',
      text: '',
      tokens: [] as number[],
      finishReason: 'length' as Generation['finishReason'],
      done: false,
      emitted: 0,
    }));
    try {
      dec.prefill(rows);
      for (let step = 0; ; step++) {
        const s = this.rt.step('generate.sample');
        dec.sample(s, o, step);
        this.rt.submit(s);
        const next = await dec.readNext();
        for (let r = 0; r < R; r++) {
          const g = out[r];
          if (g.done) continue;
          const id = next[r];
          if (this.eos !== null && id === this.eos) {
            g.finishReason = 'eos';
            g.done = true;
          } else {
            g.tokens.push(id);
            let text = await this.tokenizer.decode(g.tokens);
            const cut = o.stop.map((st) => text.indexOf(st)).filter((i) => i >= 0);
            if (cut.length) {
              text = text.slice(0, Math.min(...cut));
              g.finishReason = 'stop';
              g.done = true;
            } else if (g.tokens.length >= o.maxNewTokens || dec.lengths[r] >= maxT) {
              g.done = true; // 'length'
            }
            g.text = text;
          }
          if (onToken) {
            let upto = g.text.length;
            if (!g.done) {
              upto -= pendingStop(g.text, o.stop);
              while (upto > g.emitted && g.text[upto - 1] === '\uFFFD') upto--; // an incomplete character
            }
            if (upto > g.emitted) {
              onToken(r, g.text.slice(g.emitted, upto));
              g.emitted = upto;
            }
          }
        }
        const active = out.map((g) => !g.done);
        if (!active.some(Boolean)) break;
        const d = this.rt.step('generate.decode');
        dec.decode(d, undefined, active);
        this.rt.submit(d);
      }
    } finally {
      dec.dispose();
    }
    return out.map(({ prompt, text, tokens, finishReason }) => ({ prompt, text, tokens, finishReason }));
  }

  dispose(): void {
    if (!this.ownsModel) return;
    for (const g of this.model.params.groups) g.release();
    for (const g of this.model.grads.groups) g.release();
  }
}
