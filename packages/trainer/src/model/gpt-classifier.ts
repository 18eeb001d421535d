// GPT-2 for sequence classification, as Hugging Face's GPT2ForSequenceClassification: the trunk (GPTBody) and
// the last-token head (last-token-head.ts: the final hidden state at each sequence's last non-padding token, then
// a bias-free Linear `score` (K, C)).

import type { Runtime, Step } from '@anneal/kernels/kernel';
import type { ParamSpec } from '../params.ts';
import type { ClassificationBatch } from './encoder.ts';
import { GPTBody, type GPTConfig, gptParamSpecs } from './gpt.ts';
import { LastTokenHead } from './last-token-head.ts';

export class GPTClassifier extends GPTBody {
  private readonly head: LastTokenHead;

  constructor(
    rt: Runtime,
    config: GPTConfig,
    readonly numLabels: number,
    /** Adjusts the parameter list, e.g. to freeze blocks (params.ts freezeAllBut). */
    specs: (all: ParamSpec[]) => ParamSpec[] = (all) => all,
  ) {
    super(
      rt,
      config,
      specs([
        ...gptParamSpecs(config),
        { name: 'score.weight', shape: [numLabels, config.nEmbd], decay: true },
      ]),
    );
    this.head = new LastTokenHead(rt, config.nEmbd, numLabels);
  }

  forward(s: Step, batch: ClassificationBatch): void {
    const a = this.trunkForward(s, batch.tokens, batch.B, batch.T);
    this.head.forward(s, a.lnf, batch, this.p('score.weight'));
  }

  backward(s: Step): void {
    if (!this.acts || !this.trunk) throw new Error('backward: run forward with labels first');
    this.head.backward(s, this.acts.dbt, this.p('score.weight'), this.g('score.weight'));
    this.trunkBackward(s);
  }

  readLoss(): Promise<number> {
    return this.head.readLoss();
  }

  readLogits(): Promise<Float32Array> {
    return this.head.readLogits();
  }
}
