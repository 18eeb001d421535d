// GPT-2 on Anneal's kernels, forward and backward written out by hand as in llm.c's train_gpt2.c.
//
// Architecture: learned token + position embeddings, L pre-LayerNorm blocks (causal self-attention, GELU
// MLP), a final LayerNorm and an LM head tied to the token embedding. Parameters use Hugging Face's GPT-2
// names and its Conv1D layout — weights are (in, out) and a layer computes x·W + b — so a `model.safetensors`
// from the Hub loads as is (with or without the `transformer.` prefix).
// Not here: dropout (fine-tuning runs without it), KV caches and generation.

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
import { residualForward } from '@anneal/kernels/ops/residual/residual';
import type { Tensor } from '@anneal/kernels/tensor';
import { type Layout, layoutOf, PackedSet, type ParamSpec, trainableGrad } from '../params.ts';
import { linearBackward, linearForward } from './linear.ts';
import { Adapters } from './lora.ts';

export interface GPTConfig {
  vocabSize: number;
  /** Maximum sequence length (rows of the position embedding). */
  nPositions: number;
  nLayer: number;
  nHead: number;
  nEmbd: number;
  layerNormEps: number;
}

export function gptParamSpecs(c: GPTConfig): ParamSpec[] {
  const C = c.nEmbd;
  const specs: ParamSpec[] = [
    { name: 'wte.weight', shape: [c.vocabSize, C], decay: true },
    { name: 'wpe.weight', shape: [c.nPositions, C], decay: true },
  ];
  for (let l = 0; l < c.nLayer; l++) {
    const h = `h.${l}`;
    specs.push(
      { name: `${h}.ln_1.weight`, shape: [C], decay: false },
      { name: `${h}.ln_1.bias`, shape: [C], decay: false },
      { name: `${h}.attn.c_attn.weight`, shape: [C, 3 * C], decay: true },
      { name: `${h}.attn.c_attn.bias`, shape: [3 * C], decay: false },
      { name: `${h}.attn.c_proj.weight`, shape: [C, C], decay: true },
      { name: `${h}.attn.c_proj.bias`, shape: [C], decay: false },
      { name: `${h}.ln_2.weight`, shape: [C], decay: false },
      { name: `${h}.ln_2.bias`, shape: [C], decay: false },
      { name: `${h}.mlp.c_fc.weight`, shape: [C, 4 * C], decay: true },
      { name: `${h}.mlp.c_fc.bias`, shape: [4 * C], decay: false },
      { name: `${h}.mlp.c_proj.weight`, shape: [4 * C, C], decay: true },
      { name: `${h}.mlp.c_proj.bias`, shape: [C], decay: false },
    );
  }
  specs.push(
    { name: 'ln_f.weight', shape: [C], decay: false },
    { name: 'ln_f.bias', shape: [C], decay: false },
  );
  return specs;
}

/** A batch of token ids (B, T) and next-token targets (B, T), IGNORE_INDEX where no loss is taken. */
export interface LMBatch {
  B: number;
  T: number;
  tokens: Uint32Array;
  targets: Int32Array | null;
}

interface LayerActs {
  ln1: Tensor; // (B, T, C)
  ln1Mean: Tensor; // (B, T)
  ln1Rstd: Tensor; // (B, T)
  qkv: Tensor; // (B, T, 3C)
  atty: Tensor; // (B, T, C)
  lse: Tensor; // (B, NH, T)
  attproj: Tensor; // (B, T, C)
  residual2: Tensor; // (B, T, C)
  ln2: Tensor; // (B, T, C)
  ln2Mean: Tensor; // (B, T)
  ln2Rstd: Tensor; // (B, T)
  fch: Tensor; // (B, T, 4C)
  fchGelu: Tensor; // (B, T, 4C)
  fcproj: Tensor; // (B, T, C)
  residual3: Tensor; // (B, T, C)
}

/** Activations for one (B, T), plus the scratch the backward pass needs. */
class Activations {
  readonly encoded: Tensor;
  readonly layers: LayerActs[];
  readonly lnf: Tensor;
  readonly lnfMean: Tensor;
  readonly lnfRstd: Tensor;
  readonly logits: Tensor;
  readonly losses: Tensor;
  readonly lseV: Tensor;
  readonly tokens: Tensor;
  readonly targets: Tensor;
  // backward scratch
  readonly dresidual: Tensor;
  readonly dbt: Tensor; // (B, T, C)
  readonly dbt4: Tensor; // (B, T, 4C)
  readonly dbt4b: Tensor; // (B, T, 4C)
  readonly dqkv: Tensor; // (B, T, 3C)
  readonly dlogits: Tensor; // (B, T, V)
  readonly D: Tensor; // (B, NH, T)
  private readonly all: Tensor[] = [];

