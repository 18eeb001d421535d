// Rotary position embeddings (Su et al. 2021) as Hugging Face's Llama applies them (rotate-half: channel i
// pairs with i + head_size/2), fused with packing q, k, v into the (B, T, C + 2·KVC) layout the fused
// attention kernels read. The frequencies follow HF's rope_init functions for `rope_theta` and the
// `rope_scaling` kinds HF configs carry (none/default, linear, llama3); the CPU turns them into a cos/sin
// table (float64, rounded once to f32), so every kind runs the same kernel.
import { grid1d, opKernel, type Step } from '../../kernel.ts';
import type { Tensor } from '../../tensor.ts';

const PARAMS = { B: 'u32', T: 'u32', NH: 'u32', NKV: 'u32', HS: 'u32', pos0: 'u32' } as const;
const FORWARD = [new URL('./rope.forward.common.wgsl', import.meta.url)];
const forward = opKernel(import.meta.url, 'rope.forward', PARAMS, FORWARD);
const forwardAt = opKernel(import.meta.url, 'rope.forward_at', PARAMS, FORWARD);
const backward = opKernel(import.meta.url, 'rope.backward', PARAMS);

/** HF's `rope_scaling` (the `rope_type` key, or the older `type`). */
export interface RopeScaling {
  rope_type?: string;
  type?: string;
  factor?: number;
  low_freq_factor?: number;
  high_freq_factor?: number;
  original_max_position_embeddings?: number;
}

/**
 * inv_freq (HS/2) as HF computes it: 1 / theta^(2i/HS), then the scaling kind's adjustment. An unknown or
 * incomplete rope_scaling is an error naming the field, never silently ignored.
 */
export function ropeInvFreq(
  headSize: number,
  theta: number,
  scaling: RopeScaling | null = null,
): Float64Array {
  if (!Number.isInteger(headSize) || headSize < 2 || headSize % 2)
    throw new Error(`rope: head size ${headSize} must be a positive even integer`);
  if (!(theta > 0)) throw new Error(`rope_theta: ${theta} must be positive`);
  const half = headSize / 2;
  // HF: arange(0, dim, 2).float() / dim in f32, base ** that, reciprocal — in f32; rounding each step to f32
  // keeps the frequencies bit-identical to the checkpoint's training code.
  const f = Math.fround;
  const inv = Float64Array.from({ length: half }, (_, i) => f(1 / f(theta ** f((2 * i) / headSize))));
  const kind = scaling?.rope_type ?? scaling?.type ?? 'default';
  const need = (key: keyof RopeScaling): number => {
    const v = scaling?.[key];
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new Error(`rope_scaling.${key}: required for rope_type '${kind}', got ${JSON.stringify(v)}`);
    return v;
  };
  if (kind === 'default') return inv;
  if (kind === 'linear') {
    const factor = need('factor');
    return inv.map((x) => f(x / factor));
  }
  if (kind === 'llama3') {
    const factor = need('factor');
    const lo = need('low_freq_factor');
    const hi = need('high_freq_factor');
    const old = need('original_max_position_embeddings');
    const loWave = old / lo;
    const hiWave = old / hi;
    return inv.map((x) => {
      const wave = (2 * Math.PI) / x;
      if (wave > loWave) return f(x / factor);
      if (wave < hiWave) return x;
      const smooth = (old / wave - lo) / (hi - lo);
      return f((1 - smooth) * (x / factor) + smooth * x);
    });
  }
  throw new Error(`rope_scaling.rope_type: '${kind}' is not supported (supported: default, linear, llama3)`);
}

/** The (positions, HS/2, 2) cos/sin table the kernels read, for positions 0 … positions-1. */
export function ropeTable(invFreq: Float64Array, positions: number): Float32Array {
  const half = invFreq.length;
  const out = new Float32Array(positions * half * 2);
  for (let t = 0; t < positions; t++)
    for (let i = 0; i < half; i++) {
      // HF multiplies position by inv_freq in f32 before cos/sin.
      const angle = Math.fround(t * invFreq[i]);
      out[(t * half + i) * 2] = Math.cos(angle);
      out[(t * half + i) * 2 + 1] = Math.sin(angle);
    }
  return out;
}

export interface RopeDims {
  B: number;
  T: number;
  NH: number;
  NKV: number;
  HS: number;
  /** Position of the first token (a KV-cache continuation starts past 0). */
  pos0?: number;
}

function params(what: string, table: Tensor, { B, T, NH, NKV, HS, pos0 = 0 }: RopeDims) {
  if (HS % 2) throw new Error(`${what}: head size ${HS} must be even`);
  const rows = table.size / HS;
  if (pos0 + T > rows)
    throw new Error(`${what}: positions ${pos0}…${pos0 + T - 1} exceed the table's ${rows} positions`);
  return { B, T, NH, NKV, HS, pos0 };
}

/**
 * qkv (B, T, C + 2·KVC) = [rope(q) | rope(k) | v]; q (B, T, NH·HS), k and v (B, T, NKV·HS). Token t of row b
 * sits at pos0 + t, or at positions[b·T + t] when a positions tensor (B·T u32, each below the table's rows)
 * is given: a KV-cache decode step, its rows at their own lengths (pos0 is then ignored).
 */
export function ropeForward(
  s: Step,
  qkv: Tensor,
  q: Tensor,
  k: Tensor,
  v: Tensor,
  table: Tensor,
  dims: RopeDims,
  positions?: Tensor,
) {
  const n = dims.B * dims.T * (dims.NH + 2 * dims.NKV) * (dims.HS / 2);
  if (!positions) {
    s.dispatch(forward, params('ropeForward', table, dims), [qkv, q, k, v, table], grid1d(n));
    return;
  }
  if (positions.dtype !== 'u32' || positions.size !== dims.B * dims.T)
    throw new Error(`ropeForward: positions ${positions.label} must be u32 (B·T) = ${dims.B * dims.T}`);
  const prm = params('ropeForward', table, { ...dims, T: 1, pos0: 0 });
  s.dispatch(forwardAt, { ...prm, T: dims.T }, [qkv, q, k, v, table, positions], grid1d(n));
}

/** dq, dk, dv (overwritten) from dqkv, the gradient of ropeForward's output. */
export function ropeBackward(
  s: Step,
  dq: Tensor,
  dk: Tensor,
  dv: Tensor,
  dqkv: Tensor,
  table: Tensor,
  dims: RopeDims,
) {
  const prm = params('ropeBackward', table, dims);
  const n = dims.B * dims.T * (dims.NH + 2 * dims.NKV) * (dims.HS / 2);
  s.dispatch(backward, prm, [dq, dk, dv, dqkv, table], grid1d(n));
}
