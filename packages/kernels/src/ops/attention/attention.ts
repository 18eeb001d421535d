// Fused multi-head attention (flash-style forward, deterministic three-step backward), reading the packed
// qkv (B, T, 3C) that the QKV projection writes and writing (B, T, C) for the output projection, so no
// permute kernels sit between them. Grouped-query attention (Llama, Mistral, Qwen): with NKV < NH kv heads
// qkv is (B, T, C + 2·NKV·HS) and query head h attends with kv head h / (NH / NKV); the backward sums each
// kv head's gradient over its group of query heads.
import { type Candidate, type TimingOptions, tune } from '../../autotune.ts';
import { grid1d, opKernel, type Runtime, type Step } from '../../kernel.ts';
import type { Tensor } from '../../tensor.ts';
import { SUBGROUP } from '../common/rowreduce.ts';

const PARAMS = {
  B: 'u32',
  T: 'u32',
  C: 'u32',
  NH: 'u32',
  HS: 'u32',
  scale: 'f32',
  causal: 'u32',
  hasMask: 'u32',
  NKV: 'u32',
} as const;

/** The attention kernels share one Params layout; each pass's declarations live in its common file. */
const FORWARD = [new URL('./attention.forward.common.wgsl', import.meta.url)];
const BACKWARD = [new URL('./attention.backward.common.wgsl', import.meta.url)];
/** The subgroup variants' split of rows among subgroups. */
const SG = [new URL('./attention.sg.wgsl', import.meta.url), SUBGROUP];

const forward = opKernel(import.meta.url, 'attention.forward', PARAMS, FORWARD);
const forwardSg = opKernel(import.meta.url, 'attention.forward.sg', PARAMS, [...FORWARD, ...SG]);
const backwardDq = opKernel(import.meta.url, 'attention.backward_dq', PARAMS, BACKWARD);
const backwardDqSg = opKernel(import.meta.url, 'attention.backward_dq.sg', PARAMS, [...BACKWARD, ...SG]);
const backwardDkv = opKernel(import.meta.url, 'attention.backward_dkv', PARAMS, BACKWARD);
const backwardDkvSg = opKernel(import.meta.url, 'attention.backward_dkv.sg', PARAMS, [...BACKWARD, ...SG]);
const backwardPre = opKernel(import.meta.url, 'attention.backward_pre', {
  B: 'u32',
  T: 'u32',
  C: 'u32',
  NH: 'u32',
  HS: 'u32',
});

export const MAX_HEAD_SIZE = 128;

/** rb: one invocation per query, loads every key itself (portable); sg: keys shared through subgroup shuffles. */
export type AttentionVariant = 'rb' | 'sg';

export function attentionVariants(rt: Runtime): AttentionVariant[] {
  const { subgroupMinSize: lo, subgroupMaxSize: hi } = rt.gpu.info;
  return rt.has('subgroups') && lo === hi && lo % 8 === 0 && lo <= 64 ? ['sg', 'rb'] : ['rb'];
}

const chosen = new WeakMap<Runtime, AttentionVariant>();

/** The shape `tuneAttention` measures when given none: a training-sized causal self-attention. */
export const DEFAULT_ATTENTION_TUNE: AttentionDims = { B: 4, T: 256, C: 384, NH: 6, causal: true };

/**
 * Chooses the fused variant for this runtime by measuring each on `dims` (the model's shape, when the caller
 * knows it), forward and backward together — the cost a training step pays — and caches the choice per
 * adapter and shape (see autotune.ts).
 */
export async function tuneAttention(
  rt: Runtime,
  dims: AttentionDims = DEFAULT_ATTENTION_TUNE,
  options: TimingOptions = {},
): Promise<AttentionVariant> {
  const { B, T, C, NH } = dims;
  const qkv = rt.empty([B, T, 3 * C], 'tune.qkv');
  const dqkv = rt.empty([B, T, 3 * C], 'tune.dqkv');
  const out = rt.empty([B, T, C], 'tune.out');
  const dout = rt.empty([B, T, C], 'tune.dout');
  const lse = rt.empty([B, NH, T], 'tune.lse');
  const D = rt.empty([B, NH, T], 'tune.D');
  rt.fill(qkv, 0.25);
  rt.fill(dout, 0.5);
  const candidates: Candidate[] = attentionVariants(rt).map((v) => ({
    name: v,
    record: (s: Step) => {
      attentionForward(s, out, lse, qkv, null, dims, { variant: v });
      attentionBackward(s, dqkv, D, dout, qkv, out, lse, null, dims, { variant: v });
    },
  }));
  const key = `attention@B${B}T${T}C${C}NH${NH}${dims.causal ? 'c' : ''}`;
  const v = (await tune(rt, 'attention', key, candidates, options)) as AttentionVariant;
  chosen.set(rt, v);
  for (const t of [qkv, dqkv, out, dout, lse, D]) t.release();
  return v;
}