  constructor(
    rt: Runtime,
    readonly B: number,
    readonly T: number,
    c: GPTConfig,
  ) {
    const BT = B * T;
    const C = c.nEmbd;
    const t = (shape: number[], label: string, dtype: 'f32' | 'u32' | 'i32' = 'f32') => {
      const x = rt.empty(shape, label, dtype);
      this.all.push(x);
      return x;
    };
    this.encoded = t([B, T, C], 'encoded');
    this.layers = Array.from({ length: c.nLayer }, (_, l) => ({
      ln1: t([B, T, C], `h${l}.ln1`),
      ln1Mean: t([BT], `h${l}.ln1.mean`),
      ln1Rstd: t([BT], `h${l}.ln1.rstd`),
      qkv: t([B, T, 3 * C], `h${l}.qkv`),
      atty: t([B, T, C], `h${l}.atty`),
      lse: t([B, c.nHead, T], `h${l}.lse`),
      attproj: t([B, T, C], `h${l}.attproj`),
      residual2: t([B, T, C], `h${l}.residual2`),
      ln2: t([B, T, C], `h${l}.ln2`),
      ln2Mean: t([BT], `h${l}.ln2.mean`),
      ln2Rstd: t([BT], `h${l}.ln2.rstd`),
      fch: t([B, T, 4 * C], `h${l}.fch`),
      fchGelu: t([B, T, 4 * C], `h${l}.fch_gelu`),
      fcproj: t([B, T, C], `h${l}.fcproj`),
      residual3: t([B, T, C], `h${l}.residual3`),
    }));
    this.lnf = t([B, T, C], 'lnf');
    this.lnfMean = t([BT], 'lnf.mean');
    this.lnfRstd = t([BT], 'lnf.rstd');
    this.logits = t([B, T, c.vocabSize], 'logits');
    this.losses = t([BT], 'losses');
    this.lseV = t([BT], 'lse.vocab');
    this.tokens = t([B, T], 'tokens', 'u32');
    this.targets = t([B, T], 'targets', 'i32');
    this.dresidual = t([B, T, C], 'dresidual');
    this.dbt = t([B, T, C], 'd.btc');
    this.dbt4 = t([B, T, 4 * C], 'd.bt4c');
    this.dbt4b = t([B, T, 4 * C], 'd.bt4c.b');
    this.dqkv = t([B, T, 3 * C], 'd.qkv');
    this.dlogits = t([B, T, c.vocabSize], 'd.logits');
    this.D = t([B, c.nHead, T], 'd.attn.D');
  }

  release(): void {
    for (const x of this.all) x.release();
  }
}

/** Embeddings, blocks and final LayerNorm, forward and backward; the heads are the subclasses. */
export abstract class GPTBody {
  readonly layout: Layout;
  readonly params: PackedSet;
  readonly grads: PackedSet;
  /** LoRA adapters, when the parameter list has them (lora.ts). */
  readonly adapters: Adapters | null;
  protected acts: Activations | null = null;
  /** The batch the trunk last ran on: its shape and the token buckets the embedding backward needs. */
  protected trunk: { B: number; T: number; buckets: ReturnType<typeof uploadBuckets> } | null = null;

  constructor(
    readonly rt: Runtime,
    readonly config: GPTConfig,
    specs: ParamSpec[] = gptParamSpecs(config),
  ) {
    if (config.nEmbd % config.nHead !== 0) {
      throw new Error(`nEmbd (${config.nEmbd}) must be divisible by nHead (${config.nHead})`);
    }
    this.layout = layoutOf(specs);
    this.params = new PackedSet(rt, this.layout, 'param');
    this.grads = new PackedSet(rt, this.layout, 'grad');
    this.adapters = Adapters.of(rt, this.layout, this.params, this.grads);
  }

  protected p(name: string): Tensor {
    return this.params.get(name);
  }

  protected g(name: string): Tensor {
    return this.grads.get(name);
  }

