// `anneal pretrain --arch encoder` end to end at toy size: a BPE tokenizer with a <mask> token and a BERT-style
// encoder trained by masked-LM on Brown, written as a Hugging Face BertForMaskedLM directory; then that base
// fine-tuned for SpamAssassin classification (the pretraining head dropped, a classifier initialised).
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { maskWindow } from './tasks/mlm.ts';

const BIN = fileURLToPath(new URL('../../../apps/cli/bin/anneal.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'anneal-pretrain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = (args: string[]) => promisify(execFile)(process.execPath, [BIN, ...args], { maxBuffer: 1 << 24 });

describe('masked-LM masking', () => {
  it('predicts about 15% of positions, 80% of them shown as the mask token, never special tokens', () => {
    let state = 1;
    const rand = () => {
      state = (state * 48271) % 2147483647;
      return state / 2147483647;
    };
    const ids = Array.from({ length: 20000 }, (_, i) => (i % 50 === 0 ? 1 : 2 + (i % 97)));
    const { tokens, targets } = maskWindow(ids, rand, { maskId: 0, vocabSize: 100, special: [1] });
    const chosen = [...targets.keys()].filter((t) => targets[t] !== -100);
    expect(chosen.length / ids.length).toBeGreaterThan(0.14);
    expect(chosen.length / ids.length).toBeLessThan(0.16);
    expect(chosen.every((t) => ids[t] !== 1 && targets[t] === ids[t])).toBe(true);
    const masked = chosen.filter((t) => tokens[t] === 0).length / chosen.length;
    expect(masked).toBeGreaterThan(0.77);
    expect(masked).toBeLessThan(0.83);
    // Positions not chosen are left alone.
    expect([...tokens.keys()].every((t) => targets[t] !== -100 || tokens[t] === ids[t])).toBe(true);
  });
});

describe('anneal pretrain --arch encoder', () => {
  it('pretrains a masked-LM base and fine-tunes a classifier from it', async () => {
    const base = join(dir, 'encoder');
    const { stdout } = await run([
      'pretrain',
      '--arch=encoder',
      `--out=${base}`,
      '--vocab=300',
      '--layers=1',
      '--heads=2',
      '--embd=16',
      '--context=32',
      '--steps=8',
      '--batch-size=8',
      '--categories=b',
    ]);
    expect(stdout).toMatch(/windows of 32 tokens/);
    const record = JSON.parse(readFileSync(join(base, 'anneal.json'), 'utf8'));
    expect(record.kind).toBe('bert masked-lm');
    expect(record.command).toContain('pnpm anneal pretrain --arch encoder');
    // An untrained model (N(0, 0.02) weights: near-uniform predictions) scores about log(300) = 5.70, and a NaN
    // fails both bounds; these 8 steps reach 5.58 on lavapipe (seeded).
    expect(record.heldOut.testLoss).toBeGreaterThan(0);
    expect(record.heldOut.testLoss).toBeLessThan(Math.log(300) - 0.05);
    const config = JSON.parse(readFileSync(join(base, 'config.json'), 'utf8'));
    expect(config.architectures).toEqual(['BertForMaskedLM']);
    const tokenizer = JSON.parse(readFileSync(join(base, 'tokenizer.json'), 'utf8'));
    expect(tokenizer.added_tokens.map((t: { content: string }) => t.content)).toContain('<mask>');

    const cfg = join(dir, 'spam.yaml');
    writeFileSync(
      cfg,
      [
        'name: spam-encoder',
        `model: { base: ${JSON.stringify(base)}, task: sequence-classification, numLabels: 2 }`,
        'data: { source: { kind: spam-assassin }, maxLength: 32, clean: { stripEmailHeaders: true }, split: { validation: 0.05, test: 0.05 } }',
        'train: { batchSize: 16, epochs: 1, maxSteps: 3, evalEvery: 3 }',
        `output: { dir: ${JSON.stringify(join(dir, 'runs'))} }`,
      ].join('\n'),
    );
    const ft = await run(['train', cfg]);
    expect(ft.stdout).toMatch(/has no classifier; initialised N\(0, 0.02\) for 2 classes/);
    const [r] = readdirSync(join(dir, 'runs'));
    const summary = JSON.parse(readFileSync(join(dir, 'runs', r, 'summary.json'), 'utf8'));
    expect(
      summary['test/rocAuc'] >= 0 && summary['test/rocAuc'] <= 1,
      `rocAuc ${summary['test/rocAuc']}`,
    ).toBe(true);
    const exported = JSON.parse(readFileSync(join(dir, 'runs', r, 'model', 'config.json'), 'utf8'));
    expect(exported.architectures).toEqual(['BertForSequenceClassification']);
  });
});

describe('anneal pretrain --arch llama', () => {
  it('pretrains a Llama-shaped base (GQA, tied head) and fine-tunes it with LoRA on every projection', async () => {
    const base = join(dir, 'llama');
    const { stdout } = await run([
      'pretrain',
      '--arch=llama',
      `--out=${base}`,
      '--vocab=300',
      '--layers=2',
      '--heads=4',
      '--kv-heads=2',
      '--embd=32',
      '--context=32',
      '--steps=8',
      '--batch-size=8',
      '--lr=0.01',
      '--categories=b',
    ]);
    expect(stdout).toMatch(/windows of 33 tokens/);
    const record = JSON.parse(readFileSync(join(base, 'anneal.json'), 'utf8'));
    expect(record.kind).toBe('llama causal-lm');
    expect(record.command).toContain('pnpm anneal pretrain --arch llama');
    expect(record.command).toContain('--kv-heads 2');
    // Untrained (N(0, 0.02)) scores about log(300) = 5.70; a NaN fails both bounds.
    expect(record.heldOut.testLoss).toBeGreaterThan(0);
    expect(record.heldOut.testLoss).toBeLessThan(Math.log(300) - 0.05);
    const config = JSON.parse(readFileSync(join(base, 'config.json'), 'utf8'));
    expect(config).toMatchObject({
      model_type: 'llama',
      architectures: ['LlamaForCausalLM'],
      num_attention_heads: 4,
      num_key_value_heads: 2,
      intermediate_size: 128, // 8/3 · 32 rounded up to 64
      tie_word_embeddings: true,
    });
    const tokenizer = JSON.parse(readFileSync(join(base, 'tokenizer.json'), 'utf8'));
    expect(config.eos_token_id).toBe(
      tokenizer.added_tokens.find((t: { content: string }) => t.content === '<|endoftext|>').id,
    );

    const cfg = join(dir, 'llama-lora.yaml');
    const runs = join(dir, 'llama-runs');
    writeFileSync(
      cfg,
      [
        'name: llama-lora',
        `model: { base: ${JSON.stringify(base)}, arch: llama, task: causal-lm, lora: { rank: 2, alpha: 4, targets: [q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj] } }`,
        "data: { source: { kind: brown, categories: ['c'] }, maxLength: 32, split: { validation: 0.1, test: 0.1, stratify: false } }",
        'optim: { lr: 0.01 }',
        'train: { batchSize: 8, epochs: 1, maxSteps: 3, evalEvery: 3 }',
        `output: { dir: ${JSON.stringify(runs)} }`,
      ].join('\n'),
    );
    const ft = await run(['train', cfg]);
    // 2 layers × 7 projections × (A + B) at rank 2.
    expect(ft.stdout).toMatch(/LoRA rank 2, alpha 4 on q_proj, k_proj/);
    const [r] = readdirSync(runs);
    const model = join(runs, r, 'model');
    const exported = JSON.parse(readFileSync(join(model, 'config.json'), 'utf8'));
    expect(exported.architectures).toEqual(['LlamaForCausalLM']);
    const adapter = JSON.parse(readFileSync(join(model, 'adapter_config.json'), 'utf8'));
    expect(adapter).toMatchObject({ peft_type: 'LORA', r: 2, lora_alpha: 4 });
    expect(adapter.modules).toContain('model.layers.1.mlp.down_proj');

    // model.arch must agree with the base.
    writeFileSync(cfg, readFileSync(cfg, 'utf8').replace('arch: llama', 'arch: gpt2'));
    await expect(run(['train', cfg])).rejects.toThrow(/model\.arch: gpt2, but .* is a llama model/);
  }, 600_000);

  it('fine-tunes a sequence classifier from that base (LM head dropped, fresh score head, LoRA)', async () => {
    const base = join(dir, 'llama');
    // A classifier on the same base: the LM head dropped, a fresh `score` head, LoRA on the projections.
    const spam = join(dir, 'llama-spam.yaml');
    const spamRuns = join(dir, 'llama-spam-runs');
    writeFileSync(
      spam,
      [
        'name: llama-spam',
        `model: { base: ${JSON.stringify(base)}, task: sequence-classification, numLabels: 2, lora: { rank: 2, alpha: 4, targets: [q_proj, v_proj] } }`,
        'data: { source: { kind: spam-assassin }, maxLength: 32, clean: { stripEmailHeaders: true }, split: { validation: 0.05, test: 0.05 } }',
        'train: { batchSize: 16, epochs: 1, maxSteps: 3, evalEvery: 3 }',
        `output: { dir: ${JSON.stringify(spamRuns)} }`,
      ].join('\n'),
    );
    const cls = await run(['train', spam]);
    expect(cls.stdout).toMatch(/has no score head; initialised N\(0, 0.02\) for 2 classes/);
    const [sr] = readdirSync(spamRuns);
    const summary = JSON.parse(readFileSync(join(spamRuns, sr, 'summary.json'), 'utf8'));
    expect(
      summary['test/rocAuc'] >= 0 && summary['test/rocAuc'] <= 1,
      `rocAuc ${summary['test/rocAuc']}`,
    ).toBe(true);
    const clsConfig = JSON.parse(readFileSync(join(spamRuns, sr, 'model', 'config.json'), 'utf8'));
    expect(clsConfig).toMatchObject({ architectures: ['LlamaForSequenceClassification'], num_labels: 2 });
  }, 600_000);
});
