// `anneal train <config.yaml> [--key=value …]`: fine-tunes on this machine's GPU (trainer run.ts); Ctrl-C saves `last`.

import { loadConfigFile } from '@anneal/config';
import { openGpu } from '@anneal/kernels/device';
import { Runtime } from '@anneal/kernels/kernel';
import { tuneAttention } from '@anneal/kernels/ops/attention/attention';
import { tuneMatmul } from '@anneal/kernels/ops/matmul/matmul';
import { runTraining } from '@anneal/trainer/run';
import { Command } from 'commander';

export const trainCommand = new Command('train')
  .description('fine-tune a model: anneal train <config.yaml> [--key.path=value …]')
  .argument('<config>', 'YAML run config')
  .argument('[overrides...]', 'config overrides, e.g. --optim.lr=1e-4 --train.maxSteps=100')
  .option(
    '--resume <checkpoint>',
    'continue a run from one of its checkpoints (e.g. runs/<run>/checkpoints/last)',
  )
  .option(
    '--fork',
    "with --resume: track the continuation as a new run forked from the checkpoint's run at its step (that run is left as it was), e.g. to try another learning rate from there",
  )
  .allowUnknownOption()
  .action(async (file: string, overrides: string[], o: { resume?: string; fork?: boolean }) => {
    const config = loadConfigFile(file, overrides);
    const rt = new Runtime(await openGpu());
    let interrupted = false;
    // Ctrl-C: finish the current step, save `last`, exit cleanly. A second Ctrl-C exits at once.
    process.on('SIGINT', () => {
      if (interrupted) process.exit(130);
      interrupted = true;
      console.log('\ninterrupted: saving a checkpoint after this step (Ctrl-C again to quit now)');
    });
    try {
      await tuneMatmul(rt);
      await tuneAttention(rt);
      await runTraining(rt, config, { shouldStop: () => interrupted, resume: o.resume, fork: o.fork });
    } finally {
      rt.destroy();
    }
    if (interrupted) process.exitCode = 130;
  });