  /** A block's dense layer (e.g. `h.0.attn.c_attn`), with its LoRA adapter when it has one. */
  protected dense(s: Step, y: Tensor, x: Tensor, module: string, BT: number): void {
    const w = this.p(`${module}.weight`);
    const lora = this.adapters?.get(module, BT) ?? null;
    linearForward(s, y, x, w, this.p(`${module}.bias`), BT, { lora });
  }

  /** Backward of `dense`: dx overwritten; weight and bias gradients skipped when they are frozen. */
  protected denseBackward(s: Step, dx: Tensor, dy: Tensor, x: Tensor, module: string, BT: number): void {
    const [dw, db] = [`${module}.weight`, `${module}.bias`].map((n) =>
      trainableGrad(this.layout, this.grads, n),
    );
    const lora = this.adapters?.get(module, BT) ?? null;
    linearBackward(s, dx, dw, db, dy, x, this.p(`${module}.weight`), BT, { lora });
  }

  protected activations(B: number, T: number): Activations {
    if (T > this.config.nPositions)
      throw new Error(`sequence length ${T} exceeds nPositions ${this.config.nPositions}`);
    if (!this.acts || this.acts.B !== B || this.acts.T !== T) {
      this.acts?.release();
      this.acts = new Activations(this.rt, B, T, this.config);
    }
    return this.acts;
  }

  /** Embeddings, the blocks and the final LayerNorm: a.lnf (B, T, C) holds the result. */
  protected trunkForward(s: Step, tokens: Uint32Array, B: number, T: number): Activations {
    const { nEmbd: C, nHead: NH, vocabSize: V, layerNormEps: eps } = this.config;
    const BT = B * T;
    if (tokens.length !== BT) throw new Error(`tokens: expected ${BT} ids for B=${B} T=${T}`);
    for (const id of tokens)
      if (id >= V) throw new Error(`tokens: id ${id} is outside the vocabulary (${V})`);
    const a = this.activations(B, T);
    this.rt.write(a.tokens, tokens);
    if (this.trunk) releaseBuckets(this.trunk.buckets);
    this.trunk = { B, T, buckets: uploadBuckets(this.rt, bucketTokens(tokens)) };

    embeddingForward(s, a.encoded, a.tokens, this.p('wte.weight'), this.p('wpe.weight'), { B, T, C });
    let residual = a.encoded;
    for (let l = 0; l < this.config.nLayer; l++) {
      const h = `h.${l}`;
      const x = a.layers[l];
      layernormForward(
        s,
        x.ln1,
        x.ln1Mean,
        x.ln1Rstd,
        residual,
        this.p(`${h}.ln_1.weight`),
        this.p(`${h}.ln_1.bias`),
        {
          N: BT,
          C,
          eps,
        },
      );
      this.dense(s, x.qkv, x.ln1, `${h}.attn.c_attn`, BT);
      attentionForward(s, x.atty, x.lse, x.qkv, null, { B, T, C, NH, causal: true });
      this.dense(s, x.attproj, x.atty, `${h}.attn.c_proj`, BT);
      residualForward(s, x.residual2, residual, x.attproj);
      layernormForward(
        s,
        x.ln2,
        x.ln2Mean,
        x.ln2Rstd,
        x.residual2,
        this.p(`${h}.ln_2.weight`),
        this.p(`${h}.ln_2.bias`),
        {
          N: BT,
          C,
          eps,
        },
      );
      this.dense(s, x.fch, x.ln2, `${h}.mlp.c_fc`, BT);
      geluForward(s, x.fchGelu, x.fch);
      this.dense(s, x.fcproj, x.fchGelu, `${h}.mlp.c_proj`, BT);
      residualForward(s, x.residual3, x.residual2, x.fcproj);
      residual = x.residual3;
    }
    layernormForward(s, a.lnf, a.lnfMean, a.lnfRstd, residual, this.p('ln_f.weight'), this.p('ln_f.bias'), {
      N: BT,
      C,
      eps,
    });
    return a;
  }

