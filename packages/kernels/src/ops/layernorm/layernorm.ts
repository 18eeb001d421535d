// LayerNorm forward and backward, as llm.c's layernorm_forward / layernorm_backward. Two variants of the row
// kernels pass the same tests: `wg` gives each row a workgroup (tree reductions in workgroup memory, portable)
// and `sg` a subgroup (shuffle reductions, no barriers), used where the adapter has subgroups of one fixed
// power-of-two size up to 64 — 4-7x faster on lavapipe, where a workgroup barrier is costly (bench:train).
// ANNEAL_LAYERNORM_VARIANT=wg|sg forces one.
import { forcedVariant } from '../../autotune.ts';
import {
  defineKernel,
  grid1d,
  groupsFor,
  type Kernel,
  opKernel,
  type ParamType,
  type Runtime,
  type Step,
} from '../../kernel.ts';
import type { Tensor } from '../../tensor.ts';
import { ROWREDUCE, SGSUM, SUBGROUP } from '../common/rowreduce.ts';

const FORWARD_PARAMS = { N: 'u32', C: 'u32', eps: 'f32' } as const;
const BACKWARD_PARAMS = { N: 'u32', C: 'u32', accumulate: 'u32' } as const;

/**
 * A row kernel: the variant's file (`layernorm.wg.wgsl`, `layernorm.sg.wgsl`) finds the row and sums over its
 * lanes; the pass's file (`layernorm.forward.wgsl`, `layernorm.backward.wgsl`) holds the row's math.
 */
function rowKernel<P extends string>(
  pass: 'forward' | 'backward',
  variant: LayernormVariant,
  params: Record<P, ParamType>,
): Kernel<P> {
  const file = (name: string) => new URL(`./layernorm.${name}.wgsl`, import.meta.url);
  return defineKernel({
    name: variant === 'sg' ? `layernorm.${pass}.sg` : `layernorm.${pass}`,
    source: file(variant),
    params,
    include: [file(pass), ...(variant === 'sg' ? [SGSUM, SUBGROUP] : [ROWREDUCE])],
  });
}

const forward = rowKernel('forward', 'wg', FORWARD_PARAMS);
const backward = rowKernel('backward', 'wg', BACKWARD_PARAMS);
const forwardSg = rowKernel('forward', 'sg', FORWARD_PARAMS);
const backwardSg = rowKernel('backward', 'sg', BACKWARD_PARAMS);
const backwardParams = opKernel(import.meta.url, 'layernorm.backward_params', { N: 'u32', C: 'u32' });

export type LayernormVariant = 'wg' | 'sg';

/** The variants this adapter can run, the default first. */
export function layernormVariants(rt: Runtime): LayernormVariant[] {
  const { subgroupMinSize: lo, subgroupMaxSize: hi } = rt.gpu.info;
  return rt.has('subgroups') && lo === hi && lo > 0 && 64 % lo === 0 ? ['sg', 'wg'] : ['wg'];
}

function variantFor(rt: Runtime, variant?: LayernormVariant): LayernormVariant {
  const v =
    variant ?? (forcedVariant('layernorm') as LayernormVariant | undefined) ?? layernormVariants(rt)[0];
  if (!layernormVariants(rt).includes(v))
    throw new Error(`layernorm variant ${v}: not available here (have: ${layernormVariants(rt).join(', ')})`);
  return v;
}

/** The dispatch grid for N rows: a workgroup per row (wg), or 64 / subgroup-size rows per workgroup (sg). */
function rows(rt: Runtime, N: number, v: LayernormVariant): [number, number] {
  return v === 'sg' ? grid1d(N, 64 / rt.gpu.info.subgroupMinSize) : rowGrid(N);
}

/** One workgroup per row on a 2-D grid (rows beyond 65535 spill into y). */
export function rowGrid(N: number): [number, number] {
  return N <= 65535 ? [N, 1] : [65535, Math.ceil(N / 65535)];
}

/** out (N, C), mean (N), rstd (N) from inp (N, C), weight (C), bias (C). N = B·T. */
export function layernormForward(
  s: Step,
  out: Tensor,
  mean: Tensor,
  rstd: Tensor,
  inp: Tensor,
  weight: Tensor,
  bias: Tensor,
  { N, C, eps = 1e-5, variant }: { N: number; C: number; eps?: number; variant?: LayernormVariant },
): void {
  const v = variantFor(s.rt, variant);
  s.dispatch(
    v === 'sg' ? forwardSg : forward,
    { N, C, eps },
    [out, mean, rstd, inp, weight, bias],
    rows(s.rt, N, v),
  );
}

/** dinp (+)= …, dweight += …, dbias += … (parameter gradients always accumulate). */
export function layernormBackward(
  s: Step,
  dinp: Tensor,
  dweight: Tensor,
  dbias: Tensor,
  dout: Tensor,
  inp: Tensor,
  weight: Tensor,
  mean: Tensor,
  rstd: Tensor,
  {
    N,
    C,
    accumulate = true,
    variant,
  }: { N: number; C: number; accumulate?: boolean; variant?: LayernormVariant },
): void {
  const v = variantFor(s.rt, variant);
  s.dispatch(
    v === 'sg' ? backwardSg : backward,
    { N, C, accumulate: accumulate ? 1 : 0 },
    [dinp, dout, inp, weight, mean, rstd],
    rows(s.rt, N, v),
  );
  s.dispatch(backwardParams, { N, C }, [dweight, dbias, dout, inp, mean, rstd], [groupsFor(C, 64)]);
}
