// The KV-cache forward of a causal LM, the part every architecture shares: per-layer key/value caches, each
// row's length, the prefill (prompts right-padded to the longest, each row's last prompt token gathered for
// the head) and the decode step (one token per row at its own position), the logits processors and the
// sampler. An architecture (kvdecoder-gpt.ts, kvdecoder-llama.ts) supplies its scratch activations, the
// embedding, the blocks and the head; generate.ts drives any of them.
//
// Rows have their own lengths: a row's new token goes to position lengths[r], and its keys and values
// overwrite the padding slots of its cache before anything reads them. The cache stores f32 (the decode then
// matches the full forward to f32 rounding) or f16 pairs (half the memory and bandwidth).

import type { Runtime, Step } from '@anneal/kernels/kernel';
import { type KVDtype, kvCacheElements } from '@anneal/kernels/ops/decode/decode';
import { gemv, gemvFits } from '@anneal/kernels/ops/gemv/gemv';
import { gatherForward } from '@anneal/kernels/ops/pool/pool';
import { markSeen, repetitionPenalty, sampleTokens } from '@anneal/kernels/ops/sample/sample';
import type { Tensor } from '@anneal/kernels/tensor';
import type { SamplingOptions } from './generate.ts';
import { linearForward, type WeightLayout } from './model/linear.ts';
import type { LoraAdapter } from './model/lora.ts';
import type { Layout, PackedSet } from './params.ts';

/** What the shared decoder needs to know of a model. */
export interface DecoderShape {
  vocabSize: number;
  /** Width of the residual stream (C). */
  hidden: number;
  nLayer: number;
  /** Channels of keys (and of values) per token: C for GPT-2, NKV·HS for a grouped-query Llama. */
  kvWidth: number;
  /** The longest sequence the model takes (its positions). */
  maxPositions: number;
}

export interface DecoderOptions {
  /** Keep an (R, V) seen-token mask for the repetition penalty. */
  trackSeen?: boolean;
  kvDtype?: KVDtype;
}

/** The activations of one forward over N = R·T new tokens (the prefill's, or a decode step's with T = 1). */
export class Scratch {
  readonly N: number;
  readonly tokens: Tensor<'u32'>; // (N)
  readonly positions: Tensor<'u32'>; // (N)
  readonly lora: Map<number, { u: Tensor; t0: Tensor }> = new Map();
  private readonly all: Tensor[] = [];

  constructor(
    readonly rt: Runtime,
    readonly R: number,
    readonly T: number,
  ) {
    this.N = R * T;
    this.tokens = this.keep(rt.empty([this.N], 'gen.tokens', 'u32'));
    this.positions = this.keep(rt.empty([this.N], 'gen.positions', 'u32'));
  }

  /** A scratch tensor released with the others. */
  protected t(shape: number[], label: string): Tensor {
    return this.keep(this.rt.empty(shape, `gen.${label}`));
  }

  protected keep<T extends Tensor>(x: T): T {
    this.all.push(x);
    return x;
  }

  /** LoRA scratch for rank r: u and t0 (N, r). */
  loraScratch(rank: number): { u: Tensor; t0: Tensor } {
    let s = this.lora.get(rank);
    if (!s) {
      s = { u: this.t([this.N, rank], 'lora.u'), t0: this.t([this.N, rank], 'lora.t0') };
      this.lora.set(rank, s);
    }
    return s;
  }

  release(): void {
    for (const x of this.all) x.release();
  }
}

/**
 * `prefill` the prompts of R rows, then `decode` one token per row per step. After either, `logits` (R, V)
 * holds each row's next-token logits; `sample` records the logits processors and the sampler, writing the
 * chosen ids into `next` (R), which the following `decode` embeds without a round trip through the CPU.
 */
export abstract class KVDecoder<S extends Scratch = Scratch> {
  readonly R: number;
  readonly maxT: number;
  /** Tokens each row holds in the cache (its prompt plus what it generated). */
  readonly lengths: number[];
  /** How the cache stores keys and values: f32, or f16 (half the memory; logits then differ by ~1e-3). */
  readonly kvDtype: KVDtype;
  readonly logits: Tensor; // (R, V)
  readonly next: Tensor<'u32'>; // (R)
  protected readonly k: Tensor[]; // per layer (R, maxT, KVC)
  protected readonly v: Tensor[];
  protected readonly start: Tensor<'u32'>; // (R) where this step's first token goes
  protected readonly lastLn: Tensor; // (R, C) the final norm's output, the head's input
  private readonly seen: Tensor<'u32'> | null; // (R, V) for the repetition penalty
  private readonly last: Tensor; // (R, C)
  private readonly lastIdx: Tensor<'u32'>; // (R)
  private step: S | null = null;
  private readonly owned: Tensor[] = [];

