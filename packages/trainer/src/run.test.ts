// `anneal train` end to end on a tiny base made here: a BPE tokenizer trained on Brown and a small random
// GPT-2 saved in Hugging Face format, fine-tuned on the Brown news genre from a YAML config with a
// command-line override.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { resolveConfig } from '@anneal/config';
import { randn } from '@anneal/kernels/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { brownDocuments } from './data/sources.ts';
import { gptParamSpecs } from './model/gpt.ts';
import { saveGPT2Checkpoint } from './model/pretrained.ts';
import { initGPT } from './pretrain.ts';
import { splitRows } from './run.ts';
import { trainByteLevelBpe } from './tokenizer.ts';

const BIN = fileURLToPath(new URL('../../../apps/cli/bin/anneal.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'anneal-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A tiny random GPT-2 base (vocab 300, width 16, context 32) with a BPE tokenizer trained on Brown. */
function tinyBase(name: string, nLayer: number, seed: number): string {
  const base = join(dir, name);
  const model = { vocabSize: 300, nPositions: 32, nLayer, nHead: 2, nEmbd: 16, layerNormEps: 1e-5 };
  saveGPT2Checkpoint(
    base,
    model,
    initGPT(model, seed),
    new Map(gptParamSpecs(model).map((s) => [s.name, s.shape])),
  );
  const texts = brownDocuments(['b']).map((d) => d.text);
  writeFileSync(join(base, 'tokenizer.json'), JSON.stringify(trainByteLevelBpe(texts, { vocabSize: 300 })));
  return base;
}

describe('anneal train (causal LM)', () => {
  it('fine-tunes a base from a YAML config and leaves a complete run directory', async () => {
    const base = join(dir, 'base');
    const model = { vocabSize: 320, nPositions: 32, nLayer: 1, nHead: 2, nEmbd: 16, layerNormEps: 1e-5 };
    const specs = gptParamSpecs(model);
    const weights = new Map(
      specs.map((s, i) => {
        const n = s.shape.reduce((a, b) => a * b, 1);
        return [
          s.name,
          s.name.includes('ln_') && s.name.endsWith('weight')
            ? new Float32Array(n).fill(1)
            : randn(n, i + 1, 0.05),
        ];
      }),
    );
    saveGPT2Checkpoint(base, model, weights, new Map(specs.map((s) => [s.name, s.shape])));
    const tokenizer = trainByteLevelBpe(
      brownDocuments(['b']).map((d) => d.text),
      { vocabSize: 320 },
    );
    writeFileSync(join(base, 'tokenizer.json'), JSON.stringify(tokenizer));
    const cfg = join(dir, 'run.yaml');
    writeFileSync(
      cfg,
      [
        'name: news',
        `model: { base: ${JSON.stringify(base)} }`,
        "data: { source: { kind: brown, categories: ['a'] }, maxLength: 16, split: { validation: 0.05, test: 0.05, stratify: false } }",
        'optim: { lr: 0.003 }',
        'schedule: { kind: cosine, warmupSteps: 1 }',
        'train: { batchSize: 8, epochs: 1, maxSteps: 50, evalEvery: 3, logEvery: 1 }',
        `output: { dir: ${JSON.stringify(join(dir, 'runs'))} }`,
      ].join('\n'),
    );
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [BIN, 'train', cfg, '--train.maxSteps=6'],
      {
        maxBuffer: 1 << 24,
      },
    );
    expect(stdout).toMatch(/data: 44 documents → \d+ \/ \d+ \/ \d+ windows of 17 tokens/);
    expect(stdout).toMatch(/step 6\/6 {2}epoch 0 {2}train\/loss \d/);
    const [run] = readdirSync(join(dir, 'runs'));
    const rd = join(dir, 'runs', run);
    for (const f of [
      'config.json',
      'data.json',
      'metrics.jsonl',
      'summary.json',
      'checkpoints/best',
      'checkpoints/last',
      'model/model.safetensors',
      'model/tokenizer.json',
    ]) {
      expect(existsSync(join(rd, f)), f).toBe(true);
    }
    const summary = JSON.parse(readFileSync(join(rd, 'summary.json'), 'utf8'));
    expect(summary['test/perplexity']).toBeGreaterThan(1);
    expect(summary['val/loss']).toBeLessThan(Math.log(320)); // below a uniform guess
    const records = readFileSync(join(rd, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.filter((r) => 'val/loss' in r).map((r) => r.step)).toEqual([3, 6]);

    // --resume continues from the checkpoint's step into a new run directory.
    const resumed = await promisify(execFile)(
      process.execPath,
      [BIN, 'train', cfg, '--train.maxSteps=8', '--resume', join(rd, 'checkpoints', 'last')],
      { maxBuffer: 1 << 24 },
    );
    expect(resumed.stdout).toMatch(/resumed from .*checkpoints\/last at step 6 \(epoch 0, batch 6\)/);
    expect(resumed.stdout).toMatch(/step 8\/8 /);
  });

  it('rejects a config with an unknown key, naming it, and exits non-zero', async () => {
    const cfg = join(dir, 'bad.yaml');
    writeFileSync(cfg, 'model: { base: x }\ntrain: { batch_size: 8 }\n');
    const err = await promisify(execFile)(process.execPath, [BIN, 'train', cfg]).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(err?.code).not.toBe(0);
    expect(err?.stderr).toMatch(/bad\.yaml: train: unknown key 'train\.batch_size'/);
  });

  it('refuses a missing base and labels a classifier cannot use, naming the key, and leaves no run directory', async () => {
    const base = tinyBase('gpt-base', 1, 1);
    const jsonl = join(dir, 'labels.jsonl');
    writeFileSync(jsonl, '{"text": "one", "label": 0}\n{"text": "two"}\n{"text": "three", "label": 2}\n');
    const out = join(dir, 'refused-runs');
    const fail = async (yaml: string) => {
      const cfg = join(dir, 'refused.yaml');
      writeFileSync(cfg, `${yaml}\noutput: { dir: ${JSON.stringify(out)} }\n`);
      return promisify(execFile)(process.execPath, [BIN, 'train', cfg]).then(
        () => 'succeeded',
        (e: { stderr: string }) => e.stderr,
      );
    };
    const classifier = `model: { base: ${JSON.stringify(base)}, task: sequence-classification, numLabels: 2 }`;
    expect(
      await fail(
        `model: { base: ${JSON.stringify(join(dir, 'no-such-base'))} }\ndata: { source: { kind: brown } }`,
      ),
    ).toMatch(
      /model\.base: .*no-such-base is not a directory; a model directory holds config\.json, model\.safetensors, tokenizer\.json/,
    );
    expect(
      await fail(`${classifier}\ndata: { source: { kind: jsonl, path: ${JSON.stringify(jsonl)} } }`),
    ).toMatch(
      /data\.source: example 1 has no 'label' \(data\.source\.labelField\); a sequence-classification run needs a class index/,
    );
    writeFileSync(jsonl, '{"text": "one", "label": 0}\n{"text": "three", "label": 2}\n');
    expect(
      await fail(`${classifier}\ndata: { source: { kind: jsonl, path: ${JSON.stringify(jsonl)} } }`),
    ).toMatch(/model\.numLabels: 2, but example 1 has label 2/);
    expect(await fail(`${classifier}\ndata: { source: { kind: brown, categories: [a] } }`)).toMatch(
      /data\.source: brown has no labels/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('fine-tunes a GPT base for SpamAssassin classification and reports accuracy, F1 and ROC-AUC', async () => {
    const base = tinyBase('gpt-base', 1, 1);
    const cfg = join(dir, 'spam.yaml');
    writeFileSync(
      cfg,
      [
        'name: spam',
        `model: { base: ${JSON.stringify(base)}, task: sequence-classification, numLabels: 2 }`,
        'data: { source: { kind: spam-assassin }, maxLength: 32, clean: { stripEmailHeaders: true, stripHtml: true }, split: { validation: 0.05, test: 0.05 } }',
        'train: { batchSize: 32, epochs: 1, maxSteps: 4, evalEvery: 4, logEvery: 2 }',
        `output: { dir: ${JSON.stringify(join(dir, 'spam-runs'))} }`,
      ].join('\n'),
    );
    const { stdout } = await promisify(execFile)(process.execPath, [BIN, 'train', cfg], {
      maxBuffer: 1 << 24,
    });
    expect(stdout).toMatch(/data: drop duplicates \(SHA-256 of text\): 0 changed, \d+ removed/);
    expect(stdout).toMatch(/has no score head; initialised N\(0, 0.02\) for 2 classes/);
    expect(stdout).toMatch(/confusion matrix \(rows: true class\): \[\[\d+,\d+\],\[\d+,\d+\]\]/);
    const [run] = readdirSync(join(dir, 'spam-runs'));
    const summary = JSON.parse(readFileSync(join(dir, 'spam-runs', run, 'summary.json'), 'utf8'));
    // Finite (a NaN would pass a typeof check) and in range; the exact values are checked below by `anneal eval`.
    for (const k of ['test/accuracy', 'test/f1', 'test/rocAuc', 'test/macroF1'])
      expect(summary[k] >= 0 && summary[k] <= 1, `${k} = ${summary[k]}`).toBe(true);
    expect(Number.isFinite(summary['val/loss']) && summary['val/loss'] > 0).toBe(true);
    const data = JSON.parse(readFileSync(join(dir, 'spam-runs', run, 'data.json'), 'utf8'));
    const cfgModel = JSON.parse(readFileSync(join(dir, 'spam-runs', run, 'model', 'config.json'), 'utf8'));
    expect(cfgModel.architectures).toEqual(['GPT2ForSequenceClassification']);
    expect(data.split.test.length).toBeGreaterThan(250);
    // The test confusion matrix is in the summary (rows: true class): every test e-mail counted once, and its
    // diagonal is the accuracy.
    const m: number[][] = summary['test/confusion'];
    expect(m.flat().reduce((a, b) => a + b, 0)).toBe(data.split.test.length);
    expect((m[0][0] + m[1][1]) / data.split.test.length).toBeCloseTo(summary['test/accuracy'], 12);
    // `anneal eval` on the exported model reproduces the run's test metrics exactly.
    const rd = join(dir, 'spam-runs', run);
    const ev = await promisify(execFile)(process.execPath, [BIN, 'eval', join(rd, 'model'), cfg], {
      maxBuffer: 1 << 24,
    });
    expect(ev.stdout).toContain(`test/accuracy        ${summary['test/accuracy'].toPrecision(6)}`);
    expect(ev.stdout).toContain(`test/rocAuc          ${summary['test/rocAuc'].toPrecision(6)}`);
  });
});

describe('anneal train with LoRA', () => {
  it('trains only the adapters and the head, resumes from adapter checkpoints, exports merged weights', async () => {
    const base = tinyBase('lora-base', 2, 3);
    const cfg = join(dir, 'lora.yaml');
    const out = join(dir, 'lora-runs');
    writeFileSync(
      cfg,
      [
        'name: lora',
        `model: { base: ${JSON.stringify(base)}, task: sequence-classification, lora: { rank: 4, alpha: 8, targets: [c_attn, c_fc] } }`,
        'data: { source: { kind: spam-assassin }, maxLength: 24, clean: { stripEmailHeaders: true }, split: { validation: 0.05, test: 0.05 } }',
        'optim: { lr: 0.01 }',
        'train: { batchSize: 16, epochs: 1, maxSteps: 4, evalEvery: 2 }',
        `output: { dir: ${JSON.stringify(out)} }`,
      ].join('\n'),
    );
    const { stdout } = await promisify(execFile)(process.execPath, [BIN, 'train', cfg], {
      maxBuffer: 1 << 24,
    });
    // 2 layers × (c_attn: 4·16 + 48·4, c_fc: 4·16 + 64·4) adapters + the 2×16 score head.
    expect(stdout).toContain('model: 1,184 of');
    expect(stdout).toContain('(LoRA rank 4, alpha 8 on c_attn, c_fc)');
    const [run] = readdirSync(out);
    const rd = join(out, run);
    for (const f of [
      'model/adapter_model.safetensors',
      'model/adapter_config.json',
      'checkpoints/last/adapter_model.safetensors',
    ])
      expect(existsSync(join(rd, f)), f).toBe(true);
    const adapterConfig = JSON.parse(readFileSync(join(rd, 'model', 'adapter_config.json'), 'utf8'));
    expect(adapterConfig).toMatchObject({
      peft_type: 'LORA',
      r: 4,
      lora_alpha: 8,
      target_modules: ['c_attn', 'c_fc'],
    });
    // The exported model is plain GPT-2 (adapters merged): it evaluates without any LoRA config.
    const summary = JSON.parse(readFileSync(join(rd, 'summary.json'), 'utf8'));
    const plainCfg = join(dir, 'plain.yaml');
    writeFileSync(plainCfg, readFileSync(cfg, 'utf8').replace(/, lora: \{[^}]*\}/, ''));
    const ev = await promisify(execFile)(process.execPath, [BIN, 'eval', join(rd, 'model'), plainCfg], {
      maxBuffer: 1 << 24,
    });
    const acc = Number(/test\/accuracy\s+([\d.]+)/.exec(ev.stdout)?.[1]);
    expect(acc).toBeCloseTo(summary['test/accuracy'], 3);
    // Resuming reads the frozen weights from the base and the adapters from the checkpoint.
    const resumed = await promisify(execFile)(
      process.execPath,
      [BIN, 'train', cfg, '--train.maxSteps=6', '--resume', join(rd, 'checkpoints', 'last')],
      { maxBuffer: 1 << 24 },
    );
    expect(resumed.stdout).toMatch(/resumed from .* at step 4/);
    expect(resumed.stdout).toMatch(/step 6\/6 /);
  }, 300_000); // three trainings and an export: over the default 120 s on a busy 2-core machine
});

describe('the split of a labelled dataset', () => {
  const rows = Array.from({ length: 500 }, (_, i) => ({ text: `e-mail ${i}`, label: i % 10 < 3 ? 1 : 0 }));
  const config = (task: string) =>
    resolveConfig({ model: { base: 'b', task }, data: { split: { validation: 0.1, test: 0.1 } } });

  it('is the same for a language-model run as for the classifier, so domain-adaptive pretraining never sees its test texts', () => {
    const cls = splitRows(rows, config('sequence-classification'));
    for (const task of ['masked-lm', 'causal-lm']) expect(splitRows(rows, config(task))).toEqual(cls);
    // Stratified: 30 % spam in each part, as in the whole.
    for (const part of [cls.validation, cls.test])
      expect(part.filter((i) => rows[i].label === 1).length).toBe(15);
  });

  it('is not stratified when a row has no label or stratify is off', () => {
    const unlabelled = rows.map(({ text }, i) => (i === 7 ? { text } : { text, label: rows[i].label }));
    const plain = splitRows(
      rows,
      resolveConfig({
        model: { base: 'b' },
        data: { split: { validation: 0.1, test: 0.1, stratify: false } },
      }),
    );
    expect(splitRows(unlabelled, config('masked-lm'))).toEqual(plain);
  });
});
