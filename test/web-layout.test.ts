// Every page of the dashboard in Chromium at a desktop (1440×900) and a phone (390×844) size: none is wider than
// the screen (tables scroll inside their own focusable box), axe finds no serious or critical violation (light
// and dark), the theme toggle follows the OS until pinned and remembers the pin, run notes render as safe
// Markdown, the launch form refuses to launch while its config has errors, errors read once (no doubled
// prefixes), and the sweep page explains every parameter's importance. Seeded through GraphQL on a fresh stack;
// screenshots of the workspace, compare and phone layouts go to docs/screenshots/ (`pnpm screenshots` re-takes
// them).
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startDashboard } from '../apps/web/browser.ts';
import { axeViolations, type Violation } from './axe.ts';
import { DESKTOP, overflow, PHONE, pages, seed, staleBuild, takeScreenshots } from './layout-seed.ts';
import { ROOT, startStack } from './stack.ts';

describe('every page at desktop and phone sizes', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let next: { kill: () => void } | undefined;
  let browser: Browser;
  let web = '';
  let ids: Awaited<ReturnType<typeof seed>>;

  beforeAll(async () => {
    stack = await startStack('layout');
    ids = await seed(stack);
    if (staleBuild())
      execFileSync('pnpm', ['--filter', '@anneal/web', 'build'], {
        cwd: ROOT,
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      });
    let url: string;
    ({ url, process: next } = await startDashboard(stack.url));
    web = url;
    browser = await launchChromium();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    next?.kill();
    await stack?.close();
  });

  const open = async (ctx: BrowserContext, path: string, ready: string) => {
    const page = await ctx.newPage();
    await page.goto(`${web}${path}`);
    await page.locator(ready).first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(400); // charts size themselves to their box
    return page;
  };

  it('fits every page in the viewport at 1440×900 and 390×844 and axe finds nothing serious (light and dark)', async () => {
    const wide: string[] = [];
    const a11y: (Violation & { page: string })[] = [];
    for (const [size, viewport, colorScheme] of [
      ['1440', DESKTOP, 'light'],
      ['390', PHONE, 'dark'],
    ] as const) {
      const ctx = await browser.newContext({ viewport, colorScheme });
      for (const p of pages(ids)) {
        const page = await open(ctx, p.path, p.ready);
        const o = await overflow(page);
        if (o.by > 0) wide.push(`${p.name} at ${size}: ${o.by}px too wide (${o.culprits.join(', ')})`);
        for (const v of await axeViolations(page))
          a11y.push({ ...v, page: `${p.name} ${size} ${colorScheme}` });
        await page.close();
      }
      await ctx.close();
    }
    expect({ wide, a11y }).toEqual({ wide: [], a11y: [] });
  }, 300_000);

  it('follows the OS theme until toggled, then remembers the choice; charts are drawn in the palette', async () => {
    const ctx = await browser.newContext({ viewport: DESKTOP, colorScheme: 'dark' });
    const page = await open(ctx, `/r/${ids.runs[0]}`, '[data-testid=chart] canvas');
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const axis = () =>
      page.evaluate(() => {
        // The y axis labels' colour, read off uPlot's canvas: the darkest/lightest pixel left of the plot.
        const c = document.querySelector('[data-testid=chart] canvas') as HTMLCanvasElement;
        const d = c.getContext('2d')!.getImageData(0, 0, 40, c.height).data;
        let lum = 0;
        for (let i = 0; i < d.length; i += 4)
          if (d[i + 3] > 200) lum = Math.max(lum, (d[i] + d[i + 1] + d[i + 2]) / 3);
        return lum;
      });
    expect(await bg()).toBe('rgb(17, 19, 24)'); // the OS says dark
    expect(await page.getByRole('button', { name: 'Dark mode' }).getAttribute('aria-pressed')).toBe('true');
    expect(await axis()).toBeGreaterThan(150); // light labels on the dark page
    await page.getByTestId('theme-toggle').click();
    await expect.poll(bg).toBe('rgb(255, 255, 255)');
    await page.waitForTimeout(200);
    expect(await page.getByRole('button', { name: 'Dark mode' }).getAttribute('aria-pressed')).toBe('false');
    // Pinned: a reload (and the OS still saying dark) keeps light.
    await page.reload();
    await page.locator('[data-testid=chart] canvas').first().waitFor();
    expect(await bg()).toBe('rgb(255, 255, 255)');
    expect(await page.evaluate(() => localStorage.getItem('anneal-theme'))).toBe('light');
    await ctx.close();
    // A browser with no choice made, its OS light: light.
    const light = await browser.newContext({ viewport: DESKTOP, colorScheme: 'light' });
    const p2 = await open(light, '/', 'h1');
    expect(await p2.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(
      'rgb(255, 255, 255)',
    );
    await light.close();
  }, 120_000);

  it('renders run notes as Markdown without running or linking anything unsafe', async () => {
    const ctx = await browser.newContext({ viewport: PHONE });
    const page = await open(ctx, `/r/${ids.runs[0]}`, '[data-testid=notes]');
    const notes = page.getByTestId('notes');
    expect(await notes.locator('strong').textContent()).toBe('baseline');
    expect(await notes.locator('li').count()).toBe(2);
    expect(await notes.locator('table td').first().textContent()).toBe('layers');
    const docs = notes.getByRole('link', { name: 'the docs' });
    expect(await docs.getAttribute('href')).toBe('https://example.com/docs');
    expect(await docs.getAttribute('rel')).toContain('noopener');
    // Raw HTML is shown as text, never made into an element; the javascript: link has no href.
    expect(await notes.locator('img').count()).toBe(0);
    expect(await notes.textContent()).toContain('<img src="x"');
    expect(await notes.locator('a[href^="javascript"]').count()).toBe(0);
    await notes.getByText('click me').click();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await ctx.close();
  }, 60_000);

  it('keeps Launch disabled while the config has errors, takes numbers in number fields, and reads API errors once', async () => {
    const ctx = await browser.newContext({ viewport: PHONE });
    const page = await open(ctx, '/p/layout/launch', '[data-name=config] .cm-line');
    const launch = page.getByRole('button', { name: /^Launch/ });
    await expect.poll(() => launch.isEnabled()).toBe(true);
    for (const f of ['train.batchSize', 'train.maxSteps', 'optim.lr'])
      expect(await page.locator(`input[name="${f}"]`).getAttribute('type'), f).toBe('number');
    expect(await page.locator('input[name="train.batchSize"]').getAttribute('step')).toBe('1');
    // Text cannot go into the batch size; a bad number is an error and disables Launch until fixed.
    await page.locator('input[name="train.batchSize"]').pressSequentially('abc');
    expect(await page.locator('input[name="train.batchSize"]').inputValue()).toBe('16');
    await page.fill('input[name="train.batchSize"]', '-4');
    await page.getByTestId('field-issue').waitFor();
    await expect.poll(() => launch.isEnabled()).toBe(false);
    expect(await launch.textContent()).toMatch(/Launch \(1 to fix\)/);
    await page.fill('input[name="train.batchSize"]', '8');
    await page.getByTestId('field-issue').waitFor({ state: 'detached' });
    await expect.poll(() => launch.isEnabled()).toBe(true);
    // An error the API returns (a sweep the form lets through) reads once, with its full path and no tags.
    await page.goto(`${web}/p/layout/sweeps/new`);
    await page.locator('[data-name=sweep] .cm-line').first().waitFor();
    await page.locator('[data-name=sweep]').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(
      'method: sideways\nmetric: { name: val/loss }\nparameters:\n  optim.lr: { values: [0.1] }\n',
    );
    await page.getByRole('button', { name: /^Create sweep/ }).click();
    const error = page.getByTestId('sweep-error');
    await error.waitFor();
    const text = (await error.textContent())!;
    expect(text).toMatch(/^config\.method: /);
    expect(text).not.toMatch(/config: config|method: method|\(root\)|\[GraphQL\]/);
    await ctx.close();
  }, 90_000);

  it('lists every sweep parameter with what its importance number means, and parameter values readably', async () => {
    const ctx = await browser.newContext({ viewport: PHONE });
    const page = await open(ctx, `/s/${ids.sweep}`, '[data-testid=importance] tbody tr');
    const rows = await page.locator('[data-testid=importance] tbody tr').allTextContents();
    expect(rows.length).toBe(4);
    const byName = Object.fromEntries(rows.map((r) => [r.match(/^(lr|optimizer|layers|seed)/)![1], r]));
    expect(byName.lr).toMatch(/Spearman ρ/);
    expect(byName.layers).toMatch(/Spearman ρ/);
    expect(byName.optimizer).toMatch(/correlation ratio η/);
    expect(byName.seed).toMatch(/constant.*not searched/);
    expect(await page.getByTestId('importance-help').textContent()).toMatch(
      /rank correlation ρ from −1 to 1/,
    );
    // Parameters as name = value at 4 significant digits: no JSON braces, no 17-digit floats.
    const params = await page.getByTestId('sweep-run').first().locator('.params').textContent();
    expect(params).toMatch(/layers = \d/);
    expect(params).toMatch(/lr = [\d.e+-]+/);
    expect(params).not.toMatch(/[{}"]|\d{8,}/);
    expect(await page.getByTestId('best').textContent()).not.toMatch(/[{}"]|\d{8,}/);
    await ctx.close();
  }, 60_000);

  it('saves screenshots of the workspace, compare and phone layouts to docs/screenshots', async () => {
    const files = await takeScreenshots(browser, web, ids);
    expect(files.length).toBe(6);
    for (const f of files) expect(statSync(f).size, f).toBeGreaterThan(10_000);
  }, 120_000);
});
