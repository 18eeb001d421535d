/** A table cell's value: integers as they are, other numbers to 4 significant digits, nothing for null. */
export const fmt = (v: unknown) =>
  typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : String(v ?? '');
