// Bias add over the last dimension, and its backward (column sums of dout).
import { grid1d, groupsFor, opKernel, type Step } from '../../kernel.ts';
import type { Tensor } from '../../tensor.ts';

const forward = opKernel(import.meta.url, 'bias.forward', { rows: 'u32', N: 'u32' });

const backward = opKernel(import.meta.url, 'bias.backward', { rows: 'u32', N: 'u32', accumulate: 'u32' });

/** out = inp + bias. out, inp (rows, N); bias (N). */
export function biasForward(s: Step, out: Tensor, inp: Tensor, bias: Tensor): void {
  const N = bias.size;
  const rows = inp.size / N;
  if (!Number.isInteger(rows) || out.size !== inp.size) throw new Error('biasForward: shapes do not match');
  s.dispatch(forward, { rows, N }, [out, inp, bias], grid1d(rows * N));
}

/** dbias (+)= Σ_rows dout. dbias (N); dout (rows, N). */
export function biasBackward(s: Step, dbias: Tensor, dout: Tensor, { accumulate = true } = {}): void {
  const N = dbias.size;
  const rows = dout.size / N;
  if (!Number.isInteger(rows)) throw new Error('biasBackward: dout is not (rows, N)');
  s.dispatch(backward, { rows, N, accumulate: accumulate ? 1 : 0 }, [dbias, dout], [groupsFor(N, 64)]);
}
