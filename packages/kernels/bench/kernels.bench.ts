// `pnpm bench:kernels`: our kernels against a naive WGSL floor and TensorFlow.js's WebGPU backend, on the
// same Dawn adapter, in one run. Wall-clock medians of >= 10 runs after warm-up; every timed run submits and
// waits for the queue to drain, so ours and TF.js are measured the same way.
import * as tf from '@tensorflow/tfjs-core';
import { openGpu } from '../src/device.ts';
import { Runtime, type Step } from '../src/kernel.ts';
import {
  type AttentionDims,
  attentionBackward,
  attentionForward,
  attentionVariants,
  qkvWidth,
  tuneAttention,
} from '../src/ops/attention/attention.ts';
import {
  allocUnfused,
  attentionBackwardUnfused,
  attentionForwardUnfused,
  softmaxRows,
} from '../src/ops/attention/attention.unfused.ts';
import { fill } from '../src/ops/fill/fill.ts';
import { layernormForward } from '../src/ops/layernorm/layernorm.ts';
import {
  matmul,
  matmulF16Available,
  matmulShapeKey,
  matmulVariants,
  naiveMatmulKernel,
  tuneMatmul,
} from '../src/ops/matmul/matmul.ts';
import { rmsnormForward } from '../src/ops/rmsnorm/rmsnorm.ts';
import { ropeForward, ropeInvFreq, ropeTable } from '../src/ops/rope/rope.ts';
import { swigluForward } from '../src/ops/swiglu/swiglu.ts';
import { randn } from '../src/testing.ts';
import { median, printTable, type Row, timeRecorded, writeJson } from './harness.ts';

const REPS = Number(process.env.BENCH_REPS ?? 10);
/** Matmul sizes (square), e.g. BENCH_MATMUL_N=1024,4096 on a real GPU. */
const MATMUL_N = (process.env.BENCH_MATMUL_N ?? '1024').split(',').map(Number);

const gpu = await openGpu();
const rt = new Runtime(gpu);
const rows: Row[] = [];
let lastGpuMs: number | undefined;
/** Wall-clock median of a recorded step; its GPU-timestamp median goes into the next row pushed. */
const timeStep = async (record: (s: Step) => void) => {
  const t = await timeRecorded(rt, record, REPS);
  lastGpuMs = t.gpu;
  return t.wall;
};
const push = (r: Row) => {
  // One line per row as it is measured: a long run on a slow adapter shows its progress.
  console.error(`  ${r.kernel} ${r.shape} ${r.impl} ${r.variant ?? ''}: ${r.medianMs.toFixed(3)} ms`);
  rows.push({
    ...r,
    gpuMs: r.impl.startsWith('anneal') || r.impl.startsWith('naive') ? lastGpuMs : undefined,
  });
  lastGpuMs = undefined;
};
/** A row whose rate is `work` (FLOPs or bytes) per `ms`: GFLOP/s or GB/s. */
const pushRate = (
  r: Pick<Row, 'kernel' | 'shape' | 'impl' | 'variant' | 'note'>,
  ms: number,
  work: number,
  unit: NonNullable<Row['unit']>,
) => push({ ...r, medianMs: ms, rate: work / ms / 1e6, unit });

