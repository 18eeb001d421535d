// Zeroing (fill) and accumulation (axpy) of gradient buffers, recorded into a step like any other op.
import { grid1d, opKernel, type Step } from '../../kernel.ts';
import type { Tensor } from '../../tensor.ts';

const fillKernel = opKernel(import.meta.url, 'fill', { N: 'u32', value: 'f32' });
const axpyKernel = opKernel(import.meta.url, 'axpy', { N: 'u32', alpha: 'f32' });

/** x = value (N). */
export function fill(s: Step, x: Tensor, value = 0): void {
  s.dispatch(fillKernel, { N: x.size, value }, [x], grid1d(x.size));
}

/** y += alpha · x (N). */
export function axpy(s: Step, y: Tensor, x: Tensor, alpha = 1): void {
  if (x.size !== y.size) throw new Error(`axpy: ${x.label} and ${y.label} differ in size`);
  s.dispatch(axpyKernel, { N: y.size, alpha }, [y, x], grid1d(y.size));
}
