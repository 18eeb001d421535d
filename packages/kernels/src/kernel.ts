// The small runtime every op runs through.
//
// - A Kernel is one `.wgsl` file (next to the TS that calls it) + the layout of its `struct Params`
//   uniform. Binding 0 is always the uniform; bindings 1.. are the storage buffers in call order.
//   Sizes that change per call (B, T, C, lr …) go in the uniform, so a new batch size or a learning-rate
//   schedule never recompiles anything. Pipelines are compiled once per (kernel, override constants).
// - A Step records many dispatches into one command encoder and one compute pass and submits once.
//   Every dispatch's uniform is staged in a CPU arena and uploaded with a single writeBuffer before the
//   submit; bind groups are cached, so a training step that repeats the same dispatch sequence reuses
//   them. Nothing is read back unless the caller asks (`read`).
// - `defineKernel` checks the spec's uniform layout against the WGSL's `struct Params`, and appends the shared
//   `gridIndex` (ops/common/grid.wgsl) to every kernel.
// - Pipeline creation is wrapped in a validation error scope; a failure is reported as an error that
//   names the kernel at the next `sync()` / `read()`.

import { readFileSync } from 'node:fs';
import { assertAlive, type Gpu } from './device.ts';
import { BufferPool, byteSize, type DType, f16Bits, numel, Tensor, type TypedArrayOf } from './tensor.ts';

export type ParamType = 'u32' | 'i32' | 'f32';

export interface KernelSpec<P extends string> {
  /** `op.pass`, e.g. `layernorm.forward`: used in labels and error messages. */
  name: string;
  /** The WGSL file, usually `new URL('./x.wgsl', import.meta.url)`. */
  source: URL;
  /** The fields of `struct Params`, in declaration order, each 4 bytes. */
  params: Record<P, ParamType>;
  /** Shared WGSL (e.g. ops/common/rowreduce.wgsl) appended to the source: WGSL has no imports, and
   * module-scope declarations may come after their use, so appending keeps `enable` lines first. */
  include?: URL[];
}

export interface Kernel<P extends string = string> {
  name: string;
  code: string;
  params: [P, ParamType][];
}

/** Appended to every kernel: `gridIndex(gid, nwg, wg)`, the flat index of a 1-D problem on a `grid1d` grid. */
const GRID = new URL('./ops/common/grid.wgsl', import.meta.url);

/**
 * A kernel from its spec. The spec's `params` must match the WGSL's `struct Params` field for field (names,
 * types, order): the uniform is written from the spec, so a mismatch would feed the shader wrong values
 * silently. It is checked here, when the op's module loads, without a GPU.
 */
export function defineKernel<P extends string>(spec: KernelSpec<P>): Kernel<P> {
  const code = [spec.source, ...(spec.include ?? []), GRID].map((u) => readFileSync(u, 'utf8')).join('\n');
  const params = Object.entries(spec.params) as [P, ParamType][];
  const declared = paramsStruct(spec.name, code);
  const at = Math.max(declared.length, params.length);
  for (let i = 0; i < at; i++) {
    const [name, type] = declared[i] ?? [];
    const [sname, stype] = params[i] ?? [];
    if (name !== sname || type !== stype)
      throw new KernelError(
        spec.name,
        `field ${i} of struct Params is ${name ? `${name}: ${type}` : 'missing'} in the WGSL but ${sname ? `${sname}: ${stype}` : 'missing'} in the spec`,
      );
  }
  return { name: spec.name, code, params };
}

/**
 * The usual kernel: `<name>.wgsl` in the folder of the op module whose `import.meta.url` is `base`, so a
 * kernel's name is always its file's name.
 */
export function opKernel<P extends string>(
  base: string,
  name: string,
  params: Record<P, ParamType>,
  include?: URL[],
): Kernel<P> {
  return defineKernel({ name, source: new URL(`./${name}.wgsl`, base), params, include });
}

