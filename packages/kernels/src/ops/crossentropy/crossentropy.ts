// Fused softmax + cross-entropy over the vocabulary (or the classes of a classification head).
import { grid1d, opKernel, type Step } from '../../kernel.ts';
import type { Tensor } from '../../tensor.ts';
import { ROWREDUCE } from '../common/rowreduce.ts';
import { rowGrid } from '../layernorm/layernorm.ts';

/** PyTorch's default ignore_index. */
export const IGNORE_INDEX = -100;

const forward = opKernel(
  import.meta.url,
  'crossentropy.forward',
  { N: 'u32', V: 'u32', ignoreIndex: 'i32' },
  [ROWREDUCE],
);
const backward = opKernel(import.meta.url, 'crossentropy.backward', {
  N: 'u32',
  V: 'u32',
  ignoreIndex: 'i32',
  scale: 'f32',
});

/** losses (N), lse (N) from logits (N, V) and targets (N, i32). Ignored rows get loss 0. */
export function crossentropyForward(
  s: Step,
  losses: Tensor,
  lse: Tensor,
  logits: Tensor,
  targets: Tensor,
  { N, V, ignoreIndex = IGNORE_INDEX }: { N: number; V: number; ignoreIndex?: number },
): void {
  if (targets.dtype !== 'i32') throw new Error(`crossentropyForward: targets ${targets.label} must be i32`);
  s.dispatch(forward, { N, V, ignoreIndex }, [losses, lse, logits, targets], rowGrid(N));
}

/** dlogits (N, V) = (softmax(logits) - onehot(target)) · scale; 0 on ignored rows. */
export function crossentropyBackward(
  s: Step,
  dlogits: Tensor,
  logits: Tensor,
  lse: Tensor,
  targets: Tensor,
  { N, V, scale, ignoreIndex = IGNORE_INDEX }: { N: number; V: number; scale: number; ignoreIndex?: number },
): void {
  s.dispatch(backward, { N, V, ignoreIndex, scale }, [dlogits, logits, lse, targets], grid1d(N * V));
}
