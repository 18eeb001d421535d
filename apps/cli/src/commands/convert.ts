// `anneal convert <model-dir> --dtype f16`: a model's weights stored in another dtype (trainer safetensors.ts).

import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { convertSafetensors } from '@anneal/trainer/safetensors';
import { Command } from 'commander';

export const convertCommand = new Command('convert')
  .description(
    "store a model's weights in another dtype: anneal convert <model-dir> --dtype f16 (half the size; it loads as before)",
  )
  .argument('<model>', 'a model directory (config.json, model.safetensors, tokenizer.json)')
  .requiredOption('--dtype <dtype>', 'f32, f16 or bf16')
  .option('--out <dir>', 'write a converted copy of the directory here instead of converting in place')
  .action((dir: string, o: { dtype: string; out?: string }) => {
    const dtype = ({ f32: 'F32', f16: 'F16', bf16: 'BF16' } as const)[o.dtype.toLowerCase() as 'f32'];
    if (!dtype) throw new Error(`--dtype: f32, f16 or bf16, not '${o.dtype}'`);
    const src = join(dir, 'model.safetensors');
    if (!existsSync(src)) throw new Error(`${dir}: no model.safetensors`);
    const out = o.out ?? dir;
    if (o.out) {
      mkdirSync(o.out, { recursive: true });
      for (const f of readdirSync(dir))
        if (f !== 'model.safetensors' && statSync(join(dir, f)).isFile())
          copyFileSync(join(dir, f), join(o.out, f));
    }
    const r = convertSafetensors(src, join(out, 'model.safetensors'), dtype);
    const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
    console.log(
      `${join(out, 'model.safetensors')}: ${dtype}, ${mb(r.before)} → ${mb(r.after)}, largest relative change ${r.maxRel.toExponential(2)}`,
    );
  });
