// Inverted dropout with a seeded counter-based RNG; forward and backward share one kernel.
import { grid1d, opKernel, type Step } from '../../kernel.ts';
import type { Tensor } from '../../tensor.ts';

const kernel = opKernel(import.meta.url, 'dropout', {
  N: 'u32',
  p: 'f32',
  seed: 'u32',
  offset: 'u32',
  accumulate: 'u32',
});

export interface DropoutRng {
  /** Drop probability in [0, 1). */
  p: number;
  /** u32 seed: vary per step and per layer (e.g. hash of run seed, step, layer). */
  seed: number;
  /** Counter offset, for several tensors under one seed. */
  offset?: number;
}

function check(r: DropoutRng): void {
  if (!(r.p >= 0 && r.p < 1)) throw new Error(`dropout: p must be in [0, 1), got ${r.p}`);
}

/** out = dropout(inp). Both (N). */
export function dropoutForward(s: Step, out: Tensor, inp: Tensor, r: DropoutRng): void {
  check(r);
  const N = inp.size;
  s.dispatch(
    kernel,
    { N, p: r.p, seed: r.seed >>> 0, offset: r.offset ?? 0, accumulate: 0 },
    [out, inp],
    grid1d(N),
  );
}

/** dinp (+)= the same mask applied to dout. Both (N). */
export function dropoutBackward(
  s: Step,
  dinp: Tensor,
  dout: Tensor,
  r: DropoutRng,
  { accumulate = false } = {},
): void {
  check(r);
  const N = dout.size;
  s.dispatch(
    kernel,
    { N, p: r.p, seed: r.seed >>> 0, offset: r.offset ?? 0, accumulate: accumulate ? 1 : 0 },
    [dinp, dout],
    grid1d(N),
  );
}
