// `anneal eval <model-dir> <config.yaml>`: a saved model's metrics on the test (or validation) split of a run config.

import { loadConfigFile } from '@anneal/config';
import { openGpu } from '@anneal/kernels/device';
import { Runtime } from '@anneal/kernels/kernel';
import { evaluateModel } from '@anneal/trainer/run';
import { Command } from 'commander';
import { resolveModel } from '../model-ref.ts';

export const evalCommand = new Command('eval')
  .description(
    'evaluate a saved model on the test (or validation) split of a run config: anneal eval <model-dir> <config.yaml>',
  )
  .argument(
    '<model>',
    "a run's model/ directory or a checkpoint (config.json, model.safetensors, tokenizer.json), a run directory, a run id, or artifact:<ref>",
  )
  .argument('<config>', 'the run config whose data, cleaning and split to use')
  .option('--split <name>', 'test or validation', 'test')
  .option('--project <name>', 'the project of an artifact named by name')
  .action(async (ref: string, file: string, o: { split: string; project?: string }) => {
    if (o.split !== 'test' && o.split !== 'validation')
      throw new Error(`--split: expected test or validation, got ${o.split}`);
    const config = loadConfigFile(file);
    const { dir: modelDir } = await resolveModel(ref, { field: 'model', project: o.project });
    const rt = new Runtime(await openGpu());
    try {
      await evaluateModel(rt, config, modelDir, o.split);
    } finally {
      rt.destroy();
    }
  });
