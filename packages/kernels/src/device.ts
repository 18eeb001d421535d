// Device acquisition for Anneal's kernels: Dawn's Node bindings (npm `webgpu`) on whatever adapter the
// machine has — a real GPU through Vulkan / Metal / D3D12, or Mesa's software Vulkan driver (lavapipe).
//
// What this file guarantees to every caller:
// - Dawn's `null` backend is refused: it accepts every command and computes nothing, so a kernel test on
//   it would pass on garbage.
// - The limits the kernels need (large storage buffers, many storage buffers per stage, workgroup
//   storage) are requested at the adapter's maxima, not WebGPU's small defaults.
// - `device.lost` is handled once: later work fails with an error that says the device is gone and why.
//
// Choosing the adapter: ANNEAL_ADAPTER=<substring of the adapter's name> (passed to Dawn as `adapter=`),
// ANNEAL_BACKEND=vulkan|metal|d3d12, and ANNEAL_DAWN_FLAGS for anything else Dawn accepts
// (comma-separated, e.g. `enable-dawn-features=disable_robustness`). It deliberately does not pick a
// "fast" toggle set by default: robustness checks stay on unless someone asks.

import { create, globals } from 'webgpu';

// The WebGPU constants (GPUBufferUsage, GPUMapMode, …) are globals in browsers; Dawn hands them to us.
Object.assign(globalThis, globals);

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A CPU implementation (lavapipe, SwiftShader, WARP). */
  software: boolean;
  subgroupMinSize: number;
  subgroupMaxSize: number;
}

export interface GpuOptions {
  /** Substring of the adapter name to pick (default: ANNEAL_ADAPTER, else Dawn's high-performance pick). */
  adapter?: string;
  /** Extra Dawn flags, e.g. `enable-dawn-features=disable_robustness` (default: ANNEAL_DAWN_FLAGS). */
  dawnFlags?: string[];
  /** Request `shader-f16` when the adapter has it (default true: it only makes f16 storage kernels, e.g.
   * matmul on f16 operands, available; f32 tensors are unaffected). */
  f16?: boolean;
}

export interface Gpu {
  /**
   * Dawn's instance. It must stay reachable as long as the device lives: if it is garbage-collected,
   * Dawn tears down its threads under the live device and the process aborts (a futex error).
   */
  instance: GPU;
  device: GPUDevice;
  adapter: GPUAdapter;
  info: AdapterSummary;
  /** Features enabled on the device (a subset of what the adapter offers). */
  features: ReadonlySet<string>;
  /** Features the adapter offers. */
  adapterFeatures: ReadonlySet<string>;
  /** Limits the device was created with. */
  limits: Record<string, number>;
  /** A stable key of adapter + driver, used to cache measured kernel choices on disk. */
  key: string;
  /** Why the device was lost, once it has been. */
  lost: string | null;
  destroy(): void;
}

export class GpuUnavailableError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(`${message} — ${hint}`);
    this.name = 'GpuUnavailableError';
  }
}

// Limits the kernels rely on, requested at the adapter's maximum.
const WANTED_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupsPerDimension',
  'maxUniformBufferBindingSize',
  'maxBindGroups',
] as const;

// Optional features used when present; none is required.
const OPTIONAL_FEATURES = ['subgroups', 'timestamp-query'] as const;

const SOFTWARE_ADAPTERS = /llvmpipe|lavapipe|swiftshader|warp|software/i;

const INSTALL_HINT =
  'install a Vulkan driver (on Debian 12: `apt-get install -t bookworm-backports mesa-vulkan-drivers`, ' +
  'or run ./scripts/setup.sh), or set ANNEAL_ADAPTER to an adapter this machine has';

function envFlags(): string[] {
  const flags: string[] = [];
  if (process.env.ANNEAL_BACKEND) flags.push(`backend=${process.env.ANNEAL_BACKEND}`);
  for (const f of (process.env.ANNEAL_DAWN_FLAGS ?? '').split(',')) if (f.trim()) flags.push(f.trim());
  return flags;
}

