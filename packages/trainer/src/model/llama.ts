// Llama-family decoders (Llama 2/3, Mistral, Qwen2, SmolLM, TinyLlama) on Anneal's kernels, forward and
// backward written out by hand as gpt.ts is.
//
// Architecture (Hugging Face's LlamaForCausalLM): token embedding, L pre-norm blocks —
//   h = x + o_proj(attn(rope(q_proj(rms₁(x))), rope(k_proj(…)), v_proj(…)))      (grouped-query, causal)
//   x' = h + down_proj(silu(gate_proj(rms₂(h))) · up_proj(rms₂(h)))
// — a final RMSNorm and an LM head, untied (`lm_head.weight`) or tied to the embedding
// (`tie_word_embeddings`). Parameters use HF's names (`model.layers.0.self_attn.q_proj.weight`) and nn.Linear's
// (out, in) layout, so a checkpoint's safetensors load as they are. q/k/v biases with `attention_bias` (Llama:
// o_proj too) or Qwen2's fixed q/k/v biases.
//
// The separate q, k, v projections keep HF's names and LoRA's per-module adapters; the RoPE kernel rotates
// q and k and packs them with v into the (B, T, C + 2·KVC) layout the fused attention reads, so nothing else
// is copied. Positions start at 0 for every sequence; generation runs the same blocks on a KV cache, each
// token at its own position (kvdecoder-llama.ts).

import type { Runtime, Step } from '@anneal/kernels/kernel';
import { attentionBackward, attentionForward } from '@anneal/kernels/ops/attention/attention';
import {
  crossentropyBackward,
  crossentropyForward,
  IGNORE_INDEX,
} from '@anneal/kernels/ops/crossentropy/crossentropy';
import {
  bucketTokens,
  embeddingBackward,
  embeddingForward,
  uploadBuckets,
} from '@anneal/kernels/ops/embedding/embedding';
import { residualForward } from '@anneal/kernels/ops/residual/residual';
import { rmsnormBackward, rmsnormForward } from '@anneal/kernels/ops/rmsnorm/rmsnorm';
import {
  type RopeScaling,
  ropeBackward,
  ropeForward,
  ropeInvFreq,
  ropeTable,
} from '@anneal/kernels/ops/rope/rope';
import { swigluBackward, swigluForward } from '@anneal/kernels/ops/swiglu/swiglu';
import type { Tensor } from '@anneal/kernels/tensor';
import { type Layout, layoutOf, PackedSet, type ParamSpec, trainableGrad } from '../params.ts';
import type { LMBatch } from './gpt.ts';
import { linearBackward, linearForward } from './linear.ts';
import { Adapters } from './lora.ts';

export interface LlamaConfig {
  vocabSize: number;
  hiddenSize: number;
  intermediateSize: number;
  nLayer: number;
  nHead: number;
  /** Key/value heads (grouped-query attention): divides nHead. */
  nKvHead: number;
  /** Per-head size; hiddenSize / nHead unless the config says otherwise (`head_dim`). */
  headDim: number;
  /** Longest sequence the RoPE table covers (`max_position_embeddings`). */
  maxPositions: number;
  rmsNormEps: number;
  ropeTheta: number;
  ropeScaling: RopeScaling | null;
  tieWordEmbeddings: boolean;
  /** Biases on q_proj, k_proj, v_proj (Llama's `attention_bias`, always for Qwen2). */
  qkvBias: boolean;
  /** A bias on o_proj (Llama's `attention_bias`; Qwen2 has none). */
  oBias: boolean;
  /** config.json's special token ids, kept for the files a run writes (documents end with eos). */
  bosTokenId?: number | null;
  eosTokenId?: number | number[] | null;
}

const layer = (l: number) => `model.layers.${l}`;

/** LoRA's usual targets on a Llama: every attention and MLP projection (PEFT's `all-linear` minus the head). */
export const LLAMA_LORA_TARGETS = [
  'q_proj',
  'k_proj',
  'v_proj',
  'o_proj',
  'gate_proj',
  'up_proj',
  'down_proj',
];

