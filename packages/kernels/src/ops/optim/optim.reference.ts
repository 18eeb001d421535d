// float64 references of torch.optim.AdamW and torch.optim.SGD single steps (in place).
import type { AdamWHyper, SgdHyper } from './optim.ts';

export function adamwRef(
  param: Float64Array,
  m: Float64Array,
  v: Float64Array,
  grad: ArrayLike<number>,
  clip: number,
  h: AdamWHyper,
) {
  const bc1 = 1 - h.beta1 ** h.step;
  const bc2 = 1 - h.beta2 ** h.step;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i] * clip;
    m[i] = h.beta1 * m[i] + (1 - h.beta1) * g;
    v[i] = h.beta2 * v[i] + (1 - h.beta2) * g * g;
    param[i] -= h.lr * (h.weightDecay * param[i] + m[i] / bc1 / (Math.sqrt(v[i] / bc2) + h.eps));
  }
}

export function sgdRef(
  param: Float64Array,
  buf: Float64Array,
  grad: ArrayLike<number>,
  clip: number,
  h: SgdHyper,
) {
  for (let i = 0; i < param.length; i++) {
    const g = grad[i] * clip + h.weightDecay * param[i];
    let step = g;
    if (h.momentum !== 0) {
      buf[i] = h.step === 1 ? g : h.momentum * buf[i] + (1 - h.dampening) * g;
      step = h.nesterov ? g + h.momentum * buf[i] : buf[i];
    }
    param[i] -= h.lr * step;
  }
}

export function normRef(tensors: ArrayLike<number>[]): number {
  let s = 0;
  for (const t of tensors) for (let i = 0; i < t.length; i++) s += t[i] * t[i];
  return Math.sqrt(s);
}
