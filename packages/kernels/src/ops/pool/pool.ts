// Sequence pooling for classification heads: gather one position per sequence (first token for BERT,
// last non-pad token for GPT), or the masked mean over tokens. Forward and backward.
import { grid1d, groupsFor, opKernel, type Step } from '../../kernel.ts';
import type { Tensor } from '../../tensor.ts';

const dims = { B: 'u32', T: 'u32', C: 'u32' } as const;
const dimsAcc = { B: 'u32', T: 'u32', C: 'u32', accumulate: 'u32' } as const;
/** Params, bindings and main shared by each pass's two kernels; each kernel supplies its own pooling. */
const FORWARD = [new URL('./pool.forward.common.wgsl', import.meta.url)];
const BACKWARD = [new URL('./pool.backward.common.wgsl', import.meta.url)];
const k = {
  gatherF: opKernel(import.meta.url, 'gather.forward', dims, FORWARD),
  gatherB: opKernel(import.meta.url, 'gather.backward', dimsAcc, BACKWARD),
  meanF: opKernel(import.meta.url, 'meanpool.forward', dims, FORWARD),
  meanB: opKernel(import.meta.url, 'meanpool.backward', dimsAcc, BACKWARD),
};

type Dims = { B: number; T: number; C: number };

function u32(t: Tensor, what: string): void {
  if (t.dtype !== 'u32') throw new Error(`${what}: ${t.label} must be u32`);
}

/** out (B, C) = h[b, idx[b]]; h (B, T, C), idx (B) u32 (clamped to T-1). */
export function gatherForward(s: Step, out: Tensor, h: Tensor, idx: Tensor, { B, T, C }: Dims): void {
  u32(idx, 'gatherForward');
  s.dispatch(k.gatherF, { B, T, C }, [out, h, idx], [groupsFor(B * C, 256)]);
}

/** dh (B, T, C) (+)= dout (B, C) at each sequence's gathered position, 0 elsewhere. */
export function gatherBackward(
  s: Step,
  dh: Tensor,
  dout: Tensor,
  idx: Tensor,
  { B, T, C }: Dims,
  { accumulate = false } = {},
): void {
  u32(idx, 'gatherBackward');
  s.dispatch(k.gatherB, { B, T, C, accumulate: accumulate ? 1 : 0 }, [dh, dout, idx], grid1d(B * T * C));
}

/** out (B, C) = masked mean of h (B, T, C) over t; mask (B, T) u32. */
export function meanpoolForward(s: Step, out: Tensor, h: Tensor, mask: Tensor, { B, T, C }: Dims): void {
  u32(mask, 'meanpoolForward');
  s.dispatch(k.meanF, { B, T, C }, [out, h, mask], [groupsFor(B * C, 256)]);
}

/** dh (B, T, C) (+)= mask · dout / count. */
export function meanpoolBackward(
  s: Step,
  dh: Tensor,
  dout: Tensor,
  mask: Tensor,
  { B, T, C }: Dims,
  { accumulate = false } = {},
): void {
  u32(mask, 'meanpoolBackward');
  s.dispatch(k.meanB, { B, T, C, accumulate: accumulate ? 1 : 0 }, [dh, dout, mask], grid1d(B * T * C));
}
