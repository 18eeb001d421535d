// `anneal pretrain`: Anneal's own GPT, Llama-shaped or encoder base from scratch on the Brown corpus (trainer pretrain.ts).

import { openGpu } from '@anneal/kernels/device';
import { Runtime } from '@anneal/kernels/kernel';
import { tuneAttention } from '@anneal/kernels/ops/attention/attention';
import { tuneMatmul } from '@anneal/kernels/ops/matmul/matmul';
import { pretrain } from '@anneal/trainer/pretrain';
import { Command } from 'commander';

export const pretrainCommand = new Command('pretrain')
  .description(
    "train Anneal's own GPT or Llama-shaped (causal LM) or encoder (masked LM) base from scratch on the Brown corpus (tokenizer included)",
  )
  .option(
    '--arch <gpt|llama|encoder>',
    'gpt: GPT-2 causal LM; llama: Llama-shaped causal LM (RMSNorm, RoPE, SwiGLU, GQA); encoder: BERT-style masked LM',
    'gpt',
  )
  .requiredOption(
    '--out <dir>',
    'where the base goes (config.json, model.safetensors, tokenizer.json, anneal.json)',
  )
  .option('--vocab <n>', 'BPE vocabulary size', '2048')
  .option('--layers <n>', 'transformer blocks', '4')
  .option('--heads <n>', 'attention heads', '4')
  .option('--kv-heads <n>', 'llama: key/value heads (grouped-query attention; default: --heads)')
  .option('--intermediate <n>', 'llama: SwiGLU width (default: 8/3 of --embd, rounded up to 64)')
  .option('--embd <n>', 'model width', '128')
  .option('--context <n>', 'sequence length', '128')
  .option('--steps <n>', 'optimizer steps', '2000')
  .option('--batch-size <n>', 'sequences per step', '16')
  .option('--lr <x>', 'peak learning rate', '3e-3')
  .option('--seed <n>', 'seed for split, tokenizer data, init and shuffles', '42')
  .option('--categories <list>', 'Brown genres, comma-separated letters a–r (default: all)')
  .option('--eval-every <n>', 'validation every n steps (default: a tenth of --steps, at least 10)')
  .option('--max-minutes <x>', 'stop early after this many minutes (the steps run are recorded)')
  .action(async (o: Record<string, string>) => {
    const int = (k: string) => {
      const v = Number(o[k]);
      if (!Number.isInteger(v) || v <= 0) throw new Error(`--${k}: expected a positive integer, got ${o[k]}`);
      return v;
    };
    const rt = new Runtime(await openGpu());
    try {
      await tuneMatmul(rt);
      await tuneAttention(rt);
      if (o.arch !== 'gpt' && o.arch !== 'llama' && o.arch !== 'encoder')
        throw new Error(`--arch: expected gpt, llama or encoder, got ${o.arch}`);
      if ((o.kvHeads || o.intermediate) && o.arch !== 'llama')
        throw new Error('--kv-heads and --intermediate apply to --arch llama');
      await pretrain(rt, {
        arch: o.arch,
        out: o.out,
        vocab: int('vocab'),
        layers: int('layers'),
        heads: int('heads'),
        kvHeads: o.kvHeads ? int('kvHeads') : undefined,
        intermediate: o.intermediate ? int('intermediate') : undefined,
        embd: int('embd'),
        context: int('context'),
        steps: int('steps'),
        batchSize: int('batchSize'),
        lr: Number(o.lr),
        seed: Number(o.seed),
        categories: o.categories?.split(','),
        maxMinutes: o.maxMinutes ? Number(o.maxMinutes) : undefined,
        evalEvery: o.evalEvery ? int('evalEvery') : undefined,
      });
    } finally {
      rt.destroy();
    }
  });
