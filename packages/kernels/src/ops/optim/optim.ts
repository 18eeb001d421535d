// Fused optimizer steps: AdamW and SGD with momentum, PyTorch semantics. Hyperparameters live in the
// uniform, so schedules never recompile. `clip` is the (norm, coefficient) pair from globalNorm; pass a
// tensor holding [*, 1] to disable clipping.
import { defineKernel, grid1d, type Step } from '../../kernel.ts';
import type { Tensor } from '../../tensor.ts';

const adamw = defineKernel({
  name: 'optim.adamw',
  source: new URL('./adamw.wgsl', import.meta.url),
  params: {
    N: 'u32',
    lr: 'f32',
    beta1: 'f32',
    beta2: 'f32',
    omb1: 'f32',
    omb2: 'f32',
    eps: 'f32',
    weightDecay: 'f32',
    bc1: 'f32',
    bc2: 'f32',
  },
});
const sgd = defineKernel({
  name: 'optim.sgd',
  source: new URL('./sgd.wgsl', import.meta.url),
  params: {
    N: 'u32',
    lr: 'f32',
    momentum: 'f32',
    dampening: 'f32',
    weightDecay: 'f32',
    nesterov: 'u32',
    first: 'u32',
  },
});

export interface AdamWHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** 1-based step count, for bias correction. */
  step: number;
}

/** One AdamW update of param (N) with m, v (N) state from grad (N). */
export function adamwStep(
  s: Step,
  param: Tensor,
  m: Tensor,
  v: Tensor,
  grad: Tensor,
  clip: Tensor,
  h: AdamWHyper,
): void {
  if (h.step < 1) throw new Error('adamwStep: step is 1-based');
  const N = param.size;
  s.dispatch(
    adamw,
    {
      N,
      lr: h.lr,
      beta1: h.beta1,
      beta2: h.beta2,
      omb1: 1 - h.beta1,
      omb2: 1 - h.beta2,
      eps: h.eps,
      weightDecay: h.weightDecay,
      bc1: 1 - h.beta1 ** h.step,
      bc2: 1 - h.beta2 ** h.step,
    },
    [param, m, v, grad, clip],
    grid1d(N),
  );
}

export interface SgdHyper {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  /** 1-based step count: step 1 initialises the momentum buffer with the gradient. */
  step: number;
}

export function sgdStep(s: Step, param: Tensor, buf: Tensor, grad: Tensor, clip: Tensor, h: SgdHyper): void {
  const N = param.size;
  s.dispatch(
    sgd,
    {
      N,
      lr: h.lr,
      momentum: h.momentum,
      dampening: h.dampening,
      weightDecay: h.weightDecay,
      nesterov: h.nesterov ? 1 : 0,
      first: h.step === 1 ? 1 : 0,
    },
    [param, buf, grad, clip],
    grid1d(N),
  );
}