export function summarize(info: GPUAdapterInfo): AdapterSummary {
  const extra = info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const name = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`;
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    software: Boolean(extra.isFallbackAdapter) || SOFTWARE_ADAPTERS.test(name),
    subgroupMinSize: info.subgroupMinSize ?? 0,
    subgroupMaxSize: info.subgroupMaxSize ?? 0,
  };
}

/** The null backend answers with an adapter named `null-backend` and empty vendor/description. */
export function isNullBackend(info: AdapterSummary): boolean {
  return /null/i.test(info.device) && info.vendor === '' && info.description === '';
}

function limitsOf(limits: GPUSupportedLimits): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k in limits) {
    const v = (limits as unknown as Record<string, unknown>)[k];
    if (typeof v === 'number') out[k] = v;
  }
  return out;
}

/** Opens a WebGPU device on the best adapter, or throws GpuUnavailableError with a one-line hint. */
export async function openGpu(options: GpuOptions = {}): Promise<Gpu> {
  const adapterName = options.adapter ?? process.env.ANNEAL_ADAPTER;
  const flags = [...envFlags(), ...(options.dawnFlags ?? [])];
  if (adapterName) flags.push(`adapter=${adapterName}`);
  const navigatorGpu = create(flags);
  const adapter = await navigatorGpu
    .requestAdapter({ powerPreference: 'high-performance' })
    .catch((e: Error) => {
      // Dawn rejects an unmatched `adapter=` with the list of adapters it has: keep that list.
      const what = adapterName
        ? `no WebGPU adapter matches ANNEAL_ADAPTER=${adapterName}`
        : 'no WebGPU adapter';
      throw new GpuUnavailableError(`${what} (${e.message.replace(/\s+/g, ' ').trim()})`, INSTALL_HINT);
    });
  if (!adapter) {
    throw new GpuUnavailableError(
      adapterName ? `no WebGPU adapter matches ANNEAL_ADAPTER=${adapterName}` : 'no WebGPU adapter found',
      INSTALL_HINT,
    );
  }
  const info = summarize(adapter.info);
  if (isNullBackend(info)) {
    throw new GpuUnavailableError(
      "refusing Dawn's null backend (it accepts work and computes nothing)",
      INSTALL_HINT,
    );
  }

  const requiredLimits: Record<string, number> = {};
  for (const k of WANTED_LIMITS) requiredLimits[k] = adapter.limits[k];
  const requiredFeatures = OPTIONAL_FEATURES.filter((f) => adapter.features.has(f)) as GPUFeatureName[];
  if (options.f16 !== false && adapter.features.has('shader-f16')) requiredFeatures.push('shader-f16');

  const device = await adapter.requestDevice({
    label: 'anneal',
    requiredLimits,
    requiredFeatures,
  });

  const gpu: Gpu = {
    instance: navigatorGpu,
    device,
    adapter,
    info,
    features: new Set(device.features as unknown as Iterable<string>),
    adapterFeatures: new Set(adapter.features as unknown as Iterable<string>),
    limits: limitsOf(device.limits),
    key: `${info.vendor}|${info.architecture}|${info.device}|${info.description}`,
    lost: null,
    destroy() {
      gpu.lost ??= 'destroyed';
      device.destroy();
    },
  };
  device.lost.then((l) => {
    if (gpu.lost) return; // destroyed on purpose, or already reported
    gpu.lost = `${l.reason}: ${l.message}`;
    console.error(`anneal: GPU device lost (${gpu.lost}); further GPU work will fail`);
  });
  return gpu;
}

/** Throws if the device is gone, naming the operation that wanted it. */
export function assertAlive(gpu: Gpu, what: string): void {
  if (gpu.lost) throw new Error(`${what}: the GPU device is lost (${gpu.lost})`);
}
