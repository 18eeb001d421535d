// The safetensors format (Hugging Face's on-disk tensor format): 8-byte little-endian header length, a JSON
// header {name: {dtype, shape, data_offsets: [begin, end]}, __metadata__?: {string: string}}, then the raw
// little-endian bytes. We read F32, F16 and BF16 (converted to f32, as HF checkpoints ship all three) and write
// any of the three (F16 / BF16 rounded to nearest, ties to even: `anneal convert` halves a model's size). The
// format is small enough that a dependency would be larger than this file.

import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface NamedTensor {
  shape: number[];
  data: Float32Array;
}

export interface SafeTensors {
  tensors: Map<string, NamedTensor>;
  metadata: Record<string, string>;
}

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

function f16ToF32(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? Number.NaN : s * Number.POSITIVE_INFINITY;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The IEEE half nearest to a float (ties to even); overflow gives ±Infinity, NaN stays NaN. */
export function f32ToF16(v: number): number {
  f32[0] = v;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  // Keep `shift` low bits' worth of precision fewer, rounding the dropped bits to nearest, ties to even.
  const round = (m: number, shift: number) => {
    if (shift > 24) return 0;
    const kept = Math.floor(m / 2 ** shift);
    const rest = m - kept * 2 ** shift;
    const half = 2 ** (shift - 1);
    return rest > half || (rest === half && kept & 1) ? kept + 1 : kept;
  };
  if (e <= 0) return sign | round(mant | 0x800000, 14 - e); // subnormal (a carry makes it the smallest normal)
  return sign | ((e << 10) + round(mant, 13)); // a carry into the exponent is right, up to Infinity
}

/** The bfloat16 nearest to a float (ties to even); NaN stays NaN. */
export function f32ToBf16(v: number): number {
  f32[0] = v;
  const x = u32[0];
  if ((x & 0x7f800000) === 0x7f800000 && x & 0x7fffff) return ((x >>> 16) & 0x8000) | 0x7fc0;
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}

export function parseSafetensors(buf: Uint8Array, source = 'safetensors'): SafeTensors {
  if (buf.byteLength < 8) throw new Error(`${source}: too short to be a safetensors file`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const headerLen = Number(view.getBigUint64(0, true));
  if (8 + headerLen > buf.byteLength)
    throw new Error(`${source}: header length ${headerLen} exceeds the file`);
  const header = JSON.parse(new TextDecoder().decode(buf.subarray(8, 8 + headerLen))) as Record<
    string,
    unknown
  >;
  const base = 8 + headerLen;
  const tensors = new Map<string, NamedTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = raw as Record<string, string>;
      continue;
    }
    const e = raw as HeaderEntry;
    const [begin, end] = e.data_offsets;
    const n = e.shape.reduce((a, b) => a * b, 1);
    const bytes = buf.subarray(base + begin, base + end);
    const width = { F32: 4, F16: 2, BF16: 2 }[e.dtype];
    if (!width)
      throw new Error(`${source}: tensor ${name} has dtype ${e.dtype}; Anneal reads F32, F16 and BF16`);
    if (bytes.byteLength !== n * width) {
      throw new Error(
        `${source}: tensor ${name} [${e.shape}] ${e.dtype} should be ${n * width} bytes, is ${bytes.byteLength}`,
      );
    }
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const data = new Float32Array(n);
    if (e.dtype === 'F32') for (let i = 0; i < n; i++) data[i] = dv.getFloat32(i * 4, true);
    else if (e.dtype === 'F16') for (let i = 0; i < n; i++) data[i] = f16ToF32(dv.getUint16(i * 2, true));
    else
      for (let i = 0; i < n; i++)
        data[i] = new Float32Array(new Uint32Array([dv.getUint16(i * 2, true) << 16]).buffer)[0];
    tensors.set(name, { shape: e.shape, data });
  }
  return { tensors, metadata };
}

export function readSafetensors(path: string): SafeTensors {
  return parseSafetensors(readFileSync(path), path);
}

export type Dtype = 'F32' | 'F16' | 'BF16';

