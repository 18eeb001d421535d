// `anneal generate <model> --prompt …`: text from a causal LM (a run's model/, a run id, an artifact), tokens
// streamed to the terminal as they are chosen; `--chat …` answers as a chat model, through the chat template of
// its tokenizer_config.json. See docs/cli.md.

import { openGpu } from '@anneal/kernels/device';
import { Runtime } from '@anneal/kernels/kernel';
import { ChatTemplate } from '@anneal/trainer/chat-template';
import { DEFAULT_SAMPLING, Generator } from '@anneal/trainer/generate';
import { Command, InvalidArgumentError } from 'commander';
import { resolveModel } from '../model-ref.ts';

function number(name: string, check: (n: number) => boolean, what: string) {
  return (v: string) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || !check(n))
      throw new InvalidArgumentError(`${name} must be ${what}`);
    return n;
  };
}
const int = (name: string, min: number) =>
  number(name, (n) => Number.isInteger(n) && n >= min, `an integer >= ${min}`);

export const generateCommand = new Command('generate')
  .description(
    'generate text with a causal LM: anneal generate <model dir | run id | artifact:<ref>> --prompt … | --chat …',
  )
  .argument(
    '<model>',
    "a model directory (a run's model/, a checkpoint, a HF GPT-2 dir), a run directory, a run id, or artifact:<ref>",
  )
  .option('--prompt <text...>', 'the prompt(s); several decode together as one batch')
  .option(
    '--chat <message...>',
    "user message(s), each answered on its own through the model's chat template (tokenizer_config.json)",
  )
  .option('--system <text>', 'with --chat: a system message before each user message')
  .option(
    '--max-new-tokens <n>',
    'tokens to generate at most',
    int('--max-new-tokens', 1),
    DEFAULT_SAMPLING.maxNewTokens,
  )
  .option(
    '--temperature <t>',
    '0 = greedy',
    number('--temperature', (n) => n >= 0, 'a number >= 0'),
    DEFAULT_SAMPLING.temperature,
  )
  .option(
    '--top-k <k>',
    'sample from the k most likely tokens (0 = off)',
    int('--top-k', 0),
    DEFAULT_SAMPLING.topK,
  )
  .option(
    '--top-p <p>',
    'sample from the smallest set holding this probability (1 = off)',
    number('--top-p', (n) => n > 0 && n <= 1, 'in (0, 1]'),
    DEFAULT_SAMPLING.topP,
  )
  .option(
    '--repetition-penalty <r>',
    'CTRL repetition penalty (1 = off)',
    number('--repetition-penalty', (n) => n > 0, 'a number > 0'),
    DEFAULT_SAMPLING.repetitionPenalty,
  )
  .option('--seed <n>', 'sampling seed (same seed, same text)', int('--seed', 0), DEFAULT_SAMPLING.seed)
  .option('--num-samples <n>', 'completions per prompt', int('--num-samples', 1), DEFAULT_SAMPLING.numSamples)
  .option('--stop <text...>', 'stop sequence(s): a completion ends before the first one')
  .option('--kv-cache <dtype>', 'KV-cache storage: f32 or f16 (half the memory)', 'f32')
  .option('--project <name>', 'the project of an artifact named by name')
  .option('--json', 'print the generations as JSON lines instead of streaming text')
  .action(
    async (
      ref: string,
      o: {
        prompt?: string[];
        chat?: string[];
        system?: string;
        maxNewTokens: number;
        temperature: number;
        topK: number;
        topP: number;
        repetitionPenalty: number;
        seed: number;
        numSamples: number;
        stop?: string[];
        project?: string;
        kvCache: string;
        json?: boolean;
      },
    ) => {
      if (!o.prompt === !o.chat) throw new Error('give either --prompt or --chat (one of them)');
      if (o.system !== undefined && !o.chat) throw new Error('--system goes with --chat');
      if (o.seed > 0xffffffff) throw new Error('--seed must be below 2^32');
      if (o.kvCache !== 'f32' && o.kvCache !== 'f16')
        throw new Error(`--kv-cache: expected f32 or f16, got ${o.kvCache}`);
      const { dir, source } = await resolveModel(ref, { field: 'model', project: o.project });
      if (o.chat && !ChatTemplate.fromDir(dir))
        throw new Error(
          `--chat: ${source} has no chat template (its tokenizer_config.json carries no chat_template); use --prompt`,
        );
      const rt = new Runtime(await openGpu());
      const out = process.stdout;
      try {
        const gen = await Generator.load(rt, dir, { kvCache: o.kvCache });
        if (!o.json) process.stderr.write(`model: ${source}\n`);
        const system = o.system === undefined ? [] : [{ role: 'system', content: o.system }];
        const conversations = o.chat?.map((content) => [...system, { role: 'user', content }]);
        // What each completion is printed under: the prompt itself, or the user's message.
        const inputs = (o.prompt ?? o.chat) as string[];
        const opts = {
          maxNewTokens: o.maxNewTokens,
          temperature: o.temperature,
          topK: o.topK,
          topP: o.topP,
          repetitionPenalty: o.repetitionPenalty,
          seed: o.seed,
          numSamples: o.numSamples,
          stop: o.stop ?? [],
        };
        const rows = inputs.length * o.numSamples;
        // One completion streams as it comes; with several, each streams under its own header once the one
        // before it is done (pieces of the others wait in order).
        const pending: string[][] = Array.from({ length: rows }, () => []);
        let current = 0;
        const header = (i: number) => {
          const p = Math.floor(i / o.numSamples);
          const tag = o.numSamples > 1 ? ` sample ${(i % o.numSamples) + 1}` : '';
          if (conversations)
            return rows > 1 ? `${i ? '\n' : ''}--- message ${p + 1}${tag}: ${inputs[p]}\n` : '';
          return rows > 1 ? `${i ? '\n' : ''}--- prompt ${p + 1}${tag}\n${inputs[p]}` : inputs[p];
        };
        if (!o.json) out.write(header(0));
        const started = performance.now();
        const onToken = (i: number, piece: string) => {
          if (o.json) return;
          if (i === current) out.write(piece);
          else pending[i].push(piece);
        };
        const gens = conversations
          ? await gen.chat(conversations, opts, onToken)
          : await gen.generate(inputs, opts, onToken);
        if (o.json) {
          for (const g of gens) out.write(`${JSON.stringify(g)}\n`);
        } else {
          for (current = 1; current < rows; current++) out.write(header(current) + pending[current].join(''));
          out.write('\n');
          const tokens = gens.reduce((n, g) => n + g.tokens.length, 0);
          const s = (performance.now() - started) / 1000;
          const reasons = [...new Set(gens.map((g) => g.finishReason))].join(', ');
          process.stderr.write(
            `${tokens} tokens in ${s.toFixed(2)} s (${(tokens / s).toFixed(1)} tokens/s); finished by ${reasons}\n`,
          );
        }
        gen.dispose();
      } finally {
        rt.destroy();
      }
    },
  );
