// `pnpm bench:generate`: decode speed of generation on our kernels — the KV-cache decode step (embedding, the
// blocks with the cache, LM head, sampler, the chosen ids read back) for batch 1 and batch 8 — on the shipped
// GPT base (bases/gpt-brown-256, its weights) and on GPT-2-124M shapes (random weights: 12 layers, 768, 12 heads,
// vocabulary 50257, context 1024), beside PyTorch doing the same greedy generation with a hand-written KV cache
// (torch_generate.py) in the same run. Also time to first token (prefill of a 32-token prompt + first token).
// Medians over the decode steps. Writes bench/results/generate-*.json.
// ANNEAL_BENCH_PYTHON picks another interpreter; ANNEAL_BENCH_TORCH=cpu,cuda adds PyTorch on a CUDA GPU;
// ANNEAL_BENCH_NEW sets the tokens generated per measurement (default 24); ANNEAL_BENCH_TORCH=none skips
// PyTorch; ANNEAL_BENCH_MODELS=brown|gpt2 runs one model.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { openGpu } from '@anneal/kernels/device';
import { Runtime } from '@anneal/kernels/kernel';
import { tuneAttention } from '@anneal/kernels/ops/attention/attention';
import { tuneMatmul } from '@anneal/kernels/ops/matmul/matmul';
import { profileStep } from '@anneal/kernels/profile';
import { randInt, randn } from '@anneal/kernels/testing';
import { printTable, type Row, writeJson } from '../../kernels/bench/harness.ts';
import { DEFAULT_SAMPLING, kvDecoder } from '../src/generate.ts';
import { GPT, type GPTConfig, gptParamSpecs } from '../src/model/gpt.ts';
import { loadGPT2Checkpoint } from '../src/model/pretrained.ts';

const BROWN = fileURLToPath(new URL('../../../bases/gpt-brown-256', import.meta.url));
const PROMPT = 32;
const NEW = Number(process.env.ANNEAL_BENCH_NEW ?? 24);
const BATCHES = [1, 8];
const PYTHON = process.env.ANNEAL_BENCH_PYTHON ?? '/usr/bin/python3';
const TORCH_DEVICES = (process.env.ANNEAL_BENCH_TORCH ?? 'cpu').split(',').filter((d) => d !== 'none');
const TORCH_SCRIPT = fileURLToPath(new URL('./torch_generate.py', import.meta.url));

interface Model {
  name: string;
  config: GPTConfig;
  weights: () => Map<string, Float32Array>;
}
const brown = loadGPT2Checkpoint(BROWN, gptParamSpecs);
const gpt2: GPTConfig = {
  vocabSize: 50257,
  nPositions: 1024,
  nLayer: 12,
  nHead: 12,
  nEmbd: 768,
  layerNormEps: 1e-5,
};
const ALL_MODELS: Model[] = [
  { name: 'gpt-brown-256', config: brown.config, weights: () => brown.weights },
  {
    name: 'gpt2-124M shapes',
    config: gpt2,
    weights: () =>
      new Map(
        gptParamSpecs(gpt2).map((s, i) => [
          s.name,
          randn(
            s.shape.reduce((a, b) => a * b, 1),
            i + 1,
            0.02,
          ),
        ]),
      ),
  },
];

const MODELS = ALL_MODELS.filter(
  (m) => !process.env.ANNEAL_BENCH_MODELS || m.name.startsWith(process.env.ANNEAL_BENCH_MODELS),
);

// PyTorch first, before Dawn starts: lavapipe's worker threads would otherwise share the cores with it.
type TorchResult = { ttft_ms: number; step_ms: number; tokens_per_s: number; blas: string; device: string };
const torchResults = new Map<string, (TorchResult | string)[]>();
for (const m of MODELS)
  for (const B of BATCHES) {
    const r = TORCH_DEVICES.map((d) => runTorch(m.config, B, d));
    console.log(`pytorch ${m.name} B=${B}: ${JSON.stringify(r)}`);
    torchResults.set(`${m.name}/${B}`, r);
  }

const rt = new Runtime(await openGpu());
await tuneMatmul(rt);
await tuneAttention(rt);
const rows: Row[] = [];
const results: Record<string, unknown>[] = [];
const greedy = { ...DEFAULT_SAMPLING, temperature: 0 };

