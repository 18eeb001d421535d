// GELU forward and backward: the tanh form (GPT-2's gelu_new, the default) or, with `exact`, the erf form
// (BERT's gelu).
import { grid1d, opKernel, type Step } from '../../kernel.ts';
import type { Tensor } from '../../tensor.ts';

const COMMON = new URL('./gelu.common.wgsl', import.meta.url);
const forward = opKernel(import.meta.url, 'gelu.forward', { N: 'u32', exact: 'u32' }, [COMMON]);
const backward = opKernel(import.meta.url, 'gelu.backward', { N: 'u32', accumulate: 'u32', exact: 'u32' }, [
  COMMON,
]);

/** out = gelu(inp). Both (N). */
export function geluForward(s: Step, out: Tensor, inp: Tensor, { exact = false } = {}): void {
  s.dispatch(forward, { N: inp.size, exact: exact ? 1 : 0 }, [out, inp], grid1d(inp.size));
}

/** dinp (+)= gelu'(inp) · dout. All (N). */
export function geluBackward(
  s: Step,
  dinp: Tensor,
  inp: Tensor,
  dout: Tensor,
  { accumulate = false, exact = false } = {},
): void {
  const params = { N: inp.size, accumulate: accumulate ? 1 : 0, exact: exact ? 1 : 0 };
  s.dispatch(backward, params, [dinp, inp, dout], grid1d(inp.size));
}
