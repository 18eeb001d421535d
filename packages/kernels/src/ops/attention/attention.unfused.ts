// The unfused attention path, llm.c style: permute, Q·Kᵀ, softmax, ·V, unpermute, built from our own
// kernels. It materialises the (B, NH, T, T) score matrix the fused kernel never writes; it exists as the
// benchmark's comparison point (forward and backward) and as a second opinion in tests, not for training.
import { defineKernel, grid1d, type Runtime, type Step } from '../../kernel.ts';
import type { Tensor } from '../../tensor.ts';
import { ROWREDUCE } from '../common/rowreduce.ts';
import { rowGrid } from '../layernorm/layernorm.ts';
import { matmul } from '../matmul/matmul.ts';
import type { AttentionDims } from './attention.ts';

const softmax = defineKernel({
  name: 'attention.softmax',
  source: new URL('./softmax.forward.wgsl', import.meta.url),
  params: { R: 'u32', T: 'u32', scale: 'f32', causal: 'u32' },
  include: [ROWREDUCE],
});
const softmaxBackward = defineKernel({
  name: 'attention.softmax_backward',
  source: new URL('./softmax.backward.wgsl', import.meta.url),
  params: { R: 'u32', T: 'u32', scale: 'f32' },
  include: [ROWREDUCE],
});
const permuteBackward = defineKernel({
  name: 'attention.permute_backward',
  source: new URL('./permute.backward.wgsl', import.meta.url),
  params: { B: 'u32', T: 'u32', C: 'u32', NH: 'u32', HS: 'u32', mode: 'u32' },
});
const permute = defineKernel({
  name: 'attention.permute',
  source: new URL('./permute.wgsl', import.meta.url),
  params: { B: 'u32', T: 'u32', C: 'u32', NH: 'u32', HS: 'u32', forward: 'u32' },
});

/** att (R, T) = softmax over each row of scale · preatt (R, T); causal keeps j ≤ r % T. */
export function softmaxRows(
  s: Step,
  att: Tensor,
  preatt: Tensor,
  { R, T, scale, causal }: { R: number; T: number; scale: number; causal: boolean },
): void {
  s.dispatch(softmax, { R, T, scale, causal: causal ? 1 : 0 }, [att, preatt], rowGrid(R));
}

export interface UnfusedScratch {
  q: Tensor;
  k: Tensor;
  v: Tensor;
  preatt: Tensor;
  att: Tensor;
  y: Tensor;
  /** Backward: ∂/∂y, ∂/∂q, ∂/∂k, ∂/∂v (B, NH, T, HS); ∂/∂att and ∂/∂preatt reuse `preatt`. */
  dy: Tensor;
  dq: Tensor;
  dk: Tensor;
  dv: Tensor;
}

export function allocUnfused(rt: Runtime, { B, T, C, NH }: AttentionDims): UnfusedScratch {
  const n = B * T * C;
  return {
    q: rt.empty([n], 'unfused.q'),
    k: rt.empty([n], 'unfused.k'),
    v: rt.empty([n], 'unfused.v'),
    preatt: rt.empty([B * NH * T * T], 'unfused.preatt'),
    att: rt.empty([B * NH * T * T], 'unfused.att'),
    y: rt.empty([n], 'unfused.y'),
    dy: rt.empty([n], 'unfused.dy'),
    dq: rt.empty([n], 'unfused.dq'),
    dk: rt.empty([n], 'unfused.dk'),
    dv: rt.empty([n], 'unfused.dv'),
  };
}

/** out (B, T, C) from qkv (B, T, 3C), without masks other than causal. */
export function attentionForwardUnfused(
  s: Step,
  out: Tensor,
  qkv: Tensor,
  w: UnfusedScratch,
  dims: AttentionDims,
): void {
  const { B, T, C, NH, causal } = dims;
  const HS = C / NH;
  const grid = grid1d(B * T * C);
  s.dispatch(permute, { B, T, C, NH, HS, forward: 1 }, [w.q, w.k, w.v, qkv], grid);
  const batch = B * NH;
  matmul(s, w.preatt, w.q, w.k, null, { M: T, N: T, K: HS }, { transB: true, batch });
  s.dispatch(
    softmax,
    { R: batch * T, T, scale: 1 / Math.sqrt(HS), causal: causal ? 1 : 0 },
    [w.att, w.preatt],
    rowGrid(batch * T),
  );
  matmul(s, w.y, w.att, w.v, null, { M: T, N: HS, K: T }, { batch });
  // The unpermute reads y through the `q` binding and writes `out` through `packed`.
  s.dispatch(permute, { B, T, C, NH, HS, forward: 0 }, [w.y, w.k, w.v, out], grid);
}

/**
 * dqkv (B, T, 3C) from dout (B, T, C), after attentionForwardUnfused on the same scratch (it reads q, k, v
 * and att from there): dv = attᵀ·dy, datt = dy·vᵀ, dpre = softmax backward, dq = dpre·k, dk = dpreᵀ·q.
 */
export function attentionBackwardUnfused(
  s: Step,
  dqkv: Tensor,
  dout: Tensor,
  w: UnfusedScratch,
  dims: AttentionDims,
): void {
  const { B, T, C, NH } = dims;
  const HS = C / NH;
  const grid = grid1d(B * T * C);
  const batch = B * NH;
  s.dispatch(permuteBackward, { B, T, C, NH, HS, mode: 0 }, [w.dy, w.dq, w.dk, dout], grid);
  matmul(s, w.dv, w.att, w.dy, null, { M: T, N: HS, K: T }, { transA: true, batch });
  matmul(s, w.preatt, w.dy, w.v, null, { M: T, N: T, K: HS }, { transB: true, batch });
  s.dispatch(
    softmaxBackward,
    { R: batch * T, T, scale: 1 / Math.sqrt(HS) },
    [w.preatt, w.att],
    rowGrid(batch * T),
  );
  matmul(s, w.dq, w.preatt, w.k, null, { M: T, N: HS, K: T }, { batch });
  matmul(s, w.dk, w.preatt, w.q, null, { M: T, N: HS, K: T }, { transA: true, batch });
  s.dispatch(permuteBackward, { B, T, C, NH, HS, mode: 1 }, [w.dq, w.dk, w.dv, dqkv], grid);
}
