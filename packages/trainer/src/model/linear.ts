// A dense layer on the matmul kernel, for both weight layouts found in Hugging Face checkpoints:
//   'in-out'  — GPT-2's Conv1D, weight (C, OC), y = x·W + b   (forward NN, the fastest matmul layout)
//   'out-in'  — nn.Linear (BERT, tied LM heads), weight (OC, C), y = x·Wᵀ + b
// Shapes: x (BT, C), y (BT, OC), b (OC). C and OC are read from the weight.
// With a LoRA adapter (lora.ts) the layer adds scale·(x·Aᵀ)·Bᵀ, A (r, C) and B (OC, r) in either layout.

import type { Step } from '@anneal/kernels/kernel';
import { biasBackward } from '@anneal/kernels/ops/bias/bias';
import { axpy, fill } from '@anneal/kernels/ops/fill/fill';
import { matmul } from '@anneal/kernels/ops/matmul/matmul';
import type { Tensor } from '@anneal/kernels/tensor';
import type { LoraAdapter } from './lora.ts';

export type WeightLayout = 'in-out' | 'out-in';

function dimsOf(weight: Tensor, layout: WeightLayout): { C: number; OC: number } {
  const [r, c] = weight.shape;
  return layout === 'in-out' ? { C: r, OC: c } : { C: c, OC: r };
}

/** y (BT, OC) = x (BT, C) · W (+ b). */
export function linearForward(
  s: Step,
  y: Tensor,
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  BT: number,
  { weightLayout = 'in-out' as WeightLayout, lora = null as LoraAdapter | null } = {},
): void {
  const { C, OC } = dimsOf(weight, weightLayout);
  matmul(s, y, x, weight, bias, { M: BT, N: OC, K: C }, { transB: weightLayout === 'out-in' });
  if (!lora) return;
  const r = lora.rank;
  // u = scale·(x·Aᵀ), kept for the backward pass; y += u·Bᵀ.
  matmul(s, lora.t0, x, lora.A, null, { M: BT, N: r, K: C }, { transB: true });
  fill(s, lora.u, 0);
  axpy(s, lora.u, lora.t0, lora.scale);
  matmul(s, y, lora.u, lora.B, null, { M: BT, N: OC, K: r }, { transB: true, accumulate: true });
}

/**
 * dx (BT, C) = dy · Wᵀ (overwritten, or added with accumulateInput); dW += xᵀ·dy in the weight's layout; db += Σ dy. Any of dx, dW, db may be
 * null (frozen layers skip their parameter gradients; the first layer needs no dx).
 */
export function linearBackward(
  s: Step,
  dx: Tensor | null,
  dweight: Tensor | null,
  dbias: Tensor | null,
  dy: Tensor,
  x: Tensor,
  weight: Tensor,
  BT: number,
  {
    weightLayout = 'in-out' as WeightLayout,
    accumulateInput = false,
    lora = null as LoraAdapter | null,
  } = {},
): void {
  const { C, OC } = dimsOf(weight, weightLayout);
  const accumulate = accumulateInput;
  if (weightLayout === 'in-out') {
    // dx (+)= dy (BT, OC) · Wᵀ;  dW (C, OC) += xᵀ (C, BT) · dy (BT, OC)
    if (dx) matmul(s, dx, dy, weight, null, { M: BT, N: C, K: OC }, { transB: true, accumulate });
    if (dweight) matmul(s, dweight, x, dy, null, { M: C, N: OC, K: BT }, { transA: true, accumulate: true });
  } else {
    // dx (+)= dy (BT, OC) · W (OC, C);  dW (OC, C) += dyᵀ (OC, BT) · x (BT, C)
    if (dx) matmul(s, dx, dy, weight, null, { M: BT, N: C, K: OC }, { accumulate });
    if (dweight) matmul(s, dweight, dy, x, null, { M: OC, N: C, K: BT }, { transA: true, accumulate: true });
  }
  if (dbias) biasBackward(s, dbias, dy, { accumulate: true });
  if (!lora) return;
  // y += u·Bᵀ with u = scale·x·Aᵀ:  dB += dyᵀ·u;  du = dy·B;  dA += scale·duᵀ·x;  dx += scale·du·A.
  const r = lora.rank;
  matmul(s, lora.dB, dy, lora.u, null, { M: OC, N: r, K: BT }, { transA: true, accumulate: true });
  matmul(s, lora.t0, dy, lora.B, null, { M: BT, N: r, K: OC });
  fill(s, lora.t1, 0);
  axpy(s, lora.t1, lora.t0, lora.scale);
  matmul(s, lora.dA, lora.t1, x, null, { M: r, N: C, K: BT }, { transA: true, accumulate: true });
  if (dx) matmul(s, dx, lora.t1, lora.A, null, { M: BT, N: C, K: r }, { accumulate: true });
}
