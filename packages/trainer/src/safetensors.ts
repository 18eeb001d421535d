// The safetensors format (Hugging Face's on-disk tensor format): 8-byte little-endian header length, a JSON
// header {name: {dtype, shape, data_offsets: [begin, end]}, __metadata__?: {string: string}}, then the raw
// little-endian bytes. We read F32, F16 and BF16 (converted to f32, as HF checkpoints ship all three) and
// write F32. The format is small enough that a dependency would be larger than this file.

import { readFileSync } from 'node:fs';

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

/** Serialises f32 tensors (in the given order) with optional string metadata. */
export function serializeSafetensors(
  tensors: Iterable<[string, NamedTensor]>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  const list = [...tensors];
  let offset = 0;
  for (const [name, t] of list) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length)
      throw new Error(`safetensors: ${name} shape [${t.shape}] does not match ${t.data.length} values`);
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + n * 4] };
    offset += n * 4;
  }
  const raw = new TextEncoder().encode(JSON.stringify(header));
  // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
  const head = new Uint8Array(raw.byteLength + ((8 - (raw.byteLength % 8)) % 8)).fill(0x20);
  head.set(raw);
  const out = new Uint8Array(8 + head.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.byteLength), true);
  out.set(head, 8);
  let at = 8 + head.byteLength;
  for (const [, t] of list) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}