export function llamaParamSpecs(c: LlamaConfig): ParamSpec[] {
  const C = c.hiddenSize;
  const QD = c.nHead * c.headDim;
  const KVD = c.nKvHead * c.headDim;
  const I = c.intermediateSize;
  const specs: ParamSpec[] = [{ name: 'model.embed_tokens.weight', shape: [c.vocabSize, C], decay: true }];
  for (let l = 0; l < c.nLayer; l++) {
    const h = layer(l);
    const a = `${h}.self_attn`;
    specs.push({ name: `${h}.input_layernorm.weight`, shape: [C], decay: false });
    for (const [m, out] of [
      ['q_proj', QD],
      ['k_proj', KVD],
      ['v_proj', KVD],
    ] as const) {
      specs.push({ name: `${a}.${m}.weight`, shape: [out, C], decay: true });
      if (c.qkvBias) specs.push({ name: `${a}.${m}.bias`, shape: [out], decay: false });
    }
    specs.push({ name: `${a}.o_proj.weight`, shape: [C, QD], decay: true });
    if (c.oBias) specs.push({ name: `${a}.o_proj.bias`, shape: [C], decay: false });
    specs.push(
      { name: `${h}.post_attention_layernorm.weight`, shape: [C], decay: false },
      { name: `${h}.mlp.gate_proj.weight`, shape: [I, C], decay: true },
      { name: `${h}.mlp.up_proj.weight`, shape: [I, C], decay: true },
      { name: `${h}.mlp.down_proj.weight`, shape: [C, I], decay: true },
    );
  }
  specs.push({ name: 'model.norm.weight', shape: [C], decay: false });
  if (!c.tieWordEmbeddings) specs.push({ name: 'lm_head.weight', shape: [c.vocabSize, C], decay: true });
  return specs;
}

/** Throws, naming the field, unless the shape is one the kernels run. */
export function checkLlamaConfig(c: LlamaConfig, source = 'config'): void {
  for (const key of [
    'vocabSize',
    'hiddenSize',
    'intermediateSize',
    'nLayer',
    'nHead',
    'nKvHead',
    'headDim',
    'maxPositions',
  ] as const) {
    if (!Number.isInteger(c[key]) || c[key] <= 0)
      throw new Error(`${source}: ${key} must be a positive integer, got ${c[key]}`);
  }
  if (c.nHead % c.nKvHead !== 0)
    throw new Error(
      `${source}: num_key_value_heads (${c.nKvHead}) must divide num_attention_heads (${c.nHead})`,
    );
  if (c.headDim % 2) throw new Error(`${source}: head_dim (${c.headDim}) must be even for rotary embeddings`);
  if (c.headDim > 128)
    throw new Error(`${source}: head_dim (${c.headDim}) exceeds the attention kernels' 128`);
  if (!(c.rmsNormEps > 0)) throw new Error(`${source}: rms_norm_eps must be positive, got ${c.rmsNormEps}`);
  ropeInvFreq(c.headDim, c.ropeTheta, c.ropeScaling); // throws on an unsupported rope_scaling
}

interface LayerActs {
  ln1: Tensor; // (BT, C)
  rstd1: Tensor; // (BT)
  qkv: Tensor; // (BT, QD + 2·KVD), rotated
  atty: Tensor; // (BT, QD)
  lse: Tensor; // (B, NH, T)
  residual2: Tensor; // (BT, C)
  ln2: Tensor; // (BT, C)
  rstd2: Tensor; // (BT)
  gate: Tensor; // (BT, I)
  up: Tensor; // (BT, I)
  act: Tensor; // (BT, I) silu(gate)·up
  residual3: Tensor; // (BT, C)
}