export interface AttentionDims {
  B: number;
  T: number;
  C: number;
  NH: number;
  causal: boolean;
  /** Key/value heads (grouped-query attention); NH when absent. Must divide NH. */
  NKV?: number;
}

/** The row width of qkv: C query channels, then the keys' and the values' NKV·HS each. */
export function qkvWidth({ C, NH, NKV = NH }: AttentionDims): number {
  return C + (2 * C * NKV) / NH;
}

function params({ B, T, C, NH, causal, NKV = NH }: AttentionDims, mask: Tensor | null) {
  const HS = C / NH;
  if (!Number.isInteger(NKV) || NKV < 1 || NH % NKV !== 0)
    throw new Error(`attention: NKV=${NKV} key/value heads must divide NH=${NH}`);
  if (!Number.isInteger(HS)) throw new Error(`attention: C=${C} is not divisible by NH=${NH}`);
  if (HS > MAX_HEAD_SIZE) throw new Error(`attention: head size ${HS} exceeds ${MAX_HEAD_SIZE}`);
  if (mask && (mask.dtype !== 'u32' || mask.size !== B * T)) {
    throw new Error(`attention: mask ${mask.label} must be u32 (B, T) = ${B * T} elements`);
  }
  return { B, T, C, NH, HS, scale: 1 / Math.sqrt(HS), causal: causal ? 1 : 0, hasMask: mask ? 1 : 0, NKV };
}

/** out (B, T, C), lse (B, NH, T) from qkv (B, T, qkvWidth); mask (B, T) u32, 1 = attend, or null. */
export function attentionForward(
  s: Step,
  out: Tensor,
  lse: Tensor,
  qkv: Tensor,
  mask: Tensor | null,
  dims: AttentionDims,
  options: { variant?: AttentionVariant } = {},
): void {
  const prm = params(dims, mask);
  // Without a mask, qkv stands in for the unread mask binding (read-only aliasing is allowed).
  const variant = options.variant ?? chosen.get(s.rt) ?? attentionVariants(s.rt)[0];
  if (variant === 'sg') {
    const sg = s.rt.gpu.info.subgroupMinSize;
    const blocks = dims.B * dims.NH * Math.ceil(dims.T / sg);
    s.dispatch(forwardSg, prm, [out, lse, qkv, mask ?? qkv], grid1d(blocks, 64 / sg), { HS: prm.HS });
  } else {
    s.dispatch(forward, prm, [out, lse, qkv, mask ?? qkv], grid1d(dims.B * dims.NH * dims.T, 64), {
      HS: prm.HS,
    });
  }
}

/** dqkv (B, T, qkvWidth) = ∂loss/∂qkv, overwritten. D (B, NH, T) is scratch. */
export function attentionBackward(
  s: Step,
  dqkv: Tensor,
  D: Tensor,
  dout: Tensor,
  qkv: Tensor,
  out: Tensor,
  lse: Tensor,
  mask: Tensor | null,
  dims: AttentionDims,
  options: { variant?: AttentionVariant } = {},
): void {
  const prm = params(dims, mask);
  const grid = grid1d(dims.B * dims.NH * dims.T, 64);
  const { B, T, C, NH, HS } = prm;
  s.dispatch(backwardPre, { B, T, C, NH, HS }, [D, dout, out], grid);
  const variant = options.variant ?? chosen.get(s.rt) ?? attentionVariants(s.rt)[0];
  if (variant === 'sg') {
    const sg = s.rt.gpu.info.subgroupMinSize;
    const qgrid = grid1d(dims.B * dims.NH * Math.ceil(dims.T / sg), 64 / sg);
    s.dispatch(backwardDqSg, prm, [dqkv, dout, qkv, lse, D, mask ?? qkv], qgrid, { HS });
    const kgrid = grid1d(dims.B * prm.NKV * Math.ceil(dims.T / sg), 64 / sg);
    s.dispatch(backwardDkvSg, prm, [dqkv, dout, qkv, lse, D, mask ?? qkv], kgrid, { HS });
    return;
  }
  s.dispatch(backwardDq, prm, [dqkv, dout, qkv, lse, D, mask ?? qkv], grid);
  s.dispatch(backwardDkv, prm, [dqkv, dout, qkv, lse, D, mask ?? qkv], grid1d(dims.B * prm.NKV * dims.T, 64));
}
