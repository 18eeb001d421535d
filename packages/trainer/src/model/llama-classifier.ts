// Llama for sequence classification, as Hugging Face's LlamaForSequenceClassification (and GPT-2's, see
// gpt-classifier.ts): the trunk's final hidden state at each sequence's last non-padding token, then a
// bias-free Linear `score` (K, C); no LM head. With right padding and causal attention no real token ever
// attends to padding, so no key mask is needed.

import type { Runtime, Step } from '@anneal/kernels/kernel';
import { crossentropyBackward, crossentropyForward } from '@anneal/kernels/ops/crossentropy/crossentropy';
import { gatherBackward, gatherForward } from '@anneal/kernels/ops/pool/pool';
import type { Tensor } from '@anneal/kernels/tensor';
import { type ParamSpec, trainableGrad } from '../params.ts';
import type { ClassificationBatch } from './encoder.ts';
import { linearBackward, linearForward } from './linear.ts';
import { LlamaBody, type LlamaConfig, llamaParamSpecs } from './llama.ts';

interface Head {
  B: number;
  idx: Tensor; // (B) u32: last non-pad position
  pooled: Tensor; // (B, C)
  logits: Tensor; // (B, K)
  losses: Tensor; // (B)
  lse: Tensor; // (B)
  labels: Tensor; // (B) i32
  dpooled: Tensor;
  dlogits: Tensor;
}

/** The classifier's parameters: the trunk (no lm_head) and `score.weight`. */
export function llamaClassifierSpecs(c: LlamaConfig, numLabels: number): ParamSpec[] {
  return [
    ...llamaParamSpecs(c).filter((s) => s.name !== 'lm_head.weight'),
    { name: 'score.weight', shape: [numLabels, c.hiddenSize], decay: true },
  ];
}

export class LlamaClassifier extends LlamaBody {
  private head: Head | null = null;
  private counted = 0;

  constructor(
    rt: Runtime,
    config: LlamaConfig,
    readonly numLabels: number,
    /** Adjusts the parameter list, e.g. to freeze blocks (params.ts freezeAllBut). */
    specs: (all: ParamSpec[]) => ParamSpec[] = (all) => all,
  ) {
    super(rt, config, specs(llamaClassifierSpecs(config, numLabels)));
  }

  private headFor(B: number): Head {
    if (this.head?.B === B) return this.head;
    if (this.head) for (const t of Object.values(this.head)) if (typeof t === 'object') t.release();
    const [C, K] = [this.config.hiddenSize, this.numLabels];
    const t = (shape: number[], label: string, dtype: 'f32' | 'u32' | 'i32' = 'f32') =>
      this.rt.empty(shape, label, dtype);
    this.head = {
      B,
      idx: t([B], 'cls.idx', 'u32'),
      pooled: t([B, C], 'cls.pooled'),
      logits: t([B, K], 'cls.logits'),
      losses: t([B], 'cls.losses'),
      lse: t([B], 'cls.lse'),
      labels: t([B], 'cls.labels', 'i32'),
      dpooled: t([B, C], 'cls.dpooled'),
      dlogits: t([B, K], 'cls.dlogits'),
    };
    return this.head;
  }

  forward(s: Step, batch: ClassificationBatch): void {
    const { B, T } = batch;
    const [C, K] = [this.config.hiddenSize, this.numLabels];
    const a = this.trunkForward(s, batch.tokens, B, T);
    const h = this.headFor(B);
    const last = new Uint32Array(B);
    for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) if (batch.mask[b * T + t]) last[b] = t;
    this.rt.write(h.idx, last);
    gatherForward(s, h.pooled, a.lnf, h.idx, { B, T, C });
    linearForward(s, h.logits, h.pooled, this.p('score.weight'), null, B, { weightLayout: 'out-in' });
    this.counted = 0;
    if (!batch.labels) return;
    for (const y of batch.labels) if (y < 0 || y >= K) throw new Error(`labels: ${y} is outside 0..${K - 1}`);
    this.rt.write(h.labels, batch.labels);
    this.counted = B;
    crossentropyForward(s, h.losses, h.lse, h.logits, h.labels, { N: B, V: K });
  }

  backward(s: Step): void {
    const h = this.head;
    const a = this.acts;
    if (!h || !a || !this.counted || !this.trunk) throw new Error('backward: run forward with labels first');
    const { B, T } = this.trunk;
    crossentropyBackward(s, h.dlogits, h.logits, h.lse, h.labels, { N: B, V: this.numLabels, scale: 1 / B });
    linearBackward(
      s,
      h.dpooled,
      trainableGrad(this.layout, this.grads, 'score.weight'),
      null,
      h.dlogits,
      h.pooled,
      this.p('score.weight'),
      B,
      {
        weightLayout: 'out-in',
      },
    );
    gatherBackward(s, a.dbt, h.dpooled, h.idx, { B, T, C: this.config.hiddenSize });
    this.trunkBackward(s);
  }

  async readLoss(): Promise<number> {
    if (!this.head || !this.counted) throw new Error('readLoss: run forward with labels first');
    let sum = 0;
    for (const v of await this.rt.read(this.head.losses)) sum += v;
    return sum / this.counted;
  }

  async readLogits(): Promise<Float32Array> {
    if (!this.head) throw new Error('readLogits: run forward first');
    return (await this.rt.read(this.head.logits)) as Float32Array;
  }
}
