// A BERT-style encoder with a sequence-classification or a masked-LM head, on Anneal's kernels, forward and
// backward by hand.
//
// Architecture (Hugging Face BertModel, segment-free): word + learned position embeddings, LayerNorm, then L
// post-LayerNorm blocks — x = LN(x + Attn(x)), x = LN(x + FFN(x)) — with bidirectional attention under a
// key-padding mask and a GELU feed-forward. The classifier head pools the sequence (first token, as [CLS], or
// the masked mean) and applies a Linear classifier; there is no tanh pooler layer. The masked-LM head is
// BertForMaskedLM's: dense + GELU + LayerNorm per position, then logits through the word embeddings (tied)
// plus a vocabulary bias, with the loss over the masked positions only.
// Weights use nn.Linear's (out, in) layout and Hugging Face names, except that Q, K and V are one fused
// `attention.self.qkv` tensor so a single matmul feeds the fused attention kernel; pretrained.ts splits and
// joins them at the Hugging Face boundary.
// GELU: BERT's exact erf form (hidden_act 'gelu') or the tanh form ('gelu_new', Anneal's own bases).
// Not here: token-type (segment) embeddings (folded into positions on load: every token is type 0).

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
import { geluBackward, geluForward } from '@anneal/kernels/ops/gelu/gelu';
import { layernormBackward, layernormForward } from '@anneal/kernels/ops/layernorm/layernorm';
import {
  gatherBackward,
  gatherForward,
  meanpoolBackward,
  meanpoolForward,
} from '@anneal/kernels/ops/pool/pool';
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
  /** 'classifier' (default): pooled sequence classification; 'mlm': masked-LM pretraining head. */
  head?: 'classifier' | 'mlm';
  /** Hugging Face's hidden_act: 'gelu' (exact, erf: BERT) or 'gelu_new' (tanh approximation, the default). */
  hiddenAct?: 'gelu' | 'gelu_new';
}

const MLM = 'cls.predictions';

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

class Acts {
  private all: Tensor[] = [];
  readonly emb: Tensor;
  readonly embMean: Tensor;
  readonly embRstd: Tensor;
  readonly blocks: Block[];
  readonly out: Tensor; // (B, T, C) last block's output
  readonly pooled: Tensor; // (B, C)
  readonly logits: Tensor; // (B, K)
  readonly losses: Tensor;
  readonly lse: Tensor;
  readonly tokens: Tensor;
  readonly mask: Tensor;
  readonly labels: Tensor;
  readonly first: Tensor; // (B) zeros: gather index of the first token
  // backward scratch
  readonly dx: Tensor; // (B, T, C)
  readonly dx1: Tensor;
  readonly dr: Tensor;
  readonly dI: Tensor; // (B, T, I)
  readonly dI2: Tensor;
  readonly dqkv: Tensor;
  readonly datt: Tensor;
  readonly D: Tensor;
  readonly dpooled: Tensor;
  readonly dlogits: Tensor;
  /** Masked-LM head: dense out, GELU out, LayerNorm out (+ stats), logits (N, V), per-position losses. */
  readonly mlm: {
    h: Tensor;
    g: Tensor;
    n: Tensor;
    mean: Tensor;
    rstd: Tensor;
    logits: Tensor;
    losses: Tensor;
    lse: Tensor;
    targets: Tensor;
    dlogits: Tensor;
  } | null;

  constructor(
    rt: Runtime,
    readonly B: number,
    readonly T: number,
    c: EncoderConfig,
  ) {
    const [C, I, NH, K] = [c.hidden, c.intermediate, c.nHead, c.numLabels];
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
    this.pooled = t([B, C], 'pooled');
    this.logits = t([B, K], 'logits');
    this.losses = t([B], 'losses');
    this.lse = t([B], 'lse');
    this.tokens = t([B, T], 'tokens', 'u32');
    this.mask = t([B, T], 'mask', 'u32');
    this.labels = t([B], 'labels', 'i32');
    this.first = t([B], 'first', 'u32');
    rt.fill(this.first, 0);
    this.dx = btc('d.x');
    this.dx1 = btc('d.x1');
    this.dr = btc('d.r');
    this.dI = t([B, T, I], 'd.I');
    this.dI2 = t([B, T, I], 'd.I2');
    this.dqkv = t([B, T, 3 * C], 'd.qkv');
    this.datt = btc('d.att');
    this.D = t([B, NH, T], 'd.D');
    this.dpooled = t([B, C], 'd.pooled');
    this.dlogits = t([B, K], 'd.logits');
    const N = B * T;
    const V = c.vocabSize;
    this.mlm =
      c.head === 'mlm'
        ? {
            h: btc('mlm.h'),
            g: btc('mlm.g'),
            n: btc('mlm.n'),
            mean: t([N], 'mlm.mean'),
            rstd: t([N], 'mlm.rstd'),
            logits: t([N, V], 'mlm.logits'),
            losses: t([N], 'mlm.losses'),
            lse: t([N], 'mlm.lse'),
            targets: t([N], 'mlm.targets', 'i32'),
            dlogits: t([N, V], 'mlm.dlogits'),
          }
        : null;
  }

