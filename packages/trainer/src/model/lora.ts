// LoRA (Hu et al., 2021; Hugging Face PEFT's defaults): a targeted dense layer y = x·W + b gains a trainable
// low-rank update, y = x·W + b + (alpha / r)·(x·Aᵀ)·Bᵀ, with A (r, in) drawn like PEFT's kaiming-uniform
// (U(±1/√in)) and B (out, r) zero, so training starts exactly at the base model. Every base parameter is
// frozen except the task head; only A and B (and the head) are trained, and at export the update is merged
// into W so the result is a plain Hugging Face checkpoint again.
// Parameter names follow PEFT's module naming: `<module>.lora_A.weight`, `<module>.lora_B.weight`.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Runtime } from '@anneal/kernels/kernel';
import type { Tensor } from '@anneal/kernels/tensor';
import { seededRandom } from '../data/split.ts';
import type { Layout, PackedSet, ParamSpec } from '../params.ts';
import { readSafetensors } from '../safetensors.ts';
import type { HFModel, NamedTensors } from '../train.ts';
import type { WeightLayout } from './linear.ts';

export interface LoraConfig {
  rank: number;
  alpha: number;
  /** Module names (or their last dotted parts) to adapt, e.g. ['c_attn', 'c_proj'] or ['qkv', 'dense']. */
  targets: string[];
}

/** What linear.ts needs to run one adapted layer. `u` keeps scale·x·Aᵀ for the backward pass. */
export interface LoraAdapter {
  A: Tensor;
  B: Tensor;
  dA: Tensor;
  dB: Tensor;
  rank: number;
  scale: number;
  u: Tensor; // (BT, r)
  t0: Tensor; // (BT, r) scratch, shared between layers
  t1: Tensor; // (BT, r) scratch, shared between layers
}

const A = (module: string) => `${module}.lora_A.weight`;
const B = (module: string) => `${module}.lora_B.weight`;

function inOut(shape: number[], layout: WeightLayout): { inp: number; out: number } {
  return layout === 'in-out' ? { inp: shape[0], out: shape[1] } : { inp: shape[1], out: shape[0] };
}

/**
 * The parameter list with LoRA: every 2-D weight whose module name ends with a target gets A and B after it,
 * every other parameter is frozen unless `head` matches it. Each target must match at least one module.
 */
export function withLora(specs: ParamSpec[], c: LoraConfig, layout: WeightLayout, head: RegExp): ParamSpec[] {
  if (!Number.isInteger(c.rank) || c.rank < 1)
    throw new Error(`model.lora.rank: ${c.rank} is not a positive integer`);
  const used = new Set<string>();
  const out: ParamSpec[] = [];
  for (const s of specs) {
    out.push(head.test(s.name) ? s : { ...s, frozen: true });
    if (s.shape.length !== 2 || !s.name.endsWith('.weight') || head.test(s.name)) continue;
    const module = s.name.slice(0, -'.weight'.length);
    const target = c.targets.find((t) => module === t || module.endsWith(`.${t}`));
    if (!target) continue;
    used.add(target);
    const { inp, out: o } = inOut(s.shape, layout);
    if (c.rank > Math.min(inp, o))
      throw new Error(`model.lora.rank: ${c.rank} exceeds ${module}'s dimensions (${inp} → ${o})`);
    out.push(
      { name: A(module), shape: [c.rank, inp], decay: true, loraScale: c.alpha / c.rank },
      { name: B(module), shape: [o, c.rank], decay: true },
    );
  }
  const unused = c.targets.filter((t) => !used.has(t));
  if (unused.length)
    throw new Error(
      `model.lora.targets: ${unused.map((t) => `'${t}'`).join(', ')} matches no dense layer of this model`,
    );
  return out;
}

/** Initial adapter weights: A ~ U(±1/√in) from the seed, B = 0. */
export function initLora(specs: ParamSpec[], seed: number): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  specs.forEach((s, i) => {
    if (s.name.endsWith('.lora_B.weight')) out.set(s.name, new Float32Array(s.shape[0] * s.shape[1]));
    if (!s.name.endsWith('.lora_A.weight')) return;
    const rand = seededRandom(seed * 7919 + i);
    const bound = 1 / Math.sqrt(s.shape[1]);
    out.set(
      s.name,
      Float32Array.from({ length: s.shape[0] * s.shape[1] }, () => (2 * rand() - 1) * bound),
    );
  });
  return out;
}

/** Whether a parameter list holds LoRA adapters. */
export const hasLora = (specs: ParamSpec[]) => specs.some((s) => s.name.endsWith('.lora_A.weight'));

/**
 * Folds each adapter into its base weight (W += scale·B·A in (out, in) layout, its transpose in (in, out))
 * and drops the adapter tensors: the result has the base model's names and shapes.
 */
