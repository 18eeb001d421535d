// The encoder with BertForMaskedLM's head, for masked-LM pretraining: per position dense + GELU + LayerNorm
// (`cls.predictions.transform`), then logits through the word embeddings (the decoder is tied to them) plus a
// vocabulary bias, with the cross-entropy averaged over the masked positions only (targets are IGNORE_INDEX
// elsewhere: tasks/mlm.ts masks the windows).

import type { Runtime, Step } from '@anneal/kernels/kernel';
import {
  crossentropyBackward,
  crossentropyForward,
  IGNORE_INDEX,
} from '@anneal/kernels/ops/crossentropy/crossentropy';
import { geluBackward, geluForward } from '@anneal/kernels/ops/gelu/gelu';
import { layernormBackward, layernormForward } from '@anneal/kernels/ops/layernorm/layernorm';
import type { Tensor } from '@anneal/kernels/tensor';
import type { ParamSpec } from '../params.ts';
import { type ClassificationBatch, EncoderBody, type EncoderConfig, MLM } from './encoder.ts';
import { linearBackward, linearForward } from './linear.ts';

interface Head {
  B: number;
  T: number;
  h: Tensor; // (B, T, C) dense out
  g: Tensor; // (B, T, C) GELU out
  n: Tensor; // (B, T, C) LayerNorm out
  mean: Tensor; // (N)
  rstd: Tensor; // (N)
  logits: Tensor; // (N, V)
  losses: Tensor; // (N)
  lse: Tensor; // (N)
  targets: Tensor; // (N) i32
  dlogits: Tensor; // (N, V)
}

export class EncoderMLM extends EncoderBody {
  private head: Head | null = null;
  private targeted = false;

  constructor(
    rt: Runtime,
    config: EncoderConfig,
    /** Adjusts the parameter list, e.g. to freeze blocks (params.ts freezeAllBut). */
    specs: (all: ParamSpec[]) => ParamSpec[] = (all) => all,
  ) {
    super(rt, config, 'mlm', specs);
  }

  protected get outputs() {
    return this.head;
  }

  private headFor(B: number, T: number): Head {
    if (this.head?.B === B && this.head.T === T) return this.head;
    if (this.head) for (const t of Object.values(this.head)) if (typeof t === 'object') t.release();
    const [C, V, N] = [this.config.hidden, this.config.vocabSize, B * T];
    const t = (shape: number[], label: string, dtype: 'f32' | 'u32' | 'i32' = 'f32') =>
      this.rt.empty(shape, label, dtype);
    this.head = {
      B,
      T,
      h: t([B, T, C], 'mlm.h'),
      g: t([B, T, C], 'mlm.g'),
      n: t([B, T, C], 'mlm.n'),
      mean: t([N], 'mlm.mean'),
      rstd: t([N], 'mlm.rstd'),
      logits: t([N, V], 'mlm.logits'),
      losses: t([N], 'mlm.losses'),
      lse: t([N], 'mlm.lse'),
      targets: t([N], 'mlm.targets', 'i32'),
      dlogits: t([N, V], 'mlm.dlogits'),
    };
    return this.head;
  }

  forward(s: Step, batch: ClassificationBatch): void {
    const { B, T } = batch;
    const c = this.config;
    const [C, eps] = [c.hidden, c.layerNormEps];
    const N = B * T;
    const a = this.prepare(batch);
    const m = this.headFor(B, T);
    this.counted = 0;
    this.targeted = !!batch.targets;
    if (batch.targets) {
      if (batch.targets.length !== N) throw new Error(`targets: expected ${N} values for B=${B} T=${T}`);
      for (const y of batch.targets) {
        if (y === IGNORE_INDEX) continue;
        if (y < 0 || y >= c.vocabSize) throw new Error(`targets: ${y} is outside the vocabulary`);
        this.counted++;
      }
      this.rt.write(m.targets, batch.targets);
    }
    this.trunkForward(s, batch);
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
  }

  /** The head's backward leaves d(last block output) in acts.dx (acts.dx1 and acts.dr as scratch). */
  backward(s: Step): void {
    const a = this.acts;
    const m = this.head;
    if (!a || !m || !this.trunk || !this.targeted)
      throw new Error('backward: run forward with masked-LM targets first');
    const N = this.trunk.B * this.trunk.T;
    const c = this.config;
    const out = { weightLayout: 'out-in' as const };
    crossentropyBackward(s, m.dlogits, m.logits, m.lse, m.targets, {
      N,
      V: c.vocabSize,
      scale: 1 / Math.max(1, this.counted),
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
    this.trunkBackward(s);
  }
}