class Activations {
  readonly encoded: Tensor;
  readonly zeroPos: Tensor; // (T, C) zeros: the embedding kernel's position table (Llama has none)
  readonly layers: LayerActs[];
  readonly lnf: Tensor;
  readonly rstdf: Tensor;
  readonly logits: Tensor;
  readonly losses: Tensor;
  readonly lseV: Tensor;
  readonly tokens: Tensor;
  readonly targets: Tensor;
  // forward scratch shared by the layers
  readonly q: Tensor;
  readonly k: Tensor;
  readonly v: Tensor;
  readonly proj: Tensor; // (BT, C) o_proj / down_proj output before the residual add
  // backward scratch
  readonly dresidual: Tensor;
  readonly dbt: Tensor; // (BT, C)
  readonly dI0: Tensor; // (BT, I)
  readonly dI1: Tensor;
  readonly dI2: Tensor;
  readonly dqkv: Tensor;
  readonly dq: Tensor;
  readonly dk: Tensor;
  readonly dv: Tensor;
  readonly datty: Tensor;
  readonly dlogits: Tensor;
  readonly D: Tensor;
  private readonly all: Tensor[] = [];

  constructor(
    rt: Runtime,
    readonly B: number,
    readonly T: number,
    c: LlamaConfig,
  ) {
    const BT = B * T;
    const C = c.hiddenSize;
    const QD = c.nHead * c.headDim;
    const KVD = c.nKvHead * c.headDim;
    const W = QD + 2 * KVD;
    const I = c.intermediateSize;
    const t = (shape: number[], label: string, dtype: 'f32' | 'u32' | 'i32' = 'f32') => {
      const x = rt.empty(shape, label, dtype);
      this.all.push(x);
      return x;
    };
    this.encoded = t([BT, C], 'encoded');
    this.zeroPos = t([T, C], 'zero.positions');
    rt.fill(this.zeroPos, 0);
    this.layers = Array.from({ length: c.nLayer }, (_, l) => ({
      ln1: t([BT, C], `l${l}.ln1`),
      rstd1: t([BT], `l${l}.ln1.rstd`),
      qkv: t([BT, W], `l${l}.qkv`),
      atty: t([BT, QD], `l${l}.atty`),
      lse: t([B, c.nHead, T], `l${l}.lse`),
      residual2: t([BT, C], `l${l}.residual2`),
      ln2: t([BT, C], `l${l}.ln2`),
      rstd2: t([BT], `l${l}.ln2.rstd`),
      gate: t([BT, I], `l${l}.gate`),
      up: t([BT, I], `l${l}.up`),
      act: t([BT, I], `l${l}.act`),
      residual3: t([BT, C], `l${l}.residual3`),
    }));
    this.lnf = t([BT, C], 'lnf');
    this.rstdf = t([BT], 'lnf.rstd');
    this.logits = t([BT, c.vocabSize], 'logits');
    this.losses = t([BT], 'losses');
    this.lseV = t([BT], 'lse.vocab');
    this.tokens = t([B, T], 'tokens', 'u32');
    this.targets = t([B, T], 'targets', 'i32');
    this.q = t([BT, QD], 'q');
    this.k = t([BT, KVD], 'k');
    this.v = t([BT, KVD], 'v');
    this.proj = t([BT, C], 'proj');
    this.dresidual = t([BT, C], 'dresidual');
    this.dbt = t([BT, C], 'd.btc');
    this.dI0 = t([BT, I], 'd.bti.0');
    this.dI1 = t([BT, I], 'd.bti.1');
    this.dI2 = t([BT, I], 'd.bti.2');
    this.dqkv = t([BT, W], 'd.qkv');
    this.dq = t([BT, QD], 'd.q');
    this.dk = t([BT, KVD], 'd.k');
    this.dv = t([BT, KVD], 'd.v');
    this.datty = t([BT, QD], 'd.atty');
    this.dlogits = t([BT, c.vocabSize], 'd.logits');
    this.D = t([B, c.nHead, T], 'd.attn.D');
  }

  release(): void {
    for (const x of this.all) x.release();
  }
}

