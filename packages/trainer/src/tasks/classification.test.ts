import { describe, expect, it } from 'vitest';
import { seededRandom } from '../data/split.ts';
import { augment, truncate } from './classification.ts';

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
