// The KV-cache forward of a Llama-family decoder (model/llama.ts): token embedding, pre-RMSNorm blocks with
// separate q/k/v projections rotated at each token's own position (ops/rope's positions variant) and packed
// into (N, QD + 2·KVD), grouped-query attention over a cache of NKV·HS channels per token, SwiGLU MLP, the
// final RMSNorm and the head (lm_head, or the embedding when tied). It mirrors LlamaBody.trunkForward; the
// RoPE table covers the cache's maxT positions and is computed from the same inv_freq.

import type { Runtime, Step } from '@anneal/kernels/kernel';
import { attentionForward } from '@anneal/kernels/ops/attention/attention';
import { decodeAttention, embedAt, kvAppend } from '@anneal/kernels/ops/decode/decode';
import { residualForward } from '@anneal/kernels/ops/residual/residual';
import { rmsnormForward } from '@anneal/kernels/ops/rmsnorm/rmsnorm';
import { ropeForward, ropeInvFreq, ropeTable } from '@anneal/kernels/ops/rope/rope';
import { swigluForward } from '@anneal/kernels/ops/swiglu/swiglu';
import type { Tensor } from '@anneal/kernels/tensor';
import { type DecoderOptions, KVDecoder, Scratch } from './kvdecoder.ts';
import type { Llama, LlamaConfig } from './model/llama.ts';

class LlamaScratch extends Scratch {
  readonly x: Tensor; // (N, C) residual stream
  readonly ln: Tensor; // (N, C)
  readonly rstd: Tensor; // (N)
  readonly q: Tensor; // (N, QD)
  readonly k: Tensor; // (N, KVD)
  readonly v: Tensor; // (N, KVD)
  readonly qkv: Tensor; // (N, QD + 2·KVD), rotated
  readonly atty: Tensor; // (N, QD)
  readonly proj: Tensor; // (N, C)
  readonly x2: Tensor; // (N, C)
  readonly gate: Tensor; // (N, I)
  readonly up: Tensor; // (N, I)
  readonly act: Tensor; // (N, I)
  readonly scores: Tensor; // decode: (R, NH, T, maxT); prefill: lse (R, NH, T)
  /** (N) zeros: the embedding kernel's position index into a zero row (Llama has no position table). */
  readonly zeros: Tensor<'u32'>;

  constructor(rt: Runtime, R: number, T: number, c: LlamaConfig, maxT: number, decode: boolean) {
    super(rt, R, T);
    const [N, C, I] = [this.N, c.hiddenSize, c.intermediateSize];
    const QD = c.nHead * c.headDim;
    const KVD = c.nKvHead * c.headDim;
    this.x = this.t([N, C], 'x');
    this.ln = this.t([N, C], 'ln');
    this.rstd = this.t([N], 'rstd');
    this.q = this.t([N, QD], 'q');
    this.k = this.t([N, KVD], 'k');
    this.v = this.t([N, KVD], 'v');
    this.qkv = this.t([N, QD + 2 * KVD], 'qkv');
    this.atty = this.t([N, QD], 'atty');
    this.proj = this.t([N, C], 'proj');
    this.x2 = this.t([N, C], 'x2');
    this.gate = this.t([N, I], 'gate');
    this.up = this.t([N, I], 'up');
    this.act = this.t([N, I], 'act');
    this.scores = this.t(decode ? [R, c.nHead, T, maxT] : [R, c.nHead, T], decode ? 'scores' : 'lse');
    this.zeros = this.keep(rt.empty([N], 'gen.zeros', 'u32'));
    rt.fill(this.zeros, 0);
  }
}

export class LlamaDecoder extends KVDecoder<LlamaScratch> {
  private readonly rope: Tensor; // (maxT, HS/2, 2) cos/sin
  private readonly zeroRow: Tensor; // (1, C)
  private readonly lastRstd: Tensor; // (R)