/** Embedding, blocks and final RMSNorm, forward and backward; the heads are the subclasses. */
export abstract class LlamaBody {
  readonly layout: Layout;
  readonly params: PackedSet;
  readonly grads: PackedSet;
  readonly adapters: Adapters | null;
  /** inv_freq from rope_theta and rope_scaling, and the (positions, headDim/2, 2) cos/sin table the kernels
   * read: grown to the longest sequence seen (a 128k-context config would otherwise upload 64 MB up front). */
  private readonly invFreq: Float64Array;
  private rope: Tensor | null = null;
  protected acts: Activations | null = null;
  protected trunk: { B: number; T: number; buckets: ReturnType<typeof uploadBuckets> } | null = null;

  constructor(
    readonly rt: Runtime,
    readonly config: LlamaConfig,
    specs: ParamSpec[] = llamaParamSpecs(config),
  ) {
    checkLlamaConfig(config);
    this.layout = layoutOf(specs);
    this.params = new PackedSet(rt, this.layout, 'param');
    this.grads = new PackedSet(rt, this.layout, 'grad');
    this.adapters = Adapters.of(rt, this.layout, this.params, this.grads);
    this.invFreq = ropeInvFreq(config.headDim, config.ropeTheta, config.ropeScaling);
  }

  protected p(name: string): Tensor {
    return this.params.get(name);
  }

  protected g(name: string): Tensor {
    return this.grads.get(name);
  }

  private bias(module: string): Tensor | null {
    return this.params.views.get(`${module}.bias`) ?? null;
  }

  /** nn.Linear `module` (weight (out, in), optional bias), with its LoRA adapter when it has one. */
  protected dense(s: Step, y: Tensor, x: Tensor, module: string, BT: number): void {
    const lora = this.adapters?.get(module, BT) ?? null;
    linearForward(s, y, x, this.p(`${module}.weight`), this.bias(module), BT, {
      weightLayout: 'out-in',
      lora,
    });
  }

  /** Backward of `dense`: dx overwritten (or added to with accumulate); frozen gradients skipped. */
  protected denseBackward(
    s: Step,
    dx: Tensor,
    dy: Tensor,
    x: Tensor,
    module: string,
    BT: number,
    accumulate = false,
  ): void {
    const dw = trainableGrad(this.layout, this.grads, `${module}.weight`);
    const db = this.bias(module) ? trainableGrad(this.layout, this.grads, `${module}.bias`) : null;
    const lora = this.adapters?.get(module, BT) ?? null;
    linearBackward(s, dx, dw, db, dy, x, this.p(`${module}.weight`), BT, {
      weightLayout: 'out-in',
      accumulateInput: accumulate,
      lora,
    });
  }

  protected activations(B: number, T: number): Activations {
    if (T > this.config.maxPositions)
      throw new Error(`sequence length ${T} exceeds max_position_embeddings ${this.config.maxPositions}`);
    const rows = this.rope ? this.rope.shape[0] : 0;
    if (rows < T) {
      const n = Math.min(this.config.maxPositions, Math.max(T, 2 * rows, 256));
      this.rope?.release();
      this.rope = this.rt.upload(ropeTable(this.invFreq, n), [n, this.config.headDim / 2, 2], 'rope.table');
    }
    if (!this.acts || this.acts.B !== B || this.acts.T !== T) {
      this.acts?.release();
      this.acts = new Activations(this.rt, B, T, this.config);
    }
    return this.acts;
  }

  private dims(B: number, T: number) {
    const { nHead: NH, nKvHead: NKV, headDim: HS } = this.config;
    return { attn: { B, T, C: NH * HS, NH, NKV, causal: true }, rope: { B, T, NH, NKV, HS } };
  }

