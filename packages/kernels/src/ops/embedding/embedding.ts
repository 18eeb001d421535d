// Token + position embedding forward, and a deterministic atomic-free backward.
import { grid1d, opKernel, type Runtime, type Step } from '../../kernel.ts';
import type { Tensor } from '../../tensor.ts';

const forward = opKernel(import.meta.url, 'embedding.forward', { B: 'u32', T: 'u32', C: 'u32' });
const backwardWte = opKernel(import.meta.url, 'embedding.backward_wte', { U: 'u32', C: 'u32' });
const backwardWpe = opKernel(import.meta.url, 'embedding.backward_wpe', { B: 'u32', T: 'u32', C: 'u32' });

/** out (B, T, C) = wte[inp] + wpe[t]; inp (B, T) u32. wpe may be null for models without positions. */
export function embeddingForward(
  s: Step,
  out: Tensor,
  inp: Tensor,
  wte: Tensor,
  wpe: Tensor,
  { B, T, C }: { B: number; T: number; C: number },
): void {
  if (inp.dtype !== 'u32') throw new Error(`embeddingForward: tokens ${inp.label} must be u32`);
  if (wpe.size < T * C) throw new Error(`embeddingForward: wpe ${wpe.label} has fewer than T=${T} positions`);
  s.dispatch(forward, { B, T, C }, [out, inp, wte, wpe], grid1d(B * T * C));
}

/** The batch's positions grouped by token id, in position order: the host side of the backward pass. */
export interface TokenBuckets {
  tokens: Uint32Array; // (U) unique token ids
  offsets: Uint32Array; // (U + 1)
  positions: Uint32Array; // (B·T)
}

export function bucketTokens(inp: ArrayLike<number>): TokenBuckets {
  const order = Array.from({ length: inp.length }, (_, i) => i).sort((a, b) => inp[a] - inp[b] || a - b);
  const tokens: number[] = [];
  const offsets: number[] = [];
  order.forEach((pos, k) => {
    if (k === 0 || inp[pos] !== inp[order[k - 1]]) {
      tokens.push(inp[pos]);
      offsets.push(k);
    }
  });
  offsets.push(order.length);
  return {
    tokens: Uint32Array.from(tokens),
    offsets: Uint32Array.from(offsets),
    positions: Uint32Array.from(order),
  };
}

/** Uploads buckets (the caller releases the tensors after the step is submitted). */
export function uploadBuckets(rt: Runtime, b: TokenBuckets) {
  return {
    U: b.tokens.length,
    tokens: rt.upload(b.tokens, [b.tokens.length], 'emb.tokens', 'u32'),
    offsets: rt.upload(b.offsets, [b.offsets.length], 'emb.offsets', 'u32'),
    positions: rt.upload(b.positions, [b.positions.length], 'emb.positions', 'u32'),
  };
}

/** dwte += scatter of dout by token; dwpe += Σ_b dout. dout (B, T, C). */
export function embeddingBackward(
  s: Step,
  dwte: Tensor | null,
  dwpe: Tensor | null,
  dout: Tensor,
  buckets: ReturnType<typeof uploadBuckets>,
  { B, T, C }: { B: number; T: number; C: number },
): void {
  if (dwte) {
    const { U, tokens, offsets, positions } = buckets;
    s.dispatch(backwardWte, { U, C }, [dwte, dout, tokens, offsets, positions], grid1d(U * C));
  }
  if (dwpe) s.dispatch(backwardWpe, { B, T, C }, [dwpe, dout], grid1d(T * C));
}