/** The fields of the WGSL's `struct Params`, in order: [name, type]. */
export function paramsStruct(kernel: string, code: string): [string, string][] {
  const source = code.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
  const m = /\bstruct\s+Params\s*\{([^}]*)\}/.exec(source);
  if (!m) throw new KernelError(kernel, 'the WGSL declares no struct Params');
  return m[1]
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean)
    .map((f) => {
      const [name, type] = f.split(':').map((x) => x.trim());
      return [name, type] as [string, string];
    });
}

export class KernelError extends Error {
  constructor(kernel: string, message: string) {
    super(`kernel ${kernel}: ${message}`);
    this.name = 'KernelError';
  }
}

export type Constants = Record<string, number>;

interface Compiled {
  id: number;
  pipeline: GPUComputePipeline;
  layout: GPUBindGroupLayout;
}

// Uniform slots are 256 bytes: the largest minUniformBufferOffsetAlignment any adapter reports.
const SLOT = 256;
const SLOTS_PER_CHUNK = 2048;

let nextCompiledId = 1;
let nextChunkId = 1;
let nextBufferId = 1;
const bufferIds = new WeakMap<GPUBuffer, number>();

function bufferId(b: GPUBuffer): number {
  let id = bufferIds.get(b);
  if (id === undefined) {
    id = nextBufferId++;
    bufferIds.set(b, id);
  }
  return id;
}

interface UniformChunk {
  id: number;
  buffer: GPUBuffer;
}

/** One batch of recorded GPU work: a command encoder, a compute pass, and the uniforms it reads. */
export class Step {
  readonly encoder: GPUCommandEncoder;
  private pass: GPUComputePassEncoder | null = null;
  private chunks: UniformChunk[] = [];
  private arenas: ArrayBuffer[] = [];
  private slot = 0;
  dispatches = 0;
  /** Compute passes begun so far (timestamps bracket the first only). */
  passes = 0;
  submitted = false;

  /** Set by profile.ts: each dispatch then gets a compute pass of its own, bracketed by timestamps. */
  profiler: { next(kernel: string): GPUComputePassTimestampWrites } | null = null;

  constructor(
    readonly rt: Runtime,
    readonly label: string,
    private readonly timestampWrites?: GPUComputePassTimestampWrites,
  ) {
    this.encoder = rt.device.createCommandEncoder({ label });
  }

  private computePass(): GPUComputePassEncoder {
    if (!this.pass) {
      // Timestamps bracket the first pass only: benchmarks record one pass per step.
      const desc: GPUComputePassDescriptor = { label: this.label };
      if (this.timestampWrites && this.dispatches === 0) desc.timestampWrites = this.timestampWrites;
      this.pass = this.encoder.beginComputePass(desc);
      this.passes++;
    }
    return this.pass;
  }

  private endPass(): void {
    this.pass?.end();
    this.pass = null;
  }

