// `pnpm bench:train`: one full training step (forward, backward, clip, AdamW) of two GPT configurations and a
// Llama-shaped one (RMSNorm, RoPE, grouped-query attention 6/2 heads, SwiGLU, untied head) on our kernels, and — when Debian's python3-torch is installed — the same model and step in PyTorch on the
// CPU, side by side in the same run. Medians of 10 steps after 2 warm-up steps. Writes bench/results/*.json.
// BENCH_TRAIN_CONFIGS=a,llama runs some configs. ANNEAL_BENCH_PYTHON picks another interpreter; ANNEAL_BENCH_TORCH=cpu,cuda adds PyTorch on a CUDA GPU.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { openGpu } from '@anneal/kernels/device';
import { Runtime } from '@anneal/kernels/kernel';
import { tuneAttention } from '@anneal/kernels/ops/attention/attention';
import { tuneMatmul, tuneSeenMatmuls } from '@anneal/kernels/ops/matmul/matmul';
import { profileStep } from '@anneal/kernels/profile';
import { randInt, randn } from '@anneal/kernels/testing';
import { median, printTable, type Row, writeJson } from '../../kernels/bench/harness.ts';
import { GPT, gptParamSpecs } from '../src/model/gpt.ts';
import { Llama, type LlamaConfig, llamaParamSpecs } from '../src/model/llama.ts';
import { Optimizer } from '../src/optim.ts';

type BenchConfig = { name: string; V: number; L: number; NH: number; C: number; T: number; B: number };
/** Llama configs add kv heads and the SwiGLU width: (llama) is (b)'s size in Llama's shape. */
type LlamaBench = BenchConfig & { NKV: number; I: number };
const CONFIGS: (BenchConfig | LlamaBench)[] = [
  { name: 'a', V: 256, L: 4, NH: 4, C: 128, T: 128, B: 8 },
  { name: 'b', V: 4096, L: 6, NH: 6, C: 384, T: 256, B: 4 },
  { name: 'llama', V: 4096, L: 6, NH: 6, NKV: 2, C: 384, I: 1024, T: 256, B: 4 },
];
const isLlama = (c: BenchConfig): c is LlamaBench => 'NKV' in c;
// BENCH_TRAIN_CONFIGS=llama (comma-separated names) runs some of them.
const only = process.env.BENCH_TRAIN_CONFIGS?.split(',');
if (only)
  for (const n of only)
    if (!CONFIGS.some((c) => c.name === n)) throw new Error(`BENCH_TRAIN_CONFIGS: no config ${n}`);
const RUN = only ? CONFIGS.filter((c) => only.includes(c.name)) : CONFIGS;
const PYTHON = process.env.ANNEAL_BENCH_PYTHON ?? '/usr/bin/python3';
const TORCH_DEVICES = (process.env.ANNEAL_BENCH_TORCH ?? 'cpu').split(',');
const TORCH_SCRIPT = fileURLToPath(new URL('./torch_step.py', import.meta.url));

// PyTorch first, before Dawn starts: lavapipe's worker threads would otherwise share the two cores with it.
type TorchResult = { ms: number; tokens_per_s: number; blas: string; device: string };
const torchResults = new Map<string, (TorchResult | string)[]>();
for (const c of RUN)
  torchResults.set(
    c.name,
    TORCH_DEVICES.map((d) => runTorch(c, d)),
  );

const rt = new Runtime(await openGpu());
await tuneMatmul(rt);
await tuneAttention(rt);
const rows: Row[] = [];
const results: Record<string, unknown>[] = [];

