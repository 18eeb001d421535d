/** A table cell's value: integers as they are, other numbers to 4 significant digits, nothing for null. */
export const fmt = (v: unknown) =>
  typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : String(v ?? '');

/** `n` and the noun, singular for one: "1 run", "3 runs". */
export const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/**
 * Chart tick labels at 4 significant digits (uPlot's `values`): its default rounds small values such as learning
 * rates (1e-3 … 1e-4) to the same few decimals, so neighbouring ticks read alike.
 */
export const tickLabels = (_u: unknown, ticks: number[]) =>
  ticks.map((v) => (v == null ? '' : String(Number(v.toPrecision(4)))));

/**
 * A number as a person reads it: at most 4 significant digits and no trailing zeros (0.001, 3.162e-4 → 0.0003162,
 * 1234567.891 → 1235000), never a 17-digit float; other values as text (strings as they are, objects as JSON).
 */
export function readable(v: unknown): string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return String(v);
    if (Number.isInteger(v) && Math.abs(v) < 1e6) return String(v);
    return String(Number(v.toPrecision(4)));
  }
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return `[${v.map(readable).join(', ')}]`;
  if (typeof v === 'object')
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}: ${readable(x)}`)
      .join(', ')}}`;
  return String(v);
}

/** A run's sweep parameters as `name = value` pairs in key order, each value readable. */
export const paramPairs = (params: unknown): [string, string][] =>
  params && typeof params === 'object'
    ? Object.entries(params as Record<string, unknown>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, readable(v)])
    : [];
