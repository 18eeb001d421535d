// `pnpm bench:kernels`: our kernels against a naive WGSL floor and TensorFlow.js's WebGPU backend, on the
// same Dawn adapter, in one run. Wall-clock medians of >= 10 runs after warm-up; every timed run submits and
// waits for the queue to drain, so ours and TF.js are measured the same way.
import * as tf from '@tensorflow/tfjs-core';
import { openGpu } from '../src/device.ts';
import { Runtime, type Step } from '../src/kernel.ts';
import { matmul, matmulVariants, naiveMatmulKernel, tuneMatmul } from '../src/ops/matmul/matmul.ts';
import { randn } from '../src/testing.ts';
import { median, printTable, type Row, writeJson } from './harness.ts';

const REPS = Number(process.env.BENCH_REPS ?? 10);

const gpu = await openGpu();
const rt = new Runtime(gpu);
const rows: Row[] = [];
const timeStep = (record: (s: Step) => void) =>
  median(async () => {
    rt.run('bench', record);
    await rt.sync();
  }, REPS);

// --- matmul 1024³ ---------------------------------------------------------------------------------------
const tuned = await tuneMatmul(rt);
{
  const n = 1024;
  const flops = 2 * n * n * n;
  const a = rt.upload(randn(n * n, 1), [n, n], 'A');
  const b = rt.upload(randn(n * n, 2), [n, n], 'B');
  const c = rt.empty([n, n], 'C');
  const shape = `${n}x${n}x${n}`;
  const add = (impl: string, ms: number, variant?: string, note?: string) =>
    rows.push({
      kernel: 'matmul',
      shape,
      impl,
      variant,
      medianMs: ms,
      rate: flops / ms / 1e6,
      unit: 'GFLOP/s',
      note,
    });

  add(
    'naive WGSL',
    await timeStep((s) =>
      s.dispatch(naiveMatmulKernel, { M: n, N: n, K: n }, [c, a, b], [Math.ceil(n / 8), Math.ceil(n / 8)]),
    ),
  );
  for (const v of matmulVariants(rt)) {
    const note = tuned.NN === v ? 'chosen' : '';
    add(
      'anneal',
      await timeStep((s) => matmul(s, c, a, b, null, { M: n, N: n, K: n }, { variant: v })),
      v,
      note,
    );
  }

  // TensorFlow.js's WebGPU backend on the same Dawn instance.
  (globalThis as { navigator?: unknown }).navigator = { gpu: gpu.instance, userAgent: 'node' };
  await import('@tensorflow/tfjs-backend-webgpu');
  await tf.setBackend('webgpu');
  await tf.ready();
  // TF.js keeps a compute pass open across ops; end and submit it the way its own readback path does.
  const backend = tf.backend() as unknown as {
    device: GPUDevice;
    ensureCommandEncoderReady(): void;
    endComputePassEncoder(): void;
    submitQueue(): void;
  };
  const flush = async () => {
    backend.ensureCommandEncoderReady();
    backend.endComputePassEncoder();
    backend.submitQueue();
    await backend.device.queue.onSubmittedWorkDone();
  };
  const ta = tf.tensor2d(randn(n * n, 1), [n, n]);
  const tb = tf.tensor2d(randn(n * n, 2), [n, n]);
  add(
    'tfjs-webgpu',
    await median(async () => {
      const tc = tf.matMul(ta, tb);
      await flush();
      tc.dispose();
    }, REPS),
    'matMul',
  );
}

printTable(`kernels on ${gpu.info.description || gpu.info.device} (median of ${REPS})`, rows);
const file = writeJson('kernels', { adapter: gpu.info, reps: REPS, tuned, rows });
console.log(`\nwrote ${file}`);
rt.destroy();
process.exit(0);
