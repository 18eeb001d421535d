// Matrix multiply for every layout the forward and backward passes need, batched, with optional fused bias
// and accumulation into the output. The f32 variants pass the same tests; the fastest for each layout and
// shape on this adapter is chosen by measuring them (see autotune.ts) on the shapes the model runs, and cached:
//   rb — portable register blocking (4×4 outputs per invocation, no shared memory);
//   sg — subgroup shuffles share A across a subgroup (needs `subgroups` and a fixed subgroup size % 8 = 0);
//   tiled — shared-memory tiling (64×64 tiles, 4×4 per invocation);
//   tiled128 — shared-memory tiling (128×128 tiles, 8×8 per invocation, vec4 workgroup reads): discrete GPUs.
// On lavapipe workgroup-memory loads with computed addresses compile to scalar code, so the tiled kernels lose
// there; the measurement, not a hard-coded rule, decides (see the kernels README).
// f16 operands (both A and B f16, C f32) run matmul.f16.wgsl: f16 storage, f32 products and sums, on
// adapters with `shader-f16`.

import { type Candidate, type TimingOptions, tune } from '../../autotune.ts';
import { type Kernel, opKernel, type Runtime, type Step } from '../../kernel.ts';
import type { Tensor } from '../../tensor.ts';
import { biasBackward } from '../bias/bias.ts';

/** Params, bindings and loads shared by the three variants. */
const COMMON = new URL('./matmul.common.wgsl', import.meta.url);

const PARAMS = {
  M: 'u32',
  N: 'u32',
  K: 'u32',
  strideA: 'u32',
  strideB: 'u32',
  strideC: 'u32',
  hasBias: 'u32',
  accumulate: 'u32',
} as const;

export type MatmulVariant = 'rb' | 'sg' | 'tiled' | 'tiled128';

const kernels: Record<MatmulVariant, Kernel<keyof typeof PARAMS>> = {
  rb: opKernel(import.meta.url, 'matmul.rb', PARAMS, [COMMON]),
  sg: opKernel(import.meta.url, 'matmul.sg', PARAMS, [COMMON]),
  tiled: opKernel(import.meta.url, 'matmul.tiled', PARAMS, [COMMON]),
  tiled128: opKernel(import.meta.url, 'matmul.tiled128', PARAMS, [COMMON]),
};

/** f16 storage, f32 accumulation (A and B f16; C and bias f32). */
const f16Kernel = opKernel(import.meta.url, 'matmul.f16', PARAMS);

export const naiveMatmulKernel = opKernel(import.meta.url, 'matmul.naive', { M: 'u32', N: 'u32', K: 'u32' });

export interface MatmulOptions {
  transA?: boolean;
  transB?: boolean;
  /** C += result instead of C = result. */
  accumulate?: boolean;
  /** Batch count; strides in elements between batches (0 broadcasts that operand). */
  batch?: number;
  strideA?: number;
  strideB?: number;
  strideC?: number;
  /** Force a variant (tests and benchmarks); otherwise the tuned choice. */
  variant?: MatmulVariant;
}

/** Variants that can run on this adapter. */
export function matmulVariants(rt: Runtime): MatmulVariant[] {
  const { subgroupMinSize: lo, subgroupMaxSize: hi } = rt.gpu.info;
  const sgOk = rt.has('subgroups') && lo === hi && lo % 8 === 0 && lo <= 64;
  return sgOk ? ['sg', 'tiled', 'tiled128', 'rb'] : ['tiled', 'tiled128', 'rb'];
}

/** Whether this runtime can run matmul on f16 operands (the device has `shader-f16`). */
export function matmulF16Available(rt: Runtime): boolean {
  return rt.has('shader-f16');
}

/** One product the model runs: its layout and sizes (batch 1 unless given). */
export interface MatmulShape {
  M: number;
  N: number;
  K: number;
  transA?: boolean;
  transB?: boolean;
  batch?: number;
}

const layoutKey = (o: { transA?: boolean; transB?: boolean }) =>
  `${o.transA ? 'T' : 'N'}${o.transB ? 'T' : 'N'}`;
/** `NT@1024x768x256` (×batch when > 1): the key a choice is cached and looked up under. */
export const matmulShapeKey = (x: MatmulShape) =>
  `${layoutKey(x)}@${x.M}x${x.N}x${x.K}${(x.batch ?? 1) > 1 ? `x${x.batch}` : ''}`;

interface Choices {
  /** Measured choices by shape key. */
  tuned: Map<string, { shape: MatmulShape; variant: MatmulVariant }>;
  /** Resolved choices for shapes not tuned themselves (nearest tuned shape of the same layout). */
  resolved: Map<string, MatmulVariant>;
  /** Every f32 shape `matmul` has recorded on this runtime (for `tuneSeenMatmuls`), at most 512. */
  seen: Map<string, MatmulShape>;
}
const choices = new WeakMap<Runtime, Choices>();

