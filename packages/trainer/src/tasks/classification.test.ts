import { describe, expect, it } from 'vitest';
import { seededRandom } from '../data/split.ts';
import { augment } from './classification.ts';

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