  constructor(
    readonly rt: Runtime,
    readonly model: { params: PackedSet; layout: Layout },
    readonly shape: DecoderShape,
    R: number,
    maxT: number,
    { trackSeen = false, kvDtype = 'f32' }: DecoderOptions = {},
  ) {
    const { vocabSize: V, hidden: C, maxPositions } = shape;
    if (!(Number.isInteger(R) && R >= 1))
      throw new Error(`KVDecoder: rows must be a positive integer, got ${R}`);
    if (!(Number.isInteger(maxT) && maxT >= 1 && maxT <= maxPositions))
      throw new Error(
        `KVDecoder: maxT must be an integer in [1, the model's ${maxPositions} positions], got ${maxT}`,
      );
    this.R = R;
    this.maxT = maxT;
    this.lengths = new Array(R).fill(0);
    this.kvDtype = kvDtype;
    const kvN = kvCacheElements(R, maxT, shape.kvWidth, kvDtype);
    const cache = (l: number, kv: string) =>
      this.own(rt.empty([kvN], `kv.${kv}${l}`, kvDtype === 'f16' ? 'u32' : 'f32'));
    this.k = Array.from({ length: shape.nLayer }, (_, l) => cache(l, 'k'));
    this.v = Array.from({ length: shape.nLayer }, (_, l) => cache(l, 'v'));
    this.logits = this.own(rt.empty([R, V], 'gen.logits'));
    this.next = this.own(rt.empty([R], 'gen.next', 'u32'));
    this.start = this.own(rt.empty([R], 'gen.start', 'u32'));
    this.seen = trackSeen ? this.own(rt.empty([R, V], 'gen.seen', 'u32')) : null;
    if (this.seen) rt.fill(this.seen, 0);
    this.last = this.own(rt.empty([R, C], 'gen.last'));
    this.lastLn = this.own(rt.empty([R, C], 'gen.last_ln'));
    this.lastIdx = this.own(rt.empty([R], 'gen.last_idx', 'u32'));
  }

  protected own<T extends Tensor>(x: T): T {
    this.owned.push(x);
    return x;
  }

  protected p(name: string): Tensor {
    return this.model.params.get(name);
  }

  /** The activations of R rows of T tokens (decode: T = 1, and the attention's score scratch). */
  protected abstract scratch(R: number, T: number, decode: boolean): S;
  /** sc.x ← the embeddings of `tokens` (N) at sc.positions. */
  protected abstract embed(s: Step, sc: S, tokens: Tensor<'u32'>): void;
  /** The blocks over the embeddings; each layer's new keys and values go to the cache at start[r] + t. */
  protected abstract blocks(s: Step, sc: S, prefill: boolean): Tensor;
  /** The final norm of h (R, C) into lastLn, then `lmHead`. */
  protected abstract head(s: Step, h: Tensor): void;

  /** A dense layer (weight in either layout, optional bias), with its LoRA update when the model has one. */
  protected dense(s: Step, y: Tensor, x: Tensor, module: string, sc: S, layout: WeightLayout): void {
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
    const bias = this.model.params.views.get(`${module}.bias`) ?? null;
    const transB = layout === 'out-in';
    const [K, OC] = transB ? [w.shape[1], w.shape[0]] : w.shape;
    // A decode step has one row per sequence: a GEMV, not a tiled matmul.
    if (!lora && gemvFits(sc.N, OC, K, transB)) gemv(s, y, x, w, bias, { M: sc.N, N: OC, K }, { transB });
    else linearForward(s, y, x, w, bias, sc.N, { weightLayout: layout, lora });
  }

  /** logits (R, V) = lastLn · Wᵀ for the (V, C) head weight. */
  protected lmHead(s: Step, w: Tensor): void {
    const C = this.shape.hidden;
    const [V] = w.shape;
    // gemv for any number of rows (blocks of 8): it also binds a head over the binding limit in row blocks.
    if (gemvFits(this.R, V, C, true, Number.POSITIVE_INFINITY))
      gemv(s, this.logits, this.lastLn, w, null, { M: this.R, N: V, K: C }, { transB: true });
    else linearForward(s, this.logits, this.lastLn, w, null, this.R, { weightLayout: 'out-in' });
  }

  /** Records and submits the prefill of every row's prompt (ids), replacing whatever the cache held. */
  prefill(prompts: number[][]): void {
    const { vocabSize: V, hidden: C } = this.shape;
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
    const sc = this.scratch(this.R, T, false);
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
    this.embed(s, sc, sc.tokens);
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
    const V = this.shape.vocabSize;
    this.step ??= this.scratch(this.R, 1, true);
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
        if (!(Number.isInteger(id) && id >= 0 && id < V))
          throw new Error(`decode: token id ${id} is outside the vocabulary (${V})`);
      this.rt.write(this.next, Uint32Array.from(tokens));
    }
    this.embed(s, sc, this.next);
    const h = this.blocks(s, sc, false);
    this.head(s, h);
  }

  /** Records the logits processors and the sampler: next (R) = the chosen ids. */
  sample(s: Step, o: SamplingOptions, step: number): void {
    const V = this.shape.vocabSize;
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
