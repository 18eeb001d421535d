// LayerNorm forward and backward, as llm.c's layernorm_forward / layernorm_backward.
import { defineKernel, groupsFor, type Step } from '../../kernel.ts';
import type { Tensor } from '../../tensor.ts';
import { ROWREDUCE } from '../common/rowreduce.ts';

const forward = defineKernel({
  name: 'layernorm.forward',
  source: new URL('./layernorm.forward.wgsl', import.meta.url),
  params: { N: 'u32', C: 'u32', eps: 'f32' },
  include: [ROWREDUCE],
});
const backward = defineKernel({
  name: 'layernorm.backward',
  source: new URL('./layernorm.backward.wgsl', import.meta.url),
  params: { N: 'u32', C: 'u32', accumulate: 'u32' },
  include: [ROWREDUCE],
});
const backwardParams = defineKernel({
  name: 'layernorm.backward_params',
  source: new URL('./layernorm.backward_params.wgsl', import.meta.url),
  params: { N: 'u32', C: 'u32' },
});

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
  { N, C, eps = 1e-5 }: { N: number; C: number; eps?: number },
): void {
  s.dispatch(forward, { N, C, eps }, [out, mean, rstd, inp, weight, bias], rowGrid(N));
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
  { N, C, accumulate = true }: { N: number; C: number; accumulate?: boolean },
): void {
  s.dispatch(
    backward,
    { N, C, accumulate: accumulate ? 1 : 0 },
    [dinp, dout, inp, weight, mean, rstd],
    rowGrid(N),
  );
  s.dispatch(backwardParams, { N, C }, [dweight, dbias, dout, inp, mean, rstd], [groupsFor(C, 64)]);
}
