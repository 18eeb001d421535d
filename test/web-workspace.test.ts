// The project workspace in Chromium (playwright-core, `next start`, a live API on embedded PGlite seeded through
// GraphQL): chart panels over the runs the table shows — they follow its filter, selection and grouping; panels
// added (several metrics on one), edited and removed; a panel's data exported as CSV (and PNG); NaN and
// Infinity drawn as markers; a saved view reopened from its URL in a fresh browser; and a phone-sized screen
// without sideways scrolling.

import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, staleBuild, startDashboard } from '../apps/web/browser.ts';
import { ROOT, startStack } from './stack.ts';

const SHOTS = join(ROOT, 'test-results/screenshots');

const RUNS = [
  { name: 'a-lr3', lr: 1e-3, arch: 'small', acc: 0.81 },
  { name: 'b-lr4', lr: 1e-4, arch: 'small', acc: 0.86 },
  { name: 'c-lr2', lr: 1e-2, arch: 'big', acc: 0.74 },
];
/** c-lr2's train/loss is NaN at step 20 and +Infinity at step 30. */
const lossAt = (run: (typeof RUNS)[number], s: number) =>
  run.name === 'c-lr2' && s === 20
    ? 'NaN'
    : run.name === 'c-lr2' && s === 30
      ? 'Infinity'
      : 2 / (1 + s * run.lr * 100);

/** expect.poll with room for a busy machine (its default gives up after one second). */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 20_000, interval: 100 });

