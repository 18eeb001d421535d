// `anneal generate` end to end on the shipped tiny GPT base: text streams to stdout as it is generated, a seed
// reproduces a completion, and bad input is one line naming what was wrong.

import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it("--chat answers through the model's chat template, as --prompt does for the rendered text", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anneal-chat-cli-'));
    try {
      cpSync(BASE, dir, { recursive: true });
      writeFileSync(
        join(dir, 'tokenizer_config.json'),
        JSON.stringify({
          chat_template:
            "{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}{% if add_generation_prompt %}assistant:{% endif %}",
        }),
      );
      const opts = ['--max-new-tokens', '10', '--temperature', '0', '--json'];
      const chat = await run(['generate', dir, '--chat', 'The jury said', '--system', 'Be brief.', ...opts]);
      expect(chat.code, chat.stderr).toBe(0);
      const [reply] = chat.chunks
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const rendered = 'system: Be brief.\nuser: The jury said\nassistant:';
      expect(reply.prompt).toBe(rendered);
      expect(reply.tokens).toHaveLength(10);
      const plain = await run(['generate', dir, '--prompt', rendered, ...opts]);
      expect(JSON.parse(plain.chunks.join('').trim()).tokens).toEqual(reply.tokens);
      // Streamed, the reply alone (no rendered prompt echoed).
      const streamed = await run([
        'generate',
        dir,
        '--chat',
        'The jury said',
        '--system',
        'Be brief.',
        '--max-new-tokens',
        '10',
        '--temperature',
        '0',
      ]);
      expect(streamed.code, streamed.stderr).toBe(0);
      expect(streamed.chunks.join('')).toBe(`${reply.text}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('refuses bad input with one line naming it', async () => {
    const fail = async (args: string[]) =>
      promisify(execFile)(process.execPath, [BIN, 'generate', ...args], { env }).then(
        () => null,
        (e: { code: number; stderr: string }) => e,
      );
    // Each is refused before a GPU is opened; they run side by side.
    const [topP, missing, runId, notModel, neither, both, system, noTemplate] = await Promise.all([
      fail([BASE, '--prompt', 'x', '--top-p', '1.5']),
      fail(['/no/such/model', '--prompt', 'x']),
      fail(['run_0b0e5d8e-5f5e-4e0e-9a7e-1c3f6f1d2a4b', '--prompt', 'x']),
      fail([fileURLToPath(new URL('.', import.meta.url)), '--prompt', 'x']),
      fail([BASE]),
      fail([BASE, '--prompt', 'x', '--chat', 'y']),
      fail([BASE, '--prompt', 'x', '--system', 'y']),
      fail([BASE, '--chat', 'hello']),
    ]);
    expect(topP?.stderr).toMatch(/--top-p must be in \(0, 1\]/);
    expect(missing?.code).toBe(1);
    expect(missing?.stderr).toMatch(/model: \/no\/such\/model is not a directory, a run id/);
    expect(runId?.stderr).toMatch(/model: run_0b0e5d8e.* is on the tracking API; set ANNEAL_API_URL/);
    expect(notModel?.stderr).toMatch(/model: .* has no config.json/);
    expect(neither?.stderr).toMatch(/give either --prompt or --chat/);
    expect(both?.stderr).toMatch(/give either --prompt or --chat/);
    expect(system?.stderr).toMatch(/--system goes with --chat/);
    expect(noTemplate?.stderr).toMatch(
      /--chat: .*gpt-brown-256 has no chat template \(its tokenizer_config.json carries no chat_template\); use --prompt/,
    );
  }, 120_000);
});