// TensorFlow.js's WebGPU backend on the same Dawn instance, as the peer.
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
// --- matmul n³ (default 1024) -------------------------------------------------------------------------------
// Every variant's output is also checked against the naive kernel's on this adapter (max relative error in the
// note): a subgroup kernel that is right on lavapipe's subgroup size must also be right on the GPU's.
// The tuner measures the very shapes benchmarked here (each layout at n³), as a model's trainer measures its own.
const tuned: Record<string, string> = {};
for (const n of MATMUL_N) {
  const flops = 2 * n * n * n;
  const a = rt.upload(randn(n * n, 1), [n, n], 'A');
  const b = rt.upload(randn(n * n, 2), [n, n], 'B');
  const c = rt.empty([n, n], 'C');
  const shape = `${n}x${n}x${n}`;
  Object.assign(
    tuned,
    await tuneMatmul(rt, [
      { M: n, N: n, K: n },
      { M: n, N: n, K: n, transB: true },
      { M: n, N: n, K: n, transA: true },
    ]),
  );
  const add = (impl: string, ms: number, variant?: string, note?: string) =>
    pushRate({ kernel: 'matmul', shape, impl, variant, note }, ms, flops, 'GFLOP/s');
  const transpose = (x: Float32Array) => {
    const t = new Float32Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = x[i * n + j];
    return t;
  };
  const naive = (s: Step, x: typeof a, y: typeof b) =>
    s.dispatch(naiveMatmulKernel, { M: n, N: n, K: n }, [c, x, y], [Math.ceil(n / 8), Math.ceil(n / 8)]);
  add('naive WGSL', await timeStep((s) => naive(s, a, b)));
  const want = await rt.read(c);
  const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  // NN is the headline; NT (x·Wᵀ, every Linear forward) and TN (dW = doutᵀ·x) are what training runs.
  // The transposed layouts read Aᵀ or Bᵀ from a transposed copy, so all layouts compute the same product.
  const at = rt.upload(transpose(randn(n * n, 1)), [n, n], 'Aᵀ');
  const bt = rt.upload(transpose(randn(n * n, 2)), [n, n], 'Bᵀ');
  for (const [layout, transA, transB] of [
    ['NN', false, false],
    ['NT', false, true],
    ['TN', true, false],
  ] as const) {
    for (const v of matmulVariants(rt)) {
      const [x, y] = [transA ? at : a, transB ? bt : b];
      const run = (s: Step) => matmul(s, c, x, y, null, { M: n, N: n, K: n }, { transA, transB, variant: v });
      const ms = await timeStep(run);
      rt.run('poison', (s) => fill(s, c, Number.NaN)); // a variant that writes nothing must not pass
      rt.run('check', run);
      const got = await rt.read(c);
      let err = 0;
      for (let i = 0; i < got.length; i++) err = Math.max(err, Math.abs(got[i] - want[i]) / scale);
      if (!(err < 1e-4))
        throw new Error(`matmul ${layout} ${v} ${shape}: max relative error ${err} vs naive`);
      const key = matmulShapeKey({ M: n, N: n, K: n, transA, transB });
      add(`anneal ${layout}`, ms, v, `${tuned[key] === v ? 'chosen; ' : ''}err ${err.toExponential(1)}`);
    }
  }
  for (const t of [at, bt]) t.release();
  if (matmulF16Available(rt)) {
    // f16 storage, f32 accumulation: error against the naive f32 product is the inputs' f16 rounding.
    const a16 = rt.upload(Array.from(randn(n * n, 1)), [n, n], 'A16', 'f16');
    const b16 = rt.upload(Array.from(randn(n * n, 2)), [n, n], 'B16', 'f16');
    const run = (s: Step) => matmul(s, c, a16, b16, null, { M: n, N: n, K: n });
    const ms = await timeStep(run);
    rt.run('poison', (s) => fill(s, c, Number.NaN));
    rt.run('check', run);
    const got = await rt.read(c);
    let err = 0;
    for (let i = 0; i < got.length; i++) err = Math.max(err, Math.abs(got[i] - want[i]) / scale);
    if (!(err < 1e-2)) throw new Error(`matmul f16 ${shape}: max relative error ${err} vs naive f32`);
    add('anneal NN f16', ms, 'f16', `f16 storage, f32 accumulation; err ${err.toExponential(1)}`);
    for (const t of [a16, b16]) t.release();
  }

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
  tf.dispose([ta, tb]);
  for (const t of [a, b, c]) t.release();
}

