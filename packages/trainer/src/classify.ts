// A trained classifier on new text: an exported sequence-classification model directory (a run's model/, or a
// checkpoint: config.json with num_labels, model.safetensors with the head, tokenizer.json) loaded once, then
// class probabilities for any texts. The texts are tokenized, truncated and padded exactly as the run's
// evaluation did (assemble.ts buildTask, tasks/classification.ts), so a text gets the probabilities `anneal
// eval` computed for it — given the run's data.maxLength and data.truncation.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from '@anneal/config';
import type { Runtime } from '@anneal/kernels/kernel';
import { buildTask } from './assemble.ts';
import { checkModelDir } from './model/pretrained.ts';
import { ClassificationTask, type Truncation } from './tasks/classification.ts';
import { Tokenizer } from './tokenizer.ts';

export interface ClassifierOptions {
  /** The run's data.maxLength (tokens a text is cut to); default the config's default, 128. */
  maxLength?: number;
  /** The run's data.truncation. */
  truncation?: Partial<Truncation>;
  /** Texts per forward pass (default 8). */
  batchSize?: number;
}

interface HFClassifierConfig {
  model_type?: string;
  architectures?: string[];
  num_labels?: number;
  id2label?: Record<string, string>;
  anneal_pooling?: 'first' | 'mean';
}

export class Classifier {
  private constructor(
    private readonly task: ClassificationTask,
    readonly tokenizer: Tokenizer,
    /** The class names, in class order (the config's id2label, else '0', '1', …). */
    readonly labels: string[],
  ) {}

  get numLabels(): number {
    return this.labels.length;
  }

  /** Loads a sequence-classification model directory, or throws naming what it is not. */
  static async load(rt: Runtime, modelDir: string, o: ClassifierOptions = {}): Promise<Classifier> {
    checkModelDir(modelDir, 'model');
    const hf = JSON.parse(readFileSync(join(modelDir, 'config.json'), 'utf8')) as HFClassifierConfig;
    const arch = hf.architectures?.[0] ?? '';
    if (!arch.endsWith('ForSequenceClassification'))
      throw new Error(
        `model: ${modelDir}/config.json describes ${arch || 'no architecture'}, not a sequence classifier`,
      );
    const K = hf.num_labels ?? (hf.id2label ? Object.keys(hf.id2label).length : 2);
    const pooling = hf.model_type === 'gpt2' ? 'last' : (hf.anneal_pooling ?? 'first');
    const config = resolveConfig(
      {
        model: { base: modelDir, task: 'sequence-classification', numLabels: K, pooling },
        data: {
          ...(o.maxLength ? { maxLength: o.maxLength } : {}),
          ...(o.truncation ? { truncation: o.truncation } : {}),
        },
        train: { batchSize: o.batchSize ?? 8 },
      },
      'classifier',
    );
    const tokenizer = Tokenizer.fromFile(join(modelDir, 'tokenizer.json'));
    const none: number[] = [];
    const task = await buildTask(
      rt,
      config,
      [],
      { train: none, validation: none, test: none },
      tokenizer,
      () => {},
    );
    if (!(task instanceof ClassificationTask)) throw new Error('model: not a sequence classifier');
    const labels = Array.from({ length: K }, (_, k) => hf.id2label?.[k] ?? String(k));
    return new Classifier(task, tokenizer, labels);
  }

  /** Each text's class probabilities (rows sum to 1). */
  async classify(texts: string[]): Promise<number[][]> {
    const ids = await this.tokenizer.encodeBatch(texts);
    const p = await this.task.predict(ids);
    const K = this.numLabels;
    return texts.map((_, i) => Array.from(p.subarray(i * K, (i + 1) * K)));
  }

  dispose(): void {
    const model = this.task.model as unknown as {
      params?: { groups: { release(): void }[] };
      grads?: { groups: { release(): void }[] };
    };
    for (const g of model.params?.groups ?? []) g.release();
    for (const g of model.grads?.groups ?? []) g.release();
  }
}