  constructor(
    rt: Runtime,
    readonly llama: Llama,
    R: number,
    maxT: number,
    opts: DecoderOptions = {},
  ) {
    const c = llama.config;
    super(
      rt,
      llama,
      {
        vocabSize: c.vocabSize,
        hidden: c.hiddenSize,
        nLayer: c.nLayer,
        kvWidth: c.nKvHead * c.headDim,
        maxPositions: c.maxPositions,
      },
      R,
      maxT,
      opts,
    );
    const inv = ropeInvFreq(c.headDim, c.ropeTheta, c.ropeScaling);
    this.rope = this.own(rt.upload(ropeTable(inv, maxT), [maxT, c.headDim / 2, 2], 'gen.rope.table'));
    this.zeroRow = this.own(rt.empty([1, c.hiddenSize], 'gen.zero_row'));
    rt.fill(this.zeroRow, 0);
    this.lastRstd = this.own(rt.empty([R], 'gen.last_rstd'));
  }

  protected scratch(R: number, T: number, decode: boolean): LlamaScratch {
    return new LlamaScratch(this.rt, R, T, this.llama.config, this.maxT, decode);
  }

  protected embed(s: Step, sc: LlamaScratch, tokens: Tensor<'u32'>): void {
    embedAt(s, sc.x, tokens, sc.zeros, this.p('model.embed_tokens.weight'), this.zeroRow, {
      R: sc.N,
      C: this.llama.config.hiddenSize,
    });
  }

  protected blocks(s: Step, sc: LlamaScratch, prefill: boolean): Tensor {
    const c = this.llama.config;
    const { hiddenSize: C, nHead: NH, nKvHead: NKV, headDim: HS, rmsNormEps: eps } = c;
    const { R, T, N } = sc;
    const QD = NH * HS;
    const cache = { C: QD, maxT: this.maxT, dtype: this.kvDtype };
    for (let l = 0; l < c.nLayer; l++) {
      const h = `model.layers.${l}`;
      const a = `${h}.self_attn`;
      rmsnormForward(s, sc.ln, sc.rstd, sc.x, this.p(`${h}.input_layernorm.weight`), { N, C, eps });
      this.dense(s, sc.q, sc.ln, `${a}.q_proj`, sc, 'out-in');
      this.dense(s, sc.k, sc.ln, `${a}.k_proj`, sc, 'out-in');
      this.dense(s, sc.v, sc.ln, `${a}.v_proj`, sc, 'out-in');
      // Every token at its own position: the prefill's 0..T-1 per row, a decode step's lengths[r].
      ropeForward(s, sc.qkv, sc.q, sc.k, sc.v, this.rope, { B: R, T, NH, NKV, HS }, sc.positions);
      kvAppend(s, this.k[l], this.v[l], sc.qkv, this.start, { B: R, T, KVC: NKV * HS, ...cache });
      if (prefill)
        attentionForward(s, sc.atty, sc.scores, sc.qkv, null, { B: R, T, C: QD, NH, NKV, causal: true });
      else
        decodeAttention(s, sc.atty, sc.scores, sc.qkv, this.k[l], this.v[l], this.start, {
          B: R,
          Tq: T,
          NH,
          NKV,
          ...cache,
        });
      this.dense(s, sc.proj, sc.atty, `${a}.o_proj`, sc, 'out-in');
      residualForward(s, sc.x2, sc.x, sc.proj);
      rmsnormForward(s, sc.ln, sc.rstd, sc.x2, this.p(`${h}.post_attention_layernorm.weight`), {
        N,
        C,
        eps,
      });
      this.dense(s, sc.gate, sc.ln, `${h}.mlp.gate_proj`, sc, 'out-in');
      this.dense(s, sc.up, sc.ln, `${h}.mlp.up_proj`, sc, 'out-in');
      swigluForward(s, sc.act, sc.gate, sc.up);
      this.dense(s, sc.proj, sc.act, `${h}.mlp.down_proj`, sc, 'out-in');
      // x ← x2 + proj: the residual stream stays in sc.x.
      residualForward(s, sc.x, sc.x2, sc.proj);
    }
    return sc.x;
  }

  /** Final RMSNorm and the LM head (lm_head, or the embedding when tied). */
  protected head(s: Step, h: Tensor): void {
    const { hiddenSize: C, rmsNormEps: eps, tieWordEmbeddings } = this.llama.config;
    rmsnormForward(s, this.lastLn, this.lastRstd, h, this.p('model.norm.weight'), { N: this.R, C, eps });
    this.lmHead(s, this.p(tieWordEmbeddings ? 'model.embed_tokens.weight' : 'lm_head.weight'));
  }
}