// --- fused vs unfused attention, forward and backward, at each benchmarked shape ----------------------------
// The tuner chooses the fused variant on each shape (forward + backward measured together); the unfused path
// (permutes, batched matmuls at their tuned variants, row softmax) is the peer both passes must match or beat.
const ATTENTION_SHAPES: AttentionDims[] = [
  { B: 4, T: 256, C: 128, NH: 4, causal: true }, // the H100 report's shape
  { B: 4, T: 256, C: 384, NH: 6, causal: true }, // train bench config (b)
  { B: 8, T: 128, C: 256, NH: 4, causal: false }, // encoder fine-tuning (bidirectional)
];
const attentionChosen: Record<string, string> = {};
for (const dims of ATTENTION_SHAPES) {
  const { B, T, C, NH, causal } = dims;
  const HS = C / NH;
  const qkv = rt.upload(randn(B * T * 3 * C, 3), [B, T, 3 * C], 'qkv');
  const dout = rt.upload(randn(B * T * C, 4), [B, T, C], 'dout');
  const out = rt.empty([B, T, C], 'out');
  const dqkv = rt.empty([B, T, 3 * C], 'dqkv');
  const lse = rt.empty([B, NH, T], 'lse');
  const D = rt.empty([B, NH, T], 'D');
  const scratch = allocUnfused(rt, dims);
  const shape = `B=${B} NH=${NH} T=${T} HS=${HS}${causal ? ' causal' : ''}`;
  // Useful work: QKᵀ and PV (forward), over the lower triangle when causal; the backward does twice that.
  const fwdFlops = (causal ? 2 : 4) * B * NH * T * T * HS;
  const chosen = await tuneAttention(rt, dims);
  attentionChosen[shape] = chosen;
  // Unfused: the reference each fused variant's output and gradient is checked against.
  rt.run('reference', (s) => {
    attentionForwardUnfused(s, out, qkv, scratch, dims);
    attentionBackwardUnfused(s, dqkv, dout, scratch, dims);
  });
  const want = await rt.read(out);
  const wantD = await rt.read(dqkv);
  const maxAbs = (x: Float32Array) => x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const relErr = (got: Float32Array, ref: Float32Array) => {
    const sc = maxAbs(ref);
    let e = 0;
    for (let i = 0; i < got.length; i++) e = Math.max(e, Math.abs(got[i] - ref[i]) / sc);
    return e;
  };
  for (const v of attentionVariants(rt)) {
    const fwd = (s: Step) => attentionForward(s, out, lse, qkv, null, dims, { variant: v });
    const bwd = (s: Step) => attentionBackward(s, dqkv, D, dout, qkv, out, lse, null, dims, { variant: v });
    const fms = await timeStep(fwd);
    const fGpu = lastGpuMs;
    const bms = await timeStep(bwd); // out and lse hold this variant's forward
    const bGpu = lastGpuMs;
    rt.run('poison', (s) => {
      fill(s, out, Number.NaN);
      fill(s, dqkv, Number.NaN);
    });
    rt.run('check', (s) => {
      fwd(s);
      bwd(s);
    });
    const err = relErr(await rt.read(out), want);
    const errD = relErr(await rt.read(dqkv), wantD);
    if (!(err < 1e-4 && errD < 1e-3))
      throw new Error(`attention ${v} ${shape}: error ${err} / ${errD} vs unfused`);
    const mark = v === chosen ? 'chosen; ' : '';
    lastGpuMs = fGpu;
    const impl = 'anneal fused';
    pushRate(
      { kernel: 'attention.forward', shape, impl, variant: v, note: `${mark}err ${err.toExponential(1)}` },
      fms,
      fwdFlops,
      'GFLOP/s',
    );
    lastGpuMs = bGpu;
    pushRate(
      { kernel: 'attention.backward', shape, impl, variant: v, note: `${mark}err ${errD.toExponential(1)}` },
      bms,
      2 * fwdFlops,
      'GFLOP/s',
    );
  }
  const ufms = await timeStep((s) => attentionForwardUnfused(s, out, qkv, scratch, dims));
  const ufGpu = lastGpuMs;
  const ubms = await timeStep((s) => attentionBackwardUnfused(s, dqkv, dout, scratch, dims));
  const ubGpu = lastGpuMs;
  lastGpuMs = ufGpu;
  pushRate(
    { kernel: 'attention.forward', shape, impl: 'anneal unfused', variant: 'matmul+softmax' },
    ufms,
    fwdFlops,
    'GFLOP/s',
  );
  lastGpuMs = ubGpu;
  pushRate(
    { kernel: 'attention.backward', shape, impl: 'anneal unfused', variant: 'matmul+softmax' },
    ubms,
    2 * fwdFlops,
    'GFLOP/s',
  );
  for (const t of [qkv, dout, out, dqkv, lse, D, ...Object.values(scratch)]) t.release();
}

