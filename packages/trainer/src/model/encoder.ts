// A BERT-style encoder's body on Anneal's kernels, forward and backward by hand: the embeddings and the
// blocks, shared by its two heads (encoder-classifier.ts: sequence classification; encoder-mlm.ts: masked-LM
// pretraining), as gpt.ts's GPTBody is shared by GPT and GPTClassifier.
//
// Architecture (Hugging Face BertModel, segment-free): word + learned position embeddings, LayerNorm, then L
// post-LayerNorm blocks — x = LN(x + Attn(x)), x = LN(x + FFN(x)) — with bidirectional attention under a
// key-padding mask and a GELU feed-forward. There is no tanh pooler layer.
// Weights use nn.Linear's (out, in) layout and Hugging Face names, except that Q, K and V are one fused
// `attention.self.qkv` tensor so a single matmul feeds the fused attention kernel; pretrained.ts splits and
// joins them at the Hugging Face boundary.
// GELU: BERT's exact erf form (hidden_act 'gelu') or the tanh form ('gelu_new', Anneal's own bases).
// Not here: token-type (segment) embeddings (folded into positions on load: every token is type 0).

import type { Runtime, Step } from '@anneal/kernels/kernel';
import { attentionBackward, attentionForward } from '@anneal/kernels/ops/attention/attention';
import {
  bucketTokens,
  embeddingBackward,
  embeddingForward,
  uploadBuckets,
} from '@anneal/kernels/ops/embedding/embedding';
import { geluBackward, geluForward } from '@anneal/kernels/ops/gelu/gelu';
import { layernormBackward, layernormForward } from '@anneal/kernels/ops/layernorm/layernorm';
import { residualForward } from '@anneal/kernels/ops/residual/residual';
import type { Tensor } from '@anneal/kernels/tensor';
import { type Layout, layoutOf, PackedSet, type ParamSpec, trainableGrad } from '../params.ts';
import { linearBackward, linearForward } from './linear.ts';
import { Adapters } from './lora.ts';

export interface EncoderConfig {
  vocabSize: number;
  maxPositions: number;
  nLayer: number;
  nHead: number;
  hidden: number;
  intermediate: number;
  layerNormEps: number;
  numLabels: number;
  pooling: 'first' | 'mean';
  /** The head the checkpoint carries: 'classifier' (default, EncoderClassifier) or 'mlm' (EncoderMLM). */
  head?: 'classifier' | 'mlm';
  /** Hugging Face's hidden_act: 'gelu' (exact, erf: BERT) or 'gelu_new' (tanh approximation, the default). */
  hiddenAct?: 'gelu' | 'gelu_new';
}

/** The masked-LM head's parameter prefix (BertForMaskedLM's names). */
export const MLM = 'cls.predictions';

/** The parameters of the body and of the head `c.head` names, in Hugging Face names (Q, K, V fused). */
export function encoderParamSpecs(c: EncoderConfig): ParamSpec[] {
  const C = c.hidden;
  const I = c.intermediate;
  const ln = (n: string): ParamSpec[] => [
    { name: `${n}.weight`, shape: [C], decay: false },
    { name: `${n}.bias`, shape: [C], decay: false },
  ];
  const linear = (n: string, out: number, inp: number): ParamSpec[] => [
    { name: `${n}.weight`, shape: [out, inp], decay: true },
    { name: `${n}.bias`, shape: [out], decay: false },
  ];
  const specs: ParamSpec[] = [
    { name: 'embeddings.word_embeddings.weight', shape: [c.vocabSize, C], decay: true },
    { name: 'embeddings.position_embeddings.weight', shape: [c.maxPositions, C], decay: true },
    ...ln('embeddings.LayerNorm'),
  ];
  for (let l = 0; l < c.nLayer; l++) {
    const p = `encoder.layer.${l}`;
    specs.push(
      ...linear(`${p}.attention.self.qkv`, 3 * C, C),
      ...linear(`${p}.attention.output.dense`, C, C),
      ...ln(`${p}.attention.output.LayerNorm`),
      ...linear(`${p}.intermediate.dense`, I, C),
      ...linear(`${p}.output.dense`, C, I),
      ...ln(`${p}.output.LayerNorm`),
    );
  }
  if (c.head === 'mlm') {
    specs.push(...linear(`${MLM}.transform.dense`, C, C), ...ln(`${MLM}.transform.LayerNorm`), {
      name: `${MLM}.bias`,
      shape: [c.vocabSize],
      decay: false,
    });
  } else specs.push(...linear('classifier', c.numLabels, C));
  return specs;
}

/**
 * Token ids (B, T), attention mask (B, T) (1 = token, 0 = padding), labels (B) for the classifier head, or
 * targets (B, T) for the masked-LM head (the original id at masked positions, IGNORE_INDEX elsewhere).
 */
