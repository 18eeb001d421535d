// Checkpoints: a directory holding the model in Hugging Face format (config.json + model.safetensors; with
// LoRA the adapters merged in, and the adapters alone in adapter_model.safetensors), the
// optimizer moments (optimizer.safetensors) and trainer_state.json — format name and version, the resolved
// run config, step, epoch, data position, RNG state, scheduler state and metrics. Written atomically: into
// a temporary sibling directory that is then renamed over the old one, so a crash never leaves half a
// checkpoint behind. Reading checks the format name and version and says what to do on a mismatch.

import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type NamedTensor, readSafetensors, serializeSafetensors } from './safetensors.ts';

export const CHECKPOINT_FORMAT = 'anneal.checkpoint';
export const CHECKPOINT_VERSION = 1;

export interface TrainerState {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  /** The resolved run config (TrainConfig) this checkpoint was trained with. */
  config: unknown;
  step: number;
  epoch: number;
  /** Batches of the current epoch already consumed. */
  dataPosition: number;
  optimizerStep: number;
  /** The learning rate in force (ReduceLROnPlateau changes it) and the scheduler's own state. */
  lr: number;
  scheduler: unknown;
  earlyStopping: unknown;
  metrics: Record<string, number>;
}

export interface CheckpointData {
  state: TrainerState;
  hfConfig: unknown;
  /** LoRA adapters, written PEFT-style beside the (merged) model. */
  adapter?: { config: unknown; tensors: Map<string, NamedTensor> };
  weights: Map<string, Float32Array>;
  shapes: Map<string, number[]>;
  /** `m.<name>`, `v.<name>` */
  optimizer: Map<string, Float32Array>;
}

export function writeCheckpoint(dir: string, c: CheckpointData): void {
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const tmp = join(parent, `.${basename(dir)}.${process.pid}.tmp`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  // Optimizer tensors are named `m.<param>` / `v.<param>` and take their parameter's shape.
  const entries = (m: Map<string, Float32Array>, strip: number) =>
    [...m].map(([n, data]): [string, NamedTensor] => [
      n,
      { shape: c.shapes.get(n.slice(strip)) ?? [data.length], data },
    ]);
  writeFileSync(
    join(tmp, 'model.safetensors'),
    serializeSafetensors(entries(c.weights, 0), { format: 'pt' }),
  );
  writeFileSync(join(tmp, 'optimizer.safetensors'), serializeSafetensors(entries(c.optimizer, 2)));
  writeFileSync(join(tmp, 'config.json'), `${JSON.stringify(c.hfConfig, null, 2)}\n`);
  if (c.adapter) writeAdapter(tmp, c.adapter);
  writeFileSync(join(tmp, 'trainer_state.json'), `${JSON.stringify(c.state, null, 2)}\n`);
  const old = join(parent, `.${basename(dir)}.${process.pid}.old`);
  if (existsSync(dir)) renameSync(dir, old);
  renameSync(tmp, dir);
  rmSync(old, { recursive: true, force: true });
}

/** PEFT's adapter files: adapter_config.json and adapter_model.safetensors. */
export function writeAdapter(dir: string, a: { config: unknown; tensors: Map<string, NamedTensor> }): void {
  writeFileSync(join(dir, 'adapter_model.safetensors'), serializeSafetensors(a.tensors, { format: 'pt' }));
  writeFileSync(join(dir, 'adapter_config.json'), `${JSON.stringify(a.config, null, 2)}\n`);
}

export function readTrainerState(dir: string): TrainerState {
  const path = join(dir, 'trainer_state.json');
  if (!existsSync(path)) throw new Error(`${dir} is not an Anneal checkpoint (no trainer_state.json)`);
  const state = JSON.parse(readFileSync(path, 'utf8')) as TrainerState;
  if (state.format !== CHECKPOINT_FORMAT) {
    throw new Error(`${path}: format is ${JSON.stringify(state.format)}, expected ${CHECKPOINT_FORMAT}`);
  }
  if (state.version !== CHECKPOINT_VERSION) {
    throw new Error(
      `${path}: checkpoint format version ${state.version}, this Anneal reads version ${CHECKPOINT_VERSION}` +
        (state.version > CHECKPOINT_VERSION
          ? ' — upgrade Anneal to resume it'
          : ' — load its model.safetensors as a base instead'),
    );
  }
  return state;
}

export function readOptimizerState(dir: string): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const [n, t] of readSafetensors(join(dir, 'optimizer.safetensors')).tensors) out.set(n, t.data);
  return out;
}
