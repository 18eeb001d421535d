// Deterministic train / validation / test split by seed, stratified by label when asked — the behaviour of
// scikit-learn's train_test_split(test_size, random_state, stratify), applied twice (test, then validation).
// Sizes follow sklearn: n_test = ceil(test·n), and stratification allocates each class's share of the test
// set by largest remainder. The split is returned as index lists so it can be recorded and reproduced.
// (It does not reproduce numpy's permutation bit for bit: the seed is ours.)

import { mulberry32 } from '@anneal/rng';

export interface Split {
  train: number[];
  validation: number[];
  test: number[];
}

/** The seeded generator every shuffle and split uses (mulberry32). */
export const seededRandom = mulberry32;

export function shuffle<T>(xs: T[], rand: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

/** Splits `indices` into (rest, held) with |held| = ceil(fraction·n), stratified by labels if given. */
function holdOut(
  indices: number[],
  fraction: number,
  rand: () => number,
  labels?: ArrayLike<number>,
): [number[], number[]] {
  const nHeld = Math.ceil(fraction * indices.length);
  if (!labels) {
    const s = shuffle([...indices], rand);
    return [s.slice(nHeld), s.slice(0, nHeld)];
  }
  const byClass = new Map<number, number[]>();
  for (const i of indices) {
    const list = byClass.get(labels[i]) ?? [];
    list.push(i);
    byClass.set(labels[i], list);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  // Largest-remainder allocation of nHeld across classes in proportion to their counts.
  const exact = classes.map((c) => (byClass.get(c)!.length * nHeld) / indices.length);
  const take = exact.map(Math.floor);
  let left = nHeld - take.reduce((a, b) => a + b, 0);
  const order = classes.map((_, k) => k).sort((a, b) => exact[b] - take[b] - (exact[a] - take[a]) || a - b);
  for (const k of order) {
    if (left === 0) break;
    take[k]++;
    left--;
  }
  const rest: number[] = [];
  const held: number[] = [];
  classes.forEach((c, k) => {
    const s = shuffle([...byClass.get(c)!], rand);
    held.push(...s.slice(0, take[k]));
    rest.push(...s.slice(take[k]));
  });
  return [shuffle(rest, rand), shuffle(held, rand)];
}

export function splitIndices(
  n: number,
  {
    validation,
    test,
    seed,
    labels,
  }: { validation: number; test: number; seed: number; labels?: ArrayLike<number> },
): Split {
  if (validation + test >= 1)
    throw new Error(`split: validation (${validation}) + test (${test}) must be < 1`);
  const rand = seededRandom(seed);
  const all = Array.from({ length: n }, (_, i) => i);
  const [rest, testIdx] = holdOut(all, test, rand, labels);
  // Validation is a fraction of the whole, taken from what the test split left.
  const [train, valIdx] = holdOut(
    rest,
    rest.length ? (validation * n) / rest.length - 1e-12 : 0,
    rand,
    labels,
  );
  return { train, validation: valIdx, test: testIdx };
}
