// Model parameters packed into GPU allocations by group — weights that get weight decay (matrices,
// embeddings), weights that do not (biases, LayerNorm), and frozen weights — with a named view per tensor. Gradients and AdamW moments
// mirror the same layout, so one fused AdamW dispatch per group updates every parameter, and one global-norm
// reduction covers every gradient.

import type { Runtime } from '@anneal/kernels/kernel';
import { numel, type Tensor } from '@anneal/kernels/tensor';

export interface ParamSpec {
  /** Hugging Face name, e.g. `h.0.attn.c_attn.weight`. */
  name: string;
  shape: number[];
  /** AdamW weight decay applies (nanoGPT: every tensor with 2+ dimensions). */
  decay: boolean;
  /** Not trained (parameter-efficient fine-tuning): kept in its own group the optimizer never touches. */
  frozen?: boolean;
  /** LoRA A matrices (model/lora.ts): alpha / rank of their adapter. */
  loraScale?: number;
}

/** Group index of a spec: 0 decayed, 1 not decayed, 2 frozen. */
export type Group = 0 | 1 | 2;
export const TRAINABLE_GROUPS = [0, 1] as const;

/**
 * Freezes everything except the last `k` blocks and the parameters `head` matches (heads, final norm).
 * `block(name)` returns a parameter's block index, or null for parameters outside the blocks.
 */
export function freezeAllBut(
  specs: ParamSpec[],
  k: number,
  nLayer: number,
  block: (name: string) => number | null,
  head: RegExp,
): ParamSpec[] {
  return specs.map((s) => {
    const l = block(s.name);
    const trainable = head.test(s.name) || (l !== null && l >= nLayer - k);
    return trainable ? s : { ...s, frozen: true };
  });
}

// Views start on 256-byte boundaries: the largest minStorageBufferOffsetAlignment adapters report.
const ALIGN = 64;

export interface Layout {
  specs: ParamSpec[];
  /** Element offset of each tensor inside its group. */
  offsets: Map<string, { group: Group; offset: number }>;
  /** Elements in each group (decay, no decay, frozen), padding included. */
  sizes: [number, number, number];
  /** Parameters, not counting padding. */
  count: number;
}

export function layoutOf(specs: ParamSpec[]): Layout {
  const sizes: [number, number, number] = [0, 0, 0];
  const offsets = new Map<string, { group: Group; offset: number }>();
  let count = 0;
  for (const s of specs) {
    if (offsets.has(s.name)) throw new Error(`duplicate parameter ${s.name}`);
    const group: Group = s.frozen ? 2 : s.decay ? 0 : 1;
    offsets.set(s.name, { group, offset: sizes[group] });
    const n = numel(s.shape);
    sizes[group] += Math.ceil(n / ALIGN) * ALIGN;
    count += n;
  }
  return { specs, offsets, sizes, count };
}

/** One packed set of tensors in a layout: parameters, gradients, or an optimizer moment. */
export class PackedSet {
  readonly groups: [Tensor, Tensor, Tensor];
  readonly views = new Map<string, Tensor>();

  constructor(
    readonly rt: Runtime,
    readonly layout: Layout,
    label: string,
  ) {
    // Zero-filled so padding stays 0 through every update (its gradient is always 0).
    this.groups = [0, 1, 2].map((g) => {
      const t = rt.empty([Math.max(ALIGN, layout.sizes[g])], `${label}.${['decay', 'nodecay', 'frozen'][g]}`);
      rt.fill(t, 0);
      return t;
    }) as [Tensor, Tensor, Tensor];
    for (const s of layout.specs) {
      const { group, offset } = layout.offsets.get(s.name)!;
      this.views.set(s.name, this.groups[group].view(offset, s.shape, `${label}:${s.name}`));
    }
  }

  get(name: string): Tensor {
    const t = this.views.get(name);
    if (!t) throw new Error(`no parameter named ${name}`);
    return t;
  }

  /** Reads every tensor back, by name. */
  async readAll(): Promise<Map<string, Float32Array>> {
    const groups = await Promise.all(this.groups.map((g) => this.rt.read(g)));
    const out = new Map<string, Float32Array>();
    for (const s of this.layout.specs) {
      const { group, offset } = this.layout.offsets.get(s.name)!;
      out.set(s.name, (groups[group] as Float32Array).slice(offset, offset + numel(s.shape)));
    }
    return out;
  }

  /** Writes tensors by name; every name must exist and every size match. */
  write(values: Map<string, Float32Array>): void {
    for (const [name, data] of values) {
      const t = this.get(name);
      if (data.length !== t.size) {
        throw new Error(`parameter ${name}: got ${data.length} values for shape [${t.shape}] (${t.size})`);
      }
      this.rt.write(t, data);
    }
  }
}

/** A parameter's gradient, or null when the parameter is frozen (its gradient is never needed). */
export function trainableGrad(layout: Layout, grads: PackedSet, name: string): Tensor | null {
  return layout.offsets.get(name)?.group === 2 ? null : grads.get(name);
}