describe('the project workspace in Chromium', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let next: ChildProcess;
  let browser: Browser;
  let page: Page;
  let web = '';

  beforeAll(async () => {
    stack = await startStack('workspace');
    const gql = async (query: string, variables: Record<string, unknown> = {}) => {
      const r = await stack.gql(query, variables);
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      return r.data!;
    };
    await gql('mutation { createProject(name: "ws") { id } }');
    for (const run of RUNS) {
      const { createRun } = await gql(
        'mutation($n: String, $c: JSON) { createRun(project: "ws", name: $n, config: $c) { id } }',
        { n: run.name, c: { optim: { lr: run.lr }, arch: run.arch } },
      );
      const points = [
        ...Array.from({ length: 50 }, (_, s) => ({ key: 'train/loss', step: s, value: lossAt(run, s) })),
        ...Array.from({ length: 5 }, (_, i) => ({ key: 'val/loss', step: i * 10 + 9, value: 1 / (i + 2) })),
        ...Array.from({ length: 5 }, (_, i) => ({
          key: 'val/acc',
          step: i * 10 + 9,
          value: (run.acc * (i + 1)) / 5,
        })),
      ];
      await gql('mutation($id: ID!, $p: [PointInput!]!) { logMetrics(runId: $id, points: $p) { stored } }', {
        id: createRun.id,
        p: points,
      });
      await gql('mutation($id: ID!, $s: JSON) { finishRun(runId: $id, summary: $s) { id } }', {
        id: createRun.id,
        s: { 'val/acc': run.acc, 'val/loss': 1 / 6 },
      });
    }
    if (staleBuild())
      execFileSync('pnpm', ['--filter', '@anneal/web', 'build'], {
        cwd: ROOT,
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      });
    ({ url: web, process: next } = await startDashboard(stack.url));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    mkdirSync(SHOTS, { recursive: true });
    await page.goto(`${web}/login`);
    await page.fill('input[name=password]', stack.password);
    await page.click('button[type=submit]');
    await page.getByRole('heading', { name: 'Projects' }).waitFor();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    next?.kill();
    await stack?.close();
  });

  const panel = (title: string) =>
    page.getByTestId('panel').filter({ has: page.getByRole('heading', { name: title, exact: true }) });
  const visibleRuns = () => page.getByTestId('workspace-runs').getAttribute('data-runs');
  const legend = () => page.getByTestId('legend').locator('li').allInnerTexts();

  it('starts a new project with one panel per metric key family, over every visible run', async () => {
    // The default panels show every key, so their series are asked for as every key, once a visit: on the first
    // once the project's keys are known, on the next as the page mounts (this browser remembers).
    const series: string[] = [];
    const onRequest = (r: import('playwright-core').Request) => {
      const url = new URL(r.url());
      const query = r.postData() ?? url.searchParams.get('query') ?? '';
      if (url.pathname === '/graphql' && /query WorkspaceTableSeries/.test(query)) series.push(query);
    };
    page.on('request', onRequest);
    await page.goto(`${web}/p/ws`);
    await page.getByTestId('count').filter({ hasText: '3 runs' }).waitFor();
    await poll(() => page.getByTestId('panel').count()).toBe(2);
    // val/* first (val/acc and val/loss on one panel), then train/loss.
    expect(await page.getByTestId('panel').locator('h3').allInnerTexts()).toEqual(['val/*', 'train/loss']);
    await poll(visibleRuns).toBe('3');
    expect((await legend()).sort()).toEqual(['a-lr3', 'b-lr4', 'c-lr2']);
    // Two metrics × three runs on the val/* panel.
    await poll(() => panel('val/*').getAttribute('data-series')).toBe('6');
    expect(series).toHaveLength(1);
    expect(series[0]).toContain('metrics(xAxis: step');
    await page.screenshot({ path: join(SHOTS, 'workspace.png') });
    expect(await page.evaluate(() => localStorage.getItem('anneal:workspace-every-key:ws'))).toBe('1');
    await page.reload();
    await poll(() => panel('val/*').getAttribute('data-series')).toBe('6');
    page.off('request', onRequest);
    expect(series).toHaveLength(2);
    expect(series[1]).toBe(series[0]);
  });

  it('resizes its panels with the window', async () => {
    // [the plot box's width, the chart's]: the chart fills its box, whatever the window does.
    const widths = () =>
      page
        .getByTestId('plot')
        .first()
        .evaluate((el) => [el.clientWidth, (el.querySelector('.u-wrap') as HTMLElement).offsetWidth]);
    const [before] = await widths();
    await page.setViewportSize({ width: 900, height: 900 });
    await poll(async () => {
      const [box, chart] = await widths();
      return box !== before && chart === box;
    }).toBe(true);
    await page.setViewportSize({ width: 1440, height: 900 });
    await poll(async () => {
      const [box, chart] = await widths();
      return box === before && chart === box;
    }).toBe(true);
  });

  it('draws NaN and Infinity as markers, and counts them', async () => {
    const loss = panel('train/loss');
    await loss.locator('[data-testid=plot][data-drawn=true]').waitFor();
    expect(await loss.getByTestId('nonfinite').getAttribute('data-count')).toBe('2');
    expect(await loss.getByTestId('plot').getAttribute('data-markers-drawn')).toBe('2');
  });

  it('follows the table: its filter, its selection and its grouping', async () => {
    const small = encodeURIComponent('{"field":"config.arch","op":"EQ","value":"small"}');
    await page.goto(`${web}/p/ws?filter=${small}`);
    await page.getByTestId('count').filter({ hasText: '2 runs' }).waitFor();
    await poll(visibleRuns).toBe('2');
    expect((await legend()).sort()).toEqual(['a-lr3', 'b-lr4']);
    await poll(() => panel('train/loss').getAttribute('data-series')).toBe('2');
    // c-lr2 (the NaN run) is filtered out: no markers.
    expect(await panel('train/loss').getByTestId('nonfinite').count()).toBe(0);
    // Ticking a run narrows the panels to the selection.
    await page.goto(`${web}/p/ws`);
    await page.getByTestId('count').filter({ hasText: '3 runs' }).waitFor();
    await page.getByTestId('run-row').filter({ hasText: 'b-lr4' }).locator('input[type=checkbox]').click();
    await page.waitForURL(/sel=run_/);
    await poll(visibleRuns).toBe('1');
    expect(await legend()).toEqual(['b-lr4']);
    await poll(() => panel('train/loss').getAttribute('data-series')).toBe('1');
    // Grouped by a config key: one line (the mean, with a min–max band) per group.
    await page.goto(`${web}/p/ws?group=config.arch`);
    await poll(legend).toEqual(['config.arch=big', 'config.arch=small (2)']);
    await poll(() => panel('train/loss').getAttribute('data-series')).toBe('2');
    await page.getByText('2 groups by config.arch (mean, min–max band)').waitFor();
  });

  it('adds a panel of several metrics, edits it, removes another, and exports a panel as CSV and PNG', async () => {
    await page.goto(`${web}/p/ws`);
    await poll(() => page.getByTestId('panel').count()).toBe(2);
    await page.getByRole('button', { name: 'Add panel' }).click();
    const editor = page.getByTestId('panel-editor');
    await editor.getByRole('checkbox', { name: 'train/loss', exact: true }).check();
    await editor.getByRole('checkbox', { name: 'val/loss', exact: true }).check();
    await editor.getByRole('button', { name: 'Add panel' }).click();
    const both = panel('train/loss, val/loss');
    await poll(() => both.getAttribute('data-series')).toBe('6');
    // Edit: a title and a log y-axis.
    await both.getByRole('button', { name: 'Edit train/loss, val/loss' }).click();
    await page.getByTestId('panel-editor').getByLabel('Title').fill('Losses');
    await page.getByTestId('panel-editor').getByLabel('log y').check();
    await page.getByTestId('panel-editor').getByRole('button', { name: 'Apply' }).click();
    await poll(() => panel('Losses').getAttribute('data-series')).toBe('6');
    expect(await page.getByTestId('panel').count()).toBe(3);
    // Remove val/*.
    await panel('val/*').getByRole('button', { name: 'Remove val/*' }).click();
    expect(await page.getByTestId('panel').locator('h3').allInnerTexts()).toEqual(['train/loss', 'Losses']);
    // A bar panel of a summary value, exported as CSV: one row per run with its value.
    await page.getByRole('button', { name: 'Add panel' }).click();
    await page.getByTestId('panel-editor').getByLabel('Kind').selectOption('bar');
    await page.getByTestId('panel-editor').getByLabel('Summary value').selectOption('val/acc');
    await page.getByTestId('panel-editor').getByRole('button', { name: 'Add panel' }).click();
    const bar = panel('val/acc');
    await poll(() => bar.getAttribute('data-series')).toBe('1');
    const exportCsv = async (p: ReturnType<typeof panel>) => {
      await p.getByText('Export').click();
      const [dl] = await Promise.all([
        page.waitForEvent('download'),
        p.getByRole('button', { name: 'CSV' }).click(),
      ]);
      return { name: dl.suggestedFilename(), text: readFileSync((await dl.path())!, 'utf8') };
    };
    const barCsv = await exportCsv(bar);
    expect(barCsv.name).toBe('val_acc.csv');
    const barRows = barCsv.text.trim().split('\n');
    expect(barRows[0]).toBe('run,val/acc');
    expect(barRows.slice(1).sort()).toEqual(['a-lr3,0.81', 'b-lr4,0.86', 'c-lr2,0.74']);
    // The loss panel's CSV: every point of every run (50 steps each), NaN and Infinity written as such.
    const loss = await exportCsv(panel('train/loss'));
    const rows = loss.text.trim().split('\n');
    expect(rows[0]).toBe('run,metric,step,value,min,max');
    expect(rows).toHaveLength(1 + 3 * 50);
    expect(rows).toContain('c-lr2,train/loss,20,NaN,NaN,NaN');
    expect(rows).toContain('c-lr2,train/loss,30,Infinity,Infinity,Infinity');
    expect(rows).toContain(
      `a-lr3,train/loss,10,${2 / (1 + 10 * 1e-3 * 100)},${2 / (1 + 10 * 1e-3 * 100)},${2 / (1 + 10 * 1e-3 * 100)}`,
    );
    // Arranging: val/acc one place earlier, then back.
    await bar.getByRole('button', { name: 'Move val/acc earlier' }).click();
    expect(await page.getByTestId('panel').locator('h3').allInnerTexts()).toEqual([
      'train/loss',
      'val/acc',
      'Losses',
    ]);
    await bar.getByRole('button', { name: 'Move val/acc later' }).click();
    expect(await page.getByTestId('panel').locator('h3').allInnerTexts()).toEqual([
      'train/loss',
      'Losses',
      'val/acc',
    ]);
    // Fullscreen: the chart redrawn across the screen, with a legend of values; Close returns it to the grid.
    await panel('Losses').getByRole('button', { name: 'Fullscreen Losses' }).click();
    await poll(() =>
      panel('Losses')
        .locator('canvas')
        .evaluate((c) => c.getBoundingClientRect().width),
    ).toBeGreaterThan(1000);
    expect(await panel('Losses').locator('.u-legend').count()).toBe(1);
    await panel('Losses').getByRole('button', { name: 'Exit fullscreen' }).click();
    await poll(() =>
      panel('Losses')
        .locator('canvas')
        .evaluate((c) => c.getBoundingClientRect().width),
    ).toBeLessThan(1000);
    // PNG: an image file comes down.
    await panel('Losses').getByText('Export').click();
    const [png] = await Promise.all([
      page.waitForEvent('download'),
      panel('Losses').getByRole('button', { name: 'PNG' }).click(),
    ]);
    expect(png.suggestedFilename()).toBe('Losses.png');
    expect(
      readFileSync((await png.path())!)
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
  });

  it('saves a view and reopens it from its URL in a fresh browser, table state included', async () => {
    await page.goto(`${web}/p/ws?group=config.arch`);
    await poll(() => page.getByTestId('panel').locator('h3').allInnerTexts()).toEqual([
      'train/loss',
      'Losses',
      'val/acc',
    ]);
    await page.getByRole('button', { name: 'Save view as…' }).click();
    await page.getByLabel('View name').fill('loss review');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(/view=view_/);
    const url = new URL(page.url());
    const id = url.searchParams.get('view')!;
    // A fresh browser context: no local draft; the view comes from the server, the grouping with it.
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    try {
      const p = await ctx.newPage();
      p.on('pageerror', (e) => console.error(`page error: ${e.message}`));
      await p.goto(`${web}/login`);
      await p.fill('input[name=password]', stack.password);
      await p.click('button[type=submit]');
      await p.getByRole('heading', { name: 'Projects' }).waitFor();
      await p.goto(`${web}/p/ws?view=${id}`);
      await poll(() => p.getByTestId('panel').locator('h3').allInnerTexts()).toEqual([
        'train/loss',
        'Losses',
        'val/acc',
      ]);
      await p.waitForURL(/group=config\.arch/);
      await poll(() => p.getByTestId('legend').locator('li').allInnerTexts()).toEqual([
        'config.arch=big',
        'config.arch=small (2)',
      ]);
      expect(await p.getByTestId('view-select').inputValue()).toBe(id);
      // The user's default view: the project page without ?view= opens it; choosing the browser's own
      // workspace leaves it.
      await p.getByRole('button', { name: 'Make default' }).click();
      await p.getByRole('button', { name: 'Default view ✓' }).waitFor();
      await p.goto(`${web}/p/ws`);
      // The view opens with its table state (grouped by config.arch).
      await p.waitForURL(
        (u) => u.searchParams.get('view') === id && u.searchParams.get('group') === 'config.arch',
      );
      await p.getByTestId('view-select').selectOption({ index: 0 });
      await p.waitForURL((u) => u.searchParams.get('view') === 'none');
      await p.waitForTimeout(500);
      expect(new URL(p.url()).searchParams.get('view')).toBe('none');
      await poll(() => p.getByTestId('panel').count()).toBeGreaterThan(0);
    } finally {
      await ctx.close();
    }
  });

  it('fits a 390×844 screen without sideways scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${web}/p/ws`);
    await page.getByTestId('panel').first().locator('[data-testid=plot][data-drawn=true]').waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    await page.screenshot({ path: join(SHOTS, 'workspace-390.png'), fullPage: true });
    expect(width).toBeLessThanOrEqual(390);
  });
});
