// A trained classifier on new text: an exported sequence-classification model directory (a run's model/, or a
// checkpoint: config.json with num_labels, model.safetensors with the head, tokenizer.json) loaded once, then
// class probabilities for any texts — the try-it worker's view of `predict.ts`, which loads and tokenizes
// exactly as the run's evaluation did (its `anneal_inputs`, else the run's config, else `o`).

import type { Runtime } from '@anneal/kernels/kernel';
import { type Classifier as Loaded, loadClassifier, predictTexts } from './predict.ts';
import type { Truncation } from './tasks/classification.ts';

export interface ClassifierOptions {
  /** The run's data.maxLength (tokens a text is cut to). */
  maxLength?: number;
  /** The run's data.truncation. */
  truncation?: Partial<Truncation>;
  /** Texts per forward pass. */
  batchSize?: number;
}

export class Classifier {
  private constructor(private readonly c: Loaded) {}

  /** The class names, in class order (the config's id2label, else '0', '1', …). */
  get labels(): string[] {
    return this.c.labels;
  }

  get numLabels(): number {
    return this.c.labels.length;
  }

  /** Loads a sequence-classification model directory, or throws naming what it is not. */
  static async load(rt: Runtime, modelDir: string, o: ClassifierOptions = {}): Promise<Classifier> {
    return new Classifier(await loadClassifier(rt, modelDir, o));
  }

  /** Each text's class probabilities (rows sum to 1). */
  async classify(texts: string[]): Promise<number[][]> {
    return (await predictTexts(this.c, texts)).map((p) => p.probabilities);
  }

  dispose(): void {
    const model = this.c.task.model as unknown as {
      params?: { groups: { release(): void }[] };
      grads?: { groups: { release(): void }[] };
    };
    for (const g of model.params?.groups ?? []) g.release();
    for (const g of model.grads?.groups ?? []) g.release();
  }
}