/** Serialises tensors (in the given order) as `dtype` (F32 by default) with optional string metadata. */
export function serializeSafetensors(
  tensors: Iterable<[string, NamedTensor]>,
  metadata: Record<string, string> = {},
  dtype: Dtype = 'F32',
): Uint8Array {
  const width = dtype === 'F32' ? 4 : 2;
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  const list = [...tensors];
  let offset = 0;
  for (const [name, t] of list) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length)
      throw new Error(`safetensors: ${name} shape [${t.shape}] does not match ${t.data.length} values`);
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + n * width] };
    offset += n * width;
  }
  const raw = new TextEncoder().encode(JSON.stringify(header));
  // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
  const head = new Uint8Array(raw.byteLength + ((8 - (raw.byteLength % 8)) % 8)).fill(0x20);
  head.set(raw);
  const out = new Uint8Array(8 + head.byteLength + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(head.byteLength), true);
  out.set(head, 8);
  let at = 8 + head.byteLength;
  for (const [, t] of list) {
    if (dtype === 'F32') out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    else {
      const half = dtype === 'F16' ? f32ToF16 : f32ToBf16;
      for (let i = 0; i < t.data.length; i++) view.setUint16(at + 2 * i, half(t.data[i]), true);
    }
    at += t.data.length * width;
  }
  return out;
}

/**
 * Rewrites a safetensors file in another dtype (metadata kept), atomically. Returns the sizes and the largest
 * relative change of a value in the new dtype's normal range (smaller values keep an absolute error below half
 * its smallest step); 0 for a widening conversion.
 */
export function convertSafetensors(src: string, dst: string, dtype: Dtype) {
  const before = readFileSync(src);
  const { tensors, metadata } = parseSafetensors(before, src);
  const out = serializeSafetensors(tensors, metadata, dtype);
  const smallestNormal = dtype === 'F16' ? 2 ** -14 : 2 ** -126;
  let maxRel = 0;
  for (const [name, t] of parseSafetensors(out, dst).tensors) {
    const a = tensors.get(name)!.data;
    for (let i = 0; i < a.length; i++)
      if (Math.abs(a[i]) >= smallestNormal && Number.isFinite(a[i]))
        maxRel = Math.max(maxRel, Math.abs(t.data[i] - a[i]) / Math.abs(a[i]));
  }
  writeFileSync(`${dst}.tmp`, out);
  renameSync(`${dst}.tmp`, dst);
  return { before: before.byteLength, after: out.byteLength, maxRel };
}

/**
 * The tensors of a model directory: `model.safetensors`, or the shards `model.safetensors.index.json` lists
 * (its `weight_map` from tensor name to shard file, as Hugging Face writes checkpoints over a few GB). Every
 * tensor the index names must be in its shard; shard names must be plain file names inside `dir`.
 */
export function readSafetensorsDir(dir: string): SafeTensors {
  const index = join(dir, 'model.safetensors.index.json');
  if (!existsSync(index)) {
    const single = join(dir, 'model.safetensors');
    if (!existsSync(single)) throw new Error(`${dir}: no model.safetensors or model.safetensors.index.json`);
    return readSafetensors(single);
  }
  let map: Record<string, unknown>;
  try {
    map =
      (JSON.parse(readFileSync(index, 'utf8')) as { weight_map?: Record<string, unknown> }).weight_map ?? {};
  } catch (e) {
    throw new Error(`${index}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof map !== 'object' || map === null || !Object.keys(map).length)
    throw new Error(`${index}: weight_map is missing or empty`);
  const shards = new Map<string, string[]>();
  for (const [name, file] of Object.entries(map)) {
    if (typeof file !== 'string' || !/^[\w.-]+\.safetensors$/.test(file) || file.startsWith('.'))
      throw new Error(
        `${index}: weight_map.${name} names ${JSON.stringify(file)}, not a shard file in ${dir}`,
      );
    shards.set(file, [...(shards.get(file) ?? []), name]);
  }
  const tensors = new Map<string, NamedTensor>();
  let metadata: Record<string, string> = {};
  for (const [file, names] of shards) {
    const path = join(dir, file);
    if (!existsSync(path)) throw new Error(`${index}: shard ${file} (holding ${names[0]}) is missing`);
    const shard = readSafetensors(path);
    metadata = { ...metadata, ...shard.metadata };
    for (const name of names) {
      const t = shard.tensors.get(name);
      if (!t) throw new Error(`${path}: tensor ${name} is missing (the index puts it in this shard)`);
      tensors.set(name, t);
    }
  }
  return { tensors, metadata };
}