// --- Llama-shaped: grouped-query attention forward, B=4 NH=6 NKV=2 T=256 HS=32, causal ---------------------
// The unfused peer runs multi-head attention on the kv heads repeated to every query head (HF's repeat_kv):
// the same output, which each fused variant is checked against.
{
  const [B, T, NH, NKV, HS] = [4, 256, 6, 2, 32];
  const C = NH * HS;
  const dims = { B, T, C, NH, NKV, causal: true };
  const W = qkvWidth(dims);
  const gqa = randn(B * T * W, 8);
  const full = new Float32Array(B * T * 3 * C);
  for (let r = 0; r < B * T; r++)
    for (let h = 0; h < NH; h++)
      for (let d = 0; d < HS; d++) {
        const g = Math.floor(h / (NH / NKV));
        full[r * 3 * C + h * HS + d] = gqa[r * W + h * HS + d];
        full[r * 3 * C + C + h * HS + d] = gqa[r * W + C + g * HS + d];
        full[r * 3 * C + 2 * C + h * HS + d] = gqa[r * W + C + NKV * HS + g * HS + d];
      }
  const qkv = rt.upload(gqa, [B, T, W], 'qkv.gqa');
  const qkvFull = rt.upload(full, [B, T, 3 * C], 'qkv.repeated');
  const out = rt.empty([B, T, C], 'out');
  const lse = rt.empty([B, NH, T], 'lse');
  const mha = { B, T, C, NH, causal: true };
  const scratch = allocUnfused(rt, mha);
  const shape = `B=${B} NH=${NH}/${NKV} T=${T} HS=${HS} causal`;
  const flops = 2 * B * NH * T * T * HS;
  const chosenAttention = await tuneAttention(rt);
  rt.run('reference', (s) => attentionForwardUnfused(s, out, qkvFull, scratch, mha));
  const want = await rt.read(out);
  const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  for (const v of attentionVariants(rt)) {
    const run = (s: Step) => attentionForward(s, out, lse, qkv, null, dims, { variant: v });
    const ms = await timeStep(run);
    rt.run('poison', (s) => fill(s, out, Number.NaN));
    rt.run('check', run);
    const got = await rt.read(out);
    let err = 0;
    for (let i = 0; i < got.length; i++) err = Math.max(err, Math.abs(got[i] - want[i]) / scale);
    if (!(err < 1e-4)) throw new Error(`attention GQA ${v}: max relative error ${err} vs unfused`);
    const note = `${v === chosenAttention ? 'chosen; ' : ''}err ${err.toExponential(1)}`;
    pushRate(
      { kernel: 'attention.forward GQA', shape, impl: 'anneal fused', variant: v, note },
      ms,
      flops,
      'GFLOP/s',
    );
  }
  const ums = await timeStep((s) => attentionForwardUnfused(s, out, qkvFull, scratch, mha));
  pushRate(
    { kernel: 'attention.forward GQA', shape, impl: 'anneal unfused', variant: 'repeat_kv+matmul+softmax' },
    ums,
    flops,
    'GFLOP/s',
  );

  // RoPE + packing of that attention's input (bytes: q, k, v read, qkv written).
  const q = rt.upload(randn(B * T * C, 9), [B, T, C], 'q');
  const k = rt.upload(randn(B * T * NKV * HS, 10), [B, T, NKV * HS], 'k');
  const vv = rt.upload(randn(B * T * NKV * HS, 11), [B, T, NKV * HS], 'v');
  const table = rt.upload(ropeTable(ropeInvFreq(HS, 10000), T), [T, HS / 2, 2], 'rope.table');
  const rms = await timeStep((s) => ropeForward(s, qkv, q, k, vv, table, { B, T, NH, NKV, HS }));
  pushRate({ kernel: 'rope+pack', shape, impl: 'anneal' }, rms, 2 * B * T * W * 4, 'GB/s');
}

// --- Llama-shaped elementwise and norms vs TF.js: RMSNorm (N=4096, C=768), SwiGLU (4096 × 2048) -----------
{
  const [N, C] = [4096, 768];
  const inp = rt.upload(randn(N * C, 12), [N, C], 'rms.inp');
  const w = rt.upload(randn(C, 13), [C], 'rms.w');
  const o = rt.empty([N, C], 'rms.out');
  const rstd = rt.empty([N], 'rms.rstd');
  const bytes = 2 * N * C * 4;
  const ms = await timeStep((s) => rmsnormForward(s, o, rstd, inp, w, { N, C }));
  pushRate({ kernel: 'rmsnorm', shape: `${N}x${C}`, impl: 'anneal' }, ms, bytes, 'GB/s');
  const ti = tf.tensor2d(randn(N * C, 12), [N, C]);
  const tw = tf.tensor1d(randn(C, 13));
  const tms = await median(async () => {
    const r = tf.tidy(() => tf.mul(tf.mul(ti, tf.rsqrt(tf.add(tf.mean(tf.square(ti), -1, true), 1e-6))), tw));
    await flush();
    r.dispose();
  }, REPS);
  pushRate(
    { kernel: 'rmsnorm', shape: `${N}x${C}`, impl: 'tfjs-webgpu', note: 'square + mean + elementwise' },
    tms,
    bytes,
    'GB/s',
  );

  const n = 4096 * 2048;
  const gate = rt.upload(randn(n, 14, 3), [n], 'gate');
  const up = rt.upload(randn(n, 15), [n], 'up');
  const so = rt.empty([n], 'swiglu.out');
  const sbytes = 3 * n * 4;
  const sms = await timeStep((s) => swigluForward(s, so, gate, up));
  pushRate({ kernel: 'swiglu', shape: '4096x2048', impl: 'anneal' }, sms, sbytes, 'GB/s');
  const tg = tf.tensor1d(randn(n, 14, 3));
  const tu = tf.tensor1d(randn(n, 15));
  const tsms = await median(async () => {
    const r = tf.tidy(() => tf.mul(tf.mul(tg, tf.sigmoid(tg)), tu));
    await flush();
    r.dispose();
  }, REPS);
  pushRate(
    { kernel: 'swiglu', shape: '4096x2048', impl: 'tfjs-webgpu', note: 'x·sigmoid(x)·up' },
    tsms,
    sbytes,
    'GB/s',
  );
}

