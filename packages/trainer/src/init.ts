// Seeded parameter initialisation for layers a base checkpoint does not have (a new classification head).
import { seededRandom } from './data/split.ts';

/** n samples of N(0, std²) by Box–Muller from a seeded generator. */
export function normalInit(n: number, seed: number, std: number): Float32Array {
  const rand = seededRandom(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = 1 - rand(); // (0, 1]: log is finite
    const r = Math.sqrt(-2 * Math.log(u)) * std;
    const t = 2 * Math.PI * rand();
    out[i] = r * Math.cos(t);
    if (i + 1 < n) out[i + 1] = r * Math.sin(t);
  }
  return out;
}
