// Logits processors and the token sampler for generation, on the GPU (see sample.wgsl for the method).
import { grid1d, opKernel, type Step } from '../../kernel.ts';
import type { Tensor } from '../../tensor.ts';

const sampler = opKernel(import.meta.url, 'sample', {
  R: 'u32',
  V: 'u32',
  greedy: 'u32',
  invTemp: 'f32',
  topK: 'u32',
  topP: 'f32',
  seed: 'u32',
  step: 'u32',
});
const penaltyKernel = opKernel(import.meta.url, 'penalty', { N: 'u32', penalty: 'f32' });
const markKernel = opKernel(import.meta.url, 'mark', { R: 'u32', V: 'u32' });

export interface SamplerSettings {
  /** 0 = greedy (arg max). */
  temperature: number;
  /** 0 = off. */
  topK: number;
  /** 1 = off; in (0, 1]. */
  topP: number;
  /** u32 seed. */
  seed: number;
  /** Decode step: the noise of (seed, row, step) is independent of every other step's. */
  step: number;
}

export function checkSamplerSettings(o: Omit<SamplerSettings, 'step'>): void {
  if (!(Number.isFinite(o.temperature) && o.temperature >= 0))
    throw new Error(`temperature must be a finite number >= 0, got ${o.temperature}`);
  if (!(Number.isInteger(o.topK) && o.topK >= 0))
    throw new Error(`topK must be an integer >= 0, got ${o.topK}`);
  if (!(o.topP > 0 && o.topP <= 1)) throw new Error(`topP must be in (0, 1], got ${o.topP}`);
  if (!(Number.isInteger(o.seed) && o.seed >= 0 && o.seed <= 0xffffffff))
    throw new Error(`seed must be an integer in [0, 2^32), got ${o.seed}`);
}

/** tokens (R) u32 = one token per row of logits (R, V). */
export function sampleTokens(
  s: Step,
  tokens: Tensor,
  logits: Tensor,
  { R, V }: { R: number; V: number },
  o: SamplerSettings,
): void {
  checkSamplerSettings(o);
  if (tokens.dtype !== 'u32' || tokens.size !== R)
    throw new Error(`sampleTokens: tokens must be u32 (R) = ${R}`);
  if (logits.size !== R * V)
    throw new Error(`sampleTokens: logits ${logits.label} must be (R, V) = ${R * V}`);
  const greedy = o.temperature === 0;
  s.dispatch(
    sampler,
    {
      R,
      V,
      greedy: greedy ? 1 : 0,
      invTemp: greedy ? 1 : 1 / o.temperature,
      topK: o.topK,
      topP: o.topP,
      seed: o.seed >>> 0,
      step: o.step >>> 0,
    },
    [tokens, logits],
    grid1d(R, 1),
    { WG: V >= 8192 ? 256 : 64 },
  );
}

/** logits (R, V) in place: the tokens marked in seen (R, V) u32 get CTRL's repetition penalty. */
export function repetitionPenalty(s: Step, logits: Tensor, seen: Tensor, penalty: number): void {
  if (!(Number.isFinite(penalty) && penalty > 0))
    throw new Error(`repetitionPenalty must be a finite number > 0, got ${penalty}`);
  if (seen.dtype !== 'u32' || seen.size !== logits.size)
    throw new Error(`repetitionPenalty: seen ${seen.label} must be u32 of the logits' size`);
  s.dispatch(penaltyKernel, { N: logits.size, penalty }, [logits, seen], grid1d(logits.size));
}

/** seen[r, tokens[r]] = 1; seen (R, V) u32, tokens (R) u32. */
export function markSeen(s: Step, seen: Tensor, tokens: Tensor, { R, V }: { R: number; V: number }): void {
  if (tokens.dtype !== 'u32' || tokens.size !== R) throw new Error(`markSeen: tokens must be u32 (R) = ${R}`);
  s.dispatch(markKernel, { R, V }, [seen, tokens], [Math.ceil(R / 64)]);
}