  release(): void {
    for (const x of this.all) x.release();
  }
}

export class Encoder {
  readonly layout: Layout;
  readonly params: PackedSet;
  readonly grads: PackedSet;
  /** LoRA adapters, when the parameter list has them (lora.ts). */
  readonly adapters: Adapters | null;
  private acts: Acts | null = null;
  private last: {
    batch: ClassificationBatch;
    counted: number;
    buckets: ReturnType<typeof uploadBuckets>;
  } | null = null;

  constructor(
    readonly rt: Runtime,
    readonly config: EncoderConfig,
    /** Adjusts the parameter list, e.g. to freeze blocks (params.ts freezeAllBut). */
    specs: (all: ParamSpec[]) => ParamSpec[] = (all) => all,
  ) {
    if (config.hidden % config.nHead !== 0)
      throw new Error(`hidden (${config.hidden}) must be divisible by nHead (${config.nHead})`);
    this.layout = layoutOf(specs(encoderParamSpecs(config)));
    this.params = new PackedSet(rt, this.layout, 'param');
    this.grads = new PackedSet(rt, this.layout, 'grad');
    this.adapters = Adapters.of(rt, this.layout, this.params, this.grads);
  }

  private get exactGelu(): boolean {
    return this.config.hiddenAct === 'gelu';
  }

  private p = (n: string) => this.params.get(n);
  private g = (n: string) => this.grads.get(n);

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

  forward(s: Step, batch: ClassificationBatch): void {
    const { B, T } = batch;
    const c = this.config;
    const [C, NH, K, eps] = [c.hidden, c.nHead, c.numLabels, c.layerNormEps];
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
    const a = this.acts;
    this.rt.write(a.tokens, batch.tokens);
    this.rt.write(a.mask, batch.mask);
    let counted = 0;
    if (c.head === 'mlm') {
      if (batch.targets) {
        if (batch.targets.length !== N) throw new Error(`targets: expected ${N} values for B=${B} T=${T}`);
        for (const y of batch.targets) {
          if (y === IGNORE_INDEX) continue;
          if (y < 0 || y >= c.vocabSize) throw new Error(`targets: ${y} is outside the vocabulary`);
          counted++;
        }
        this.rt.write(a.mlm!.targets, batch.targets);
      }
    } else if (batch.labels) {
      for (const y of batch.labels) {
        if (y < 0 || y >= K) throw new Error(`labels: ${y} is outside 0..${K - 1}`);
        counted++;
      }
      this.rt.write(a.labels, batch.labels);
    }
    if (this.last) for (const t of Object.values(this.last.buckets)) if (typeof t === 'object') t.release();
    this.last = { batch, counted, buckets: uploadBuckets(this.rt, bucketTokens(batch.tokens)) };

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
    if (a.mlm) {
      const m = a.mlm;
      const out = { weightLayout: 'out-in' as const };
      linearForward(
        s,
        m.h,
        a.out,
        this.p(`${MLM}.transform.dense.weight`),
        this.p(`${MLM}.transform.dense.bias`),
        N,
        out,
      );
      geluForward(s, m.g, m.h, { exact: this.exactGelu });
      layernormForward(
        s,
        m.n,
        m.mean,
        m.rstd,
        m.g,
        this.p(`${MLM}.transform.LayerNorm.weight`),
        this.p(`${MLM}.transform.LayerNorm.bias`),
        { N, C, eps },
      );
      // Decoder tied to the word embeddings: logits (N, V) = n · Wteᵀ + bias.
      linearForward(
        s,
        m.logits,
        m.n,
        this.p('embeddings.word_embeddings.weight'),
        this.p(`${MLM}.bias`),
        N,
        out,
      );
      if (batch.targets) crossentropyForward(s, m.losses, m.lse, m.logits, m.targets, { N, V: c.vocabSize });
      return;
    }
    if (c.pooling === 'mean') meanpoolForward(s, a.pooled, a.out, a.mask, { B, T, C });
    else gatherForward(s, a.pooled, a.out, a.first, { B, T, C });
    linearForward(s, a.logits, a.pooled, this.p('classifier.weight'), this.p('classifier.bias'), B, {
      weightLayout: 'out-in',
    });
    if (batch.labels) crossentropyForward(s, a.losses, a.lse, a.logits, a.labels, { N: B, V: K });
  }

