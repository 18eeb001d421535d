// SwiGLU, fused forward and backward: Llama's MLP computes down(silu(gate(x)) · up(x)); this is the
// silu(gate) · up in the middle, reading the two projections' outputs and, backward, writing both their
// gradients in one pass.
import { grid1d, opKernel, type Step } from '../../kernel.ts';
import type { Tensor } from '../../tensor.ts';

const forward = opKernel(import.meta.url, 'swiglu.forward', { N: 'u32' });
const backward = opKernel(import.meta.url, 'swiglu.backward', { N: 'u32' });

function same(what: string, ...ts: Tensor[]): number {
  const N = ts[0].size;
  for (const t of ts)
    if (t.size !== N) throw new Error(`${what}: ${t.label} has ${t.size} elements, want ${N}`);
  return N;
}

/** out = silu(gate) · up. All (N). */
export function swigluForward(s: Step, out: Tensor, gate: Tensor, up: Tensor): void {
  const N = same('swigluForward', out, gate, up);
  s.dispatch(forward, { N }, [out, gate, up], grid1d(N));
}

/** dgate, dup (overwritten) from dout. All (N). */
export function swigluBackward(
  s: Step,
  dgate: Tensor,
  dup: Tensor,
  dout: Tensor,
  gate: Tensor,
  up: Tensor,
): void {
  const N = same('swigluBackward', dgate, dup, dout, gate, up);
  s.dispatch(backward, { N }, [dgate, dup, dout, gate, up], grid1d(N));
}