function choicesOf(rt: Runtime): Choices {
  let c = choices.get(rt);
  if (!c) {
    c = { tuned: new Map(), resolved: new Map(), seen: new Map() };
    choices.set(rt, c);
  }
  return c;
}

/**
 * The variant for a product: forced by the caller, else measured for exactly this shape, else the choice
 * for the nearest measured shape of the same layout (distance in log M, log N, log K), else the adapter's
 * first variant.
 */
function variantFor(rt: Runtime, o: MatmulOptions, x: MatmulShape): MatmulVariant {
  if (o.variant) return o.variant;
  const c = choicesOf(rt);
  const key = matmulShapeKey(x);
  if (c.seen.size < 512 && !c.seen.has(key)) c.seen.set(key, x);
  const exact = c.tuned.get(key) ?? undefined;
  if (exact) return exact.variant;
  const hit = c.resolved.get(key);
  if (hit) return hit;
  const layout = layoutKey(x);
  let best: MatmulVariant = matmulVariants(rt)[0];
  let bestD = Number.POSITIVE_INFINITY;
  for (const { shape, variant } of c.tuned.values()) {
    if (layoutKey(shape) !== layout) continue;
    const d =
      Math.abs(Math.log(shape.M / x.M)) +
      Math.abs(Math.log(shape.N / x.N)) +
      Math.abs(Math.log(shape.K / x.K)) +
      Math.abs(Math.log((shape.batch ?? 1) / (x.batch ?? 1)));
    if (d < bestD) [best, bestD] = [variant, d];
  }
  c.resolved.set(key, best);
  return best;
}

/**
 * C (+)= op(A) · op(B) (+ bias). op(A) (M, K), op(B) (K, N), C (M, N), bias (N) or null.
 * With transA, A is stored (K, M); with transB, B is stored (N, K) — PyTorch's Linear weight layout.
 */
export function matmul(
  s: Step,
  c: Tensor,
  a: Tensor,
  b: Tensor,
  bias: Tensor | null,
  dims: { M: number; N: number; K: number },
  o: MatmulOptions = {},
): void {
  const { M, N, K } = dims;
  const batch = o.batch ?? 1;
  const strideA = o.strideA ?? M * K;
  const strideB = o.strideB ?? K * N;
  const strideC = o.strideC ?? M * N;
  const need = (t: Tensor, stride: number, size: number, name: string) => {
    if (t.size < stride * (batch - 1) + size) {
      throw new Error(`matmul: ${name} ${t.label} [${t.shape}] is too small for batch ${batch} of ${size}`);
    }
  };
  need(a, strideA, M * K, 'A');
  need(b, strideB, K * N, 'B');
  need(c, strideC, M * N, 'C');
  if (bias && bias.size !== N)
    throw new Error(`matmul: bias ${bias.label} has ${bias.size} elements, want N=${N}`);
  if (K === 0) throw new Error('matmul: K must be positive');

  const f16 = a.dtype === 'f16' || b.dtype === 'f16';
  if (f16) {
    if (a.dtype !== 'f16' || b.dtype !== 'f16')
      throw new Error(
        `matmul: A ${a.label} is ${a.dtype} and B ${b.label} is ${b.dtype}; f16 needs both f16`,
      );
    if (!matmulF16Available(s.rt))
      throw new Error(`matmul: f16 operands ${a.label}, ${b.label} need the adapter's shader-f16 feature`);
    if (o.variant) throw new Error(`matmul: variant ${o.variant} is f32-only; f16 operands have one kernel`);
  }
  if (c.dtype !== 'f32' || (bias && bias.dtype !== 'f32'))
    throw new Error(`matmul: C ${c.label} and the bias must be f32`);
  const variant = f16 ? 'f16' : variantFor(s.rt, o, { M, N, K, transA: o.transA, transB: o.transB, batch });
  let groups: [number, number, number];
  if (variant === 'sg') {
    const sg = s.rt.gpu.info.subgroupMinSize;
    groups = [Math.ceil(N / (8 * sg)), Math.ceil(M / ((16 * 64) / sg)), batch];
  } else if (variant === 'tiled' || variant === 'f16') {
    groups = [Math.ceil(N / 64), Math.ceil(M / 64), batch];
  } else if (variant === 'tiled128') {
    groups = [Math.ceil(N / 128), Math.ceil(M / 128), batch];
  } else {
    groups = [Math.ceil(N / 32), Math.ceil(M / 32), batch];
  }
  s.dispatch(
    variant === 'f16' ? f16Kernel : kernels[variant],
    { M, N, K, strideA, strideB, strideC, hasBias: bias ? 1 : 0, accumulate: o.accumulate ? 1 : 0 },
    // Without a bias, A stands in for the (unread) bias binding: read-only aliasing is allowed.
    [c, a, b, bias ?? a],
    groups,
    { TRANS_A: o.transA ? 1 : 0, TRANS_B: o.transB ? 1 : 0 },
  );
}

