// Tensors and the buffer pool behind them.
//
// A Tensor is a typed view of a GPU storage buffer: shape, dtype, byte offset, label. Buffers come from a
// pool keyed by byte size so a training step that allocates the same activations every step reuses the
// same GPU buffers instead of creating new ones (buffer creation is slow in every WebGPU implementation).
// A Tensor may be a view into a larger buffer (e.g. all parameters packed in one allocation); views are
// never returned to the pool on their own.

export type DType = 'f32' | 'u32' | 'i32';

export type TypedArrayOf<D extends DType> = D extends 'f32'
  ? Float32Array
  : D extends 'u32'
    ? Uint32Array
    : Int32Array;

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
    return this.size * 4;
  }

  /** A view of `count` elements starting at element `start` (must land on the storage offset alignment). */
  view(start: number, shape: readonly number[], label = `${this.label}[${start}..]`): Tensor<D> {
    const count = numel(shape);
    if (start + count > this.size) {
      throw new Error(`view ${label}: [${start}, ${start + count}) exceeds ${this.label} of ${this.size}`);
    }
    return new Tensor(null, this.buffer, shape, this.dtype, label, this.offset + start * 4);
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
