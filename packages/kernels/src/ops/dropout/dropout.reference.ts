// The dropout RNG in TypeScript, bit-for-bit the WGSL one (u32 arithmetic via Math.imul).
function mix(x0: number): number {
  let x = x0 >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}

export function uniform01(seed: number, i: number): number {
  return ((mix(mix(i) ^ seed) >>> 0) >>> 8) / 16777216;
}

export function dropoutRef(x: Float64Array, p: number, seed: number, offset = 0): Float64Array {
  // The kernel compares and divides by f32 p and f32 (1 - p): mirror those roundings.
  const pf = Math.fround(p);
  const keepScale = Math.fround(1 - pf);
  return x.map((v, i) => (uniform01(seed, offset + i) >= pf ? v / keepScale : 0));
}
