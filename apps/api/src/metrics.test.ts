// roundDigits, which `MetricColumns(digits:)` applies to a chart's values: the nearest double to v rounded to
// n significant digits (what toPrecision gives, at ~10× the speed), printed by JSON with at most n digits.
import { describe, expect, it } from 'vitest';
import { roundDigits } from './metrics.ts';

/** Significant digits in a number's shortest form (JSON's). */
const sigDigits = (v: number) =>
  String(Math.abs(v)).replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length || 1;

describe('roundDigits', () => {
  const values = [
    0.9523408412934,
    -0.9523408412934,
    1,
    2.5,
    123456789.123,
    -98765.4321,
    Math.PI,
    1e-9 / 3,
    1e-30 / 3,
    6.02214076e23,
    1.7976931348623157e308,
    5e-324,
    999999.96,
    0.000123456789,
    12345678901234,
    -8764029250803191,
  ];
  it.each([1, 3, 7, 9, 15])(
    '%i digits: the same number as toPrecision, printed with at most that many',
    (d) => {
      for (const v of values) {
        const r = roundDigits(v, d);
        const want = Number(v.toPrecision(d));
        // Except where that rounds up past the largest double: the value stays finite, as it was.
        expect(r, `${v} to ${d} digits`).toBe(Number.isFinite(want) ? want : v);
        if (Number.isFinite(want))
          expect(sigDigits(r), `${v} to ${d} digits printed as ${r}`).toBeLessThanOrEqual(d);
      }
    },
  );

  it('leaves every double as it is at 17 digits (all a double has)', () => {
    for (const v of [...values, -8764029250803191, 0.1 + 0.2]) expect(roundDigits(v, 17)).toBe(v);
  });

  it('rounds a negative value as its magnitude (a series and its negation draw alike)', () => {
    for (const v of [...values, 2.5e-7, 0.125, 1234.5])
      for (const d of [1, 3, 7]) expect(roundDigits(-v, d)).toBe(-roundDigits(v, d));
  });

  it('passes 0, NaN and ±Infinity through', () => {
    for (const v of [0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])
      expect(roundDigits(v, 7)).toBe(v);
  });

  it('keeps float32 precision at 7 digits over many random magnitudes', () => {
    // 7 significant digits are within half a unit of the 7th digit: 5e-7 relative, float32's epsilon is 1.2e-7.
    let seed = 1;
    const rand = () => {
      seed = (seed * 16807) % 2147483647;
      return (seed - 1) / 2147483646;
    };
    for (let i = 0; i < 10_000; i++) {
      const v = (rand() - 0.5) * 10 ** Math.floor(rand() * 40 - 20);
      const r = roundDigits(v, 7);
      expect(Math.abs(r - v)).toBeLessThanOrEqual(5e-7 * Math.abs(v));
      expect(sigDigits(r)).toBeLessThanOrEqual(7);
    }
  });
});
