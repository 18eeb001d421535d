// Llama for sequence classification, as Hugging Face's LlamaForSequenceClassification: the trunk (LlamaBody, no
// LM head) and the last-token head GPT-2's classifier has too (last-token-head.ts: the final hidden state at
// each sequence's last non-padding token, then a bias-free Linear `score` (K, C)).

import type { Runtime, Step } from '@anneal/kernels/kernel';
import { type ParamSpec, trainableGrad } from '../params.ts';
import type { ClassificationBatch } from './encoder.ts';
import { LastTokenHead } from './last-token-head.ts';
import { LlamaBody, type LlamaConfig, llamaParamSpecs } from './llama.ts';

/** The classifier's parameters: the trunk (no lm_head) and `score.weight`. */
export function llamaClassifierSpecs(c: LlamaConfig, numLabels: number): ParamSpec[] {
  return [
    ...llamaParamSpecs(c).filter((s) => s.name !== 'lm_head.weight'),
    { name: 'score.weight', shape: [numLabels, c.hiddenSize], decay: true },
  ];
}

export class LlamaClassifier extends LlamaBody {
  private readonly head: LastTokenHead;

  constructor(
    rt: Runtime,
    config: LlamaConfig,
    readonly numLabels: number,
    /** Adjusts the parameter list, e.g. to freeze blocks (params.ts freezeAllBut). */
    specs: (all: ParamSpec[]) => ParamSpec[] = (all) => all,
  ) {
    super(rt, config, specs(llamaClassifierSpecs(config, numLabels)));
    this.head = new LastTokenHead(rt, config.hiddenSize, numLabels);
  }

  forward(s: Step, batch: ClassificationBatch): void {
    const a = this.trunkForward(s, batch.tokens, batch.B, batch.T);
    this.head.forward(s, a.lnf, batch, this.p('score.weight'));
  }

  backward(s: Step): void {
    if (!this.acts || !this.trunk) throw new Error('backward: run forward with labels first');
    const dweight = trainableGrad(this.layout, this.grads, 'score.weight');
    this.head.backward(s, this.acts.dbt, this.p('score.weight'), dweight);
    this.trunkBackward(s);
  }

  readLoss(): Promise<number> {
    return this.head.readLoss();
  }

  readLogits(): Promise<Float32Array> {
    return this.head.readLogits();
  }
}