export interface ClassificationBatch {
  B: number;
  T: number;
  tokens: Uint32Array;
  mask: Uint32Array;
  labels: Int32Array | null;
  targets?: Int32Array | null;
}

interface Block {
  x: Tensor; // (B, T, C) input of the block
  qkv: Tensor; // (B, T, 3C)
  att: Tensor; // (B, T, C)
  lse: Tensor; // (B, NH, T)
  ao: Tensor; // (B, T, C)
  r1: Tensor; // (B, T, C) x + ao
  x1: Tensor; // (B, T, C) LN1(r1)
  m1: Tensor;
  s1: Tensor; // (B, T) mean, rstd
  h: Tensor; // (B, T, I)
  g: Tensor; // (B, T, I)
  o: Tensor; // (B, T, C)
  r2: Tensor; // (B, T, C) x1 + o
  m2: Tensor;
  s2: Tensor;
}

/** The body's activations for one (B, T), plus the scratch its backward pass (and a head's) needs. */
class Acts {
  private all: Tensor[] = [];
  readonly emb: Tensor;
  readonly embMean: Tensor;
  readonly embRstd: Tensor;
  readonly blocks: Block[];
  readonly out: Tensor; // (B, T, C) last block's output
  readonly tokens: Tensor;
  readonly mask: Tensor;
  // backward scratch
  readonly dx: Tensor; // (B, T, C) a head leaves d(out) here
  readonly dx1: Tensor;
  readonly dr: Tensor;
  readonly dI: Tensor; // (B, T, I)
  readonly dI2: Tensor;
  readonly dqkv: Tensor;
  readonly datt: Tensor;
  readonly D: Tensor;

  constructor(
    rt: Runtime,
    readonly B: number,
    readonly T: number,
    c: EncoderConfig,
  ) {
    const [C, I, NH] = [c.hidden, c.intermediate, c.nHead];
    const t = (shape: number[], label: string, dtype: 'f32' | 'u32' | 'i32' = 'f32') => {
      const x = rt.empty(shape, label, dtype);
      this.all.push(x);
      return x;
    };
    const btc = (label: string) => t([B, T, C], label);
    this.emb = btc('emb');
    this.embMean = t([B * T], 'emb.mean');
    this.embRstd = t([B * T], 'emb.rstd');
    const xs = Array.from({ length: c.nLayer + 1 }, (_, l) => btc(`x${l}`));
    this.blocks = Array.from({ length: c.nLayer }, (_, l) => ({
      x: xs[l],
      qkv: t([B, T, 3 * C], `l${l}.qkv`),
      att: btc(`l${l}.att`),
      lse: t([B, NH, T], `l${l}.lse`),
      ao: btc(`l${l}.ao`),
      r1: btc(`l${l}.r1`),
      x1: btc(`l${l}.x1`),
      m1: t([B * T], `l${l}.m1`),
      s1: t([B * T], `l${l}.s1`),
      h: t([B, T, I], `l${l}.h`),
      g: t([B, T, I], `l${l}.g`),
      o: btc(`l${l}.o`),
      r2: btc(`l${l}.r2`),
      m2: t([B * T], `l${l}.m2`),
      s2: t([B * T], `l${l}.s2`),
    }));
    this.out = xs[c.nLayer];
    this.tokens = t([B, T], 'tokens', 'u32');
    this.mask = t([B, T], 'mask', 'u32');
    this.dx = btc('d.x');
    this.dx1 = btc('d.x1');
    this.dr = btc('d.r');
    this.dI = t([B, T, I], 'd.I');
    this.dI2 = t([B, T, I], 'd.I2');
    this.dqkv = t([B, T, 3 * C], 'd.qkv');
    this.datt = btc('d.att');
    this.D = t([B, NH, T], 'd.D');
  }

  release(): void {
    for (const x of this.all) x.release();
  }
}

/**
 * Embeddings and blocks, forward and backward; the heads are the subclasses. A head's forward calls
 * `prepare` (checks the batch, writes tokens and mask), checks and writes its own labels or targets, then
 * `trunkForward`; its backward leaves d(last block output) in `acts.dx` and calls `trunkBackward`. The
 * loss is the mean of the head's per-row losses over what its last forward `counted`.
 */
export abstract class EncoderBody {
  readonly layout: Layout;
  readonly params: PackedSet;
  readonly grads: PackedSet;
  /** LoRA adapters, when the parameter list has them (lora.ts). */
  readonly adapters: Adapters | null;
  protected acts: Acts | null = null;
  /** The batch the trunk last ran on: its shape and the token buckets the embedding backward needs. */
  protected trunk: { B: number; T: number; buckets: ReturnType<typeof uploadBuckets> } | null = null;
  /** Labels (classifier) or masked positions (masked-LM) the last forward counted; 0 without any. */
  protected counted = 0;

