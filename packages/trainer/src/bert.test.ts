// A Hugging Face BERT checkpoint as users have them on disk: model_type bert, the exact (erf) GELU, a
// WordPiece tokenizer.json whose post-processor adds [CLS] … [SEP] and pads with [PAD], and pretraining heads
// to drop. Fine-tuning it for classification must use the tokenizer's own special tokens.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { EncoderConfig } from './model/encoder.ts';
import { saveEncoderCheckpoint } from './model/pretrained.ts';
import { initEncoder } from './pretrain.ts';
import { ClassificationTask } from './tasks/classification.ts';
import { Tokenizer } from './tokenizer.ts';

const BIN = fileURLToPath(new URL('../../../apps/cli/bin/anneal.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'anneal-bert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const letters = 'abcdefghijklmnopqrstuvwxyz0123456789'.split('');
const vocab = [...SPECIAL, ...letters, ...letters.map((c) => `##${c}`), 'free', 'money', 'hello'];
const id = (t: string) => vocab.indexOf(t);

/** A minimal bert-base-uncased-style tokenizer.json (WordPiece over letters, a few whole words). */
function bertTokenizer() {
  const special = (t: string) => ({
    id: id(t),
    content: t,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL.map(special),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [id('[CLS]')], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [id('[SEP]')], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((t, i) => [t, i])),
    },
  };
}

describe('a Hugging Face BERT checkpoint', () => {
  const base = join(dir, 'bert');
  mkdirSync(base, { recursive: true });
  writeFileSync(join(base, 'tokenizer.json'), JSON.stringify(bertTokenizer()));
  const config: EncoderConfig = {
    vocabSize: vocab.length,
    maxPositions: 64,
    nLayer: 1,
    nHead: 2,
    hidden: 16,
    intermediate: 32,
    layerNormEps: 1e-12,
    numLabels: 2,
    pooling: 'first',
    head: 'mlm',
    hiddenAct: 'gelu',
  };
  saveEncoderCheckpoint(base, config, initEncoder(config, 3));

  it('tokenizes with [CLS] … [SEP] from the tokenizer itself', async () => {
    const t = Tokenizer.fromFile(join(base, 'tokenizer.json'));
    const [ids] = await t.encodeBatch(['Hello FREE money2']);
    expect(ids).toEqual([id('[CLS]'), id('hello'), id('free'), id('money'), id('##2'), id('[SEP]')]);
  });

  it('batches [CLS] first, keeps [SEP] when truncating, pads with [PAD]', () => {
    const [CLS, SEP, PAD] = [id('[CLS]'), id('[SEP]'), id('[PAD]')];
    const long = [CLS, ...'abcdefgh'.split('').map(id), SEP];
    const task = new ClassificationTask(
      null as never,
      null as never,
      null as never,
      2,
      {
        train: [
          { ids: long, label: 1 },
          { ids: [CLS, id('hello'), SEP], label: 0 },
        ],
        validation: [],
        test: [],
      },
      { batchSize: 2, T: 5, clsId: null, padId: PAD, keepEnds: true },
    );
    const b = task.batch([0, 1], 1);
    expect([...b.tokens]).toEqual([CLS, id('a'), id('b'), id('c'), SEP, CLS, id('hello'), SEP, PAD, PAD]);
    expect([...b.mask]).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
  });

  it("fine-tunes for classification with the tokenizer's special tokens and exports hidden_act gelu", async () => {
    expect(JSON.parse(readFileSync(join(base, 'config.json'), 'utf8')).hidden_act).toBe('gelu');
    const cfg = join(dir, 'spam.yaml');
    writeFileSync(
      cfg,
      [
        'name: bert-spam',
        `model: { base: ${JSON.stringify(base)}, task: sequence-classification, numLabels: 2 }`,
        'data: { source: { kind: spam-assassin }, maxLength: 16, clean: { stripEmailHeaders: true }, split: { validation: 0.05, test: 0.05 } }',
        'train: { batchSize: 8, epochs: 1, maxSteps: 2, evalEvery: 2 }',
        `output: { dir: ${JSON.stringify(join(dir, 'runs'))} }`,
      ].join('\n'),
    );
    const { stdout } = await promisify(execFile)(process.execPath, [BIN, 'train', cfg], {
      maxBuffer: 1 << 24,
    });
    expect(stdout).toMatch(/has no classifier; initialised/);
    const [run] = readdirSync(join(dir, 'runs'));
    const exported = JSON.parse(readFileSync(join(dir, 'runs', run, 'model', 'config.json'), 'utf8'));
    expect(exported).toMatchObject({ architectures: ['BertForSequenceClassification'], hidden_act: 'gelu' });
  });
});
