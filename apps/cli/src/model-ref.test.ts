// resolveModel: what `anneal eval` and `anneal generate` accept as the model, and the errors for what they refuse.

import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bootstrap } from '@anneal/api/bootstrap';
import { createApi, listen } from '@anneal/api/server';
import { Run } from '@anneal/client';
import { freshDatabase } from '@anneal/db/testing';
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
    // As `anneal train` writes it: the run's own config.json beside model/.
    writeFileSync(join(run, 'config.json'), '{"name":"brown"}');
    expect(await resolveModel(run)).toEqual({ dir: join(run, 'model'), source: `run directory ${run}` });
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

describe('resolveModel through the tracking API', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let server: Server | null = null;
  let url = '';
  let apiKey = '';
  const saved = { ...process.env };

  beforeEach(async () => {
    db = await freshDatabase('pglite');
    apiKey = (await bootstrap(db.handle)).key!;
    const l = await listen(createApi({ handle: db.handle, artifactStore: join(dir, 'store') }), 0);
    server = l.server;
    url = l.url;
    Object.assign(process.env, {
      ANNEAL_API_URL: url,
      ANNEAL_API_KEY: apiKey,
      ANNEAL_DATA_DIR: join(dir, 'cli'),
    });
  });
  afterEach(async () => {
    process.env = { ...saved };
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await db.drop();
  });

  it("downloads a run's model artifact by run id, and an artifact by name, once per content", async () => {
    const run = Run.init(
      { project: 'default', name: 'trained' },
      { url, apiKey, spoolDir: join(dir, 'spool'), flushMs: 20, warn: () => {} },
    );
    await run.artifact({ kind: 'model', name: 'model-trained', dir: BASE });
    expect(await run.finish()).toBe(true);
    const byRun = await resolveModel(run.id);
    expect(byRun.dir.startsWith(join(dir, 'cli', 'artifacts', 'cache'))).toBe(true);
    expect(byRun.source).toMatch(/^artifact model-trained v0 \(/);
    expect(
      readFileSync(join(byRun.dir, 'model.safetensors')).equals(
        readFileSync(join(BASE, 'model.safetensors')),
      ),
    ).toBe(true);
    const byName = await resolveModel('artifact:model-trained:latest', { project: 'default' });
    expect(byName.dir).toBe(byRun.dir);
    // A run with no model artifact, a key the API refuses, an artifact of no project: each one line.
    const bare = Run.init(
      { project: 'default', name: 'bare' },
      { url, apiKey, spoolDir: join(dir, 'spool2'), flushMs: 20, warn: () => {} },
    );
    expect(await bare.finish()).toBe(true);
    await expect(resolveModel(bare.id)).rejects.toThrow(/has no model artifact/);
    process.env.ANNEAL_API_KEY = 'ak_not-a-key';
    await expect(resolveModel(run.id)).rejects.toThrow(/model: run_/);
    process.env.ANNEAL_API_KEY = apiKey;
    await expect(resolveModel('artifact:model-trained:latest')).rejects.toThrow(/needs its project/);
  }, 120_000);
});
