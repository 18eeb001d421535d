// Benchmark plumbing shared by the bench scripts: median timing, a printed table, a JSON file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Runtime, Step } from '../src/kernel.ts';

export interface Row {
  kernel: string;
  shape: string;
  impl: string;
  variant?: string;
  medianMs: number;
  /** Median GPU time from timestamp queries (our kernels, where the adapter has timestamp-query). */
  gpuMs?: number;
  /** GFLOP/s or GB/s, with the unit */
  rate?: number;
  unit?: 'GFLOP/s' | 'GB/s';
  note?: string;
}

/** Median of `reps` timings of an async thunk after `warmup` untimed calls. */
export async function median(fn: () => Promise<void>, reps = 10, warmup = 2): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t.length % 2 ? t[(t.length - 1) / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
}

/**
 * Median wall and GPU (timestamp-query) time of one recorded step. Wall time covers submit to queue drain;
 * GPU time is the compute pass alone, where the adapter supports timestamps.
 */
export async function timeRecorded(
  rt: Runtime,
  record: (s: Step) => void,
  reps: number,
): Promise<{ wall: number; gpu?: number }> {
  if (!rt.has('timestamp-query')) {
    return {
      wall: await median(async () => {
        rt.run('bench', record);
        await rt.sync();
      }, reps),
    };
  }
  const device = rt.device;
  const querySet = device.createQuerySet({ type: 'timestamp', count: 2 });
  const resolve = device.createBuffer({
    size: 16,
    usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
  });
  const read = device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const gpu: number[] = [];
  const wall = await median(async () => {
    const s = rt.step('bench', { querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 });
    record(s);
    const enc = device.createCommandEncoder();
    enc.resolveQuerySet(querySet, 0, 2, resolve, 0);
    enc.copyBufferToBuffer(resolve, 0, read, 0, 16);
    device.queue.submit([s.finish(), enc.finish()]);
    await rt.sync();
    await read.mapAsync(GPUMapMode.READ);
    const [t0, t1] = new BigInt64Array(read.getMappedRange());
    read.unmap();
    gpu.push(Number(t1 - t0) / 1e6);
  }, reps);
  const timed = gpu.slice(-reps).sort((a, b) => a - b);
  querySet.destroy();
  return { wall, gpu: timed[Math.floor(timed.length / 2)] };
}

export function printTable(title: string, rows: Row[]): void {
  console.log(`\n${title}`);
  const cols = ['kernel', 'shape', 'impl', 'variant', 'median ms', 'gpu ms', 'rate', 'note'];
  const cells = rows.map((r) => [
    r.kernel,
    r.shape,
    r.impl,
    r.variant ?? '',
    r.medianMs.toFixed(3),
    r.gpuMs !== undefined ? r.gpuMs.toFixed(3) : '',
    r.rate !== undefined ? `${r.rate.toFixed(2)} ${r.unit}` : '',
    r.note ?? '',
  ]);
  const w = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(w[i])).join('  ');
  console.log(line(cols));
  console.log(w.map((n) => '-'.repeat(n)).join('  '));
  for (const r of cells) console.log(line(r));
}

export function writeJson(name: string, data: unknown): string {
  const dir = fileURLToPath(new URL('../../../bench/results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = `${dir}${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, JSON.stringify(data, null, 2));
  return file;
}
