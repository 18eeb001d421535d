// The sequence-classification head of a decoder, as Hugging Face's GPT2ForSequenceClassification and
// LlamaForSequenceClassification have it: the trunk's final hidden state at each sequence's last non-padding
// token, a bias-free Linear `score` (K, C), and the mean cross-entropy against the labels. With right padding and
// causal attention no real token ever attends to padding, so the trunk needs no key mask. gpt-classifier.ts and
// llama-classifier.ts put it on their trunks.

import type { Runtime, Step } from '@anneal/kernels/kernel';
import { crossentropyBackward, crossentropyForward } from '@anneal/kernels/ops/crossentropy/crossentropy';
import { gatherBackward, gatherForward } from '@anneal/kernels/ops/pool/pool';
import type { Tensor } from '@anneal/kernels/tensor';
import type { ClassificationBatch } from './encoder.ts';
import { linearBackward, linearForward } from './linear.ts';

interface Buffers {
  B: number;
  T: number;
  idx: Tensor; // (B) u32: last non-pad position
  pooled: Tensor; // (B, C)
  logits: Tensor; // (B, K)
  losses: Tensor; // (B)
  lse: Tensor; // (B)
  labels: Tensor; // (B) i32
  dpooled: Tensor;
  dlogits: Tensor;
}

export class LastTokenHead {
  private buf: Buffers | null = null;
  /** Rows with labels in the last forward (0: none, so no loss and no backward). */
  private counted = 0;

  constructor(
    readonly rt: Runtime,
    /** Hidden size. */
    readonly C: number,
    /** Classes. */
    readonly K: number,
  ) {}

  private buffers(B: number, T: number): Buffers {
    if (this.buf?.B === B) return Object.assign(this.buf, { T });
    if (this.buf) for (const t of Object.values(this.buf)) if (typeof t === 'object') t.release();
    const [C, K] = [this.C, this.K];
    const t = (shape: number[], label: string, dtype: 'f32' | 'u32' | 'i32' = 'f32') =>
      this.rt.empty(shape, label, dtype);
    this.buf = {
      B,
      T,
      idx: t([B], 'cls.idx', 'u32'),
      pooled: t([B, C], 'cls.pooled'),
      logits: t([B, K], 'cls.logits'),
      losses: t([B], 'cls.losses'),
      lse: t([B], 'cls.lse'),
      labels: t([B], 'cls.labels', 'i32'),
      dpooled: t([B, C], 'cls.dpooled'),
      dlogits: t([B, K], 'cls.dlogits'),
    };
    return this.buf;
  }

  /** Logits (and with labels, losses) from the trunk's final hidden states `hidden` (B, T, C). */
  forward(s: Step, hidden: Tensor, batch: ClassificationBatch, weight: Tensor): void {
    const { B, T } = batch;
    const h = this.buffers(B, T);
    const last = new Uint32Array(B);
    for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) if (batch.mask[b * T + t]) last[b] = t;
    this.rt.write(h.idx, last);
    gatherForward(s, h.pooled, hidden, h.idx, { B, T, C: this.C });
    linearForward(s, h.logits, h.pooled, weight, null, B, { weightLayout: 'out-in' });
    this.counted = 0;
    if (!batch.labels) return;
    for (const y of batch.labels)
      if (y < 0 || y >= this.K) throw new Error(`labels: ${y} is outside 0..${this.K - 1}`);
    this.rt.write(h.labels, batch.labels);
    this.counted = B;
    crossentropyForward(s, h.losses, h.lse, h.logits, h.labels, { N: B, V: this.K });
  }

  /**
   * The mean loss's gradient: into `dweight` (score.weight's; null when frozen) and `dhidden` (B, T, C), zero off
   * the last tokens.
   */
  backward(s: Step, dhidden: Tensor, weight: Tensor, dweight: Tensor | null): void {
    const h = this.buf;
    if (!h || !this.counted) throw new Error('backward: run forward with labels first');
    const { B, T } = h;
    crossentropyBackward(s, h.dlogits, h.logits, h.lse, h.labels, { N: B, V: this.K, scale: 1 / B });
    linearBackward(s, h.dpooled, dweight, null, h.dlogits, h.pooled, weight, B, { weightLayout: 'out-in' });
    gatherBackward(s, dhidden, h.dpooled, h.idx, { B, T, C: this.C });
  }

  async readLoss(): Promise<number> {
    if (!this.buf || !this.counted) throw new Error('readLoss: run forward with labels first');
    let sum = 0;
    for (const v of await this.rt.read(this.buf.losses)) sum += v;
    return sum / this.counted;
  }

  async readLogits(): Promise<Float32Array> {
    if (!this.buf) throw new Error('readLogits: run forward first');
    return (await this.rt.read(this.buf.logits)) as Float32Array;
  }
}
