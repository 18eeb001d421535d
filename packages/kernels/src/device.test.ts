// The smoke test every other kernel test stands on: a real adapter, that really computes.
import { describe, expect, it } from 'vitest';
import { GpuUnavailableError, isNullBackend, openGpu, summarize } from './device.ts';
import { Runtime } from './kernel.ts';

describe('device', () => {
  it('refuses the null backend', async () => {
    await expect(openGpu({ dawnFlags: ['backend=null'] })).rejects.toThrow(GpuUnavailableError);
    await expect(openGpu({ dawnFlags: ['backend=null'] })).rejects.toThrow(/null backend/);
  });

  it('recognises the null adapter by its info', () => {
    const nullInfo = {
      vendor: '',
      architecture: '',
      device: 'null-backend',
      description: '',
    } as GPUAdapterInfo;
    expect(isNullBackend(summarize(nullInfo))).toBe(true);
    const lavapipe = {
      vendor: 'mesa',
      architecture: 'software',
      device: 'llvmpipe-llvm-15',
      description: 'llvmpipe: Mesa 25.0.7',
    } as GPUAdapterInfo;
    expect(isNullBackend(summarize(lavapipe))).toBe(false);
    expect(summarize(lavapipe).software).toBe(true);
  });

  it('names a missing adapter', async () => {
    await expect(openGpu({ adapter: 'no-such-gpu-xyz' })).rejects.toThrow(/ANNEAL_ADAPTER=no-such-gpu-xyz/);
  });

  it('dispatches a real WGSL compute shader and reads back its output', async () => {
    const gpu = await openGpu();
    try {
      expect(gpu.limits.maxStorageBufferBindingSize).toBeGreaterThanOrEqual(128 << 20);
      const rt = new Runtime(gpu);
      const n = 4099; // not a multiple of the workgroup size
      const out = rt.upload(new Float32Array(n).fill(Number.NaN), [n], 'out');
      const module = gpu.device.createShaderModule({
        code: /* wgsl */ `
          @group(0) @binding(0) var<storage, read_write> out: array<f32>;
          @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u) {
            if (g.x < arrayLength(&out)) { out[g.x] = sin(f32(g.x)) * 3.0 + 1.0; }
          }`,
      });
      const pipeline = gpu.device.createComputePipeline({
        layout: 'auto',
        compute: { module, entryPoint: 'main' },
      });
      const enc = gpu.device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(
        0,
        gpu.device.createBindGroup({
          layout: pipeline.getBindGroupLayout(0),
          entries: [{ binding: 0, resource: { buffer: out.buffer } }],
        }),
      );
      pass.dispatchWorkgroups(Math.ceil(n / 64));
      pass.end();
      gpu.device.queue.submit([enc.finish()]);
      const got = await rt.read(out);
      for (let i = 0; i < n; i++) {
        // sin in WGSL f32 has an absolute error bound of 2^-11 on [-π, π]; larger arguments lose more after
        // range reduction, so 1e-2 on ×3 values is loose enough for any conforming implementation.
        const want = Math.sin(i) * 3 + 1;
        if (!(Math.abs(got[i] - want) <= 1e-2)) throw new Error(`smoke: out[${i}] = ${got[i]}, want ${want}`);
      }
    } finally {
      gpu.destroy();
    }
  });

  it('reports a WGSL compile error naming the kernel', async () => {
    const gpu = await openGpu();
    try {
      const rt = new Runtime(gpu);
      const broken = { name: 'broken.forward', code: 'fn main( {', params: [] as [string, 'u32'][] };
      const out = rt.empty([4], 'out');
      rt.run('broken', (s) => s.dispatch(broken, {}, [out], [1]));
      await expect(rt.sync()).rejects.toThrow(/kernel broken\.forward/);
    } finally {
      gpu.destroy();
    }
  });
});