  /** Records one dispatch of `kernel` over `groups` workgroups. */
  dispatch<P extends string>(
    kernel: Kernel<P>,
    params: Record<P, number>,
    buffers: Tensor[],
    groups: readonly [number, number?, number?],
    constants?: Constants,
  ): void {
    if (this.submitted) throw new Error(`step ${this.label}: already submitted`);
    const compiled = this.rt.pipeline(kernel, constants);
    for (const b of buffers) {
      if (b.released) throw new KernelError(kernel.name, `buffer ${b.label} was released before use`);
    }
    const [gx, gy = 1, gz = 1] = groups;
    const max = this.rt.gpu.limits.maxComputeWorkgroupsPerDimension;
    if (gx > max || gy > max || gz > max) {
      throw new KernelError(
        kernel.name,
        `grid [${gx}, ${gy}, ${gz}] exceeds ${max} workgroups per dimension`,
      );
    }
    if (gx === 0 || gy === 0 || gz === 0) return;

    // Stage the uniform.
    const chunkIndex = Math.floor(this.slot / SLOTS_PER_CHUNK);
    if (chunkIndex === this.chunks.length) {
      this.chunks.push(this.rt.takeUniformChunk());
      this.arenas.push(new ArrayBuffer(SLOT * SLOTS_PER_CHUNK));
    }
    const chunk = this.chunks[chunkIndex];
    const offset = (this.slot % SLOTS_PER_CHUNK) * SLOT;
    this.slot++;
    const view = new DataView(this.arenas[chunkIndex], offset, SLOT);
    kernel.params.forEach(([name, type], i) => {
      const v = params[name];
      if (typeof v !== 'number' || (Number.isNaN(v) && type !== 'f32')) {
        throw new KernelError(kernel.name, `param ${name} must be a number, got ${v}`);
      }
      if (type === 'u32') view.setUint32(i * 4, v, true);
      else if (type === 'i32') view.setInt32(i * 4, v, true);
      else view.setFloat32(i * 4, v, true);
    });

    if (this.profiler) {
      this.endPass();
      this.pass = this.encoder.beginComputePass({
        label: kernel.name,
        timestampWrites: this.profiler.next(kernel.name),
      });
      this.passes++;
    }
    const pass = this.computePass();
    pass.setPipeline(compiled.pipeline);
    pass.setBindGroup(0, this.rt.bindGroup(compiled, chunk, offset, buffers));
    pass.dispatchWorkgroups(gx, gy, gz);
    this.dispatches++;
    if (this.profiler) this.endPass();
  }

  /** Copies `src` into `dst` (same element count). Ends the current compute pass. */
  copy(src: Tensor, dst: Tensor): void {
    if (src.size !== dst.size) throw new Error(`copy ${src.label} -> ${dst.label}: sizes differ`);
    this.endPass();
    this.encoder.copyBufferToBuffer(src.buffer, src.offset, dst.buffer, dst.offset, src.bytes);
  }

  /** Ends the pass and returns the finished command buffer after uploading the staged uniforms. */
  finish(): GPUCommandBuffer {
    this.endPass();
    this.submitted = true;
    const q = this.rt.device.queue;
    const fullChunks = Math.floor(this.slot / SLOTS_PER_CHUNK);
    this.chunks.forEach((c, i) => {
      const used = i < fullChunks ? SLOTS_PER_CHUNK : this.slot % SLOTS_PER_CHUNK;
      if (used > 0) q.writeBuffer(c.buffer, 0, this.arenas[i], 0, used * SLOT);
    });
    const cb = this.encoder.finish();
    // Safe to hand the chunks back now: a later writeBuffer is ordered after this submit on the queue.
    for (const c of this.chunks) this.rt.giveUniformChunk(c);
    return cb;
  }
}

/** The device, its buffer pool and pipeline cache; the entry point for every op. */
export class Runtime {
  readonly device: GPUDevice;
  readonly pool: BufferPool;
  private pipelines = new Map<Kernel, Map<string, Compiled>>();
  private bindGroups = new Map<string, GPUBindGroup>();
  private uniformChunks: UniformChunk[] = [];
  private pendingChecks: Promise<void>[] = [];
  private staging: GPUBuffer[] = [];
  /** WebGPU errors nobody scoped (invalid bind groups, dispatches…): thrown at the next sync/read. */
  private uncaptured: string[] = [];

  constructor(readonly gpu: Gpu) {
    this.device = gpu.device;
    this.pool = new BufferPool(gpu.device);
    this.device.addEventListener('uncapturederror', (e) => {
      this.uncaptured.push((e as GPUUncapturedErrorEvent).error.message);
    });
  }

  /** Awaits pending pipeline checks, then throws the first error the device reported since last time. */
  private async check(what: string): Promise<void> {
    const checks = this.pendingChecks;
    this.pendingChecks = [];
    await Promise.all(checks);
    assertAlive(this.gpu, what);
    if (this.uncaptured.length) {
      const errors = this.uncaptured;
      this.uncaptured = [];
      throw new Error(`${what}: WebGPU reported ${errors.length} error(s): ${errors[0]}`);
    }
  }

