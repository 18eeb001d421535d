// RMSNorm forward and backward (Llama, Mistral, Qwen): out = inp / √(mean(inp²) + eps) · weight, no mean
// subtraction and no bias. The row kernels run on LayerNorm's two variants (layernorm.ts): `wg`, a workgroup
// per row with a fixed-order tree in workgroup memory, or `sg`, a subgroup per row with shuffle sums (no
// barriers; the default where the adapter has a fixed subgroup size). Both are deterministic.
import {
  defineKernel,
  grid1d,
  groupsFor,
  type Kernel,
  opKernel,
  type ParamType,
  type Step,
} from '../../kernel.ts';
import type { Tensor } from '../../tensor.ts';
import { ROWREDUCE, SGSUM, SUBGROUP } from '../common/rowreduce.ts';
import { type LayernormVariant, layernormVariants, rowGrid } from '../layernorm/layernorm.ts';

function rowKernel<P extends string>(
  pass: 'forward' | 'backward',
  variant: LayernormVariant,
  params: Record<P, ParamType>,
): Kernel<P> {
  return defineKernel({
    name: variant === 'sg' ? `rmsnorm.${pass}.sg` : `rmsnorm.${pass}`,
    source: new URL(`../layernorm/layernorm.${variant}.wgsl`, import.meta.url),
    params,
    include: [
      new URL(`./rmsnorm.${pass}.wgsl`, import.meta.url),
      ...(variant === 'sg' ? [SGSUM, SUBGROUP] : [ROWREDUCE]),
    ],
  });
}

const FORWARD = { N: 'u32', C: 'u32', eps: 'f32' } as const;
const BACKWARD = { N: 'u32', C: 'u32', accumulate: 'u32' } as const;
const kernels = {
  wg: { forward: rowKernel('forward', 'wg', FORWARD), backward: rowKernel('backward', 'wg', BACKWARD) },
  sg: { forward: rowKernel('forward', 'sg', FORWARD), backward: rowKernel('backward', 'sg', BACKWARD) },
};

function variantFor(s: Step, variant?: LayernormVariant): LayernormVariant {
  const have = layernormVariants(s.rt);
  const v = variant ?? have[0];
  if (!have.includes(v))
    throw new Error(`rmsnorm variant ${v}: not available here (have: ${have.join(', ')})`);
  return v;
}

function rows(s: Step, N: number, v: LayernormVariant): [number, number] {
  return v === 'sg' ? grid1d(N, 64 / s.rt.gpu.info.subgroupMinSize) : rowGrid(N);
}

const backwardWeight = opKernel(import.meta.url, 'rmsnorm.backward_weight', { N: 'u32', C: 'u32' });

function check(what: string, t: Tensor, size: number): void {
  if (t.size !== size) throw new Error(`${what}: ${t.label} has ${t.size} elements, want ${size}`);
}

/** out (N, C) and rstd (N) from inp (N, C) and weight (C). */
export function rmsnormForward(
  s: Step,
  out: Tensor,
  rstd: Tensor,
  inp: Tensor,
  weight: Tensor,
  { N, C, eps = 1e-6, variant }: { N: number; C: number; eps?: number; variant?: LayernormVariant },
): void {
  check('rmsnormForward', inp, N * C);
  check('rmsnormForward', out, N * C);
  check('rmsnormForward', weight, C);
  check('rmsnormForward', rstd, N);
  const v = variantFor(s, variant);
  s.dispatch(kernels[v].forward, { N, C, eps }, [out, rstd, inp, weight], rows(s, N, v));
}

/** dinp (+)= ∂/∂inp (overwritten unless accumulate); dweight += ∂/∂weight (always accumulates). */
export function rmsnormBackward(
  s: Step,
  dinp: Tensor,
  dweight: Tensor | null,
  dout: Tensor,
  inp: Tensor,
  weight: Tensor,
  rstd: Tensor,
  {
    N,
    C,
    accumulate = true,
    variant,
  }: { N: number; C: number; accumulate?: boolean; variant?: LayernormVariant },
): void {
  check('rmsnormBackward', dinp, N * C);
  check('rmsnormBackward', dout, N * C);
  const v = variantFor(s, variant);
  const prm = { N, C, accumulate: accumulate ? 1 : 0 };
  s.dispatch(kernels[v].backward, prm, [dinp, dout, inp, weight, rstd], rows(s, N, v));
  if (dweight) s.dispatch(backwardWeight, { N, C }, [dweight, dout, inp, rstd], [groupsFor(C, 64)]);
}