  constructor(
    readonly rt: Runtime,
    readonly config: EncoderConfig,
    /** The head the subclass is, which the config must name (its parameters are part of the layout). */
    head: 'classifier' | 'mlm',
    /** Adjusts the parameter list, e.g. to freeze blocks (params.ts freezeAllBut). */
    specs: (all: ParamSpec[]) => ParamSpec[],
  ) {
    if ((config.head ?? 'classifier') !== head)
      throw new Error(`encoder: the config's head is '${config.head}', but this model is the '${head}' head`);
    if (config.hidden % config.nHead !== 0)
      throw new Error(`hidden (${config.hidden}) must be divisible by nHead (${config.nHead})`);
    this.layout = layoutOf(specs(encoderParamSpecs(config)));
    this.params = new PackedSet(rt, this.layout, 'param');
    this.grads = new PackedSet(rt, this.layout, 'grad');
    this.adapters = Adapters.of(rt, this.layout, this.params, this.grads);
  }

  /** The head's per-row losses and its logits of the last forward (null before one). */
  protected abstract get outputs(): { losses: Tensor; logits: Tensor } | null;

  /** Mean loss over what the last forward counted (reads the per-row losses back). */
  async readLoss(): Promise<number> {
    const out = this.outputs;
    if (!out || !this.counted) throw new Error('readLoss: run forward with labels first');
    let sum = 0;
    for (const v of await this.rt.read(out.losses)) sum += v;
    return sum / this.counted;
  }

  async readLogits(): Promise<Float32Array> {
    const out = this.outputs;
    if (!out) throw new Error('readLogits: run forward first');
    return (await this.rt.read(out.logits)) as Float32Array;
  }

  protected get exactGelu(): boolean {
    return this.config.hiddenAct === 'gelu';
  }

  protected p(name: string): Tensor {
    return this.params.get(name);
  }

  protected g(name: string): Tensor {
    return this.grads.get(name);
  }

  /** A block's dense layer (nn.Linear layout), with its LoRA adapter when it has one. */
  private dense(s: Step, y: Tensor, x: Tensor, module: string, N: number): void {
    const lora = this.adapters?.get(module, N) ?? null;
    linearForward(s, y, x, this.p(`${module}.weight`), this.p(`${module}.bias`), N, {
      weightLayout: 'out-in',
      lora,
    });
  }

  /** Backward of `dense`: dx overwritten (or accumulated); frozen weight and bias gradients skipped. */
  private denseBackward(
    s: Step,
    dx: Tensor,
    dy: Tensor,
    x: Tensor,
    module: string,
    N: number,
    accumulateInput = false,
  ): void {
    const [dw, db] = [`${module}.weight`, `${module}.bias`].map((n) =>
      trainableGrad(this.layout, this.grads, n),
    );
    const lora = this.adapters?.get(module, N) ?? null;
    linearBackward(s, dx, dw, db, dy, x, this.p(`${module}.weight`), N, {
      weightLayout: 'out-in',
      accumulateInput,
      lora,
    });
  }

  /** Checks the batch's tokens and mask, and writes them into the activations for its (B, T). */
  protected prepare(batch: ClassificationBatch): Acts {
    const { B, T } = batch;
    const c = this.config;
    const N = B * T;
    if (T > c.maxPositions) throw new Error(`sequence length ${T} exceeds maxPositions ${c.maxPositions}`);
    if (batch.tokens.length !== N || batch.mask.length !== N)
      throw new Error(`tokens and mask: expected ${N} values for B=${B} T=${T}`);
    for (const id of batch.tokens)
      if (id >= c.vocabSize) throw new Error(`tokens: id ${id} is outside the vocabulary (${c.vocabSize})`);
    if (!this.acts || this.acts.B !== B || this.acts.T !== T) {
      this.acts?.release();
      this.acts = new Acts(this.rt, B, T, c);
    }
    this.rt.write(this.acts.tokens, batch.tokens);
    this.rt.write(this.acts.mask, batch.mask);
    return this.acts;
  }