  /** Embedding, the blocks and the final RMSNorm: a.lnf (BT, C) holds the result. */
  protected trunkForward(s: Step, tokens: Uint32Array, B: number, T: number): Activations {
    const { hiddenSize: C, vocabSize: V, rmsNormEps: eps } = this.config;
    const BT = B * T;
    if (tokens.length !== BT) throw new Error(`tokens: expected ${BT} ids for B=${B} T=${T}`);
    for (const id of tokens)
      if (id >= V) throw new Error(`tokens: id ${id} is outside the vocabulary (${V})`);
    const a = this.activations(B, T);
    this.rt.write(a.tokens, tokens);
    if (this.trunk) releaseBuckets(this.trunk.buckets);
    this.trunk = { B, T, buckets: uploadBuckets(this.rt, bucketTokens(tokens)) };
    const d = this.dims(B, T);

    embeddingForward(s, a.encoded, a.tokens, this.p('model.embed_tokens.weight'), a.zeroPos, { B, T, C });
    let residual = a.encoded;
    for (let l = 0; l < this.config.nLayer; l++) {
      const h = layer(l);
      const x = a.layers[l];
      rmsnormForward(s, x.ln1, x.rstd1, residual, this.p(`${h}.input_layernorm.weight`), { N: BT, C, eps });
      this.dense(s, a.q, x.ln1, `${h}.self_attn.q_proj`, BT);
      this.dense(s, a.k, x.ln1, `${h}.self_attn.k_proj`, BT);
      this.dense(s, a.v, x.ln1, `${h}.self_attn.v_proj`, BT);
      ropeForward(s, x.qkv, a.q, a.k, a.v, this.rope!, d.rope);
      attentionForward(s, x.atty, x.lse, x.qkv, null, d.attn);
      this.dense(s, a.proj, x.atty, `${h}.self_attn.o_proj`, BT);
      residualForward(s, x.residual2, residual, a.proj);
      rmsnormForward(s, x.ln2, x.rstd2, x.residual2, this.p(`${h}.post_attention_layernorm.weight`), {
        N: BT,
        C,
        eps,
      });
      this.dense(s, x.gate, x.ln2, `${h}.mlp.gate_proj`, BT);
      this.dense(s, x.up, x.ln2, `${h}.mlp.up_proj`, BT);
      swigluForward(s, x.act, x.gate, x.up);
      this.dense(s, a.proj, x.act, `${h}.mlp.down_proj`, BT);
      residualForward(s, x.residual3, x.residual2, a.proj);
      residual = x.residual3;
    }
    rmsnormForward(s, a.lnf, a.rstdf, residual, this.p('model.norm.weight'), { N: BT, C, eps });
    return a;
  }

  /** From d(lnf) in a.dbt back through the blocks to the embedding. */
  protected trunkBackward(s: Step): void {
    const a = this.acts!;
    const { B, T, buckets } = this.trunk!;
    const C = this.config.hiddenSize;
    const BT = B * T;
    const d = this.dims(B, T);
    const grad = (n: string) => trainableGrad(this.layout, this.grads, n);
    const L = this.config.nLayer;
    const last = L ? a.layers[L - 1].residual3 : a.encoded;
    rmsnormBackward(
      s,
      a.dresidual,
      grad('model.norm.weight'),
      a.dbt,
      last,
      this.p('model.norm.weight'),
      a.rstdf,
      {
        N: BT,
        C,
        accumulate: false,
      },
    );
    for (let l = L - 1; l >= 0; l--) {
      const h = layer(l);
      const x = a.layers[l];
      const residual = l === 0 ? a.encoded : a.layers[l - 1].residual3;
      // residual3 = residual2 + down(act): dresidual flows to both.
      this.denseBackward(s, a.dI0, a.dresidual, x.act, `${h}.mlp.down_proj`, BT);
      swigluBackward(s, a.dI1, a.dI2, a.dI0, x.gate, x.up);
      this.denseBackward(s, a.dbt, a.dI1, x.ln2, `${h}.mlp.gate_proj`, BT);
      this.denseBackward(s, a.dbt, a.dI2, x.ln2, `${h}.mlp.up_proj`, BT, true);
      const w2 = `${h}.post_attention_layernorm.weight`;
      rmsnormBackward(s, a.dresidual, grad(w2), a.dbt, x.residual2, this.p(w2), x.rstd2, { N: BT, C });
      // residual2 = residual + o_proj(atty)
      this.denseBackward(s, a.datty, a.dresidual, x.atty, `${h}.self_attn.o_proj`, BT);
      attentionBackward(s, a.dqkv, a.D, a.datty, x.qkv, x.atty, x.lse, null, d.attn);
      ropeBackward(s, a.dq, a.dk, a.dv, a.dqkv, this.rope!, d.rope);
      this.denseBackward(s, a.dbt, a.dq, x.ln1, `${h}.self_attn.q_proj`, BT);
      this.denseBackward(s, a.dbt, a.dk, x.ln1, `${h}.self_attn.k_proj`, BT, true);
      this.denseBackward(s, a.dbt, a.dv, x.ln1, `${h}.self_attn.v_proj`, BT, true);
      const w1 = `${h}.input_layernorm.weight`;
      rmsnormBackward(s, a.dresidual, grad(w1), a.dbt, residual, this.p(w1), x.rstd1, { N: BT, C });
    }
    embeddingBackward(s, grad('model.embed_tokens.weight'), null, a.dresidual, buckets, { B, T, C });
  }