  /** From d(lnf) in a.dbt back through the blocks to the embeddings. */
  protected trunkBackward(s: Step): void {
    const a = this.acts!;
    const { B, T, buckets } = this.trunk!;
    const { nEmbd: C, nHead: NH } = this.config;
    const BT = B * T;
    const lastResidual = this.config.nLayer ? a.layers[this.config.nLayer - 1].residual3 : a.encoded;
    layernormBackward(
      s,
      a.dresidual,
      this.g('ln_f.weight'),
      this.g('ln_f.bias'),
      a.dbt,
      lastResidual,
      this.p('ln_f.weight'),
      a.lnfMean,
      a.lnfRstd,
      {
        N: BT,
        C,
        accumulate: false,
      },
    );
    for (let l = this.config.nLayer - 1; l >= 0; l--) {
      const h = `h.${l}`;
      const x = a.layers[l];
      const residual = l === 0 ? a.encoded : a.layers[l - 1].residual3;
      // residual3 = residual2 + fcproj: dresidual flows to both unchanged.
      this.denseBackward(s, a.dbt4, a.dresidual, x.fchGelu, `${h}.mlp.c_proj`, BT);
      geluBackward(s, a.dbt4b, x.fch, a.dbt4);
      this.denseBackward(s, a.dbt, a.dbt4b, x.ln2, `${h}.mlp.c_fc`, BT);
      layernormBackward(
        s,
        a.dresidual,
        this.g(`${h}.ln_2.weight`),
        this.g(`${h}.ln_2.bias`),
        a.dbt,
        x.residual2,
        this.p(`${h}.ln_2.weight`),
        x.ln2Mean,
        x.ln2Rstd,
        {
          N: BT,
          C,
          accumulate: true,
        },
      );
      // residual2 = residual + attproj
      this.denseBackward(s, a.dbt, a.dresidual, x.atty, `${h}.attn.c_proj`, BT);
      attentionBackward(s, a.dqkv, a.D, a.dbt, x.qkv, x.atty, x.lse, null, { B, T, C, NH, causal: true });
      this.denseBackward(s, a.dbt, a.dqkv, x.ln1, `${h}.attn.c_attn`, BT);
      layernormBackward(
        s,
        a.dresidual,
        this.g(`${h}.ln_1.weight`),
        this.g(`${h}.ln_1.bias`),
        a.dbt,
        residual,
        this.p(`${h}.ln_1.weight`),
        x.ln1Mean,
        x.ln1Rstd,
        {
          N: BT,
          C,
          accumulate: true,
        },
      );
    }
    embeddingBackward(s, this.g('wte.weight'), this.g('wpe.weight'), a.dresidual, buckets, { B, T, C });
  }
}

/** GPT-2 with its tied language-model head. */
export class GPT extends GPTBody {
  private lm: { targets: Int32Array; counted: number } | null = null;

  /**
   * Records the forward pass (and the loss when targets are given) into `s`. The mean loss over counted
   * targets is available after the step runs, from `readLoss()`.
   */
  forward(s: Step, batch: LMBatch): void {
    const { B, T } = batch;
    const V = this.config.vocabSize;
    const BT = B * T;
    const a = this.trunkForward(s, batch.tokens, B, T);
    this.lm = null;
    // Tied LM head: logits (BT, V) = lnf (BT, C) · wteᵀ.
    linearForward(s, a.logits, a.lnf, this.p('wte.weight'), null, BT, { weightLayout: 'out-in' });
    if (!batch.targets) return;
    if (batch.targets.length !== BT) throw new Error(`targets: expected ${BT} for B=${B} T=${T}`);
    let counted = 0;
    for (const t of batch.targets) {
      if (t === IGNORE_INDEX) continue;
      if (t < 0 || t >= V) throw new Error(`targets: ${t} is outside the vocabulary (${V})`);
      counted++;
    }
    this.rt.write(a.targets, batch.targets);
    this.lm = { targets: batch.targets, counted };
    crossentropyForward(s, a.losses, a.lseV, a.logits, a.targets, { N: BT, V });
  }

  /** Records the backward pass of the last forward; parameter gradients accumulate into `grads`. */
  backward(s: Step): void {
    const a = this.acts;
    const trunk = this.trunk;
    if (!this.lm || !a || !trunk) throw new Error('backward: run forward with targets first');
    const BT = trunk.B * trunk.T;
    const V = this.config.vocabSize;
    const scale = this.lm.counted ? 1 / this.lm.counted : 0; // mean over counted targets
    crossentropyBackward(s, a.dlogits, a.logits, a.lseV, a.targets, { N: BT, V, scale });
    linearBackward(s, a.dbt, this.g('wte.weight'), null, a.dlogits, a.lnf, this.p('wte.weight'), BT, {
      weightLayout: 'out-in',
    });
    this.trunkBackward(s);
  }

  /** Mean cross-entropy of the last forward with targets (reads the per-row losses back). */
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