  /** Masked-LM head backward: leaves d(last block output) in a.dx. */
  private mlmBackward(s: Step, a: Acts, N: number, counted: number): void {
    const m = a.mlm!;
    const c = this.config;
    const out = { weightLayout: 'out-in' as const };
    crossentropyBackward(s, m.dlogits, m.logits, m.lse, m.targets, {
      N,
      V: c.vocabSize,
      scale: 1 / Math.max(1, counted),
    });
    const wte = 'embeddings.word_embeddings.weight';
    linearBackward(s, a.dx1, this.g(wte), this.g(`${MLM}.bias`), m.dlogits, m.n, this.p(wte), N, out);
    layernormBackward(
      s,
      a.dr,
      this.g(`${MLM}.transform.LayerNorm.weight`),
      this.g(`${MLM}.transform.LayerNorm.bias`),
      a.dx1,
      m.g,
      this.p(`${MLM}.transform.LayerNorm.weight`),
      m.mean,
      m.rstd,
      { N, C: c.hidden, accumulate: false },
    );
    geluBackward(s, a.dx1, m.h, a.dr, { exact: this.exactGelu });
    linearBackward(
      s,
      a.dx,
      this.g(`${MLM}.transform.dense.weight`),
      this.g(`${MLM}.transform.dense.bias`),
      a.dx1,
      a.out,
      this.p(`${MLM}.transform.dense.weight`),
      N,
      out,
    );
  }

  backward(s: Step): void {
    const a = this.acts;
    const last = this.last;
    if (!a || !(last?.batch.labels || last?.batch.targets))
      throw new Error('backward: run forward with labels (or masked-LM targets) first');
    const { B, T } = last.batch;
    const C = this.config.hidden;
    const N = B * T;
    if (a.mlm) this.mlmBackward(s, a, N, last.counted);
    else this.classifierBackward(s, a, B, T, last.counted);
    this.trunkBackward(s, a, N);
    embeddingBackward(
      s,
      this.g('embeddings.word_embeddings.weight'),
      this.g('embeddings.position_embeddings.weight'),
      a.dr,
      last.buckets,
      { B, T, C },
    );
  }

  /** Classifier head backward: leaves d(last block output) in a.dx. */
  private classifierBackward(s: Step, a: Acts, B: number, T: number, counted: number): void {
    const c = this.config;
    const [C, K] = [c.hidden, c.numLabels];
    const out = { weightLayout: 'out-in' as const };
    crossentropyBackward(s, a.dlogits, a.logits, a.lse, a.labels, { N: B, V: K, scale: 1 / counted });
    linearBackward(
      s,
      a.dpooled,
      this.g('classifier.weight'),
      this.g('classifier.bias'),
      a.dlogits,
      a.pooled,
      this.p('classifier.weight'),
      B,
      out,
    );
    if (c.pooling === 'mean') meanpoolBackward(s, a.dx, a.dpooled, a.mask, { B, T, C });
    else gatherBackward(s, a.dx, a.dpooled, a.first, { B, T, C });
  }

  /** From d(last block output) in a.dx down to d(embedding sum) in a.dr. */
  private trunkBackward(s: Step, a: Acts, N: number): void {
    const c = this.config;
    const [C, NH] = [c.hidden, c.nHead];
    const { B, T } = a;
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
  }

  async readLoss(): Promise<number> {
    if (!this.acts || !this.last?.counted) throw new Error('readLoss: run forward with labels first');
    let sum = 0;
    for (const v of await this.rt.read(this.acts.mlm?.losses ?? this.acts.losses)) sum += v;
    return sum / this.last.counted;
  }

  async readLogits(): Promise<Float32Array> {
    if (!this.acts) throw new Error('readLogits: run forward first');
    return (await this.rt.read(this.acts.mlm?.logits ?? this.acts.logits)) as Float32Array;
  }
}