  has(feature: string): boolean {
    return this.gpu.features.has(feature);
  }

  /** Compiles (once) the pipeline for a kernel with the given override constants. */
  pipeline(kernel: Kernel, constants: Constants = {}): Compiled {
    let byConst = this.pipelines.get(kernel);
    if (!byConst) {
      byConst = new Map();
      this.pipelines.set(kernel, byConst);
    }
    const key = JSON.stringify(constants);
    const hit = byConst.get(key);
    if (hit) return hit;

    assertAlive(this.gpu, `compile ${kernel.name}`);
    const device = this.device;
    device.pushErrorScope('validation');
    const module = device.createShaderModule({ label: kernel.name, code: kernel.code });
    const pipeline = device.createComputePipeline({
      label: kernel.name,
      layout: 'auto',
      compute: { module, entryPoint: 'main', constants },
    });
    const check = device.popErrorScope().then(async (err) => {
      if (!err) return;
      const info = await module.getCompilationInfo();
      const lines = info.messages
        .filter((m) => m.type === 'error')
        .map((m) => `${m.lineNum}:${m.linePos} ${m.message}`);
      throw new KernelError(kernel.name, lines.length ? lines.join('; ') : err.message);
    });
    check.catch(() => {}); // reported by sync(); don't crash the process as unhandled
    this.pendingChecks.push(check);
    const compiled = { id: nextCompiledId++, pipeline, layout: pipeline.getBindGroupLayout(0) };
    byConst.set(key, compiled);
    return compiled;
  }

  bindGroup(compiled: Compiled, chunk: UniformChunk, offset: number, buffers: Tensor[]): GPUBindGroup {
    let key = `${compiled.id}|${chunk.id}:${offset}`;
    for (const b of buffers) key += `|${bufferId(b.buffer)}:${b.offset}:${b.bytes}`;
    let bg = this.bindGroups.get(key);
    if (!bg) {
      if (this.bindGroups.size > 20000) this.bindGroups.clear();
      bg = this.device.createBindGroup({
        layout: compiled.layout,
        entries: [
          { binding: 0, resource: { buffer: chunk.buffer, offset, size: SLOT } },
          ...buffers.map((t, i) => ({
            binding: i + 1,
            resource: { buffer: t.buffer, offset: t.offset, size: Math.max(4, t.bytes) },
          })),
        ],
      });
      this.bindGroups.set(key, bg);
    }
    return bg;
  }

  takeUniformChunk(): UniformChunk {
    return (
      this.uniformChunks.pop() ?? {
        id: nextChunkId++,
        buffer: this.device.createBuffer({
          label: 'anneal.uniforms',
          size: SLOT * SLOTS_PER_CHUNK,
          usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
        }),
      }
    );
  }

  giveUniformChunk(chunk: UniformChunk): void {
    this.uniformChunks.push(chunk);
  }

  /** An uninitialised tensor from the pool. */
  empty<D extends DType = 'f32'>(shape: readonly number[], label: string, dtype: D = 'f32' as D): Tensor<D> {
    const buffer = this.pool.take(byteSize(dtype, numel(shape)), label);
    return new Tensor(this.pool, buffer, shape, dtype, label);
  }

  /** A tensor holding a copy of `data`. */
  upload<D extends DType = 'f32'>(
    data: TypedArrayOf<D> | number[],
    shape: readonly number[],
    label: string,
    dtype: D = 'f32' as D,
  ): Tensor<D> {
    const t = this.empty(shape, label, dtype);
    this.write(t, data);
    return t;
  }

