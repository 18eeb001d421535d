// A run page's tables in Chromium (playwright-core against `next start` and the stack's API on PGlite, as
// test/web.test.ts): generated samples at two steps behind a slider, and the test-prediction table paged,
// filtered and sorted on the server. The tables are logged through GraphQL's logTable, as a tracked run logs
// them (test/tables.test.ts checks that training does).
import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, staleBuild, startDashboard } from '../apps/web/browser.ts';
import { ROOT, startStack } from './stack.ts';

const SHOTS = join(ROOT, 'test-results/screenshots');
const LOG = `mutation($runId: ID!, $key: String!, $step: Float!, $columns: [String!]!, $rows: JSON!) {
  logTable(runId: $runId, key: $key, step: $step, columns: $columns, rows: $rows) { stored } }`;

/** 60 test predictions, the misclassified first (every fifth example wrong), as the trainer orders them. */
const PREDICTIONS = Array.from({ length: 60 }, (_, i) => {
  const label = i % 2;
  const correct = i % 5 !== 0;
  // Two decimals, so a cell reads the same on the page (6 significant digits) as here.
  const pLabel = (correct ? 55 + (i % 40) : 5 + (i % 30)) / 100;
  const probability = correct ? pLabel : (100 - pLabel * 100) / 100;
  return [
    `e-mail ${i}${i % 7 === 0 ? ' WIN A PRIZE' : ''}`,
    label,
    correct ? label : 1 - label,
    probability,
    pLabel,
    correct,
  ];
}).sort((a, b) => Number(a[5]) - Number(b[5]) || (a[4] as number) - (b[4] as number));

describe('a run page shows its samples and its prediction table', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let next: ChildProcess;
  let browser: Browser;
  let page: Page;
  let web = '';
  let runId = '';

  beforeAll(async () => {
    stack = await startStack('web-tables');
    const gql = async (query: string, variables: Record<string, unknown> = {}) => {
      const r = await stack.gql(query, variables);
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      return r.data!;
    };
    runId = (await gql('mutation { createRun(project: "default", name: "tables-run") { id } }')).createRun.id;
    for (const [step, words] of [
      [100, 'the the the'],
      [200, 'was a fine day'],
    ] as const)
      await gql(LOG, {
        runId,
        key: 'samples',
        step,
        columns: ['prompt', 'text'],
        rows: [
          ['It was', ` ${words} (step ${step})`],
          ['The jury', ` said ${words}`],
        ],
      });
    await gql(LOG, {
      runId,
      key: 'test/predictions',
      step: 200,
      columns: ['text', 'label', 'prediction', 'probability', 'p_label', 'correct'],
      rows: PREDICTIONS,
    });
    if (staleBuild())
      execFileSync('pnpm', ['--filter', '@anneal/web', 'build'], {
        cwd: ROOT,
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      });
    ({ url: web, process: next } = await startDashboard(stack.url));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    mkdirSync(SHOTS, { recursive: true });
    await page.goto(`${web}/login`);
    await page.fill('input[name=password]', stack.password);
    await page.click('button[type=submit]');
    await page.getByRole('heading', { name: 'Projects' }).waitFor();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    next?.kill();
    await stack?.close();
  });

  it('slides between the samples of two evaluations', async () => {
    await page.goto(`${web}/r/${runId}`);
    await page.getByRole('heading', { name: 'Samples' }).waitFor();
    // The latest step first.
    await expect.poll(() => page.getByTestId('samples-step').textContent()).toMatch(/^step 200 \(2 of 2\)/);
    await expect
      .poll(() => page.getByTestId('samples').textContent())
      .toContain('It was was a fine day (step 200)');
    expect(await page.getByTestId('samples').locator('li').count()).toBe(2);
    // The slider to the first evaluation.
    await page.getByTestId('samples-slider').focus();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.getByTestId('samples-step').textContent()).toMatch(/^step 100 \(1 of 2\)/);
    await expect
      .poll(() => page.getByTestId('samples').textContent())
      .toContain('It was the the the (step 100)');
    expect(await page.getByTestId('samples').textContent()).toContain('The jury said the the the');
    await page.screenshot({ path: join(SHOTS, 'run-samples.png'), fullPage: true });
  });

  it('pages, filters and sorts the prediction table on the server', async () => {
    await page.goto(`${web}/r/${runId}`);
    await page.getByRole('heading', { name: 'Test predictions' }).waitFor();
    const table = page.getByTestId('table-test-predictions');
    const count = page.getByTestId('table-test-predictions-count');
    const firstCells = async () =>
      (await table.locator('tbody tr').first().locator('td').allTextContents()).slice(1);
    await expect.poll(() => count.textContent()).toBe('60 rows at step 200 — showing 1–25');
    expect(await table.locator('tbody tr').count()).toBe(25);
    // As logged: the worst-misclassified first.
    expect(await firstCells()).toEqual(PREDICTIONS[0].map(String));
    // The next page.
    await page.getByTestId('table-test-predictions-next').click();
    await expect.poll(() => count.textContent()).toBe('60 rows at step 200 — showing 26–50');
    // The count follows the page at once; its rows when they arrive.
    await expect.poll(firstCells).toEqual(PREDICTIONS[25].map(String));
    // Only the misclassified: correct = false.
    await page.getByTestId('filter-column').selectOption('correct');
    await page.getByTestId('filter-op').selectOption('EQ');
    await page.getByTestId('filter-value').fill('false');
    await page.getByTestId('filter-add').click();
    const wrong = PREDICTIONS.filter((r) => r[5] === false);
    await expect
      .poll(() => count.textContent())
      .toBe(`${wrong.length} of 60 rows at step 200 — showing 1–${wrong.length}`);
    // Sorted by probability, highest first (a second click on the heading).
    await table.getByRole('button', { name: 'probability' }).click();
    await table.getByRole('button', { name: /probability ▲/ }).click();
    const byProb = [...wrong].sort(
      (a, b) => (b[3] as number) - (a[3] as number) || PREDICTIONS.indexOf(a) - PREDICTIONS.indexOf(b),
    );
    await expect.poll(firstCells).toEqual(byProb[0].map(String));
    expect(await table.getByRole('columnheader', { name: /probability/ }).getAttribute('aria-sort')).toBe(
      'descending',
    );
    // And CONTAINS on the text, as a second condition.
    await page.getByTestId('filter-column').selectOption('text');
    await page.getByTestId('filter-op').selectOption('CONTAINS');
    await page.getByTestId('filter-value').fill('prize');
    await page.getByTestId('filter-add').click();
    const prize = wrong.filter((r) => String(r[0]).includes('PRIZE'));
    await expect.poll(() => count.textContent()).toMatch(new RegExp(`^${prize.length} of 60 rows`));
    await page.screenshot({ path: join(SHOTS, 'run-predictions.png'), fullPage: true });
    // Removing the conditions brings every row back.
    while (await page.getByTestId('filter-chip').count())
      await page.getByTestId('filter-chip').first().click();
    await expect.poll(() => count.textContent()).toBe('60 rows at step 200 — showing 1–25');
  });
});