for (const c of RUN) {
  const shape = isLlama(c)
    ? `V=${c.V} L=${c.L} NH=${c.NH}/${c.NKV} C=${c.C} I=${c.I} T=${c.T} B=${c.B}`
    : `V=${c.V} L=${c.L} NH=${c.NH} C=${c.C} T=${c.T} B=${c.B}`;
  let model: GPT | Llama;
  let specs: { name: string; shape: number[] }[];
  if (isLlama(c)) {
    const config: LlamaConfig = {
      vocabSize: c.V,
      hiddenSize: c.C,
      intermediateSize: c.I,
      nLayer: c.L,
      nHead: c.NH,
      nKvHead: c.NKV,
      headDim: c.C / c.NH,
      maxPositions: c.T,
      rmsNormEps: 1e-5,
      ropeTheta: 10000,
      ropeScaling: null,
      tieWordEmbeddings: false,
      qkvBias: false,
      oBias: false,
    };
    model = new Llama(rt, config);
    specs = llamaParamSpecs(config);
  } else {
    const config = {
      vocabSize: c.V,
      nPositions: c.T,
      nLayer: c.L,
      nHead: c.NH,
      nEmbd: c.C,
      layerNormEps: 1e-5,
    };
    model = new GPT(rt, config);
    specs = gptParamSpecs(config);
  }
  model.params.write(
    new Map(
      specs.map((s, i) => [
        s.name,
        randn(
          s.shape.reduce((a, b) => a * b, 1),
          i + 1,
          0.02,
        ),
      ]),
    ),
  );
  const opt = new Optimizer(rt, model.layout, model.params, model.grads, {
    kind: 'adamw',
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    weightDecay: 0.01,
  });
  const batch = {
    B: c.B,
    T: c.T,
    tokens: randInt(c.B * c.T, 1, c.V),
    targets: Int32Array.from(randInt(c.B * c.T, 2, c.V)),
  };
  // As the trainer does before its first step: record one step unsubmitted, then measure the matmul shapes it
  // ran, and the attention variants on this config's shape.
  {
    const s = rt.step('shapes');
    model.forward(s, batch);
    model.backward(s);
    s.finish();
    await tuneSeenMatmuls(rt);
    await tuneAttention(rt, { B: c.B, T: c.T, C: c.C, NH: c.NH, causal: true });
  }
  let dispatches = 0;
  const ms = await median(async () => {
    const s = rt.step('train');
    opt.zeroGrad(s);
    model.forward(s, batch);
    model.backward(s);
    opt.update(s, 1e-4, { maxNorm: 1 });
    dispatches = s.dispatches;
    rt.submit(s);
    await model.readLoss();
  }, 10);
  const tokens = (c.B * c.T) / (ms / 1000);
  // Where the time goes: GPU time per kernel (each dispatch timed in its own pass), against the wall time.
  const profile = await profileStep(rt, (s) => {
    opt.zeroGrad(s);
    model.forward(s, batch);
    model.backward(s);
    opt.update(s, 1e-4, { maxNorm: 1 });
  });
  const group = (name: string) => (name.startsWith('matmul') ? 'matmul' : name.split('.')[0]);
  const groups = new Map<string, number>();
  for (const [name, e] of profile.byKernel) groups.set(group(name), (groups.get(group(name)) ?? 0) + e.ms);
  const breakdown = [...groups]
    .sort((a, b) => b[1] - a[1])
    .map(([g, v]) => `${g} ${((100 * v) / profile.totalMs).toFixed(0)}%`);
  console.log(
    `config ${c.name}: GPU ${profile.totalMs.toFixed(0)} ms of ${ms.toFixed(0)} ms wall per step; ${breakdown.join(', ')}`,
  );
  rows.push({
    kernel: `train step (${c.name})`,
    shape,
    impl: 'anneal',
    medianMs: ms,
    note: `${tokens.toFixed(0)} tok/s, ${dispatches} dispatches`,
  });
  const result: Record<string, unknown> = {
    config: c,
    anneal: { ms, tokensPerS: tokens, dispatches, gpuMs: profile.totalMs, byKernel: profile.byKernel },
  };

  result.pytorch = [];
  for (const torch of torchResults.get(c.name) ?? []) {
    if (typeof torch === 'string') {
      console.log(`PyTorch peer skipped: ${torch}`);
      continue;
    }
    rows.push({
      kernel: `train step (${c.name})`,
      shape,
      impl: `pytorch ${torch.device} (${torch.blas})`,
      medianMs: torch.ms,
      note: `${torch.tokens_per_s.toFixed(0)} tok/s; anneal/pytorch = ${(tokens / torch.tokens_per_s).toFixed(3)}`,
    });
    (result.pytorch as TorchResult[]).push(torch);
  }
  results.push(result);
}

function runTorch(c: BenchConfig | LlamaBench, device: string): TorchResult | string {
  if (!existsSync(PYTHON)) return `no ${PYTHON}`;
  try {
    // OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are pinned on some machines for old OpenBLAS builds and slow a
    // current one: the peer runs without them, as a user's own PyTorch would.
    const env = { ...process.env };
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    const threads = Math.min(availableParallelism(), 16);
    const llama = isLlama(c) ? ['llama', String(c.NKV), String(c.I)] : [];
    const args = [TORCH_SCRIPT, ...[c.V, c.L, c.NH, c.C, c.T, c.B, threads].map(String), device, ...llama];
    const out = execFileSync(PYTHON, args, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'ignore'] });
    return JSON.parse(out.trim().split('\n').at(-1)!) as TorchResult;
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  }
}

printTable(`training step on ${rt.gpu.info.description || rt.gpu.info.device} (median of 10)`, rows);
console.log(`\nwrote ${writeJson('train', { adapter: rt.gpu.info, results })}`);
rt.destroy();
process.exit(0);
