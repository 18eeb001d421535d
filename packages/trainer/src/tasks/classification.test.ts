import type { Runtime } from '@anneal/kernels/kernel';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../data/split.ts';
import {
  augment,
  ClassificationTask,
  type ClassifierModel,
  chunk,
  type ModelIO,
  poolChunks,
  truncate,
} from './classification.ts';

describe('training-split augmentation', () => {
  const ids = Array.from({ length: 2000 }, (_, i) => i + 10);

  it('token deletion drops about p of the tokens, in order, reproducibly by seed', () => {
    const a = augment(ids, 'token-deletion', 0.2, 0, seededRandom(5));
    expect(a.length / ids.length).toBeGreaterThan(0.75);
    expect(a.length / ids.length).toBeLessThan(0.85);
    expect([...a].sort((x, y) => x - y)).toEqual(a); // order kept
    expect(augment(ids, 'token-deletion', 0.2, 0, seededRandom(5))).toEqual(a);
    expect(augment(ids, 'token-deletion', 0.2, 0, seededRandom(6))).not.toEqual(a);
    expect(augment([7], 'token-deletion', 0.5, 0, () => 0)).toEqual([7]); // never empty
  });

  it('token masking replaces about p of the tokens with the mask id, keeping the length', () => {
    const m = augment(ids, 'token-masking', 0.1, 3, seededRandom(9));
    expect(m.length).toBe(ids.length);
    const masked = m.filter((t) => t === 3).length / ids.length;
    expect(masked).toBeGreaterThan(0.07);
    expect(masked).toBeLessThan(0.13);
  });
});

describe('truncation of long texts', () => {
  const ids = Array.from({ length: 10 }, (_, i) => i + 1);
  const keep = (keep: 'head' | 'tail' | 'head-tail', headTokens = 2) => ({ keep, headTokens });

  it('keeps the head, the tail, or the first headTokens and the rest from the end', () => {
    expect(truncate(ids, 4, keep('head'))).toEqual([1, 2, 3, 4]);
    expect(truncate(ids, 4, keep('tail'))).toEqual([7, 8, 9, 10]);
    expect(truncate(ids, 5, keep('head-tail', 2))).toEqual([1, 2, 8, 9, 10]);
    // headTokens beyond the room: the head alone.
    expect(truncate(ids, 3, keep('head-tail', 8))).toEqual([1, 2, 3]);
  });

  it("keeps a tokenizer's first and last token ([CLS], [SEP]) whichever part is kept", () => {
    expect(truncate(ids, 4, keep('head'), true)).toEqual([1, 2, 3, 10]);
    expect(truncate(ids, 4, keep('tail'), true)).toEqual([1, 8, 9, 10]);
    expect(truncate(ids, 4, keep('head-tail', 4), true)).toEqual([1, 2, 3, 10]);
  });

  it('leaves a text that fits alone', () => {
    for (const k of ['head', 'tail', 'head-tail'] as const)
      expect(truncate(ids, 10, keep(k), true)).toEqual(ids);
  });
});

describe('reading a long text whole (keep: chunks)', () => {
  const ids = Array.from({ length: 11 }, (_, i) => i + 1);

  it('cuts it into windows of the room, the last one ending at its end', () => {
    expect(chunk(ids, 4, 8)).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [8, 9, 10, 11],
    ]);
    expect(chunk(ids, 11, 8)).toEqual([ids]);
    expect(chunk([], 4, 8)).toEqual([[]]);
  });

  it('keeps at most maxChunks windows, spread evenly, the first and the last included', () => {
    const long = Array.from({ length: 100 }, (_, i) => i);
    const w = chunk(long, 10, 3);
    expect(w.map((x) => x[0])).toEqual([0, 50, 90]);
    expect(chunk(long, 10, 1).map((x) => x[0])).toEqual([0]);
    for (const x of chunk(long, 10, 4)) expect(x).toHaveLength(10);
  });

  it("opens and closes every window with a tokenizer's first and last id", () => {
    // [CLS]=100 … [SEP]=101 around 1..9: room 5 leaves 3 ids of text a window.
    const withEnds = [100, ...Array.from({ length: 9 }, (_, i) => i + 1), 101];
    expect(chunk(withEnds, 5, 8, true)).toEqual([
      [100, 1, 2, 3, 101],
      [100, 4, 5, 6, 101],
      [100, 7, 8, 9, 101],
    ]);
  });

  it("pools a text's windows as the softmax of their mean logits", () => {
    // Row 0 has windows with logits (1, 3) and (3, 1): mean (2, 2) → (0.5, 0.5); row 1 one window (0, ln 3).
    const p = poolChunks(Float32Array.from([1, 3, 3, 1, 0, Math.log(3)]), [0, 0, 1], 2, 2);
    expect(p[0]).toBeCloseTo(0.5, 12);
    expect(p[1]).toBeCloseTo(0.5, 12);
    expect(p[2]).toBeCloseTo(0.25, 6);
    expect(p[3]).toBeCloseTo(0.75, 6);
  });
});

describe('a classifier task', () => {
  it("refuses a maxLength that leaves no position for text after the model's leading token", () => {
    const make = (T: number, clsId: number | null) =>
      new ClassificationTask(
        {} as Runtime,
        {} as ClassifierModel,
        {} as ModelIO,
        2,
        { train: [], validation: [], test: [] },
        { batchSize: 1, T, clsId, padId: 0, truncation: { keep: 'chunks', headTokens: 1 } },
      );
    expect(() => make(1, 5)).toThrow(/data\.maxLength: 1 leaves no position for text .* at least 2/);
    expect(() => make(1, null)).not.toThrow();
    expect(() => make(2, 5)).not.toThrow();
  });
});
