// Metric keys as the trainer writes them: `<split>/<name>` (train/loss, val/f1, test/rocAuc). Grouped by split in
// the order a person reads a run — train, validation, test, then any other prefix, then keys without one — and,
// within a split, the loss first.

export type Split<T> = { split: string; items: { name: string; key: string; item: T }[] };

const ORDER = ['train', 'val', 'validation', 'eval', 'test'];
/** The group of keys without a prefix (epoch, …): no prefix can be empty. */
export const NO_SPLIT = '';

const rank = (split: string) => {
  const i = ORDER.indexOf(split);
  return i >= 0 ? i : split === NO_SPLIT ? ORDER.length + 1 : ORDER.length;
};
/** Metric names within a split: the loss first, then alphabetical. */
export const byName = (a: string, b: string) =>
  Number(b === 'loss') - Number(a === 'loss') || a.localeCompare(b);

export function splitKey(key: string): { split: string; name: string } {
  const i = key.indexOf('/');
  return i > 0 ? { split: key.slice(0, i), name: key.slice(i + 1) } : { split: NO_SPLIT, name: key };
}

/** `entries` ([key, item]) grouped by split, splits and names in reading order. */
export function groupBySplit<T>(entries: [string, T][]): Split<T>[] {
  const groups = new Map<string, Split<T>>();
  for (const [key, item] of entries) {
    const { split, name } = splitKey(key);
    if (!groups.has(split)) groups.set(split, { split, items: [] });
    groups.get(split)!.items.push({ name, key, item });
  }
  const out = [...groups.values()].sort(
    (a, b) => rank(a.split) - rank(b.split) || a.split.localeCompare(b.split),
  );
  for (const g of out) g.items.sort((a, b) => byName(a.name, b.name));
  return out;
}

/** What a runs table shows first: these metrics, on validation, then test, then training. */
const HEADLINE = ['f1', 'accuracy', 'rocAuc', 'perplexity', 'loss'];
const SPLITS_FIRST = ['val', 'validation', 'eval', 'test', 'train'];

/** Summary keys in the order a runs table offers them as columns: headline metrics by split, then the rest. */
export function headlineOrder(keys: string[]): string[] {
  const score = (key: string) => {
    const { split, name } = splitKey(key);
    const h = HEADLINE.indexOf(name);
    const s = SPLITS_FIRST.indexOf(split);
    return h < 0 || s < 0 ? Number.POSITIVE_INFINITY : h * SPLITS_FIRST.length + s;
  };
  return [...keys].sort((a, b) => score(a) - score(b) || a.localeCompare(b));
}

/** Whether a lower value of the metric is better (losses, perplexities, error rates). */
export const lowerIsBetter = (key: string) => /loss|perplexity|error/i.test(key);
