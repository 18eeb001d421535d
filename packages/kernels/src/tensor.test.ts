// The CPU side of f16 storage: f32 → binary16 rounding (nearest, ties to even, overflow to infinity,
// subnormals) and back. No GPU needed.
import { describe, expect, it } from 'vitest';
import { byteSize, f16Bits, fromF16Bits } from './tensor.ts';

describe('f16 bits', () => {
  it('rounds known values to nearest, ties to even', () => {
    expect(f16Bits(1)).toBe(0x3c00);
    expect(f16Bits(-2)).toBe(0xc000);
    expect(f16Bits(0.1)).toBe(0x2e66);
    expect(f16Bits(65504)).toBe(0x7bff); // largest finite
    expect(f16Bits(65520)).toBe(0x7c00); // rounds up past it: +Inf
    expect(f16Bits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(f16Bits(2 ** -26)).toBe(0x0000); // below half of it
    expect(f16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie: to even
    expect(f16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie: to even (up)
    expect(f16Bits(Number.NEGATIVE_INFINITY)).toBe(0xfc00);
    expect(fromF16Bits(f16Bits(Number.NaN))).toBeNaN();
  });

  it('every finite pattern survives a round trip', () => {
    const bad: number[] = [];
    for (let h = 0; h < 0x10000; h++) {
      if ((h & 0x7c00) === 0x7c00 && h & 0x3ff) continue; // NaN payloads
      if (f16Bits(fromF16Bits(h)) !== h) bad.push(h);
    }
    expect(bad).toEqual([]);
  });

  it('sizes f16 tensors in whole 4-byte words', () => {
    expect(byteSize('f16', 3)).toBe(8);
    expect(byteSize('f16', 4)).toBe(8);
    expect(byteSize('f32', 3)).toBe(12);
  });
});
