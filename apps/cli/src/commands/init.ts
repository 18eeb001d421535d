// `anneal init --like <base> --out <dir>`: a freshly initialised twin of a base (same architecture and tokenizer).

import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gptParamSpecs } from '@anneal/trainer/model/gpt';
import {
  loadEncoderCheckpoint,
  loadGPT2Checkpoint,
  saveEncoderCheckpoint,
  saveGPT2Checkpoint,
} from '@anneal/trainer/model/pretrained';
import { initEncoder, initGPT } from '@anneal/trainer/pretrain';
import { Command } from 'commander';

export const initCommand = new Command('init')
  .description(
    'a from-scratch twin of a base (GPT or encoder): same architecture and tokenizer, fresh initialisation',
  )
  .requiredOption('--like <dir>', 'the base to copy the architecture and tokenizer from')
  .requiredOption('--out <dir>', 'where the new base goes')
  .option('--seed <n>', 'initialisation seed', '42')
  .action((o: { like: string; out: string; seed: string }) => {
    const seed = Number(o.seed);
    const type = (JSON.parse(readFileSync(join(o.like, 'config.json'), 'utf8')) as { model_type?: string })
      .model_type;
    mkdirSync(o.out, { recursive: true });
    if (type === 'bert') {
      const { config } = loadEncoderCheckpoint(o.like, { head: 'mlm' });
      saveEncoderCheckpoint(o.out, config, initEncoder(config, seed));
      console.log(
        `${o.out}: ${config.nLayer} layers × ${config.hidden} encoder, freshly initialised (seed ${seed})`,
      );
    } else {
      const { config } = loadGPT2Checkpoint(o.like, gptParamSpecs);
      const specs = gptParamSpecs(config);
      saveGPT2Checkpoint(
        o.out,
        config,
        initGPT(config, seed),
        new Map(specs.map((sp) => [sp.name, sp.shape])),
      );
      console.log(
        `${o.out}: ${config.nLayer} layers × ${config.nEmbd} GPT, freshly initialised (seed ${seed})`,
      );
    }
    copyFileSync(join(o.like, 'tokenizer.json'), join(o.out, 'tokenizer.json'));
  });
