// The encoder for sequence classification, as Hugging Face's BertForSequenceClassification without the tanh
// pooler: the body's last hidden states pooled — the first token (a prepended [CLS]-style token) or the mean
// over real tokens under the attention mask — then a Linear `classifier` (K, C) and cross-entropy over the
// batch's labels.

import type { Runtime, Step } from '@anneal/kernels/kernel';
import { crossentropyBackward, crossentropyForward } from '@anneal/kernels/ops/crossentropy/crossentropy';
import {
  gatherBackward,
  gatherForward,
  meanpoolBackward,
  meanpoolForward,
} from '@anneal/kernels/ops/pool/pool';
import type { Tensor } from '@anneal/kernels/tensor';
import type { ParamSpec } from '../params.ts';
import { type ClassificationBatch, EncoderBody, type EncoderConfig } from './encoder.ts';
import { linearBackward, linearForward } from './linear.ts';

interface Head {
  B: number;
  pooled: Tensor; // (B, C)
  logits: Tensor; // (B, K)
  losses: Tensor; // (B)
  lse: Tensor; // (B)
  labels: Tensor; // (B) i32
  first: Tensor; // (B) u32 zeros: the gather index of the first token
  dpooled: Tensor; // (B, C)
  dlogits: Tensor; // (B, K)
}

export class EncoderClassifier extends EncoderBody {
  private head: Head | null = null;
  private labelled = false;

  constructor(
    rt: Runtime,
    config: EncoderConfig,
    /** Adjusts the parameter list, e.g. to freeze blocks (params.ts freezeAllBut). */
    specs: (all: ParamSpec[]) => ParamSpec[] = (all) => all,
  ) {
    super(rt, config, 'classifier', specs);
  }

  protected get outputs() {
    return this.head;
  }

  private headFor(B: number): Head {
    if (this.head?.B === B) return this.head;
    if (this.head) for (const t of Object.values(this.head)) if (typeof t === 'object') t.release();
    const [C, K] = [this.config.hidden, this.config.numLabels];
    const t = (shape: number[], label: string, dtype: 'f32' | 'u32' | 'i32' = 'f32') =>
      this.rt.empty(shape, label, dtype);
    this.head = {
      B,
      pooled: t([B, C], 'pooled'),
      logits: t([B, K], 'logits'),
      losses: t([B], 'losses'),
      lse: t([B], 'lse'),
      labels: t([B], 'labels', 'i32'),
      first: t([B], 'first', 'u32'),
      dpooled: t([B, C], 'd.pooled'),
      dlogits: t([B, K], 'd.logits'),
    };
    this.rt.fill(this.head.first, 0);
    return this.head;
  }

  forward(s: Step, batch: ClassificationBatch): void {
    const { B, T } = batch;
    const c = this.config;
    const [C, K] = [c.hidden, c.numLabels];
    const a = this.prepare(batch);
    const h = this.headFor(B);
    this.counted = 0;
    this.labelled = batch.labels !== null;
    if (batch.labels) {
      for (const y of batch.labels) {
        if (y < 0 || y >= K) throw new Error(`labels: ${y} is outside 0..${K - 1}`);
        this.counted++;
      }
      this.rt.write(h.labels, batch.labels);
    }
    this.trunkForward(s, batch);
    if (c.pooling === 'mean') meanpoolForward(s, h.pooled, a.out, a.mask, { B, T, C });
    else gatherForward(s, h.pooled, a.out, h.first, { B, T, C });
    linearForward(s, h.logits, h.pooled, this.p('classifier.weight'), this.p('classifier.bias'), B, {
      weightLayout: 'out-in',
    });
    if (batch.labels) crossentropyForward(s, h.losses, h.lse, h.logits, h.labels, { N: B, V: K });
  }

  backward(s: Step): void {
    const a = this.acts;
    const h = this.head;
    if (!a || !h || !this.trunk || !this.labelled) throw new Error('backward: run forward with labels first');
    const { B, T } = this.trunk;
    const c = this.config;
    const [C, K] = [c.hidden, c.numLabels];
    crossentropyBackward(s, h.dlogits, h.logits, h.lse, h.labels, { N: B, V: K, scale: 1 / this.counted });
    linearBackward(
      s,
      h.dpooled,
      this.g('classifier.weight'),
      this.g('classifier.bias'),
      h.dlogits,
      h.pooled,
      this.p('classifier.weight'),
      B,
      { weightLayout: 'out-in' },
    );
    if (c.pooling === 'mean') meanpoolBackward(s, a.dx, h.dpooled, a.mask, { B, T, C });
    else gatherBackward(s, a.dx, h.dpooled, h.first, { B, T, C });
    this.trunkBackward(s);
  }
}
