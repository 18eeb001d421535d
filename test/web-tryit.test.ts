// The try-it box in a real browser (Chromium via playwright-core, `next start`, the embedded stack with a worker
// on lavapipe): on a causal-LM run's page a prompt streams back generated text — the text the API stored for the
// request — and on a classifier's model artifact page a text gets a bar per class. Screenshots go to
// test-results/screenshots/.
import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, staleBuild, startDashboard } from '../apps/web/browser.ts';
import { ROOT, startStack, until } from './stack.ts';

const SHOTS = join(ROOT, 'test-results/screenshots');

describe('the try-it box in Chromium', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let next: ChildProcess;
  let browser: Browser;
  let page: Page;
  let web = '';
  const runs: Record<string, string> = {};

  async function launch(config: Record<string, unknown>) {
    const r = await stack.gql('mutation($c: JSON!) { launchRun(project: "default", config: $c) { id } }', {
      c: config,
    });
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    const id = r.data!.launchRun.id as string;
    const done = await until(async () => {
      const s = (await stack.gql('query($id: ID!) { run(id: $id) { status } }', { id })).data!.run.status;
      return s === 'finished' || s === 'failed';
    }, 180_000);
    expect(done).toBe(true);
    return id;
  }

  beforeAll(async () => {
    stack = await startStack('web-tryit');
    mkdirSync(join(stack.dir, 'data'), { recursive: true });
    const rows = Array.from({ length: 40 }, (_, i) =>
      JSON.stringify(
        i % 2 ? { text: `win free money now ${i}`, label: 1 } : { text: `see you at lunch ${i}`, label: 0 },
      ),
    );
    writeFileSync(join(stack.dir, 'data', 'spam.jsonl'), `${rows.join('\n')}\n`);
    runs.lm = await launch(stack.lmConfig('tryit-lm', 2));
    runs.spam = await launch({
      name: 'tryit-spam',
      model: { base: 'bases/tiny', task: 'sequence-classification', numLabels: 2 },
      data: { source: { kind: 'jsonl', path: 'spam.jsonl' }, maxLength: 12 },
      train: { batchSize: 4, epochs: 1, maxSteps: 2, evalEvery: 1000, logEvery: 1 },
      output: { dir: 'runs' },
    });
    if (staleBuild())
      execFileSync('pnpm', ['--filter', '@anneal/web', 'build'], {
        cwd: ROOT,
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      });
    let url: string;
    ({ url, process: next } = await startDashboard(stack.url));
    web = url;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    mkdirSync(SHOTS, { recursive: true });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    next?.kill();
    await stack?.close();
  });

  it("streams generated text into the box on a causal-LM run's page", async () => {
    await page.goto(`${web}/r/${runs.lm}`);
    const box = page.getByTestId('try-it');
    await box.getByRole('heading', { name: 'Try it' }).waitFor();
    await box.getByTestId('try-input').fill('The jury said');
    await box.getByLabel('max new tokens').fill('16');
    await box.getByLabel('temperature').fill('0');
    await box.getByRole('button', { name: 'Generate' }).click();
    // Done when the timing line shows; the text in the box is what the API stored for the request.
    await box.getByTestId('try-timing').waitFor({ timeout: 120_000 });
    const shown = await box.getByTestId('try-output').textContent();
    const { run } = (
      await stack.gql('query($id: ID!) { run(id: $id) { tryRequests { input output status options } } }', {
        id: runs.lm,
      })
    ).data!;
    const [req] = run.tryRequests;
    expect(req).toMatchObject({ input: 'The jury said', status: 'finished' });
    expect(req.options).toMatchObject({ maxNewTokens: 16, temperature: 0 });
    expect(req.output.trim().length).toBeGreaterThan(0);
    expect(shown).toBe(`The jury said${req.output}`);
    expect(await box.getByTestId('try-timing').textContent()).toMatch(/tokens/);
    await box.screenshot({ path: join(SHOTS, 'tryit-generate.png') });
    // The request is stored: after a reload it is listed under the box, with who asked and what came back.
    await page.reload();
    const recent = page.getByTestId('try-recent');
    await recent.waitFor();
    const row = recent.getByRole('row').filter({ hasText: 'The jury said' });
    const cells = await row.getByRole('cell').allTextContents();
    expect(cells[1]).toBe('admin');
    expect(cells[3]).toBe(req.output.length > 80 ? `${req.output.slice(0, 80)}…` : req.output);
  }, 180_000);

  it('sends a chat message with its system message; a model without a chat template says so', async () => {
    await page.goto(`${web}/r/${runs.lm}`);
    const box = page.getByTestId('try-it');
    await box.getByRole('heading', { name: 'Try it' }).waitFor();
    await box.getByTestId('try-chat').check();
    await box.getByTestId('try-system').fill('Be brief.');
    await box.getByTestId('try-input').fill('Hello there');
    await box.getByRole('button', { name: 'Generate' }).click();
    await expect
      .poll(async () => box.getByTestId('try-failed').textContent(), { timeout: 120_000 })
      .toMatch(/has no chat template/);
    const { run } = (
      await stack.gql('query($id: ID!) { run(id: $id) { tryRequests { input status options } } }', {
        id: runs.lm,
      })
    ).data!;
    const req = run.tryRequests.find((r: { input: string }) => r.input === 'Hello there');
    expect(req).toMatchObject({ status: 'failed', options: { chat: true, system: 'Be brief.' } });
  }, 180_000);

  it("shows a bar per class on a classifier's model artifact page", async () => {
    const { run } = (
      await stack.gql('query($id: ID!) { run(id: $id) { artifacts { id kind } } }', { id: runs.spam })
    ).data!;
    const model = run.artifacts.find((a: { kind: string }) => a.kind === 'model');
    // The run page links the artifact; its page has the box.
    await page.goto(`${web}/r/${runs.spam}`);
    await page
      .getByTestId('artifacts')
      .getByRole('link', { name: /^model-/ })
      .click();
    await page.waitForURL(`**/artifacts/${model.id}`);
    const box = page.getByTestId('try-it');
    await box.getByTestId('try-input').fill('win free money now');
    await box.getByRole('button', { name: 'Classify' }).click();
    const bars = box.getByTestId('try-probabilities');
    await bars.waitFor({ timeout: 120_000 });
    const meters = bars.locator('meter');
    expect(await meters.count()).toBe(2);
    const values = await meters.evaluateAll((ms) => ms.map((m) => (m as HTMLMeterElement).value));
    expect(values[0] + values[1]).toBeCloseTo(1, 5);
    // The bars are the probabilities the API stored for the request.
    const stored = (
      await stack.gql('query($id: ID!) { run(id: $id) { tryRequests { input probabilities } } }', {
        id: runs.spam,
      })
    ).data!.run.tryRequests[0];
    expect(stored.input).toBe('win free money now');
    expect(values[0]).toBeCloseTo(stored.probabilities[0], 6);
    expect(values[1]).toBeCloseTo(stored.probabilities[1], 6);
    await page.screenshot({ path: join(SHOTS, 'tryit-classify.png'), fullPage: true });
  }, 180_000);
});
