// RMSNorm forward and backward (Llama, Mistral, Qwen): out = inp / √(mean(inp²) + eps) · weight, no mean
// subtraction and no bias. One workgroup per row with a fixed-order tree reduction (deterministic).
import { groupsFor, opKernel, type Step } from '../../kernel.ts';
import type { Tensor } from '../../tensor.ts';
import { ROWREDUCE } from '../common/rowreduce.ts';
import { rowGrid } from '../layernorm/layernorm.ts';

const forward = opKernel(import.meta.url, 'rmsnorm.forward', { N: 'u32', C: 'u32', eps: 'f32' }, [ROWREDUCE]);
const backward = opKernel(import.meta.url, 'rmsnorm.backward', { N: 'u32', C: 'u32', accumulate: 'u32' }, [
  ROWREDUCE,
]);
const backwardWeight = opKernel(import.meta.url, 'rmsnorm.backward_weight', { N: 'u32', C: 'u32' });

function check(what: string, t: Tensor, size: number): void {
  if (t.size !== size) throw new Error(`${what}: ${t.label} has ${t.size} elements, want ${size}`);
}

/** out (N, C) and rstd (N) from inp (N, C) and weight (C). */
export function rmsnormForward(
  s: Step,
  out: Tensor,
  rstd: Tensor,
  inp: Tensor,
  weight: Tensor,
  { N, C, eps = 1e-6 }: { N: number; C: number; eps?: number },
): void {
  check('rmsnormForward', inp, N * C);
  check('rmsnormForward', out, N * C);
  check('rmsnormForward', weight, C);
  check('rmsnormForward', rstd, N);
  s.dispatch(forward, { N, C, eps }, [out, rstd, inp, weight], rowGrid(N));
}

/** dinp (+)= ∂/∂inp (overwritten unless accumulate); dweight += ∂/∂weight (always accumulates). */
export function rmsnormBackward(
  s: Step,
  dinp: Tensor,
  dweight: Tensor | null,
  dout: Tensor,
  inp: Tensor,
  weight: Tensor,
  rstd: Tensor,
  { N, C, accumulate = true }: { N: number; C: number; accumulate?: boolean },
): void {
  check('rmsnormBackward', dinp, N * C);
  check('rmsnormBackward', dout, N * C);
  s.dispatch(backward, { N, C, accumulate: accumulate ? 1 : 0 }, [dinp, dout, inp, weight, rstd], rowGrid(N));
  if (dweight) s.dispatch(backwardWeight, { N, C }, [dweight, dout, inp, rstd], [groupsFor(C, 64)]);
}
