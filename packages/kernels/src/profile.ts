// GPU time per kernel for one recorded step (adapters with `timestamp-query`): every dispatch runs in its
// own compute pass bracketed by timestamps, and the times are summed by kernel name. Splitting passes adds
// a little overhead of its own, so use it to see where time goes, and time the step itself without it.

import type { Runtime, Step } from './kernel.ts';

export interface KernelProfile {
  /** Summed GPU milliseconds per kernel name, largest first. */
  byKernel: [string, { ms: number; dispatches: number }][];
  totalMs: number;
}

// WebGPU caps a query set at 4096 queries: two per dispatch.
export async function profileStep(
  rt: Runtime,
  record: (s: Step) => void,
  maxDispatches = 2048,
): Promise<KernelProfile> {
  if (!rt.has('timestamp-query')) throw new Error('profileStep: this adapter has no timestamp-query feature');
  const device = rt.device;
  const querySet = device.createQuerySet({ type: 'timestamp', count: 2 * maxDispatches });
  const names: string[] = [];
  const s = rt.step('profile');
  s.profiler = {
    next(kernel) {
      if (names.length >= maxDispatches)
        throw new Error(`profileStep: more than ${maxDispatches} dispatches`);
      const i = names.push(kernel) - 1;
      return { querySet, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 };
    },
  };
  record(s);
  const bytes = 16 * names.length;
  const resolve = device.createBuffer({
    size: Math.max(bytes, 16),
    usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
  });
  const read = device.createBuffer({
    size: Math.max(bytes, 16),
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  const enc = device.createCommandEncoder();
  if (names.length) {
    enc.resolveQuerySet(querySet, 0, 2 * names.length, resolve, 0);
    enc.copyBufferToBuffer(resolve, 0, read, 0, bytes);
  }
  device.queue.submit([s.finish(), enc.finish()]);
  await rt.sync();
  await read.mapAsync(GPUMapMode.READ);
  const t = new BigInt64Array(read.getMappedRange().slice(0));
  read.unmap();
  for (const b of [resolve, read]) b.destroy();
  querySet.destroy();
  const totals = new Map<string, { ms: number; dispatches: number }>();
  names.forEach((name, i) => {
    const e = totals.get(name) ?? { ms: 0, dispatches: 0 };
    e.ms += Number(t[2 * i + 1] - t[2 * i]) / 1e6;
    e.dispatches++;
    totals.set(name, e);
  });
  const byKernel = [...totals].sort((a, b) => b[1].ms - a[1].ms);
  return { byKernel, totalMs: byKernel.reduce((a, [, e]) => a + e.ms, 0) };
}