for (const m of MODELS) {
  const c = m.config;
  const model = new GPT(rt, c);
  model.params.write(m.weights());
  for (const B of BATCHES) {
    const shape = `L=${c.nLayer} C=${c.nEmbd} V=${c.vocabSize} B=${B} prompt=${PROMPT}`;
    const prompts = Array.from({ length: B }, (_, b) => Array.from(randInt(PROMPT, 100 + b, c.vocabSize)));
    const run = async () => {
      const dec = kvDecoder(rt, model, B, PROMPT + NEW);
      const t0 = performance.now();
      dec.prefill(prompts);
      const s0 = rt.step('sample');
      dec.sample(s0, greedy, 0);
      rt.submit(s0);
      await dec.readNext();
      const ttft = performance.now() - t0;
      const steps: number[] = [];
      for (let i = 1; i < NEW; i++) {
        const t = performance.now();
        const s = rt.step('decode');
        dec.decode(s);
        dec.sample(s, greedy, i);
        rt.submit(s);
        await dec.readNext();
        steps.push(performance.now() - t);
      }
      dec.dispose();
      return { ttft, steps };
    };
    await run(); // warm-up: pipelines compiled, buffers pooled
    const { ttft, steps } = await run();
    const stepMs = steps.sort((a, b) => a - b)[steps.length >> 1];
    // Where a decode step's time goes: GPU time per kernel (each dispatch in its own timed pass).
    if (rt.has('timestamp-query')) {
      const dec = kvDecoder(rt, model, B, PROMPT + NEW);
      dec.prefill(prompts);
      const profile = await profileStep(rt, (s) => {
        dec.decode(s);
        dec.sample(s, greedy, 1);
      });
      dec.dispose();
      const split = profile.byKernel.map(([k, e]) => `${k} ${((100 * e.ms) / profile.totalMs).toFixed(0)}%`);
      console.log(
        `${m.name} B=${B}: GPU ${profile.totalMs.toFixed(1)} ms per decode step; ${split.join(', ')}`,
      );
    }
    const tps = (B * 1000) / stepMs;
    rows.push({
      kernel: `decode ${m.name}`,
      shape,
      impl: 'anneal',
      medianMs: stepMs,
      note: `${tps.toFixed(1)} tok/s; first token ${ttft.toFixed(0)} ms`,
    });
    const result: Record<string, unknown> = {
      model: m.name,
      config: c,
      B,
      prompt: PROMPT,
      newTokens: NEW,
      anneal: { stepMs, tokensPerS: tps, ttftMs: ttft },
      pytorch: [] as TorchResult[],
    };
    for (const torch of torchResults.get(`${m.name}/${B}`) ?? []) {
      if (typeof torch === 'string') {
        console.log(`PyTorch peer skipped: ${torch}`);
        continue;
      }
      rows.push({
        kernel: `decode ${m.name}`,
        shape,
        impl: `pytorch ${torch.device} (${torch.blas})`,
        medianMs: torch.step_ms,
        note: `${torch.tokens_per_s.toFixed(1)} tok/s; first token ${torch.ttft_ms.toFixed(0)} ms; anneal/pytorch = ${(tps / torch.tokens_per_s).toFixed(3)}`,
      });
      (result.pytorch as TorchResult[]).push(torch);
    }
    results.push(result);
  }
  for (const g of [...model.params.groups, ...model.grads.groups]) g.release();
  rt.pool.trim();
}

function runTorch(c: GPTConfig, B: number, device: string): TorchResult | string {
  if (!existsSync(PYTHON)) return `no ${PYTHON}`;
  try {
    const env = { ...process.env };
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    const threads = Math.min(availableParallelism(), 16);
    const args = [
      TORCH_SCRIPT,
      ...[c.vocabSize, c.nLayer, c.nHead, c.nEmbd, c.nPositions, B, PROMPT, NEW, threads].map(String),
      device,
    ];
    const out = execFileSync(PYTHON, args, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'ignore'] });
    return JSON.parse(out.trim().split('\n').at(-1)!) as TorchResult;
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  }
}

printTable(
  `generation (greedy, KV cache) on ${rt.gpu.info.description || rt.gpu.info.device}: median decode step`,
  rows,
);
console.log(`\nwrote ${writeJson('generate', { adapter: rt.gpu.info, results })}`);
rt.destroy();
process.exit(0);