/** out (BT, OC) = inp (BT, C) · weight (OC, C)ᵀ + bias (OC), as llm.c's matmul_forward. */
export function matmulForward(
  s: Step,
  out: Tensor,
  inp: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  { BT, C, OC }: { BT: number; C: number; OC: number },
): void {
  matmul(s, out, inp, weight, bias, { M: BT, N: OC, K: C }, { transB: true });
}

/**
 * Backward of matmulForward: dinp (=) dout · weight; dweight (+)= doutᵀ · inp; dbias (+)= Σ dout.
 * dinp is overwritten unless accumulateInput; the parameter gradients accumulate (gradient accumulation).
 */
export function matmulBackward(
  s: Step,
  dinp: Tensor | null,
  dweight: Tensor | null,
  dbias: Tensor | null,
  dout: Tensor,
  inp: Tensor,
  weight: Tensor,
  { BT, C, OC }: { BT: number; C: number; OC: number },
  { accumulateInput = false } = {},
): void {
  if (dinp) matmul(s, dinp, dout, weight, null, { M: BT, N: C, K: OC }, { accumulate: accumulateInput });
  if (dweight)
    matmul(s, dweight, dout, inp, null, { M: OC, N: C, K: BT }, { transA: true, accumulate: true });
  if (dbias) biasBackward(s, dbias, dout, { accumulate: true });
}

/** What `tuneMatmul` measures when no shapes are given: a training-sized product in each layout (rows =
 * B·T, a hidden dimension of a few hundred). Callers that know their model pass its shapes instead. */
export const DEFAULT_TUNE_SHAPES: MatmulShape[] = [
  { M: 1024, N: 512, K: 256 },
  { M: 1024, N: 512, K: 256, transB: true },
  { M: 1024, N: 512, K: 256, transA: true },
];

/**
 * Chooses (measuring if not cached, see autotune.ts) the fastest f32 variant for each of `shapes` on this
 * adapter; later products of other shapes use the choice of the nearest tuned shape of their layout.
 * Returns the choices by shape key (`matmulShapeKey`).
 */
export async function tuneMatmul(
  rt: Runtime,
  shapes: MatmulShape[] = DEFAULT_TUNE_SHAPES,
  options: TimingOptions = {},
): Promise<Record<string, MatmulVariant>> {
  const variants = matmulVariants(rt);
  const c = choicesOf(rt);
  const out: Record<string, MatmulVariant> = {};
  for (const x of shapes) {
    const key = matmulShapeKey(x);
    const batch = x.batch ?? 1;
    const a = rt.empty([batch * x.M * x.K], 'tune.a');
    const b = rt.empty([batch * x.K * x.N], 'tune.b');
    const z = rt.empty([batch * x.M * x.N], 'tune.c');
    rt.fill(a, 0.5);
    rt.fill(b, 0.25);
    const candidates: Candidate[] = variants.map((v) => ({
      name: v,
      record: (s: Step) =>
        matmul(s, z, a, b, null, x, { transA: x.transA, transB: x.transB, batch, variant: v }),
    }));
    const v = (await tune(rt, 'matmul', `matmul:${key}`, candidates, options)) as MatmulVariant;
    for (const t of [a, b, z]) t.release();
    c.tuned.set(key, { shape: { ...x, batch }, variant: v });
    out[key] = v;
  }
  c.resolved.clear();
  return out;
}

/** Products smaller than this many multiply-adds (128³) are not measured by `tuneSeenMatmuls`: they last a
 * few µs, their cost is the dispatch's, and measuring each would cost more than it could ever save. They take
 * the choice of the nearest measured shape of their layout. */
export const MIN_TUNED_MACS = 128 ** 3;

/** Tunes every f32 shape `matmul` has recorded on this runtime and not yet tuned (e.g. after a model's first
 * step has been recorded): the model's own shapes, each measured once per adapter. */
export async function tuneSeenMatmuls(rt: Runtime, options: TimingOptions = {}) {
  const c = choicesOf(rt);
  const todo = [...c.seen]
    .filter(([k, x]) => !c.tuned.has(k) && x.M * x.N * x.K * (x.batch ?? 1) >= MIN_TUNED_MACS)
    .map(([, x]) => x);
  return tuneMatmul(rt, todo, options);
}
