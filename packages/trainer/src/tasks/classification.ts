// Sequence classification on the encoder or on GPT: token ids (after a leading [CLS]-style token for the
// encoder) truncated and right-padded to T with an attention mask; evaluation by loss, accuracy, precision / recall / F1 (binary and
// macro), ROC-AUC and the confusion matrix (metrics.ts).

import type { Runtime } from '@anneal/kernels/kernel';
import { seededRandom } from '../data/split.ts';
import { type ClassificationReport, classificationReport } from '../metrics.ts';
import type { ClassificationBatch } from '../model/encoder.ts';
import type { HFModel, Task, TrainableModel } from '../train.ts';

export interface LabelledIds {
  ids: number[];
  label: number;
}

/** A classifier on either trunk: the encoder (first token / mean) or GPT (last real token). */
export interface ClassifierModel extends TrainableModel<ClassificationBatch> {
  readLogits(): Promise<Float32Array>;
}

/** How the task's model is written as Hugging Face files and read back. */
export interface ModelIO {
  toHF(weights: Map<string, Float32Array>): HFModel;
  fromHF(dir: string): Map<string, Float32Array>;
}

/** Seeded random token deletion (each token dropped with probability p, one always kept) or masking. */
export function augment(
  ids: number[],
  kind: 'none' | 'token-deletion' | 'token-masking',
  p: number,
  maskId: number,
  rand: () => number,
): number[] {
  if (kind === 'token-masking') return ids.map((t) => (rand() < p ? maskId : t));
  if (kind === 'token-deletion') {
    const kept = ids.filter(() => rand() >= p);
    return kept.length ? kept : ids.slice(0, 1);
  }
  return ids;
}

export interface Truncation {
  keep: 'head' | 'tail' | 'head-tail';
  headTokens: number;
}

/**
 * The ids of a text that fit in `room` positions: its first ones (`head`), its last ones (`tail`) or its first
 * `headTokens` and the rest from its end (`head-tail`). keepEnds: the first and the last id (a tokenizer's
 * [CLS] and [SEP]) stay whatever is cut.
 */
export function truncate(ids: number[], room: number, { keep, headTokens }: Truncation, keepEnds = false) {
  if (ids.length <= room) return ids;
  let head = keep === 'head' ? room : keep === 'tail' ? 0 : Math.min(headTokens, room);
  if (keepEnds) head = Math.max(Math.min(head, room - 1), Math.min(1, room - 1));
  return [...ids.slice(0, head), ...ids.slice(ids.length - (room - head))];
}

const HEAD: Truncation = { keep: 'head', headTokens: 0 };

export class ClassificationTask implements Task<ClassificationBatch> {
  /** The last evaluation's full report (confusion matrix included). */
  lastReport: ClassificationReport | null = null;
  /** The last evaluation's class probabilities, (N, K) in the split's order. */
  lastProbs: { split: 'validation' | 'test'; probs: Float64Array } | null = null;

  constructor(
    readonly rt: Runtime,
    readonly model: ClassifierModel,
    readonly io: ModelIO,
    readonly numLabels: number,
    readonly data: { train: LabelledIds[]; validation: LabelledIds[]; test: LabelledIds[] },
    /**
     * T: padded length; clsId: prepended first token (the encoder pools it); padId: filler under mask 0 and
     * the replacement for masked tokens; truncation: which tokens of a longer text are kept; keepEnds: the
     * text's own first and last tokens (a tokenizer's [CLS] and [SEP]) survive truncation; augment:
     * training-only token deletion or masking.
     */
    readonly o: {
      batchSize: number;
      T: number;
      clsId: number | null;
      padId: number;
      truncation?: Truncation;
      keepEnds?: boolean;
      augment?: { kind: 'none' | 'token-deletion' | 'token-masking'; p: number };
    },
  ) {}

  get trainSize(): number {
    return this.data.train.length;
  }

  get splitSizes() {
    return { validation: this.data.validation.length, test: this.data.test.length };
  }

  private toBatch(rows: LabelledIds[]): ClassificationBatch {
    const { T, clsId, padId } = this.o;
    const B = rows.length;
    const tokens = new Uint32Array(B * T).fill(padId);
    const mask = new Uint32Array(B * T);
    const labels = new Int32Array(B);
    rows.forEach((r, b) => {
      const room = clsId === null ? T : T - 1;
      const kept = truncate(r.ids, room, this.o.truncation ?? HEAD, this.o.keepEnds);
      const text = clsId === null ? kept : [clsId, ...kept];
      const ids = text.length ? text : [padId]; // an empty text still gets one (real) position
      tokens.set(ids, b * T);
      mask.fill(1, b * T, b * T + ids.length);
      labels[b] = r.label;
    });
    return { B, T, tokens, mask, labels };
  }

  batch(indices: number[], seed: number): ClassificationBatch {
    const rows = indices.map((i) => this.data.train[i]);
    const aug = this.o.augment;
    if (!aug || aug.kind === 'none' || aug.p === 0) return this.toBatch(rows);
    return this.toBatch(
      rows.map((r) => ({
        ...r,
        ids: augment(r.ids, aug.kind, aug.p, this.o.padId, seededRandom(seed + r.ids.length)),
      })),
    );
  }

  /**
   * Class probabilities (softmax of the logits, float64) of `rows`, (N, K) row-major, in batches of the task's
   * batch size; `onBatch(done)` after each. `loss` is the mean loss against the rows' labels.
   */
  async predict(
    rows: LabelledIds[],
    onBatch?: (done: number) => void,
  ): Promise<{ probs: Float64Array; loss: number }> {
    const K = this.numLabels;
    const probs = new Float64Array(rows.length * K);
    let lossSum = 0;
    for (let i = 0; i < rows.length; i += this.o.batchSize) {
      const b = this.toBatch(rows.slice(i, i + this.o.batchSize));
      this.rt.run('eval', (s) => this.model.forward(s, b));
      lossSum += (await this.model.readLoss()) * b.B;
      const logits = await this.model.readLogits();
      for (let r = 0; r < b.B; r++) {
        const row = logits.subarray(r * K, (r + 1) * K);
        const m = Math.max(...row);
        const z = row.reduce((a, v) => a + Math.exp(v - m), 0);
        for (let k = 0; k < K; k++) probs[(i + r) * K + k] = Math.exp(row[k] - m) / z;
      }
      onBatch?.(i + b.B);
    }
    return { probs, loss: lossSum / Math.max(1, rows.length) };
  }

  async evaluate(split: 'validation' | 'test'): Promise<Record<string, number>> {
    const rows = this.data[split];
    const { probs, loss } = await this.predict(rows);
    const report = classificationReport(
      rows.map((r) => r.label),
      probs,
      this.numLabels,
    );
    this.lastReport = report;
    this.lastProbs = { split, probs };
    const { confusion: _, ...scalars } = report;
    return { loss, ...scalars };
  }

  toHF(weights: Map<string, Float32Array>) {
    return this.io.toHF(weights);
  }

  fromHF(dir: string): Map<string, Float32Array> {
    return this.io.fromHF(dir);
  }
}
