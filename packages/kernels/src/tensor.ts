// Tensors and the buffer pool behind them.
//
// A Tensor is a typed view of a GPU storage buffer: shape, dtype, byte offset, label. Buffers come from a
// pool keyed by byte size so a training step that allocates the same activations every step reuses the
// same GPU buffers instead of creating new ones (buffer creation is slow in every WebGPU implementation).
// A Tensor may be a view into a larger buffer (e.g. all parameters packed in one allocation); views are
// never returned to the pool on their own.

/** 'f16' is IEEE half-precision storage (kernels need the adapter's `shader-f16`); on the CPU its values are
 * the raw 16-bit patterns (`f16Bits` / `fromF16Bits`). */
export type DType = 'f32' | 'u32' | 'i32' | 'f16';

export type TypedArrayOf<D extends DType> = D extends 'f32'
  ? Float32Array
  : D extends 'u32'
    ? Uint32Array
    : D extends 'f16'
      ? Uint16Array
      : Int32Array;

/** Bytes a tensor of `n` elements occupies: 4 per element, or 2 for f16 rounded up to whole 4-byte words
 * (storage bindings and buffer writes come in multiples of 4). */
export function byteSize(dtype: DType, n: number): number {
  return dtype === 'f16' ? Math.ceil(n / 2) * 4 : n * 4;
}

const f32View = new Float32Array(1);
const u32View = new Uint32Array(f32View.buffer);

/** The IEEE binary16 bit pattern nearest to `x` (round to nearest, ties to even; overflow to ±Inf). */
export function f16Bits(x: number): number {
  f32View[0] = x;
  const u = u32View[0];
  const sign = (u >>> 16) & 0x8000;
  const exp = (u >>> 23) & 0xff;
  let mant = u & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // Inf / NaN
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign; // below half the smallest subnormal
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let h = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    if (rest > half || (rest === half && h & 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && h & 1)) h++; // a carry into the exponent is still correct
  return sign | h;
}

/** The value of an IEEE binary16 bit pattern. */
export function fromF16Bits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 0x1f) return m ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

export const STORAGE_USAGE = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new Error(`invalid tensor shape [${shape.join(', ')}]`);
    n *= d;
  }
  return n;
}

export class Tensor<D extends DType = DType> {
  released = false;

  constructor(
    readonly pool: BufferPool | null,
    readonly buffer: GPUBuffer,
    readonly shape: readonly number[],
    readonly dtype: D,
    readonly label: string,
    /** Byte offset of element 0 inside `buffer` (a multiple of the device's storage offset alignment). */
    readonly offset = 0,
  ) {}

  get size(): number {
    return numel(this.shape);
  }

  get bytes(): number {
    return byteSize(this.dtype, this.size);
  }

  /** A view of `count` elements starting at element `start` (must land on the storage offset alignment). */
  view(start: number, shape: readonly number[], label = `${this.label}[${start}..]`): Tensor<D> {
    const count = numel(shape);
    if (start + count > this.size) {
      throw new Error(`view ${label}: [${start}, ${start + count}) exceeds ${this.label} of ${this.size}`);
    }
    const at = this.dtype === 'f16' ? start * 2 : start * 4;
    return new Tensor(null, this.buffer, shape, this.dtype, label, this.offset + at);
  }

  /** Returns the buffer to the pool. Views and already-released tensors are ignored. */
  release(): void {
    if (this.released || !this.pool || this.offset !== 0) return;
    this.released = true;
    this.pool.give(this.buffer);
  }
}

/**
 * Reuses GPU buffers by exact byte size. Sizes are rounded up to 256 bytes so near-equal shapes share
 * buckets and every pooled buffer can be bound at offset 0 with any binding size.
 */
export class BufferPool {
  private free = new Map<number, GPUBuffer[]>();
  /** Bytes of the buffers this pool created and has not destroyed: in use or idle (what a run holds on the GPU). */
  allocatedBytes = 0;

  constructor(readonly device: GPUDevice) {}

  static roundBytes(bytes: number): number {
    return Math.max(256, Math.ceil(bytes / 256) * 256);
  }

  take(bytes: number, label: string): GPUBuffer {
    const size = BufferPool.roundBytes(bytes);
    const list = this.free.get(size);
    const reused = list?.pop();
    if (reused) return reused;
    this.allocatedBytes += size;
    return this.device.createBuffer({ size, usage: STORAGE_USAGE(), label });
  }

  give(buffer: GPUBuffer): void {
    let list = this.free.get(buffer.size);
    if (!list) {
      list = [];
      this.free.set(buffer.size, list);
    }
    list.push(buffer);
  }

  /** Destroys every idle buffer (live tensors keep theirs). */
  trim(): void {
    for (const list of this.free.values())
      for (const b of list) {
        this.allocatedBytes -= b.size;
        b.destroy();
      }
    this.free.clear();
  }
}
