// resolveModel: what `anneal eval` and `anneal generate` accept as the model, and the errors for what they refuse.

import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveModel } from './model-ref.ts';

const BASE = fileURLToPath(new URL('../../../bases/gpt-brown-256', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'anneal-model-ref-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveModel', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    process.env.ANNEAL_API_URL = '';
    process.env.ANNEAL_API_KEY = '';
    process.env.ANNEAL_DATA_DIR = join(dir, 'data');
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('takes a model directory as it is, and a run directory by its model/', async () => {
    expect(await resolveModel(BASE)).toEqual({ dir: BASE, source: `directory ${BASE}` });
    const run = join(dir, 'brown-20261206');
    mkdirSync(join(run, 'checkpoints'), { recursive: true });
    cpSync(BASE, join(run, 'model'), { recursive: true });
    expect((await resolveModel(run)).dir).toBe(join(run, 'model'));
  });

  it('names the field and what is wrong', async () => {
    await expect(resolveModel('', { field: 'model' })).rejects.toThrow(/model: empty/);
    await expect(resolveModel(join(dir, 'nope'))).rejects.toThrow(/is not a directory, a run id/);
    const empty = join(dir, 'empty-run');
    mkdirSync(join(empty, 'model'), { recursive: true });
    await expect(resolveModel(empty)).rejects.toThrow(/model: .*empty-run\/model has no config.json/);
    await expect(resolveModel('run_not-a-uuid')).rejects.toThrow(/is not a run id/);
    await expect(resolveModel('artifact:model-1234:best')).rejects.toThrow(/set ANNEAL_API_URL/);
    await expect(resolveModel('run_0b0e5d8e-5f5e-4e0e-9a7e-1c3f6f1d2a4b')).rejects.toThrow(
      /set ANNEAL_API_URL/,
    );
  });

  it('reports an unreachable API for a run id, naming it', async () => {
    process.env.ANNEAL_API_URL = 'http://127.0.0.1:9';
    await expect(resolveModel('run_0b0e5d8e-5f5e-4e0e-9a7e-1c3f6f1d2a4b')).rejects.toThrow(
      /model: the tracking API at http:\/\/127\.0\.0\.1:9 is unreachable/,
    );
  });
});
