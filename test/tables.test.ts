// Tables from training into a live API (embedded PGlite), and `anneal predict`: a classifier run logs its test
// predictions worst-misclassified first; a causal-LM run logs samples at each evaluation; `anneal predict` on
// the classifier's test split reproduces `anneal eval`'s accuracy exactly.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { bootstrap } from '@anneal/api/bootstrap';
import { createApi, listen } from '@anneal/api/server';
import { freshDatabase } from '@anneal/db/testing';
import { openGpu } from '@anneal/kernels/device';
import { Runtime } from '@anneal/kernels/kernel';
import { loadClassifier, predictTexts } from '@anneal/trainer/predict';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'apps/cli/bin/anneal.js');
const exec = promisify(execFile);

describe('tables logged by training, and anneal predict', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let server: Server;
  let url = '';
  let key = '';
  const dir = mkdtempSync(join(tmpdir(), 'anneal-tables-'));
  const base = join(dir, 'base');
  const anneal = (args: string[], env: Record<string, string> = {}) =>
    exec(process.execPath, [BIN, ...args], {
      maxBuffer: 1 << 26,
      env: { ...process.env, ANNEAL_DATA_DIR: join(dir, 'data'), ...env },
    });
  const tracked = () => ({ ANNEAL_API_URL: url, ANNEAL_API_KEY: key });
  const gql = async (query: string, variables: Record<string, unknown>) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: read by shape
    const body = (await res.json()) as { data?: any; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    return body.data;
  };
  const TABLE = `query($id: ID!, $key: String!, $step: Float, $first: Int) { run(id: $id) { tables { key steps }
    table(key: $key, step: $step, first: $first) { step columns rowCount edges { node { cells } } } } }`;

  beforeAll(async () => {
    db = await freshDatabase('pglite');
    key = (await bootstrap(db.handle)).key!;
    ({ server, url } = await listen(createApi({ handle: db.handle, artifactStore: join(dir, 'store') }), 0));
    await anneal(['init', '--like', join(ROOT, 'bases/gpt-brown'), '--out', base]);
  }, 120_000);
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a classifier run logs its test predictions, worst-misclassified first; anneal predict reproduces anneal eval', async () => {
    const cfg = join(dir, 'spam.yaml');
    const out = join(dir, 'spam-runs');
    writeFileSync(
      cfg,
      [
        'name: spam',
        `model: { base: ${JSON.stringify(base)}, task: sequence-classification, numLabels: 2 }`,
        // Read whole (keep: chunks), so `anneal predict` must pool each e-mail's windows exactly as evaluation did.
        'data: { source: { kind: spam-assassin }, maxLength: 32, truncation: { keep: chunks, maxChunks: 3 }, clean: { stripEmailHeaders: true, stripHtml: true }, split: { validation: 0.05, test: 0.05 } }',
        'train: { batchSize: 32, epochs: 1, maxSteps: 4, evalEvery: 4, logEvery: 2 }',
        'eval: { predictions: { textChars: 80 } }',
        `output: { dir: ${JSON.stringify(out)} }`,
      ].join('\n'),
    );
    const { stdout } = await anneal(['train', cfg], tracked());
    const runId = /tracking: (run_[0-9a-f-]{36})/.exec(stdout)![1];
    const [, texts, windows] =
      /data: read whole: (\d+) training texts → (\d+) windows of 32 tokens \(at most 3 a text\)/
        .exec(stdout)!
        .map(Number);
    expect(windows).toBeGreaterThan(2 * texts); // e-mails are far longer than 32 tokens
    expect(windows).toBeLessThanOrEqual(3 * texts);
    expect(stdout).toMatch(
      /tracking: \d+ test predictions logged as test\/predictions \(\d+ misclassified first\)/,
    );
    const [rd] = readdirSync(out).map((r) => join(out, r));
    const summary = JSON.parse(readFileSync(join(rd, 'summary.json'), 'utf8'));
    const test = readFileSync(join(rd, 'splits', 'test.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { text: string; label: number });

    // The table: every test example once, the misclassified first by the true label's probability.
    const { run } = await gql(TABLE, { id: runId, key: 'test/predictions', first: 1000 });
    expect(run.tables).toEqual([{ key: 'test/predictions', steps: [4] }]);
    expect(run.table.columns).toEqual(['text', 'label', 'prediction', 'probability', 'p_label', 'correct']);
    expect(run.table.rowCount).toBe(test.length);
    const rows: [string, number, number, number, number, boolean][] = run.table.edges.map(
      (e: { node: { cells: unknown } }) => e.node.cells,
    );
    const wrong = rows.filter((r) => !r[5]).length;
    expect(wrong / rows.length).toBeCloseTo(1 - summary['test/accuracy'], 12);
    rows.forEach((r, i) => {
      expect(r[5]).toBe(r[1] === r[2]);
      expect(Array.from(r[0]).length).toBeLessThanOrEqual(80);
      if (i === 0) return;
      const prev = rows[i - 1];
      // Wrong before right; within each, the true label's probability ascending.
      expect(Number(prev[5]) < Number(r[5]) || (prev[5] === r[5] && prev[4] <= r[4])).toBe(true);
    });

    // `anneal predict` on the run's cleaned test split: the accuracy `anneal eval` reports, exactly.
    const ev = await anneal(['eval', join(rd, 'model'), cfg]);
    const evAccuracy = /test\/accuracy\s+(\S+)/.exec(ev.stdout)![1];
    const preds = join(dir, 'preds.jsonl');
    const pr = await anneal(['predict', join(rd, 'model'), join(rd, 'splits', 'test.jsonl'), '--out', preds]);
    expect(pr.stderr).toContain(
      `predict: ${test.length} inputs, 2 classes, read whole in windows of 32 tokens (at most 3, mean logits) (from ${join(rd, 'model', 'config.json')} anneal_inputs)`,
    );
    expect(pr.stderr).toMatch(/\[#{20}\] +\d+\/\d+ +100% +[\d.]+ ex\/s +ETA 0s/);
    expect(pr.stderr).toContain(`accuracy ${evAccuracy} (`);
    const lines = readFileSync(preds, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(test.length);
    const right = lines.filter((p, i) => p.index === i && p.label === test[i].label).length;
    expect(right / test.length).toBe(summary['test/accuracy']);
    for (const p of lines) {
      expect(p.probabilities).toHaveLength(2);
      expect(p.probabilities[0] + p.probabilities[1]).toBeCloseTo(1, 6);
      expect(p.label).toBe(p.probabilities[1] > p.probabilities[0] ? 1 : 0);
    }

    // In blocks of 7 texts (predictTexts bounds its memory by a block): the same probabilities, progress to the end.
    const rt = new Runtime(await openGpu());
    try {
      const clf = await loadClassifier(rt, join(rd, 'model'));
      const done: number[] = [];
      const blocked = await predictTexts(
        clf,
        test.map((t) => t.text),
        (n) => done.push(n),
        { block: 7 },
      );
      // Batches hold other windows than in one block (kernels may be picked per shape): equal within f32.
      expect(blocked).toHaveLength(lines.length);
      for (const [i, p] of blocked.entries())
        expect(p.probabilities[1]).toBeCloseTo(lines[i].probabilities[1], 5);
      expect(done.at(-1)).toBe(test.length);
      expect(done.every((n, i) => i === 0 || n >= done[i - 1])).toBe(true);
    } finally {
      rt.destroy();
    }

    // A copy of model/ away from its run directory (as an artifact is downloaded) predicts the same.
    const copy = join(dir, 'copied-model');
    cpSync(join(rd, 'model'), copy, { recursive: true });
    const away = await anneal(['predict', copy, join(rd, 'splits', 'test.jsonl')]);
    expect(away.stderr).toContain(`accuracy ${evAccuracy} (`);
    expect(away.stdout).toBe(readFileSync(preds, 'utf8'));

    // CSV out, text in (one input a line): the same predictions for the same texts.
    const txt = join(dir, 'inputs.txt');
    writeFileSync(
      txt,
      `${test
        .slice(0, 5)
        .map((t) => t.text.replace(/\s*\n\s*/g, ' '))
        .join('\n')}\n`,
    );
    const flat = join(dir, 'flat.jsonl');
    writeFileSync(
      flat,
      test
        .slice(0, 5)
        .map((t) => JSON.stringify({ text: t.text.replace(/\s*\n\s*/g, ' ') }))
        .join('\n'),
    );
    const csv = (await anneal(['predict', join(rd, 'model'), txt, '--format', 'csv'])).stdout
      .trim()
      .split('\n');
    expect(csv[0]).toBe('index,label,p_0,p_1');
    const viaJsonl = (await anneal(['predict', join(rd, 'model'), flat])).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(csv.slice(1)).toEqual(viaJsonl.map((p) => `${p.index},${p.label},${p.probabilities.join(',')}`));

    // Refusals name what was wrong.
    const fails = async (args: string[]) => {
      try {
        await anneal(args);
      } catch (e) {
        return (e as { stderr: string }).stderr;
      }
      throw new Error(`anneal ${args.join(' ')} succeeded`);
    };
    expect(await fails(['predict', base, txt])).toMatch(/anneal: model: .* is not a classifier/);
    expect(await fails(['predict', join(rd, 'model'), txt, '--format', 'xml'])).toMatch(
      /--format: expected jsonl or csv, got xml/,
    );
    expect(await fails(['predict', join(rd, 'model'), join(dir, 'missing.jsonl')])).toMatch(
      /predict: no such file/,
    );
  }, 600_000);

  it('a causal-LM run logs samples from its prompts at each evaluation', async () => {
    const cfg = join(dir, 'lm.yaml');
    const out = join(dir, 'lm-runs');
    writeFileSync(
      cfg,
      [
        'name: samples',
        `model: { base: ${JSON.stringify(base)} }`,
        "data: { source: { kind: brown, categories: ['r'] }, maxLength: 32, split: { validation: 0.1, test: 0.1, stratify: false } }",
        'train: { batchSize: 4, epochs: 1, maxSteps: 6, evalEvery: 3, logEvery: 3 }',
        "eval: { samples: { prompts: ['The man', 'It was'], maxNewTokens: 6, temperature: 0 } }",
        `output: { dir: ${JSON.stringify(out)} }`,
      ].join('\n'),
    );
    const { stdout } = await anneal(['train', cfg], tracked());
    const runId = /tracking: (run_[0-9a-f-]{36})/.exec(stdout)![1];
    expect(stdout).toMatch(/samples at step 3: "The man/);
    const [rd] = readdirSync(out).map((r) => join(out, r));
    const local = readFileSync(join(rd, 'samples.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { step: number; samples: { prompt: string; text: string }[] });
    expect(local.map((s) => s.step)).toEqual([3, 6]);
    const { run } = await gql(TABLE, { id: runId, key: 'samples', step: 3 });
    expect(run.tables).toEqual([{ key: 'samples', steps: [3, 6] }]);
    expect(run.table.columns).toEqual(['prompt', 'text']);
    expect(run.table.edges.map((e: { node: { cells: unknown } }) => e.node.cells)).toEqual(
      local[0].samples.map((s) => [s.prompt, s.text]),
    );
    for (const s of local.flatMap((l) => l.samples)) expect(s.text.length).toBeGreaterThan(0);
  }, 600_000);
});
