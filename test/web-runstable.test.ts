// The runs table and the compare page in a real browser (Debian's Chromium via playwright-core, against
// `next start` and a live API seeded through GraphQL), at a desktop (1440×900) and a phone (390×844) size:
// search, the typed filter builder and its readable errors, the column picker (search, drag reorder, pin),
// binned grouping of a learning rate, NaN sorted last both ways, keyboard navigation, the table scrolling in its
// own region (the page never sideways), and the compare page's defaults and adding/removing runs in place.
import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, staleBuild, startDashboard } from '../apps/web/browser.ts';
import { ROOT, startStack } from './stack.ts';

const SHOTS = join(ROOT, 'test-results/screenshots');

// A learning-rate sweep over four decades: 12 runs, 3 a decade. Every run reports val/accuracy; all but three
// report val/loss — two of them diverged (NaN: JSON null, or the string "NaN") and one never got there.
const LRS = [1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2];
const lossOf = (i: number): unknown => (i === 4 ? null : i === 8 ? 'NaN' : i === 11 ? undefined : 1 + i / 10);

describe('the runs table and compare in Chromium', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let next: ChildProcess;
  let browser: Browser;
  let web = '';
  const ids: string[] = [];

  beforeAll(async () => {
    stack = await startStack('web-runstable');
    const gql = async (query: string, variables: Record<string, unknown> = {}) => {
      const r = await stack.gql(query, variables);
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      return r.data!;
    };
    for (const [i, lr] of LRS.entries()) {
      const { createRun } = await gql(
        'mutation($n: String, $c: JSON, $t: [String!], $notes: String) { createRun(project: "default", name: $n, config: $c, tags: $t, notes: $notes) { id } }',
        {
          n: `sweep-${String(i).padStart(2, '0')}`,
          c: { optim: { lr }, arch: i % 2 ? 'lstm' : 'gpt', seed: 7, batch: 32, model: { d: 64 } },
          t: i % 3 === 0 ? ['keeper'] : ['sweep'],
          notes: i === 5 ? 'promising warmup' : '',
        },
      );
      ids.push(createRun.id);
      const loss = lossOf(i);
      await gql('mutation($id: ID!, $s: JSON) { finishRun(runId: $id, summary: $s) { id } }', {
        id: createRun.id,
        s: { 'val/accuracy': 0.5 + i / 100, ...(loss === undefined ? {} : { 'val/loss': loss }) },
      });
    }
    if (staleBuild())
      execFileSync('pnpm', ['--filter', '@anneal/web', 'build'], {
        cwd: ROOT,
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      });
    let url: string;
    ({ url, process: next } = await startDashboard(stack.url));
    web = url;
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    next?.kill();
    await stack?.close();
  });

  describe.each([
    [1440, 900],
    [390, 844],
  ])('at %i×%i', (width, height) => {
    let page: Page;
    beforeAll(async () => {
      page = await browser.newPage({ viewport: { width, height } });
    });
    afterAll(() => page?.close());

    const open = async (query = '') => {
      await page.goto(`${web}/p/default${query}`);
      await page
        .getByTestId('count')
        .filter({ hasText: /^\d+ runs?$/ })
        .waitFor();
    };
    const count = (n: number) =>
      page
        .getByTestId('count')
        .filter({ hasText: new RegExp(`^${n} runs?$`) })
        .waitFor();
    const rowNames = () => page.getByTestId('run-row').locator('td:nth-child(2)').allInnerTexts();
    /** The page is no wider than the window: wide tables scroll in their own region. */
    const fitsWidth = async () => {
      const wide = await page.evaluate(
        (w) =>
          [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > w + 0.5)
            .slice(0, 5)
            .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`),
        width,
      );
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth),
        wide.join('; '),
      ).toBeLessThanOrEqual(width);
    };

    it('searches names, tags, notes and ids from the search box (server side), in the URL', async () => {
      await open();
      await count(12);
      const box = page.getByRole('searchbox', { name: /Search runs/ });
      await box.fill('keeper');
      await page.waitForURL(/q=keeper/);
      await count(4);
      expect((await rowNames()).sort()).toEqual(['sweep-00', 'sweep-03', 'sweep-06', 'sweep-09']);
      await box.fill('promising');
      await page.waitForURL(/q=promising/);
      await expect.poll(rowNames).toEqual(['sweep-05']);
      await box.fill(ids[7].slice(4, 16));
      await page.waitForURL(new RegExp(`q=${ids[7].slice(4, 16)}`));
      await expect.poll(rowNames).toEqual(['sweep-07']);
      await box.fill('');
      await count(12);
      await fitsWidth();
    });

    it('filters with typed operators, and a bad value or operator reads as a sentence', async () => {
      await open();
      const builder = page.getByTestId('filter-builder');
      await builder.getByRole('button', { name: '+ condition' }).click();
      await builder.getByLabel('field 1').fill('config.optim.lr');
      const ops = await builder.getByLabel('operator 1').locator('option').allInnerTexts();
      expect(ops).toEqual(['=', '≠', '<', '≤', '>', '≥', 'exists', 'is missing']);
      await builder.getByLabel('operator 1').selectOption({ label: '≥' });
      // A value that is not a number: the row says so and nothing is applied.
      await builder.getByLabel('value 1').fill('abc');
      await builder.getByRole('button', { name: 'Apply conditions' }).click();
      await builder
        .getByRole('alert')
        .filter({ hasText: "row 1: config.optim.lr is a number; 'abc' is not a number" })
        .waitFor();
      expect(page.url()).not.toMatch(/filter=/);
      await builder.getByLabel('value 1').fill('1e-3');
      await builder.getByRole('button', { name: 'Apply conditions' }).click();
      await page.waitForURL(/filter=/);
      await count(6);
      // A text field offers text operators.
      await builder.getByRole('button', { name: '+ condition' }).click();
      await builder.getByLabel('field 2').fill('config.arch');
      expect(await builder.getByLabel('operator 2').locator('option').allInnerTexts()).toEqual([
        'is',
        'is not',
        'contains',
        'exists',
        'is missing',
      ]);
      await builder.getByLabel('operator 2').selectOption({ label: 'contains' });
      await builder.getByLabel('value 2').fill('ST');
      await builder.getByRole('button', { name: 'Apply conditions' }).click();
      await count(3);
      // An operator the API does not have, typed as JSON: an error naming the place, not GraphQL's text.
      await page.fill('input[name=filter]', '{"field": "summary.val/loss", "op": "GREATER", "value": 1}');
      await page.getByRole('button', { name: 'Apply', exact: true }).click();
      const alert = page.getByRole('alert').filter({ hasText: 'filter.op: "GREATER" is not an operator' });
      await alert.waitFor();
      expect(await page.getByText('Variable "$filter"').count()).toBe(0);
      await fitsWidth();
    });

    it('picks columns: the varying config keys by default; searched, dragged into order and pinned', async () => {
      await open();
      const headers = () =>
        page
          .locator('[data-testid=runs-region] thead th')
          .evaluateAll((ths) => ths.map((th) => th.getAttribute('data-col')));
      // Defaults: the config keys that differ (not seed, batch or model.d, the same in every run), then metrics.
      let cols = await headers();
      expect(cols).toEqual(
        expect.arrayContaining(['config.arch', 'config.optim.lr', 'summary.val/accuracy']),
      );
      expect(cols).not.toContain('config.seed');
      await page.getByText(/^Columns/).click();
      const picker = page.getByTestId('column-picker');
      await picker.getByRole('searchbox', { name: 'Search columns' }).fill('mod');
      expect(
        (await picker.getByTestId('other-columns').locator('li').allInnerTexts()).map((t) => t.trim()),
      ).toEqual(['config.model.d']);
      expect(await picker.getByTestId('chosen-column').count()).toBe(0);
      await picker.getByRole('searchbox', { name: 'Search columns' }).fill('');
      // Drag the second shown column above the first.
      const chosen = () =>
        picker.getByTestId('chosen-column').evaluateAll((li) => li.map((l) => l.getAttribute('data-col')));
      const [first, second] = await chosen();
      const from = (await picker.getByTestId(`drag-${second}`).boundingBox())!;
      const to = (await picker.getByTestId(`drag-${first}`).boundingBox())!;
      await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
      await page.mouse.down();
      for (let i = 1; i <= 10; i++)
        await page.mouse.move(
          from.x + from.width / 2,
          from.y + from.height / 2 + ((to.y - from.y - 4) * i) / 10,
        );
      await page.mouse.up();
      await expect.poll(chosen).toEqual(expect.arrayContaining([second, first]));
      expect((await chosen()).slice(0, 2)).toEqual([second, first]);
      await page.waitForURL(
        new RegExp(`cols=${encodeURIComponent(second!).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
      );
      cols = await headers();
      expect(cols.indexOf(second)).toBeLessThan(cols.indexOf(first));
      // Pin the last shown column: it moves to the left, after the name, and stays put as the table scrolls.
      const last = (await chosen()).at(-1)!;
      await picker.getByRole('button', { name: `pin ${last}` }).click();
      await page.waitForURL(/pin=/);
      await expect.poll(async () => (await headers()).slice(0, 3)).toEqual(['select', 'name', last]);
      const th = page.locator(`[data-testid=runs-region] th[data-col="${last}"]`);
      expect(await th.evaluate((e) => getComputedStyle(e).position)).toBe('sticky');
      await page.getByTestId('runs-region').evaluate((e) => {
        e.scrollLeft = 400;
      });
      const region = (await page.getByTestId('runs-region').boundingBox())!;
      const pinnedBox = (await th.boundingBox())!;
      expect(pinnedBox.x).toBeLessThan(region.x + 400);
      // Widen the name column by dragging its header's edge.
      const nameTh = page.locator('[data-testid=runs-region] th[data-col=name]');
      const before = (await nameTh.boundingBox())!.width;
      const edge = (await page.getByTestId('resize-name').boundingBox())!;
      await page.mouse.move(edge.x + edge.width / 2, edge.y + edge.height / 2);
      await page.mouse.down();
      await page.mouse.move(edge.x + edge.width / 2 + 40, edge.y + edge.height / 2, { steps: 4 });
      await page.mouse.move(edge.x + edge.width / 2 + 80, edge.y + edge.height / 2, { steps: 4 });
      await page.mouse.up();
      await expect.poll(async () => Math.round((await nameTh.boundingBox())!.width - before)).toBe(80);
      await page.screenshot({ path: join(SHOTS, `runs-table-${width}.png`) });
      await fitsWidth();
      // Back to the defaults.
      await picker.getByRole('button', { name: 'Reset to default' }).click();
      await page.waitForURL((u) => !u.search.includes('cols='));
    });

    it('groups a learning rate in decades, or a group per value on request', async () => {
      await open();
      await page.selectOption('select[name=group]', 'config.optim.lr');
      await page.waitForURL(/group=config\.optim\.lr/);
      await expect.poll(() => page.getByTestId('group-row').count()).toBe(4);
      const rows = await page.getByTestId('group-row').allInnerTexts();
      expect(rows[0]).toMatch(/0\.01 ≤ x < 0\.1\s+3/);
      expect(rows[3]).toMatch(/0\.00001 ≤ x < 0\.0001\s+3/);
      await page.getByRole('button', { name: 'expand config.optim.lr = 0.01 ≤ x < 0.1' }).click();
      await expect.poll(() => page.getByTestId('group-member').count()).toBe(3);
      expect(
        (await page.getByTestId('group-member').locator('td:nth-child(2)').allInnerTexts()).sort(),
      ).toEqual(['sweep-09', 'sweep-10', 'sweep-11']);
      await fitsWidth();
      await page.selectOption('select[name=bins]', 'off');
      await expect.poll(() => page.getByTestId('group-row').count()).toBe(12);
      await page.selectOption('select[name=group]', '');
    });

    it('sorts NaN (and null) last, ascending and descending', async () => {
      await open('?cols=summary.val%2Floss');
      const header = page.locator('[data-testid=runs-region] th[data-col="summary.val/loss"] button');
      const tail = async () => (await rowNames()).slice(-3).sort();
      await header.click();
      await page.waitForURL(/sort=summary\.val%2Floss&dir=DESC|dir=DESC&.*sort=summary/);
      await expect.poll(async () => (await rowNames())[0]).toBe('sweep-10');
      expect(await tail()).toEqual(['sweep-04', 'sweep-08', 'sweep-11']);
      await header.click();
      await page.waitForURL(/dir=ASC/);
      await expect.poll(async () => (await rowNames())[0]).toBe('sweep-00');
      expect(await tail()).toEqual(['sweep-04', 'sweep-08', 'sweep-11']);
    });

    it('is driven from the keyboard: / searches, j and k move, x selects, enter opens', async () => {
      await open('?sort=name&dir=ASC');
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.keyboard.press('/');
      expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('q');
      await page.keyboard.press('Escape');
      await page.keyboard.press('j');
      await page.keyboard.press('j');
      await page.keyboard.press('j');
      await page.keyboard.press('k');
      const current = page.locator('[data-testid=run-row][aria-current=true]');
      await expect.poll(() => current.locator('td:nth-child(2)').innerText()).toBe('sweep-01');
      await page.keyboard.press('x');
      await page.waitForURL(new RegExp(`sel=${ids[1]}`));
      expect(await page.getByLabel('select sweep-01').isChecked()).toBe(true);
      await page.keyboard.press('Enter');
      await page.waitForURL(new RegExp(`/r/${ids[1]}$`));
    });

    it('scrolls the table in its own labelled, focusable region, never the page', async () => {
      await open(
        '?cols=config.arch,config.batch,config.model.d,config.optim.lr,config.seed,summary.val%2Faccuracy,summary.val%2Floss',
      );
      const region = page.getByRole('region', { name: /Runs table/ });
      expect(await region.getAttribute('tabindex')).toBe('0');
      const [scrollWidth, clientWidth] = await region.evaluate((e) => [e.scrollWidth, e.clientWidth]);
      if (width < 500) expect(scrollWidth).toBeGreaterThan(clientWidth);
      await fitsWidth();
    });

    it('compares runs: differing keys by default, a metric every run has, a numeric x; runs added and removed in place', async () => {
      // sweep-11 has no val/loss: the default metric is one all three have.
      await page.goto(`${web}/compare?runs=${ids[1]},${ids[2]},${ids[11]}`);
      await page.getByRole('heading', { name: 'Compare 3 runs' }).waitFor();
      const keys = () => page.getByTestId('config-row').locator('td:first-child').allInnerTexts();
      await expect.poll(keys).toEqual(['arch', 'optim.lr']);
      expect(await page.getByTestId('pc-metric').inputValue()).toBe('val/accuracy');
      expect(await page.getByTestId('scatter-x').inputValue()).toBe('optim.lr');
      expect(Number(await page.getByTestId('parcoords').getAttribute('width'))).toBeLessThanOrEqual(1440);
      await fitsWidth();
      await page.getByTestId('all-keys').click();
      await page.waitForURL(/all=1/);
      await expect.poll(keys).toEqual(['arch', 'batch', 'model.d', 'optim.lr', 'seed']);
      await page.getByTestId('all-keys').click();
      await expect.poll(keys).toEqual(['arch', 'optim.lr']);
      // Remove one; add another from a search of the project.
      await page.getByRole('button', { name: 'remove sweep-11 from the comparison' }).click();
      await page.getByRole('heading', { name: 'Compare 2 runs' }).waitFor();
      expect(page.url()).not.toContain(ids[11]);
      await page.getByText('Add a run').click();
      await page.getByRole('searchbox', { name: /to add/ }).fill('sweep-05');
      await page.getByRole('button', { name: 'add sweep-05' }).click();
      await page.getByRole('heading', { name: 'Compare 3 runs' }).waitFor();
      expect(page.url()).toContain(ids[5]);
      expect(await page.getByTestId('compare-chip').allInnerTexts()).toEqual([
        expect.stringContaining('sweep-01'),
        expect.stringContaining('sweep-02'),
        expect.stringContaining('sweep-05'),
      ]);
      await page.screenshot({ path: join(SHOTS, `compare-${width}.png`), fullPage: true });
      await fitsWidth();
    });
  });
});
