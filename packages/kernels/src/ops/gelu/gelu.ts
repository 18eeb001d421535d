// GELU (tanh form, as GPT-2) forward and backward.
import { defineKernel, grid1d, type Step } from '../../kernel.ts';
import type { Tensor } from '../../tensor.ts';

const forward = defineKernel({
  name: 'gelu.forward',
  source: new URL('./gelu.forward.wgsl', import.meta.url),
  params: { N: 'u32' },
});
const backward = defineKernel({
  name: 'gelu.backward',
  source: new URL('./gelu.backward.wgsl', import.meta.url),
  params: { N: 'u32', accumulate: 'u32' },
});

/** out = gelu(inp). Both (N). */
export function geluForward(s: Step, out: Tensor, inp: Tensor): void {
  s.dispatch(forward, { N: inp.size }, [out, inp], grid1d(inp.size));
}

/** dinp (+)= gelu'(inp) · dout. All (N). */
export function geluBackward(
  s: Step,
  dinp: Tensor,
  inp: Tensor,
  dout: Tensor,
  { accumulate = false } = {},
): void {
  s.dispatch(backward, { N: inp.size, accumulate: accumulate ? 1 : 0 }, [dinp, inp, dout], grid1d(inp.size));
}