  /** Embeddings and the blocks over the prepared batch: acts.out (B, T, C) holds the result. */
  protected trunkForward(s: Step, batch: ClassificationBatch): void {
    const { B, T } = batch;
    const c = this.config;
    const [C, NH, eps] = [c.hidden, c.nHead, c.layerNormEps];
    const N = B * T;
    const a = this.acts!;
    if (this.trunk) for (const t of Object.values(this.trunk.buckets)) if (typeof t === 'object') t.release();
    this.trunk = { B, T, buckets: uploadBuckets(this.rt, bucketTokens(batch.tokens)) };

    embeddingForward(
      s,
      a.emb,
      a.tokens,
      this.p('embeddings.word_embeddings.weight'),
      this.p('embeddings.position_embeddings.weight'),
      { B, T, C },
    );
    layernormForward(
      s,
      a.blocks[0]?.x ?? a.out,
      a.embMean,
      a.embRstd,
      a.emb,
      this.p('embeddings.LayerNorm.weight'),
      this.p('embeddings.LayerNorm.bias'),
      { N, C, eps },
    );
    a.blocks.forEach((x, l) => {
      const p = `encoder.layer.${l}`;
      const next = a.blocks[l + 1]?.x ?? a.out;
      this.dense(s, x.qkv, x.x, `${p}.attention.self.qkv`, N);
      attentionForward(s, x.att, x.lse, x.qkv, a.mask, { B, T, C, NH, causal: false });
      this.dense(s, x.ao, x.att, `${p}.attention.output.dense`, N);
      residualForward(s, x.r1, x.x, x.ao);
      layernormForward(
        s,
        x.x1,
        x.m1,
        x.s1,
        x.r1,
        this.p(`${p}.attention.output.LayerNorm.weight`),
        this.p(`${p}.attention.output.LayerNorm.bias`),
        { N, C, eps },
      );
      this.dense(s, x.h, x.x1, `${p}.intermediate.dense`, N);
      geluForward(s, x.g, x.h, { exact: this.exactGelu });
      this.dense(s, x.o, x.g, `${p}.output.dense`, N);
      residualForward(s, x.r2, x.x1, x.o);
      layernormForward(
        s,
        next,
        x.m2,
        x.s2,
        x.r2,
        this.p(`${p}.output.LayerNorm.weight`),
        this.p(`${p}.output.LayerNorm.bias`),
        { N, C, eps },
      );
    });
  }

  /** From d(last block output) in acts.dx back through the blocks to the embeddings' gradients. */
  protected trunkBackward(s: Step): void {
    const a = this.acts!;
    const { B, T, buckets } = this.trunk!;
    const c = this.config;
    const [C, NH] = [c.hidden, c.nHead];
    const N = B * T;
    // a.dx holds d(block output); walk the blocks backwards.
    for (let l = c.nLayer - 1; l >= 0; l--) {
      const x = a.blocks[l];
      const p = `encoder.layer.${l}`;
      // x_out = LN2(r2), r2 = x1 + o
      layernormBackward(
        s,
        a.dr,
        this.g(`${p}.output.LayerNorm.weight`),
        this.g(`${p}.output.LayerNorm.bias`),
        a.dx,
        x.r2,
        this.p(`${p}.output.LayerNorm.weight`),
        x.m2,
        x.s2,
        { N, C, accumulate: false },
      );
      this.denseBackward(s, a.dI, a.dr, x.g, `${p}.output.dense`, N);
      geluBackward(s, a.dI2, x.h, a.dI, { exact: this.exactGelu });
      // dx1 = dr (residual) + dI2 · W_intermediate
      s.copy(a.dr, a.dx1);
      this.denseBackward(s, a.dx1, a.dI2, x.x1, `${p}.intermediate.dense`, N, true);
      // x1 = LN1(r1), r1 = x + ao
      layernormBackward(
        s,
        a.dr,
        this.g(`${p}.attention.output.LayerNorm.weight`),
        this.g(`${p}.attention.output.LayerNorm.bias`),
        a.dx1,
        x.r1,
        this.p(`${p}.attention.output.LayerNorm.weight`),
        x.m1,
        x.s1,
        { N, C, accumulate: false },
      );
      this.denseBackward(s, a.datt, a.dr, x.att, `${p}.attention.output.dense`, N);
      attentionBackward(s, a.dqkv, a.D, a.datt, x.qkv, x.att, x.lse, a.mask, { B, T, C, NH, causal: false });
      // dx = dr (residual) + dqkv · W_qkv
      s.copy(a.dr, a.dx);
      this.denseBackward(s, a.dx, a.dqkv, x.x, `${p}.attention.self.qkv`, N, true);
    }
    layernormBackward(
      s,
      a.dr,
      this.g('embeddings.LayerNorm.weight'),
      this.g('embeddings.LayerNorm.bias'),
      a.dx,
      a.emb,
      this.p('embeddings.LayerNorm.weight'),
      a.embMean,
      a.embRstd,
      { N, C, accumulate: false },
    );
    embeddingBackward(
      s,
      this.g('embeddings.word_embeddings.weight'),
      this.g('embeddings.position_embeddings.weight'),
      a.dr,
      buckets,
      { B, T, C },
    );
  }
}