// --- softmax and layernorm vs TF.js (same adapter) --------------------------------------------------------
{
  const [R, V] = [1024, 4096];
  const x = rt.upload(randn(R * V, 4), [R, V], 'x');
  const y = rt.empty([R, V], 'y');
  const bytes = 2 * R * V * 4;
  const ms = await timeStep((s) => softmaxRows(s, y, x, { R, T: V, scale: 1, causal: false }));
  pushRate({ kernel: 'softmax', shape: `${R}x${V}`, impl: 'anneal' }, ms, bytes, 'GB/s');
  const tx = tf.tensor2d(randn(R * V, 4), [R, V]);
  const tms = await median(async () => {
    const r = tf.softmax(tx);
    await flush();
    r.dispose();
  }, REPS);
  pushRate({ kernel: 'softmax', shape: `${R}x${V}`, impl: 'tfjs-webgpu' }, tms, bytes, 'GB/s');

  const [N, C] = [4096, 768];
  const inp = rt.upload(randn(N * C, 5), [N, C], 'ln.inp');
  const w = rt.upload(randn(C, 6), [C], 'ln.w');
  const b = rt.upload(randn(C, 7), [C], 'ln.b');
  const o = rt.empty([N, C], 'ln.out');
  const mean = rt.empty([N], 'ln.mean');
  const rstd = rt.empty([N], 'ln.rstd');
  const lnBytes = 2 * N * C * 4;
  const lms = await timeStep((s) => layernormForward(s, o, mean, rstd, inp, w, b, { N, C }));
  pushRate({ kernel: 'layernorm', shape: `${N}x${C}`, impl: 'anneal' }, lms, lnBytes, 'GB/s');
  const ti = tf.tensor2d(randn(N * C, 5), [N, C]);
  const tw = tf.tensor1d(randn(C, 6));
  const tbias = tf.tensor1d(randn(C, 7));
  const tlms = await median(async () => {
    // TF.js has no fused layernorm: the composite a user would write.
    const r = tf.tidy(() => {
      const { mean: m, variance } = tf.moments(ti, -1, true);
      return tf.add(tf.mul(tf.mul(tf.sub(ti, m), tf.rsqrt(tf.add(variance, 1e-5))), tw), tbias);
    });
    await flush();
    r.dispose();
  }, REPS);
  pushRate(
    { kernel: 'layernorm', shape: `${N}x${C}`, impl: 'tfjs-webgpu', note: 'moments + elementwise' },
    tlms,
    lnBytes,
    'GB/s',
  );
}

// --- per-dispatch overhead ---------------------------------------------------------------------------------
{
  const n = 500;
  const t = rt.empty([256], 'tiny');
  const batched = await timeStep((s) => {
    for (let i = 0; i < n; i++) fill(s, t, i);
  });
  const separate = await median(async () => {
    for (let i = 0; i < n; i++) rt.run('one', (s) => fill(s, t, i));
    await rt.sync();
  }, REPS);
  push({
    kernel: 'dispatch overhead',
    shape: `${n} tiny dispatches`,
    impl: 'one submit',
    medianMs: batched,
    note: `${((batched / n) * 1000).toFixed(1)} µs/dispatch`,
  });
  push({
    kernel: 'dispatch overhead',
    shape: `${n} tiny dispatches`,
    impl: 'submit each',
    medianMs: separate,
    note: `${((separate / n) * 1000).toFixed(1)} µs/dispatch`,
  });
}

printTable(`kernels on ${gpu.info.description || gpu.info.device} (median of ${REPS})`, rows);
const file = writeJson('kernels', { adapter: gpu.info, reps: REPS, tuned, attention: attentionChosen, rows });
console.log(`\nwrote ${file}`);
rt.destroy();
process.exit(0);
