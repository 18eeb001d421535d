// Matrix multiply for every layout the forward and backward passes need, batched, with optional fused bias
// and accumulation into the output. Two variants pass the same tests; the faster one for the adapter is
// chosen by a measured search on first use (see autotune.ts) and cached on disk:
//   rb — portable register blocking (4×4 outputs per invocation, no shared memory);
//   sg — subgroup shuffles share A across a subgroup (needs `subgroups` and a fixed subgroup size % 8 = 0);
//   tiled — classic shared-memory tiling (64×64 tiles, 4×4 per invocation), the discrete-GPU kernel.
// On lavapipe workgroup-memory loads with computed addresses compile to scalar code, so `tiled` loses there;
// the measured search, not a hard-coded rule, decides (see the kernels README).

import { type Candidate, tune } from '../../autotune.ts';
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

export type MatmulVariant = 'rb' | 'sg' | 'tiled';

const kernels: Record<MatmulVariant, Kernel<keyof typeof PARAMS>> = {
  rb: opKernel(import.meta.url, 'matmul.rb', PARAMS, [COMMON]),
  sg: opKernel(import.meta.url, 'matmul.sg', PARAMS, [COMMON]),
  tiled: opKernel(import.meta.url, 'matmul.tiled', PARAMS, [COMMON]),
};

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
  return sgOk ? ['sg', 'tiled', 'rb'] : ['tiled', 'rb'];
}

const layoutKey = (o: MatmulOptions) => `${o.transA ? 'T' : 'N'}${o.transB ? 'T' : 'N'}`;
const chosen = new WeakMap<Runtime, Map<string, MatmulVariant>>();

function variantFor(rt: Runtime, o: MatmulOptions): MatmulVariant {
  if (o.variant) return o.variant;
  return chosen.get(rt)?.get(layoutKey(o)) ?? matmulVariants(rt)[0];
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

  const variant = variantFor(s.rt, o);
  let groups: [number, number, number];
  if (variant === 'sg') {
    const sg = s.rt.gpu.info.subgroupMinSize;
    groups = [Math.ceil(N / (8 * sg)), Math.ceil(M / ((16 * 64) / sg)), batch];
  } else if (variant === 'tiled') {
    groups = [Math.ceil(N / 64), Math.ceil(M / 64), batch];
  } else {
    groups = [Math.ceil(N / 32), Math.ceil(M / 32), batch];
  }
  s.dispatch(
    kernels[variant],
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

/** Chooses (measuring if needed) the fastest variant for each layout; call once after opening a runtime. */
export async function tuneMatmul(rt: Runtime): Promise<Record<string, MatmulVariant>> {
  const variants = matmulVariants(rt);
  // A training-sized product (rows = B·T, a hidden dimension of a few hundred): small shapes leave a real GPU
  // mostly idle and rank the variants by occupancy instead of throughput.
  const [M, N, K] = [1024, 512, 256];
  const x = rt.empty([Math.max(M, K) * Math.max(N, K)], 'tune.a');
  const y = rt.empty([Math.max(M, K) * Math.max(N, K)], 'tune.b');
  const z = rt.empty([M, N], 'tune.c');
  rt.fill(x, 0.5);
  rt.fill(y, 0.25);
  const out: Record<string, MatmulVariant> = {};
  let map = chosen.get(rt);
  if (!map) {
    map = new Map();
    chosen.set(rt, map);
  }
  for (const [transA, transB] of [
    [false, false],
    [false, true],
    [true, false],
  ]) {
    const key = layoutKey({ transA, transB });
    const candidates: Candidate[] = variants.map((v) => ({
      name: v,
      record: (s: Step) => matmul(s, z, x, y, null, { M, N, K }, { transA, transB, variant: v }),
    }));
    const v = (await tune(rt, 'matmul', `matmul:${key}@${M}x${N}x${K}`, candidates)) as MatmulVariant;
    map.set(key, v);
    out[key] = v;
  }
  for (const t of [x, y, z]) t.release();
  return out;
}
