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
