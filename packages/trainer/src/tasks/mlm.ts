// Masked language modelling on the encoder (BERT's pretraining objective): documents packed into T-token
// windows; in each window 15% of the positions are chosen, and of those 80% become the mask token, 10% a
// random token and 10% stay as they are; the loss is the cross-entropy at the chosen positions only.
// Masking is drawn from the batch seed (training) or from the window's index (evaluation, so the held-out
// loss is the same number at every evaluation).

import type { Runtime } from '@anneal/kernels/kernel';
import { IGNORE_INDEX } from '@anneal/kernels/ops/crossentropy/crossentropy';
import { seededRandom } from '../data/split.ts';
import type { ClassificationBatch, EncoderConfig } from '../model/encoder.ts';
import { EncoderMLM } from '../model/encoder-mlm.ts';
import { encoderToHF, loadEncoderCheckpoint } from '../model/pretrained.ts';
import type { Task } from '../train.ts';

export const MASK_TOKEN = '<mask>';

export interface MaskingOptions {
  maskId: number;
  vocabSize: number;
  /** Fraction of positions predicted (BERT: 0.15). */
  p?: number;
  /** Ids never chosen nor drawn as random replacements (special tokens). */
  special?: number[];
}

/** BERT's 80/10/10 masking of one window: input ids and targets (IGNORE_INDEX where not predicted). */
export function maskWindow(
  ids: ArrayLike<number>,
  rand: () => number,
  { maskId, vocabSize, p = 0.15, special = [] }: MaskingOptions,
): { tokens: Uint32Array; targets: Int32Array } {
  const tokens = Uint32Array.from(ids);
  const targets = new Int32Array(tokens.length).fill(IGNORE_INDEX);
  const skip = new Set([maskId, ...special]);
  let chosen = 0;
  for (let t = 0; t < tokens.length; t++) {
    if (skip.has(tokens[t]) || rand() >= p) continue;
    targets[t] = tokens[t];
    chosen++;
    const r = rand();
    if (r < 0.8) tokens[t] = maskId;
    else if (r < 0.9) {
      let x = Math.floor(rand() * vocabSize);
      while (skip.has(x)) x = (x + 1) % vocabSize;
      tokens[t] = x;
    }
  }
  // Every window predicts at least one position, so no batch has an empty loss.
  if (!chosen) {
    const t = tokens.findIndex((x) => !skip.has(x));
    if (t >= 0) {
      targets[t] = tokens[t];
      tokens[t] = maskId;
    }
  }
  return { tokens, targets };
}

export class MLMTask implements Task<ClassificationBatch> {
  readonly model: EncoderMLM;

  constructor(
    readonly rt: Runtime,
    readonly config: EncoderConfig,
    weights: Map<string, Float32Array>,
    readonly data: { train: Uint32Array[]; validation: Uint32Array[]; test: Uint32Array[] },
    readonly batchSize: number,
    readonly masking: MaskingOptions,
  ) {
    if (config.head !== 'mlm') throw new Error("MLMTask: the encoder config must have head 'mlm'");
    this.model = new EncoderMLM(rt, config);
    this.model.params.write(weights);
  }

  get trainSize(): number {
    return this.data.train.length;
  }

  get splitSizes() {
    return { validation: this.data.validation.length, test: this.data.test.length };
  }

  private toBatch(windows: Uint32Array[], rand: (k: number) => () => number): ClassificationBatch {
    const B = windows.length;
    const T = windows[0].length;
    const tokens = new Uint32Array(B * T);
    const targets = new Int32Array(B * T);
    windows.forEach((w, k) => {
      const m = maskWindow(w, rand(k), this.masking);
      tokens.set(m.tokens, k * T);
      targets.set(m.targets, k * T);
    });
    return { B, T, tokens, mask: new Uint32Array(B * T).fill(1), labels: null, targets };
  }

  batch(indices: number[], seed: number): ClassificationBatch {
    return this.toBatch(
      indices.map((i) => this.data.train[i]),
      (k) => seededRandom(seed * 1_000_003 + indices[k]),
    );
  }

  /** Mean masked-token loss over a split (fixed masks), and its perplexity. */
  async evaluate(split: 'validation' | 'test'): Promise<Record<string, number>> {
    const windows = this.data[split];
    let sum = 0;
    let n = 0;
    for (let i = 0; i < windows.length; i += this.batchSize) {
      const b = this.toBatch(windows.slice(i, i + this.batchSize), (k) => seededRandom(i + k + 1));
      this.rt.run('eval', (s) => this.model.forward(s, b));
      const counted = b.targets!.reduce((a, y) => a + (y === IGNORE_INDEX ? 0 : 1), 0);
      sum += (await this.model.readLoss()) * counted;
      n += counted;
    }
    const loss = n ? sum / n : Number.NaN;
    return { loss, perplexity: Math.exp(loss) };
  }

  toHF(weights: Map<string, Float32Array>) {
    return encoderToHF(this.config, weights);
  }

  fromHF(dir: string): Map<string, Float32Array> {
    return loadEncoderCheckpoint(dir, { head: 'mlm' }).weights;
  }
}
