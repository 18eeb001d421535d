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
  keep: 'head' | 'tail' | 'head-tail' | 'chunks';
  headTokens: number;
  /** With `chunks`: at most this many windows a text (spread evenly over it, the first and last included). */
  maxChunks?: number;
}

/**
 * The ids of a text that fit in `room` positions: its first ones (`head`), its last ones (`tail`) or its first
 * `headTokens` and the rest from its end (`head-tail`). keepEnds: the first and the last id (a tokenizer's
 * [CLS] and [SEP]) stay whatever is cut.
 */
export function truncate(ids: number[], room: number, { keep, headTokens }: Truncation, keepEnds = false) {
  if (ids.length <= room) return ids;
  let head = keep === 'tail' ? 0 : keep === 'head-tail' ? Math.min(headTokens, room) : room;
  if (keepEnds) head = Math.max(Math.min(head, room - 1), Math.min(1, room - 1));
  return [...ids.slice(0, head), ...ids.slice(ids.length - (room - head))];
}

/**
 * The whole of a text as windows of at most `room` ids, for `keep: chunks`: consecutive windows from its start,
 * the last one ending at its end (so it overlaps the one before rather than being short); of more than
 * `maxChunks` windows, `maxChunks` spread evenly (the first and the last kept). keepEnds: the text's first and
 * last id (a tokenizer's [CLS] and [SEP]) open and close every window.
 */
export function chunk(ids: number[], room: number, maxChunks: number, keepEnds = false): number[][] {
  if (ids.length <= room) return [ids];
  const ends = keepEnds && room >= 3 ? 1 : 0;
  const body = ids.slice(ends, ids.length - ends);
  const w = room - 2 * ends;
  const n = Math.ceil(body.length / w);
  const starts = Array.from({ length: n }, (_, i) => Math.min(i * w, body.length - w));
  const picked =
    n <= maxChunks
      ? starts
      : Array.from(
          { length: maxChunks },
          (_, i) => starts[Math.round((i * (n - 1)) / Math.max(1, maxChunks - 1))],
        );
  return picked.map((s) => {
    const win = body.slice(s, s + w);
    return ends ? [ids[0], ...win, ids[ids.length - 1]] : win;
  });
}

const HEAD: Truncation = { keep: 'head', headTokens: 0 };

/** Mean of each row's chunk logits, as class probabilities: `owner[c]` is chunk c's row. */
export function poolChunks(logits: Float32Array, owner: number[], rows: number, K: number): Float64Array {
  const sum = new Float64Array(rows * K);
  const count = new Float64Array(rows);
  owner.forEach((r, c) => {
    for (let k = 0; k < K; k++) sum[r * K + k] += logits[c * K + k];
    count[r]++;
  });
  for (let r = 0; r < rows; r++) softmaxInPlace(sum.subarray(r * K, (r + 1) * K), 1 / count[r]);
  return sum;
}

/** row ← softmax(row × scale), in float64. */
function softmaxInPlace(row: Float64Array | Float32Array, scale = 1) {
  let m = Number.NEGATIVE_INFINITY;
  for (const v of row) m = Math.max(m, v * scale);
  let z = 0;
  for (let k = 0; k < row.length; k++) z += Math.exp(row[k] * scale - m);
  for (let k = 0; k < row.length; k++) row[k] = Math.exp(row[k] * scale - m) / z;
}

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
  ) {
    if (this.room < 1)
      throw new Error(
        `data.maxLength: ${o.T} leaves no position for text after the model's leading token; make it at least 2`,
      );
  }

  /** With `keep: chunks`: each training text's windows, as rows of their own (its label on every window). */
  private chunkedTrain: LabelledIds[] | null = null;

  private get chunked(): boolean {
    return this.o.truncation?.keep === 'chunks';
  }

  private get room(): number {
    return this.o.clsId === null ? this.o.T : this.o.T - 1;
  }

  private get trainRows(): LabelledIds[] {
    if (!this.chunked) return this.data.train;
    this.chunkedTrain ??= this.data.train.flatMap((r) =>
      this.windows(r.ids).map((ids) => ({ ids, label: r.label })),
    );
    return this.chunkedTrain;
  }

  private windows(ids: number[]): number[][] {
    return chunk(ids, this.room, this.o.truncation?.maxChunks ?? 8, this.o.keepEnds);
  }

  get trainSize(): number {
    return this.trainRows.length;
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
      const kept = truncate(r.ids, this.room, this.o.truncation ?? HEAD, this.o.keepEnds);
      const text = clsId === null ? kept : [clsId, ...kept];
      const ids = text.length ? text : [padId]; // an empty text still gets one (real) position
      tokens.set(ids, b * T);
      mask.fill(1, b * T, b * T + ids.length);
      labels[b] = r.label;
    });
    return { B, T, tokens, mask, labels };
  }

  batch(indices: number[], seed: number): ClassificationBatch {
    const rows = indices.map((i) => this.trainRows[i]);
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
   * batch size; `onBatch(done)` after each, with the rows done so far. `loss` is the mean loss against the
   * rows' labels. With `keep: chunks` a row is read as its windows and its probabilities are the softmax of
   * their mean logits (its loss that of the pooled probabilities).
   */
  async predict(
    rows: LabelledIds[],
    onBatch?: (done: number) => void,
  ): Promise<{ probs: Float64Array; loss: number }> {
    const K = this.numLabels;
    const pieces = this.chunked
      ? rows.flatMap((r, owner) => this.windows(r.ids).map((ids) => ({ ids, label: r.label, owner })))
      : rows.map((r, owner) => ({ ...r, owner }));
    const logits = new Float32Array(pieces.length * K);
    let lossSum = 0;
    for (let i = 0; i < pieces.length; i += this.o.batchSize) {
      const b = this.toBatch(pieces.slice(i, i + this.o.batchSize));
      this.rt.run('eval', (s) => this.model.forward(s, b));
      lossSum += (await this.model.readLoss()) * b.B;
      logits.set((await this.model.readLogits()).subarray(0, b.B * K), i * K);
      onBatch?.(pieces[i + b.B]?.owner ?? rows.length);
    }
    if (!this.chunked) {
      const probs = Float64Array.from(logits);
      for (let r = 0; r < rows.length; r++) softmaxInPlace(probs.subarray(r * K, (r + 1) * K));
      return { probs, loss: lossSum / Math.max(1, rows.length) };
    }
    const probs = poolChunks(
      logits,
      pieces.map((p) => p.owner),
      rows.length,
      K,
    );
    const nll = rows.reduce((a, r, i) => a - Math.log(Math.max(probs[i * K + r.label] ?? 0, 1e-12)), 0);
    return { probs, loss: nll / Math.max(1, rows.length) };
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
