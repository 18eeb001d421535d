// Test helpers shared by the op tests: seeded random inputs, NaN-poisoned outputs, tolerance checks with
// messages that name op, pass, shape, first bad index and max error, and central finite differences.

import { mulberry32 as rng } from '@anneal/rng';
import { openGpu } from './device.ts';
import { Runtime } from './kernel.ts';
import type { Tensor } from './tensor.ts';

/** Uniform in ±scale, never exactly zero, rounded to f32 so the float64 reference sees the same inputs. */
export function randn(n: number, seed: number, scale = 1): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let v = (r() * 2 - 1) * scale;
    if (v === 0) v = scale * 1e-3;
    out[i] = v;
  }
  return out;
}

export function randInt(n: number, seed: number, max: number): Uint32Array {
  const r = rng(seed);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(r() * max);
  return out;
}

export const f64 = (a: ArrayLike<number>) => Float64Array.from(a);

/**
 * Asserts |gpu - ref| <= atol + rtol * |ref| elementwise, and that every element was written (a NaN
 * left by poisoning fails). Throws with op, pass, shape, first bad index, and the max error.
 */
export function expectClose(
  what: string,
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  tol: { atol: number; rtol: number },
): void {
  if (got.length !== want.length) throw new Error(`${what}: length ${got.length} != ${want.length}`);
  let firstBad = -1;
  let maxErr = 0;
  let maxAt = 0;
  for (let i = 0; i < got.length; i++) {
    const g = got[i];
    const w = want[i];
    const err = Math.abs(g - w);
    const ok = Number.isNaN(w) ? Number.isNaN(g) : err <= tol.atol + tol.rtol * Math.abs(w);
    if (!ok && firstBad < 0) firstBad = i;
    if (!(err <= maxErr)) {
      maxErr = err;
      maxAt = i;
    }
  }
  if (firstBad >= 0) {
    throw new Error(
      `${what}: first bad index ${firstBad} (got ${got[firstBad]}, want ${want[firstBad]}); ` +
        `max |err| ${maxErr} at ${maxAt}; atol ${tol.atol} rtol ${tol.rtol}`,
    );
  }
}

type Typed = Float32Array | Uint32Array | Int32Array | Uint16Array;

export function expectBitEqual(what: string, a: Typed, b: Typed): void {
  if (a.length !== b.length) throw new Error(`${what}: length ${a.length} != ${b.length}`);
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) {
    if (ua[i] !== ub[i]) throw new Error(`${what}: not bit-identical at ${i} (${a[i]} vs ${b[i]})`);
  }
}

/**
 * Central finite differences of a scalar function f at x, in float64: d f / d x[i] for each i.
 * h = 1e-6 balances truncation error (O(h²)) against cancellation (O(eps/h)) for float64.
 */
export function numericGrad(f: (x: Float64Array) => number, x: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const old = x[i];
    x[i] = old + h;
    const fp = f(x);
    x[i] = old - h;
    const fm = f(x);
    x[i] = old;
    g[i] = (fp - fm) / (2 * h);
  }
  return g;
}

/**
 * Asserts that `grad`, an analytic gradient of the scalar function f at x (a reference backward pass), matches
 * f's central finite differences within tol.
 */
export function expectGrad(
  what: string,
  grad: ArrayLike<number>,
  f: (x: Float64Array) => number,
  x: Float64Array,
  tol: { atol: number; rtol: number },
): void {
  expectClose(what, grad, numericGrad(f, x), tol);
}

/** Σ w·y: turns a tensor-valued function into a scalar so its VJP can be checked by finite differences. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

let shared: Promise<Runtime> | null = null;

/** One runtime per test file (vitest isolates files); refuses the null backend like everything else. */
export function testRuntime(): Promise<Runtime> {
  shared ??= openGpu().then((gpu) => new Runtime(gpu));
  return shared;
}

/** Destroys the shared runtime (Dawn aborts at exit if a device is still alive). */
export async function closeTestRuntime(): Promise<void> {
  if (!shared) return;
  const rt = await shared;
  shared = null;
  await rt.device.queue.onSubmittedWorkDone();
  rt.destroy();
}

/** An output tensor poisoned with NaN so an element the kernel never writes fails the comparison. */
export function poisoned(rt: Runtime, shape: readonly number[], label: string): Tensor<'f32'> {
  const t = rt.empty(shape, label);
  rt.fill(t, Number.NaN);
  return t;
}
