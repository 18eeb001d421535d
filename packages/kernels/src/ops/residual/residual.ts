// Residual add, as llm.c's residual_forward / residual_backward.
import { grid1d, opKernel, type Step } from '../../kernel.ts';
import type { Tensor } from '../../tensor.ts';

const forward = opKernel(import.meta.url, 'residual.forward', { N: 'u32' });

const backward = opKernel(import.meta.url, 'residual.backward', { N: 'u32', accumulate: 'u32' });

/** out = inp1 + inp2. All (N). */
export function residualForward(s: Step, out: Tensor, inp1: Tensor, inp2: Tensor): void {
  const N = out.size;
  if (inp1.size !== N || inp2.size !== N) throw new Error('residualForward: sizes differ');
  s.dispatch(forward, { N }, [out, inp1, inp2], grid1d(N));
}

/** dinp1 (+)= dout, dinp2 (+)= dout. All (N). */
export function residualBackward(
  s: Step,
  dinp1: Tensor,
  dinp2: Tensor,
  dout: Tensor,
  { accumulate = true } = {},
): void {
  const N = dout.size;
  s.dispatch(backward, { N, accumulate: accumulate ? 1 : 0 }, [dinp1, dinp2, dout], grid1d(N));
}
