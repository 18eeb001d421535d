// The KV-cache forward of a GPT-2 (model/gpt.ts): token + learned position embeddings, pre-LayerNorm blocks
// with the packed c_attn (B, T, 3C) the decode kernels read as they are, GELU MLP, the head tied to wte.

import type { Runtime, Step } from '@anneal/kernels/kernel';
import { attentionForward } from '@anneal/kernels/ops/attention/attention';
import { decodeAttention, embedAt, kvAppend } from '@anneal/kernels/ops/decode/decode';
import { geluForward } from '@anneal/kernels/ops/gelu/gelu';
import { layernormForward } from '@anneal/kernels/ops/layernorm/layernorm';
import { residualForward } from '@anneal/kernels/ops/residual/residual';
import type { Tensor } from '@anneal/kernels/tensor';
import { type DecoderOptions, KVDecoder, Scratch } from './kvdecoder.ts';
import type { GPT, GPTConfig } from './model/gpt.ts';

class GPTScratch extends Scratch {
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

  constructor(rt: Runtime, R: number, T: number, c: GPTConfig, maxT: number, decode: boolean) {
    super(rt, R, T);
    const [N, C] = [this.N, c.nEmbd];
    this.x = this.t([N, C], 'x');
    this.ln = this.t([N, C], 'ln');
    this.mean = this.t([N], 'mean');
    this.rstd = this.t([N], 'rstd');
    this.qkv = this.t([N, 3 * C], 'qkv');
    this.atty = this.t([N, C], 'atty');
    this.proj = this.t([N, C], 'proj');
    this.x2 = this.t([N, C], 'x2');
    this.fc = this.t([N, 4 * C], 'fc');
    this.fcGelu = this.t([N, 4 * C], 'fc_gelu');
    this.scores = this.t(decode ? [R, c.nHead, T, maxT] : [R, c.nHead, T], decode ? 'scores' : 'lse');
  }
}

export class GPTDecoder extends KVDecoder<GPTScratch> {
  private readonly lastMean: Tensor; // (R)
  private readonly lastRstd: Tensor; // (R)

  constructor(
    rt: Runtime,
    readonly gpt: GPT,
    R: number,
    maxT: number,
    opts: DecoderOptions = {},
  ) {
    const c = gpt.config;
    super(
      rt,
      gpt,
      {
        vocabSize: c.vocabSize,
        hidden: c.nEmbd,
        nLayer: c.nLayer,
        kvWidth: c.nEmbd,
        maxPositions: c.nPositions,
      },
      R,
      maxT,
      opts,
    );
    this.lastMean = this.own(rt.empty([R], 'gen.last_mean'));
    this.lastRstd = this.own(rt.empty([R], 'gen.last_rstd'));
  }

  protected scratch(R: number, T: number, decode: boolean): GPTScratch {
    return new GPTScratch(this.rt, R, T, this.gpt.config, this.maxT, decode);
  }

  protected embed(s: Step, sc: GPTScratch, tokens: Tensor<'u32'>): void {
    embedAt(s, sc.x, tokens, sc.positions, this.p('wte.weight'), this.p('wpe.weight'), {
      R: sc.N,
      C: this.gpt.config.nEmbd,
    });
  }

  protected blocks(s: Step, sc: GPTScratch, prefill: boolean): Tensor {
    const { nEmbd: C, nHead: NH, layerNormEps: eps, nLayer } = this.gpt.config;
    const { R, T, N } = sc;
    const ln = (out: Tensor, x: Tensor, name: string) =>
      layernormForward(s, out, sc.mean, sc.rstd, x, this.p(`${name}.weight`), this.p(`${name}.bias`), {
        N,
        C,
        eps,
      });
    const cache = { C, maxT: this.maxT, dtype: this.kvDtype };
    let x = sc.x;
    for (let l = 0; l < nLayer; l++) {
      const h = `h.${l}`;
      ln(sc.ln, x, `${h}.ln_1`);
      this.dense(s, sc.qkv, sc.ln, `${h}.attn.c_attn`, sc, 'in-out');
      kvAppend(s, this.k[l], this.v[l], sc.qkv, this.start, { B: R, T, ...cache });
      if (prefill) attentionForward(s, sc.atty, sc.scores, sc.qkv, null, { B: R, T, C, NH, causal: true });
      else
        decodeAttention(s, sc.atty, sc.scores, sc.qkv, this.k[l], this.v[l], this.start, {
          B: R,
          Tq: T,
          NH,
          ...cache,
        });
      this.dense(s, sc.proj, sc.atty, `${h}.attn.c_proj`, sc, 'in-out');
      residualForward(s, sc.x2, x, sc.proj);
      ln(sc.ln, sc.x2, `${h}.ln_2`);
      this.dense(s, sc.fc, sc.ln, `${h}.mlp.c_fc`, sc, 'in-out');
      geluForward(s, sc.fcGelu, sc.fc);
      this.dense(s, sc.proj, sc.fcGelu, `${h}.mlp.c_proj`, sc, 'in-out');
      // x ← x2 + proj: the residual stream stays in sc.x.
      residualForward(s, sc.x, sc.x2, sc.proj);
      x = sc.x;
    }
    return x;
  }

  /** Final LayerNorm and the LM head tied to wte. */
  protected head(s: Step, h: Tensor): void {
    const { nEmbd: C, layerNormEps: eps } = this.gpt.config;
    layernormForward(
      s,
      this.lastLn,
      this.lastMean,
      this.lastRstd,
      h,
      this.p('ln_f.weight'),
      this.p('ln_f.bias'),
      { N: this.R, C, eps },
    );
    this.lmHead(s, this.p('wte.weight'));
  }
}
