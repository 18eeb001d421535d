// Causal language modelling on GPT or a Llama-family decoder: documents packed into (T + 1)-token windows,
// next-token targets, evaluation by loss and perplexity.

import type { Runtime } from '@anneal/kernels/kernel';
import { IGNORE_INDEX } from '@anneal/kernels/ops/crossentropy/crossentropy';
import { GPT, type GPTConfig, gptParamSpecs, type LMBatch } from '../model/gpt.ts';
import { Llama, type LlamaConfig, llamaParamSpecs } from '../model/llama.ts';
import { llamaToHF, loadLlamaCheckpoint } from '../model/llama-pretrained.ts';
import { gptConfigToHF, loadGPT2Checkpoint } from '../model/pretrained.ts';
import type { ParamSpec } from '../params.ts';
import type { HFModel, Task } from '../train.ts';

/** Non-overlapping windows of T + 1 tokens over the concatenation of documents separated by `eos`. */
export function packWindows(docs: ArrayLike<number>[], T: number, eos: number): Uint32Array[] {
  const stream: number[] = [];
  for (const d of docs) {
    for (let i = 0; i < d.length; i++) stream.push(d[i]);
    stream.push(eos);
  }
  const out: Uint32Array[] = [];
  for (let i = 0; i + T + 1 <= stream.length; i += T) out.push(Uint32Array.from(stream.slice(i, i + T + 1)));
  return out;
}

export function lmBatch(windows: Uint32Array[]): LMBatch {
  const B = windows.length;
  const T = windows[0].length - 1;
  const tokens = new Uint32Array(B * T);
  const targets = new Int32Array(B * T).fill(IGNORE_INDEX);
  windows.forEach((w, b) => {
    tokens.set(w.subarray(0, T), b * T);
    for (let t = 0; t < T; t++) targets[b * T + t] = w[t + 1];
  });
  return { B, T, tokens, targets };
}

const isLlama = (c: GPTConfig | LlamaConfig): c is LlamaConfig => 'hiddenSize' in c;

/** Causal LM on the model `config` describes: GPT-2 (GPTConfig) or Llama (LlamaConfig). */
export class LMTask implements Task<LMBatch> {
  readonly model: GPT | Llama;

  constructor(
    readonly rt: Runtime,
    readonly config: GPTConfig | LlamaConfig,
    weights: Map<string, Float32Array>,
    readonly data: { train: Uint32Array[]; validation: Uint32Array[]; test: Uint32Array[] },
    readonly batchSize: number,
    specs?: ParamSpec[],
  ) {
    this.model = isLlama(config)
      ? new Llama(rt, config, specs ?? llamaParamSpecs(config))
      : new GPT(rt, config, specs ?? gptParamSpecs(config));
    this.model.params.write(weights);
  }

  get trainSize(): number {
    return this.data.train.length;
  }

  get splitSizes() {
    return { validation: this.data.validation.length, test: this.data.test.length };
  }

  batch(indices: number[], _seed: number): LMBatch {
    return lmBatch(indices.map((i) => this.data.train[i]));
  }

  /** Mean next-token loss over a split's windows, and its perplexity. */
  async evaluate(split: 'validation' | 'test'): Promise<Record<string, number>> {
    const windows = this.data[split];
    let sum = 0;
    let n = 0;
    for (let i = 0; i < windows.length; i += this.batchSize) {
      const b = lmBatch(windows.slice(i, i + this.batchSize));
      this.rt.run('eval', (s) => this.model.forward(s, b));
      sum += (await this.model.readLoss()) * b.B;
      n += b.B;
    }
    const loss = n ? sum / n : Number.NaN;
    return { loss, perplexity: Math.exp(loss) };
  }

  /** How the model is written and read (assemble.ts wraps it for LoRA). */
  io = {
    toHF: (weights: Map<string, Float32Array>): HFModel => {
      if (isLlama(this.config)) return llamaToHF(this.config, weights);
      const shapes = new Map(this.model.layout.specs.map((s) => [s.name, s.shape]));
      return {
        config: gptConfigToHF(this.config),
        tensors: new Map([...weights].map(([n, data]) => [n, { shape: shapes.get(n)!, data }])),
      };
    },
    fromHF: (dir: string): Map<string, Float32Array> =>
      isLlama(this.config)
        ? loadLlamaCheckpoint(dir).weights
        : loadGPT2Checkpoint(dir, gptParamSpecs).weights,
  };

  toHF(weights: Map<string, Float32Array>): HFModel {
    return this.io.toHF(weights);
  }

  fromHF(dir: string): Map<string, Float32Array> {
    return this.io.fromHF(dir);
  }
}
