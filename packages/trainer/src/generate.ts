// Text generation from a causal LM (GPT-2 or a Llama-family decoder) on Anneal's kernels: a prefill over
// the prompts, then one decode step per new token on a per-layer KV cache (kvdecoder.ts and its
// architectures), with the logits processors (repetition penalty) and the sampler (temperature, top-k,
// top-p, greedy) on the GPU. Each step reads back only the chosen token ids — R integers, never the R·V logits.
//
// Batching: R = prompts × numSamples rows decode together, each at its own length. Stop sequences end a row
// when its text contains one (the text is cut before it); streamed pieces hold back any tail that could
// still become a stop sequence, and an incomplete UTF-8 character. A completion also ends at the model's
// end-of-text token: config.json's eos_token_id for a Llama (one id or several), else <|endoftext|>; and
// tokenizer_config.json's eos_token where it names another (a chat model's <|im_end|>).
//
// Chat: a model whose tokenizer_config.json carries a chat template (chat-template.ts) answers conversations;
// the rendered text already holds its special tokens, so it is encoded without adding them again.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Runtime } from '@anneal/kernels/kernel';
import type { KVDtype } from '@anneal/kernels/ops/decode/decode';
import { checkSamplerSettings } from '@anneal/kernels/ops/sample/sample';
import { type ChatMessage, ChatTemplate, tokenizerConfigEos } from './chat-template.ts';
import type { DecoderOptions, KVDecoder } from './kvdecoder.ts';
import { GPTDecoder } from './kvdecoder-gpt.ts';
import { LlamaDecoder } from './kvdecoder-llama.ts';
import { GPT, gptParamSpecs } from './model/gpt.ts';
import { Llama } from './model/llama.ts';
import { LLAMA_MODEL_TYPES, loadLlamaCheckpoint } from './model/llama-pretrained.ts';
import { checkModelDir, loadGPT2Checkpoint } from './model/pretrained.ts';
import { EOS_TOKEN, Tokenizer } from './tokenizer.ts';

/** The causal LMs Anneal generates from. */
export type CausalLM = GPT | Llama;

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

/** The KV-cache decoder of a causal LM, for its architecture. */
export function kvDecoder(
  rt: Runtime,
  model: CausalLM,
  R: number,
  maxT: number,
  opts: DecoderOptions = {},
): KVDecoder {
  return model instanceof Llama
    ? new LlamaDecoder(rt, model, R, maxT, opts)
    : new GPTDecoder(rt, model, R, maxT, opts);
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

/** A model's end-of-text ids and the token unconditional text starts from. */
function specialTokens(model: CausalLM, tokenizer: Tokenizer): { eos: Set<number>; start: number | null } {
  const endoftext = tokenizer.tokenToIdOrNull(EOS_TOKEN);
  if (model instanceof Llama) {
    const { eosTokenId, bosTokenId } = model.config;
    const ids = eosTokenId === null || eosTokenId === undefined ? [] : [eosTokenId].flat();
    const eos = new Set(ids.length ? ids : endoftext === null ? [] : [endoftext]);
    return { eos, start: bosTokenId ?? endoftext ?? ids[0] ?? null };
  }
  return { eos: new Set(endoftext === null ? [] : [endoftext]), start: endoftext };
}

/** config.json's model_type (undefined when absent or unreadable: the loader then names the problem). */
function modelType(dir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { model_type?: string }).model_type;
  } catch {
    return undefined;
  }
}

export class Generator {
  private readonly eos: Set<number>;
  private readonly startToken: number | null;

  private constructor(
    readonly rt: Runtime,
    readonly model: CausalLM,
    readonly tokenizer: Tokenizer,
    private readonly ownsModel: boolean,
    /** KV-cache storage: f32 (default, exact to the full forward) or f16 (half the memory). */
    readonly kvCache: KVDtype = 'f32',
    /** The model directory it was loaded from (its tokenizer_config.json: eos_token, chat template). */
    private readonly modelDir: string | null = null,
  ) {
    const t = specialTokens(model, tokenizer);
    this.eos = t.eos;
    this.startToken = t.start;
    const eos = modelDir === null ? null : tokenizerConfigEos(modelDir);
    const id = eos ? tokenizer.tokenToIdOrNull(eos) : null;
    if (id !== null) this.eos.add(id);
  }