export function mergeLora(
  weights: Map<string, Float32Array>,
  specs: ParamSpec[],
  layout: WeightLayout,
): Map<string, Float32Array> {
  const merged = new Map([...weights].filter(([n]) => !/\.lora_[AB]\.weight$/.test(n)));
  for (const s of specs) {
    if (!s.name.endsWith('.lora_A.weight')) continue;
    const module = s.name.slice(0, -'.lora_A.weight'.length);
    const a = weights.get(A(module))!;
    const b = weights.get(B(module))!;
    const w = merged.get(`${module}.weight`)!.slice();
    const [r, inp] = s.shape;
    const out = b.length / r;
    const scale = s.loraScale!;
    for (let o = 0; o < out; o++) {
      for (let i = 0; i < inp; i++) {
        let d = 0;
        for (let k = 0; k < r; k++) d += b[o * r + k] * a[k * inp + i];
        w[layout === 'in-out' ? i * out + o : o * inp + i] += scale * d;
      }
    }
    merged.set(`${module}.weight`, w);
  }
  return merged;
}

/** The adapters of one model and their per-batch activations. */
export class Adapters {
  private acts = new Map<string, Tensor>();
  private shared: { BT: number; t0: Tensor; t1: Tensor } | null = null;
  private scales = new Map<string, number>();

  constructor(
    readonly rt: Runtime,
    layout: Layout,
    readonly params: PackedSet,
    readonly grads: PackedSet,
  ) {
    for (const s of layout.specs) if (s.loraScale !== undefined) this.scales.set(s.name, s.loraScale);
  }

  /** Adapters for a model's parameters, or null when it has none. */
  static of(rt: Runtime, layout: Layout, params: PackedSet, grads: PackedSet): Adapters | null {
    return hasLora(layout.specs) ? new Adapters(rt, layout, params, grads) : null;
  }

  /** The adapter of `module` for a batch of BT rows, or null when the module has none. */
  get(module: string, BT: number): LoraAdapter | null {
    const scale = this.scales.get(A(module));
    if (scale === undefined) return null;
    const a = this.params.get(A(module));
    const rank = a.shape[0];
    if (this.shared?.BT !== BT) {
      this.release();
      this.shared = {
        BT,
        t0: this.rt.empty([BT, rank], 'lora.t0'),
        t1: this.rt.empty([BT, rank], 'lora.t1'),
      };
    }
    let u = this.acts.get(module);
    if (!u) {
      u = this.rt.empty([BT, rank], `${module}.lora.u`);
      this.acts.set(module, u);
    }
    return {
      A: a,
      B: this.params.get(B(module)),
      dA: this.grads.get(A(module)),
      dB: this.grads.get(B(module)),
      rank,
      scale,
      u,
      t0: this.shared.t0,
      t1: this.shared.t1,
    };
  }

  release(): void {
    for (const t of this.acts.values()) t.release();
    this.acts.clear();
    if (this.shared) for (const t of [this.shared.t0, this.shared.t1]) t.release();
    this.shared = null;
  }
}

/** How a task writes and reads its model (tasks/classification.ts ModelIO). */
interface IO {
  toHF(weights: Map<string, Float32Array>): HFModel;
  fromHF(dir: string): Map<string, Float32Array>;
}

/**
 * Model files with LoRA: model.safetensors holds the adapters merged in (a plain Hugging Face model, usable
 * anywhere); the adapters alone go to adapter_model.safetensors with PEFT's adapter_config.json. Reading back
 * (resume, best-weights restore) takes the frozen weights from the base and the adapters from their file, so
 * training continues bit-exactly instead of from merged weights.
 */
export function loraIO(
  io: IO,
  specs: ParamSpec[],
  layout: WeightLayout,
  base: Map<string, Float32Array>,
  c: LoraConfig,
): IO {
  const adapterNames = specs.filter((s) => /\.lora_[AB]\.weight$/.test(s.name));
  const modules = adapterNames
    .filter((s) => s.name.endsWith('.lora_A.weight'))
    .map((s) => s.name.slice(0, -'.lora_A.weight'.length));
  return {
    toHF(weights) {
      const hf = io.toHF(mergeLora(weights, specs, layout));
      const tensors: NamedTensors = new Map(
        adapterNames.map((s) => [s.name, { shape: s.shape, data: weights.get(s.name)! }]),
      );
      const config = {
        peft_type: 'LORA',
        r: c.rank,
        lora_alpha: c.alpha,
        target_modules: c.targets,
        modules,
      };
      return { ...hf, adapter: { config, tensors } };
    },
    fromHF(dir) {
      const weights = io.fromHF(dir);
      for (const m of modules) weights.set(`${m}.weight`, base.get(`${m}.weight`)!);
      const path = join(dir, 'adapter_model.safetensors');
      if (!existsSync(path)) throw new Error(`${dir}: no adapter_model.safetensors (the run uses LoRA)`);
      for (const [n, t] of readSafetensors(path).tensors) weights.set(n, t.data);
      return weights;
    },
  };
}
