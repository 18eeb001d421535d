// Global L2 norm over several tensors (the gradients), deterministic two-pass reduction, and the
// clip-by-norm coefficient computed on the GPU.
import { opKernel, type Runtime, type Step } from '../../kernel.ts';
import type { Tensor } from '../../tensor.ts';

const partialKernel = opKernel(import.meta.url, 'norm.partial', { N: 'u32', chunk: 'u32', outOffset: 'u32' });
const finalKernel = opKernel(import.meta.url, 'norm.final', { count: 'u32', maxNorm: 'f32' });

/** Elements per pass-1 workgroup: 16 per invocation keeps the partial count small for big models. */
const CHUNK = 4096;

export function normScratchSize(tensors: Tensor[]): number {
  return tensors.reduce((n, t) => n + Math.max(1, Math.ceil(t.size / CHUNK)), 0);
}

/** Scratch for `globalNorm`: partials sized for these tensors, and the (norm, clip) pair. */
export function allocNormScratch(rt: Runtime, tensors: Tensor[]): { partial: Tensor; out: Tensor } {
  return { partial: rt.empty([normScratchSize(tensors)], 'norm.partial'), out: rt.empty([2], 'norm.out') };
}

/**
 * out[0] = ‖concat(tensors)‖₂, out[1] = min(1, maxNorm / (norm + 1e-6)) (1 when maxNorm <= 0).
 * partial holds normScratchSize(tensors) floats.
 */
export function globalNorm(
  s: Step,
  out: Tensor,
  partial: Tensor,
  tensors: Tensor[],
  { maxNorm = 0 }: { maxNorm?: number } = {},
): void {
  let offset = 0;
  for (const t of tensors) {
    const groups = Math.max(1, Math.ceil(t.size / CHUNK));
    s.dispatch(partialKernel, { N: t.size, chunk: CHUNK, outOffset: offset }, [partial, t], [groups]);
    offset += groups;
  }
  if (offset > partial.size) throw new Error(`globalNorm: partial ${partial.label} needs ${offset} floats`);
  s.dispatch(finalKernel, { count: offset, maxNorm }, [out, partial], [1]);
}