  /**
   * The model's chat template (tokenizer_config.json's chat_template), or null. Read when a chat asks for it, so a
   * broken one fails chat requests only, never plain generation.
   */
  chatTemplate(): ChatTemplate | null {
    return this.modelDir === null ? null : ChatTemplate.fromDir(this.modelDir);
  }

  /**
   * An exported causal-LM model directory (what a run writes under `model/`, or a Hugging Face GPT-2 or
   * Llama-family dir — llama, mistral, qwen2 — with sharded safetensors too).
   */
  static async load(rt: Runtime, modelDir: string, { kvCache = 'f32' as KVDtype } = {}): Promise<Generator> {
    checkModelDir(modelDir, 'model');
    const tokenizer = Tokenizer.fromFile(join(modelDir, 'tokenizer.json'));
    const type = modelType(modelDir);
    if (type !== undefined && LLAMA_MODEL_TYPES.includes(type)) {
      const { config, weights } = loadLlamaCheckpoint(modelDir);
      const model = new Llama(rt, config);
      model.params.write(weights);
      return new Generator(rt, model, tokenizer, true, kvCache, modelDir);
    }
    const { config, weights } = loadGPT2Checkpoint(modelDir, gptParamSpecs);
    const model = new GPT(rt, config);
    model.params.write(weights);
    return new Generator(rt, model, tokenizer, true, kvCache, modelDir);
  }

  /** The model being trained, with its current weights (for samples logged at each evaluation). */
  static fromModel(
    rt: Runtime,
    model: CausalLM,
    tokenizer: Tokenizer,
    { kvCache = 'f32' as KVDtype } = {},
  ): Generator {
    return new Generator(rt, model, tokenizer, false, kvCache);
  }

  /** The longest sequence the model takes. */
  private get context(): number {
    return this.model instanceof Llama ? this.model.config.maxPositions : this.model.config.nPositions;
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
      if (this.startToken === null)
        throw new Error(`prompt ${i} is empty and the model has no ${EOS_TOKEN} or bos token to start from`);
      return [this.startToken]; // unconditional text starts from <|endoftext|> (GPT-2) or bos (Llama)
    });
    return this.generateIds(ids, o, { prompts, onToken });
  }

  /**
   * The model's replies to conversations (each rendered by its chat template, ready for the assistant's turn),
   * as `generate` does for prompts; a Generation's `prompt` is the rendered text.
   */
  async chat(
    conversations: ChatMessage[][],
    opts: Partial<SamplingOptions> = {},
    onToken?: (index: number, piece: string) => void,
  ): Promise<Generation[]> {
    const template = this.chatTemplate();
    if (!template)
      throw new Error(
        'chat: this model has no chat template (its tokenizer_config.json carries no chat_template); use a prompt',
      );
    if (!Array.isArray(conversations) || conversations.length === 0)
      throw new Error('chat: conversations is empty');
    const prompts: string[] = [];
    for (const c of conversations) prompts.push(await template.render(c, { addGenerationPrompt: true }));
    const ids = await this.tokenizer.encodeBatch(prompts, { addSpecialTokens: false });
    return this.generateIds(ids, opts, { prompts, onToken });
  }

  /** Generation from token ids (the tokenizer still turns the output into text and checks stop sequences). */
  async generateIds(
    promptIds: number[][],
    opts: Partial<SamplingOptions> = {},
    { prompts, onToken }: { prompts?: string[]; onToken?: (index: number, piece: string) => void } = {},
  ): Promise<Generation[]> {
    const o = samplingOptions(opts);
    const nPos = this.context;
    promptIds.forEach((p, i) => {
      if (p.length >= nPos)
        throw new Error(
          `prompt ${i} has ${p.length} tokens; the model's context (${nPos}) leaves no room to generate`,
        );
    });
    const R = promptIds.length * o.numSamples;
    const rows = Array.from({ length: R }, (_, r) => promptIds[Math.floor(r / o.numSamples)]);
    const maxT = Math.min(nPos, Math.max(...rows.map((p) => p.length)) + o.maxNewTokens);
    const dec = kvDecoder(this.rt, this.model, R, maxT, {
      trackSeen: o.repetitionPenalty !== 1,
      kvDtype: this.kvCache,
    });
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
          if (this.eos.has(id)) {
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
    if (this.model instanceof Llama) this.model.release();
    for (const g of this.model.params.groups) g.release();
    for (const g of this.model.grads.groups) g.release();
  }
}
