// A dense layer on the matmul kernel, for both weight layouts found in Hugging Face checkpoints:
//   'in-out'  — GPT-2's Conv1D, weight (C, OC), y = x·W + b   (forward NN, the fastest matmul layout)
//   'out-in'  — nn.Linear (BERT, tied LM heads), weight (OC, C), y = x·Wᵀ + b
// Shapes: x (BT, C), y (BT, OC), b (OC). C and OC are read from the weight.

import type { Step } from '@anneal/kernels/kernel';
import { biasBackward } from '@anneal/kernels/ops/bias/bias';
import { matmul } from '@anneal/kernels/ops/matmul/matmul';
import type { Tensor } from '@anneal/kernels/tensor';

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
  { weightLayout = 'in-out' as WeightLayout } = {},
): void {
  const { C, OC } = dimsOf(weight, weightLayout);
  matmul(s, y, x, weight, bias, { M: BT, N: OC, K: C }, { transB: weightLayout === 'out-in' });
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
  { weightLayout = 'in-out' as WeightLayout, accumulateInput = false } = {},
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
}