  /** The LM head's weight (V, C): lm_head, or the embedding when tied. */
  protected headName(): string {
    return this.config.tieWordEmbeddings ? 'model.embed_tokens.weight' : 'lm_head.weight';
  }

  release(): void {
    this.acts?.release();
    this.acts = null;
    if (this.trunk) releaseBuckets(this.trunk.buckets);
    this.trunk = null;
    this.adapters?.release();
    this.rope?.release();
    this.rope = null;
  }
}

/** LlamaForCausalLM: the trunk and its language-model head, with the mean next-token cross-entropy. */
export class Llama extends LlamaBody {
  private lm: { counted: number } | null = null;

  forward(s: Step, batch: LMBatch): void {
    const { B, T } = batch;
    const V = this.config.vocabSize;
    const BT = B * T;
    const a = this.trunkForward(s, batch.tokens, B, T);
    this.lm = null;
    linearForward(s, a.logits, a.lnf, this.p(this.headName()), null, BT, { weightLayout: 'out-in' });
    if (!batch.targets) return;
    if (batch.targets.length !== BT) throw new Error(`targets: expected ${BT} for B=${B} T=${T}`);
    let counted = 0;
    for (const t of batch.targets) {
      if (t === IGNORE_INDEX) continue;
      if (t < 0 || t >= V) throw new Error(`targets: ${t} is outside the vocabulary (${V})`);
      counted++;
    }
    this.rt.write(a.targets, batch.targets);
    this.lm = { counted };
    crossentropyForward(s, a.losses, a.lseV, a.logits, a.targets, { N: BT, V });
  }

  backward(s: Step): void {
    const a = this.acts;
    const trunk = this.trunk;
    if (!this.lm || !a || !trunk) throw new Error('backward: run forward with targets first');
    const BT = trunk.B * trunk.T;
    const V = this.config.vocabSize;
    const scale = this.lm.counted ? 1 / this.lm.counted : 0;
    crossentropyBackward(s, a.dlogits, a.logits, a.lseV, a.targets, { N: BT, V, scale });
    const head = this.headName();
    linearBackward(
      s,
      a.dbt,
      trainableGrad(this.layout, this.grads, head),
      null,
      a.dlogits,
      a.lnf,
      this.p(head),
      BT,
      {
        weightLayout: 'out-in',
      },
    );
    this.trunkBackward(s);
  }

  async readLoss(): Promise<number> {
    if (!this.lm || !this.acts) throw new Error('readLoss: run forward with targets first');
    const losses = await this.rt.read(this.acts.losses);
    let sum = 0;
    for (const v of losses) sum += v;
    return this.lm.counted ? sum / this.lm.counted : 0;
  }

  async readLogits(): Promise<Float32Array> {
    if (!this.acts) throw new Error('readLogits: run forward first');
    return (await this.rt.read(this.acts.logits)) as Float32Array;
  }
}

function releaseBuckets(b: ReturnType<typeof uploadBuckets>): void {
  b.tokens.release();
  b.offsets.release();
  b.positions.release();
}
