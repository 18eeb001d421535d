// `anneal generate` end to end on the shipped tiny GPT base: text streams to stdout as it is generated, a seed
// reproduces a completion, and bad input is one line naming what was wrong.

import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/anneal.js', import.meta.url));
const BASE = fileURLToPath(new URL('../../../bases/gpt-brown-256', import.meta.url));
const env = { ...process.env, ANNEAL_API_URL: '' };

/** Runs the CLI, recording each chunk stdout delivers. */
function run(args: string[]): Promise<{ code: number | null; chunks: string[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [BIN, ...args], { env });
    const chunks: string[] = [];
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => chunks.push(d.toString()));
    p.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, chunks, stderr }));
  });
}

describe('anneal generate', () => {
  it('streams the continuation of a prompt to stdout as tokens are chosen', async () => {
    const prompt = 'The jury said';
    const { code, chunks, stderr } = await run([
      'generate',
      BASE,
      '--prompt',
      prompt,
      '--max-new-tokens',
      '24',
      '--temperature',
      '0.8',
      '--top-k',
      '40',
      '--seed',
      '7',
    ]);
    expect(code, stderr).toBe(0);
    const text = chunks.join('');
    expect(text.startsWith(prompt)).toBe(true);
    expect(text.slice(prompt.length).trim().length).toBeGreaterThan(10);
    // Streamed: the continuation arrived in several writes, not one at the end.
    expect(chunks.length).toBeGreaterThan(3);
    expect(stderr).toMatch(/24 tokens in [\d.]+ s .*finished by length/);
  }, 120_000);

  it('a seed reproduces its completions; --json prints one generation per line', async () => {
    const args = [
      'generate',
      BASE,
      '--prompt',
      'It was',
      'In the',
      '--max-new-tokens',
      '12',
      '--seed',
      '11',
      '--num-samples',
      '2',
      '--json',
    ];
    const [a, b] = [await run(args), await run(args)];
    expect(a.code, a.stderr).toBe(0);
    const lines = a.chunks
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(lines.map((g) => g.prompt)).toEqual(['It was', 'It was', 'In the', 'In the']);
    for (const g of lines) {
      expect(g.tokens).toHaveLength(12);
      expect(g.finishReason).toBe('length');
    }
    expect(b.chunks.join('')).toBe(a.chunks.join(''));
  }, 120_000);

  it('refuses bad input with one line naming it', async () => {
    const fail = async (args: string[]) =>
      promisify(execFile)(process.execPath, [BIN, 'generate', ...args], { env }).then(
        () => null,
        (e: { code: number; stderr: string }) => e,
      );
    const topP = await fail([BASE, '--prompt', 'x', '--top-p', '1.5']);
    expect(topP?.stderr).toMatch(/--top-p must be in \(0, 1\]/);
    const missing = await fail(['/no/such/model', '--prompt', 'x']);
    expect(missing?.code).toBe(1);
    expect(missing?.stderr).toMatch(/model: \/no\/such\/model is not a directory, a run id/);
    const runId = await fail(['run_0b0e5d8e-5f5e-4e0e-9a7e-1c3f6f1d2a4b', '--prompt', 'x']);
    expect(runId?.stderr).toMatch(/model: run_0b0e5d8e.* is on the tracking API; set ANNEAL_API_URL/);
    const notModel = await fail([fileURLToPath(new URL('.', import.meta.url)), '--prompt', 'x']);
    expect(notModel?.stderr).toMatch(/model: .* has no config.json/);
  }, 120_000);
});
