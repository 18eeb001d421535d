// The optimizer over a model's packed parameters: zeroing gradients, global-norm clipping and one fused
// AdamW (or SGD) dispatch per parameter group and binding-size chunk. Everything stays on the GPU: the
// clip coefficient is computed there and read there.

import type { Runtime, Step } from '@anneal/kernels/kernel';
import { fill } from '@anneal/kernels/ops/fill/fill';
import { allocNormScratch, globalNorm } from '@anneal/kernels/ops/norm/norm';
import { adamwStep, sgdStep } from '@anneal/kernels/ops/optim/optim';
import type { Tensor } from '@anneal/kernels/tensor';
import { type Layout, PackedSet, TRAINABLE_GROUPS } from './params.ts';

export interface AdamWConfig {
  kind: 'adamw';
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

export interface SgdConfig {
  kind: 'sgd';
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
}

export type OptimizerConfig = AdamWConfig | SgdConfig;

/** Splits a group into views no larger than the device's storage binding limit. */
function chunks(t: Tensor, maxElems: number): Tensor[] {
  const out: Tensor[] = [];
  for (let start = 0; start < t.size; start += maxElems) {
    const n = Math.min(maxElems, t.size - start);
    out.push(t.view(start, [n]));
  }
  return out;
}

export class Optimizer {
  readonly m: PackedSet;
  readonly v: PackedSet | null;
  /** 1-based count of updates applied. */
  step = 0;
  private readonly norm: { partial: Tensor; out: Tensor };
  private readonly maxElems: number;

  constructor(
    readonly rt: Runtime,
    layout: Layout,
    readonly params: PackedSet,
    readonly grads: PackedSet,
    readonly config: OptimizerConfig,
  ) {
    this.m = new PackedSet(rt, layout, config.kind === 'adamw' ? 'adam.m' : 'sgd.momentum');
    this.v = config.kind === 'adamw' ? new PackedSet(rt, layout, 'adam.v') : null;
    // Multiple of 64 elements keeps every chunk view on a 256-byte boundary.
    this.maxElems = Math.floor(rt.gpu.limits.maxStorageBufferBindingSize / 4 / 64) * 64;
    this.norm = allocNormScratch(rt, this.gradChunks());
  }

  /** Gradients of trainable parameters (frozen ones are computed, never clipped, counted or applied). */
  private gradChunks(): Tensor[] {
    return TRAINABLE_GROUPS.flatMap((g) => chunks(this.grads.groups[g], this.maxElems));
  }

  zeroGrad(s: Step): void {
    for (const g of this.grads.groups) for (const c of chunks(g, this.maxElems)) fill(s, c, 0);
  }

  /** Records norm (+ clip when maxNorm > 0) and one update at learning rate `lr`. */
  update(s: Step, lr: number, { maxNorm = 0 }: { maxNorm?: number } = {}): void {
    this.step++;
    globalNorm(s, this.norm.out, this.norm.partial, this.gradChunks(), { maxNorm });
    for (const group of TRAINABLE_GROUPS) {
      const decay = group === 0;
      const p = chunks(this.params.groups[group], this.maxElems);
      const g = chunks(this.grads.groups[group], this.maxElems);
      const m = chunks(this.m.groups[group], this.maxElems);
      const v = this.v ? chunks(this.v.groups[group], this.maxElems) : [];
      p.forEach((pc, i) => {
        const c = this.config;
        if (c.kind === 'adamw') {
          adamwStep(s, pc, m[i], v[i], g[i], this.norm.out, {
            lr,
            beta1: c.beta1,
            beta2: c.beta2,
            eps: c.eps,
            weightDecay: decay ? c.weightDecay : 0,
            step: this.step,
          });
        } else {
          sgdStep(s, pc, m[i], g[i], this.norm.out, {
            lr,
            momentum: c.momentum,
            dampening: c.dampening,
            weightDecay: decay ? c.weightDecay : 0,
            nesterov: c.nesterov,
            step: this.step,
          });
        }
      });
    }
  }

  /** The gradient norm of the last update (before clipping). */
  async readGradNorm(): Promise<number> {
    return (await this.rt.read(this.norm.out))[0];
  }
}
