// `anneal eval <model-dir> <config.yaml>`: a saved model's metrics on the test (or validation) split of a run config.

import { loadConfigFile } from '@anneal/config';
import { openGpu } from '@anneal/kernels/device';
import { Runtime } from '@anneal/kernels/kernel';
import { evaluateModel } from '@anneal/trainer/run';
import { Command } from 'commander';

export const evalCommand = new Command('eval')
  .description(
    'evaluate a saved model on the test (or validation) split of a run config: anneal eval <model-dir> <config.yaml>',
  )
  .argument(
    '<model>',
    "a run's model/ directory or a checkpoint (config.json, model.safetensors, tokenizer.json)",
  )
  .argument('<config>', 'the run config whose data, cleaning and split to use')
  .option('--split <name>', 'test or validation', 'test')
  .action(async (modelDir: string, file: string, o: { split: string }) => {
    if (o.split !== 'test' && o.split !== 'validation')
      throw new Error(`--split: expected test or validation, got ${o.split}`);
    const rt = new Runtime(await openGpu());
    try {
      await evaluateModel(rt, loadConfigFile(file), modelDir, o.split);
    } finally {
      rt.destroy();
    }
  });
