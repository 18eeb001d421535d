// The run directory stays inside output.dir whatever the run's name (defence in depth behind the config
// schema, which refuses such names): a hostile name is reduced to a slug, and a segment that would resolve
// elsewhere is refused when the trainer's run-directory code is called directly.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TrainConfig } from '@anneal/config';
import { afterAll, describe, expect, it } from 'vitest';
import { copyTokenizerFiles, createChildDir, createRunDir, RunDirRefused, runSlug } from './rundir.ts';

const dir = mkdtempSync(join(tmpdir(), 'anneal-rundir-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// As if the config had not been through the schema (an old stored config, a caller of the trainer's API).
const config = (name: string, out: string) =>
  ({ name, output: { dir: out }, model: { base: 'bases/x' } }) as unknown as TrainConfig;

describe('run directory', () => {
  it('makes a slug of the name: one segment, no dots in front, no separators, bounded', () => {
    expect(runSlug('spam-bert_v2.1')).toBe('spam-bert_v2.1');
    expect(runSlug('../../../../tmp/x')).toBe('tmp-x');
    expect(runSlug('..\\..\\evil')).toBe('evil');
    expect(runSlug('.hidden')).toBe('hidden');
    expect(runSlug('a\0b\u202ec')).toBe('a-b-c');
    expect(runSlug('..')).toBe('run');
    expect(runSlug('x'.repeat(500))).toHaveLength(64);
  });

  it('creates the run directory directly inside output.dir even for a hostile name', () => {
    const out = join(dir, 'runs');
    const runDir = createRunDir(config('../../../../../../../../tmp/anneal-pwned/owned', out));
    expect(dirname(runDir)).toBe(out);
    expect(readdirSync(out)).toEqual([expect.stringMatching(/^tmp-anneal-pwned-owned-\d{4}-/)]);
    expect(existsSync(join(runDir, 'config.json'))).toBe(true);
    // Two runs of one name in the same millisecond: two directories.
    const a = createRunDir(config('same', out));
    const b = createRunDir(config('same', out));
    expect(a).not.toBe(b);
  });

  it('refuses a run directory that resolves outside output.dir, creating nothing', () => {
    const out = join(dir, 'direct');
    for (const segment of ['../escaped', '../../tmp/escaped', 'a/../../escaped', '/tmp/escaped', 'a/b'])
      expect(() => createChildDir(out, segment), segment).toThrow(RunDirRefused);
    expect(existsSync(join(dir, 'escaped'))).toBe(false);
    expect(readdirSync(out)).toEqual([]);
  });

  it('does not reuse a planted entry: a link where the run directory goes is refused', () => {
    const out = join(dir, 'planted');
    mkdirSync(out);
    mkdirSync(join(dir, 'elsewhere'));
    symlinkSync(join(dir, 'elsewhere'), join(out, 'run-x'));
    expect(() => createChildDir(out, 'run-x')).toThrow(/EEXIST/);
    expect(readdirSync(join(dir, 'elsewhere'))).toEqual([]);
  });

  it("keeps the base's tokenizer files with the model (a chat template survives fine-tuning), never through a link", () => {
    const base = join(dir, 'chat-base');
    const out = join(dir, 'chat-model');
    mkdirSync(base);
    mkdirSync(out);
    writeFileSync(join(base, 'tokenizer.json'), '{"t":1}');
    writeFileSync(join(base, 'tokenizer_config.json'), '{"chat_template":"{{ messages }}"}');
    writeFileSync(join(base, 'generation_config.json'), '{"eos_token_id":2}');
    const secret = join(dir, 'secret.json');
    writeFileSync(secret, '{"key":"do not copy"}');
    symlinkSync(secret, join(base, 'special_tokens_map.json'));
    copyTokenizerFiles(base, out);
    expect(readdirSync(out).sort()).toEqual([
      'generation_config.json',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
    expect(readFileSync(join(out, 'tokenizer_config.json'), 'utf8')).toContain('chat_template');
  });
});
