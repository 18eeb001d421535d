// How much each swept parameter seems to matter to the sweep's metric, over the finished runs: every parameter
// of the space is listed (a sweep page that shows one of three parameters hides what was searched).
// - A numeric parameter (a range, or a list of numbers): Spearman's rank correlation ρ with the metric, −1…1;
//   ρ > 0 when larger values of the parameter go with a larger metric value.
// - A categorical parameter (a list with any non-number): the correlation ratio η of the metric's ranks across its
//   values, 0…1: the share of the metric's rank spread explained by which value a run had (√ of it); no direction.
// - A constant: nothing to measure (value null).
// With fewer than 3 finished runs (or a single value seen) the value is null: not enough runs.
import { spearman } from './controller.ts';
import type { Dim } from './space.ts';

export type ImportanceMeasure = 'spearman' | 'correlation_ratio' | 'constant';
export interface Importance {
  parameter: string;
  measure: ImportanceMeasure;
  /** ρ (−1…1), η (0…1), or null: constant, or not enough runs. */
  value: number | null;
  /** Finished runs with both the parameter and the metric. */
  runs: number;
}

/** Average ranks (ties share their mean rank). */
function ranks(v: number[]): number[] {
  const order = v.map((value, i) => ({ value, i })).sort((a, b) => a.value - b.value);
  const r = new Array<number>(v.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1].value === order[i].value) j++;
    for (let k = i; k <= j; k++) r[order[k].i] = (i + j) / 2;
    i = j + 1;
  }
  return r;
}

/** The correlation ratio η of y's ranks grouped by `groups`; NaN with < 3 pairs, < 2 groups or no spread. */
export function correlationRatio(groups: string[], y: number[]): number {
  if (y.length < 3 || new Set(groups).size < 2) return Number.NaN;
  const ry = ranks(y);
  const mean = ry.reduce((a, b) => a + b, 0) / ry.length;
  const by = new Map<string, number[]>();
  groups.forEach((g, i) => {
    by.set(g, [...(by.get(g) ?? []), ry[i]]);
  });
  let between = 0;
  for (const v of by.values()) {
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    between += v.length * (m - mean) ** 2;
  }
  const total = ry.reduce((a, r) => a + (r - mean) ** 2, 0);
  return total === 0 ? Number.NaN : Math.sqrt(between / total);
}

/** Every parameter of the space, strongest first (constants and unmeasured last). */
export function importance(
  dims: Dim[],
  trials: { params: Record<string, unknown> | null; value: number }[],
): Importance[] {
  const out = dims.map((d): Importance => {
    if (d.kind === 'constant') return { parameter: d.path, measure: 'constant', value: null, runs: 0 };
    const pairs = trials
      .filter((t) => t.params && t.params[d.path] !== undefined && Number.isFinite(t.value))
      .map((t) => ({ x: t.params![d.path], y: t.value }));
    const numeric = d.kind !== 'categorical' || d.values.every((v) => typeof v === 'number');
    const value = numeric
      ? spearman(
          pairs.map((p) => Number(p.x)),
          pairs.map((p) => p.y),
        )
      : correlationRatio(
          pairs.map((p) => JSON.stringify(p.x)),
          pairs.map((p) => p.y),
        );
    return {
      parameter: d.path,
      measure: numeric ? 'spearman' : 'correlation_ratio',
      value: Number.isFinite(value) ? value : null,
      runs: pairs.length,
    };
  });
  const strength = (i: Importance) => (i.value === null ? -1 : Math.abs(i.value));
  return out.sort((a, b) => strength(b) - strength(a) || a.parameter.localeCompare(b.parameter));
}
