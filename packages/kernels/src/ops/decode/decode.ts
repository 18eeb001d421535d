// The decode step of a causal LM on a KV cache: append this step's keys and values to the per-layer caches,
// attend a few new queries per row over the cache (rows at their own lengths), and embed tokens at per-row
// positions. The prefill runs the fused causal attention (ops/attention) over the prompt and then appends
// its keys and values with the same append kernel.
import { grid1d, opKernel, type Step } from '../../kernel.ts';
import type { Tensor } from '../../tensor.ts';

const append = opKernel(import.meta.url, 'kvcache.append', {
  B: 'u32',
  T: 'u32',
  C: 'u32',
  KVC: 'u32',
  maxT: 'u32',
});
const attention = opKernel(import.meta.url, 'decode.attention', {
  B: 'u32',
  Tq: 'u32',
  C: 'u32',
  NH: 'u32',
  NKV: 'u32',
  HS: 'u32',
  maxT: 'u32',
  scale: 'f32',
});
const embed = opKernel(import.meta.url, 'decode.embed', { R: 'u32', C: 'u32', n0: 'u32', nTok: 'u32' });

export const MAX_DECODE_HEAD_SIZE = 128;

/** How the KV cache stores keys and values: f32, or f16 pairs (half the memory and bandwidth; C even). */
export type KVDtype = 'f32' | 'f16';

/** Elements of a (B, maxT, C) cache tensor in this dtype (f16 packs two per 32-bit element). */
export function kvCacheElements(B: number, maxT: number, C: number, dtype: KVDtype): number {
  if (dtype === 'f16' && C % 2) throw new Error(`KV cache: f16 storage needs an even C, got ${C}`);
  return dtype === 'f16' ? (B * maxT * C) / 2 : B * maxT * C;
}

function u32Rows(t: Tensor, B: number, what: string): void {
  if (t.dtype !== 'u32' || t.size !== B)
    throw new Error(`${what}: ${t.label} must be u32 (B) = ${B} elements`);
}

export interface KVAppendDims {
  B: number;
  T: number;
  /** Query width (NH·HS). */
  C: number;
  /** Key/value width NKV·HS (grouped-query attention; default C, as GPT-2's). */
  KVC?: number;
  maxT: number;
  dtype?: KVDtype;
}

/** k, v (B, maxT, KVC) [start[b] + t] = the keys and values of qkv (B, T, C + 2·KVC); start (B) u32. */
export function kvAppend(
  s: Step,
  k: Tensor,
  v: Tensor,
  qkv: Tensor,
  start: Tensor,
  { B, T, C, KVC = C, maxT, dtype = 'f32' }: KVAppendDims,
): void {
  const W = C + 2 * KVC;
  if (qkv.size !== B * T * W)
    throw new Error(`kvAppend: qkv ${qkv.label} must be (B, T, C + 2·KVC) = ${B * T * W}`);
  const n = kvCacheElements(B, maxT, KVC, dtype);
  for (const c of [k, v])
    if (c.size !== n)
      throw new Error(`kvAppend: cache ${c.label} must be (B, maxT, KVC) ${dtype} = ${n} elements`);
  u32Rows(start, B, 'kvAppend');
  s.dispatch(append, { B, T, C, KVC, maxT }, [k, v, qkv, start], grid1d(B * T * KVC), {
    F16: dtype === 'f16' ? 1 : 0,
  });
}

export interface DecodeAttentionDims {
  B: number;
  /** New query tokens per row (1 for a decode step). */
  Tq: number;
  C: number;
  NH: number;
  /** Key/value heads (grouped-query attention: divides NH; default NH). */
  NKV?: number;
  maxT: number;
  dtype?: KVDtype;
}

/**
 * out (B, Tq, C): token t of row b, at position start[b] + t, attends to cached keys 0..start[b] + t.
 * qkv (B, Tq, C + 2·KVC); k, v (B, maxT, KVC) already holding this step's keys, KVC = NKV·C/NH;
 * scores (B, NH, Tq, maxT) scratch.
 */
export function decodeAttention(
  s: Step,
  out: Tensor,
  scores: Tensor,
  qkv: Tensor,
  k: Tensor,
  v: Tensor,
  start: Tensor,
  { B, Tq, C, NH, NKV = NH, maxT, dtype = 'f32' }: DecodeAttentionDims,
): void {
  const HS = C / NH;
  if (!Number.isInteger(HS)) throw new Error(`decodeAttention: C=${C} is not divisible by NH=${NH}`);
  if (!(Number.isInteger(NKV) && NKV >= 1 && NH % NKV === 0))
    throw new Error(`decodeAttention: NKV=${NKV} must divide NH=${NH}`);
  const KVC = NKV * HS;
  if (HS > MAX_DECODE_HEAD_SIZE)
    throw new Error(`decodeAttention: head size ${HS} exceeds ${MAX_DECODE_HEAD_SIZE}`);
  if (qkv.size !== B * Tq * (C + 2 * KVC))
    throw new Error(`decodeAttention: qkv ${qkv.label} must be (B, Tq, C + 2·KVC)`);
  if (out.size !== B * Tq * C) throw new Error(`decodeAttention: out ${out.label} must be (B, Tq, C)`);
  const n = kvCacheElements(B, maxT, KVC, dtype);
  for (const c of [k, v])
    if (c.size !== n) throw new Error(`decodeAttention: cache ${c.label} must be (B, maxT, KVC) ${dtype}`);
  if (scores.size < B * NH * Tq * maxT)
    throw new Error(
      `decodeAttention: scores ${scores.label} must hold (B, NH, Tq, maxT) = ${B * NH * Tq * maxT}`,
    );
  u32Rows(start, B, 'decodeAttention');
  s.dispatch(
    attention,
    { B, Tq, C, NH, NKV, HS, maxT, scale: 1 / Math.sqrt(HS) },
    [out, scores, qkv, k, v, start],
    grid1d(B * NH * Tq, 1),
    { F16: dtype === 'f16' ? 1 : 0 },
  );
}

/** out (R, C) = wte[tokens[r]] + wpe[positions[r]]; tokens, positions (R) u32. */
export function embedAt(
  s: Step,
  out: Tensor,
  tokens: Tensor,
  positions: Tensor,
  wte: Tensor,
  wpe: Tensor,
  { R, C }: { R: number; C: number },
  /** Tests set a small one to exercise the row blocks. */
  maxBindingBytes = s.rt.gpu.limits.maxStorageBufferBindingSize,
): void {
  u32Rows(tokens, R, 'embedAt tokens');
  u32Rows(positions, R, 'embedAt positions');
  if (out.size !== R * C) throw new Error(`embedAt: out ${out.label} must be (R, C) = ${R * C}`);
  const V = wte.size / C;
  const limit = maxBindingBytes;
  // Blocks of wte's rows that fit one binding, a multiple of 64 rows so each view starts 256-byte aligned.
  const rows = wte.bytes > limit ? Math.floor(limit / (4 * C) / 64) * 64 : V;
  for (let n0 = 0; n0 < V; n0 += rows) {
    const n = Math.min(rows, V - n0);
    const block = n === V ? wte : wte.view(n0 * C, [n, C], `${wte.label}[rows ${n0}..]`);
    s.dispatch(embed, { R, C, n0, nTok: n }, [out, tokens, positions, block, wpe], grid1d(R * C));
  }
}