  write<D extends DType>(t: Tensor<D>, data: TypedArrayOf<D> | number[]): void {
    let arr: ArrayBufferView & { length: number } = Array.isArray(data)
      ? t.dtype === 'f32'
        ? Float32Array.from(data)
        : t.dtype === 'u32'
          ? Uint32Array.from(data)
          : t.dtype === 'f16'
            ? Uint16Array.from(data, f16Bits)
            : Int32Array.from(data)
      : data;
    if (arr.length !== t.size) {
      throw new Error(`write ${t.label}: ${arr.length} values for a tensor of ${t.size} [${t.shape}]`);
    }
    if (t.dtype === 'f16' && arr.length % 2) {
      const even = new Uint16Array(arr.length + 1); // writes come in whole 4-byte words
      even.set(arr as Uint16Array);
      arr = even;
    }
    this.device.queue.writeBuffer(t.buffer, t.offset, arr.buffer, arr.byteOffset, arr.byteLength);
  }

  /** Fills a tensor with a constant (NaN for poisoning outputs in tests). */
  fill(t: Tensor, value: number): void {
    const arr =
      t.dtype === 'f32'
        ? new Float32Array(t.size).fill(value)
        : t.dtype === 'u32'
          ? new Uint32Array(t.size).fill(value)
          : t.dtype === 'f16'
            ? new Uint16Array(t.size).fill(f16Bits(value))
            : new Int32Array(t.size).fill(value);
    this.write(t, arr as TypedArrayOf<DType>);
  }

  /** Starts recording a batch of GPU work. */
  step(label = 'step', timestampWrites?: GPUComputePassTimestampWrites): Step {
    assertAlive(this.gpu, label);
    return new Step(this, label, timestampWrites);
  }

  submit(...steps: Step[]): void {
    this.device.queue.submit(steps.map((s) => s.finish()));
  }

  /** Records `fn` into one step and submits it. */
  run(label: string, fn: (s: Step) => void): void {
    const s = this.step(label);
    fn(s);
    this.submit(s);
  }

  /** Waits for submitted work and reports any pipeline compile error, naming its kernel. */
  async sync(): Promise<void> {
    await this.device.queue.onSubmittedWorkDone();
    await this.check('sync');
  }

  /** Copies a tensor back to the CPU. This is the only way data leaves the GPU. */
  async read<D extends DType>(t: Tensor<D>): Promise<TypedArrayOf<D>> {
    await this.check(`read ${t.label}`);
    const size = BufferPool.roundBytes(t.bytes);
    const idx = this.staging.findIndex((b) => b.size >= size && b.size <= 4 * size);
    const staging =
      idx >= 0
        ? this.staging.splice(idx, 1)[0]
        : this.device.createBuffer({
            label: 'anneal.readback',
            size,
            usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
          });
    const enc = this.device.createCommandEncoder({ label: `read ${t.label}` });
    enc.copyBufferToBuffer(t.buffer, t.offset, staging, 0, t.bytes);
    this.device.queue.submit([enc.finish()]);
    await staging.mapAsync(GPUMapMode.READ, 0, t.bytes);
    const bytes = staging.getMappedRange(0, t.bytes).slice(0);
    staging.unmap();
    this.staging.push(staging);
    await this.check(`read ${t.label}`);
    const out =
      t.dtype === 'f32'
        ? new Float32Array(bytes)
        : t.dtype === 'u32'
          ? new Uint32Array(bytes)
          : t.dtype === 'f16'
            ? new Uint16Array(bytes, 0, t.size)
            : new Int32Array(bytes);
    return out as TypedArrayOf<D>;
  }

  destroy(): void {
    this.pool.trim();
    for (const b of this.staging) b.destroy();
    this.bindGroups.clear();
    this.gpu.destroy();
  }
}

/** Workgroups needed to cover `n` items with `size` per workgroup. */
export function groupsFor(n: number, size: number): number {
  return Math.ceil(n / size);
}

/**
 * A 2-D grid of `wg`-wide workgroups covering n items, for kernels that index
 * `i = gid.x + gid.y * nwg.x * wg` (one dimension stops at 65535 workgroups).
 */
export function grid1d(n: number, wg = 256): [number, number] {
  const groups = Math.ceil(n / wg);
  if (groups <= 65535) return [groups, 1];
  const y = Math.ceil(groups / 65535);
  return [Math.ceil(groups / y), y];
}
