// Every page of the dashboard in Chromium at a desktop (1440×900) and a phone (390×844) size: none is wider than
// the screen (tables scroll inside their own focusable box), axe finds no serious or critical violation (light
// and dark), the theme toggle follows the OS until pinned and remembers the pin, run notes render as safe
// Markdown, the launch form refuses to launch while its config has errors, errors read once (no doubled
// prefixes), and the sweep page explains every parameter's importance. Seeded through GraphQL on a fresh stack;
// screenshots of the workspace, compare and phone layouts go to docs/screenshots/ (`pnpm screenshots` re-takes
// them).

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startDashboard, WEB } from '../apps/web/browser.ts';
import { axeViolations, type Violation } from './axe.ts';
import { ROOT, startStack } from './stack.ts';

export const SHOTS = join(ROOT, 'docs/screenshots');
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

/** Whether apps/web needs `next build`: no build yet, or a source newer than it. */
function staleBuild(): boolean {
  const id = join(WEB, '.next', 'BUILD_ID');
  if (!existsSync(id)) return true;
  const built = statSync(id).mtimeMs;
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { withFileTypes: true }).map((e) =>
        e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs,
      ),
    );
  return newest(join(WEB, 'src')) > built;
}

type Stack = Awaited<ReturnType<typeof startStack>>;

/** A project with runs (metrics, summaries, notes), a finished program sweep and an artifact, all via the API. */
export async function seed(stack: Stack) {
  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const r = await stack.gql(query, variables);
    if (r.errors) throw new Error(`${query.slice(0, 60)}: ${JSON.stringify(r.errors)}`);
    return r.data!;
  };
  await gql('mutation { createProject(name: "layout", description: "Every page at every size") { id } }');
  const runs: string[] = [];
  for (const [i, name] of [
    'baseline-adamw-lr3e-4-with-a-long-name',
    'sgd-lr1e-2',
    'lion-lr1e-4',
    'adamw-warmup',
  ].entries()) {
    const { createRun } = await gql(
      'mutation($n: String, $c: JSON) { createRun(project: "layout", name: $n, config: $c, tags: ["layout", "phone"]) { id } }',
      {
        n: name,
        c: {
          optim: {
            kind: ['adamw', 'sgd', 'lion', 'adamw'][i],
            lr: [3e-4, 1e-2, 1e-4, 3e-4][i],
            warmup: i * 100,
          },
          model: { base: 'bases/gpt-brown', layers: 4 + i, hidden: 256 },
          data: { source: { kind: 'brown', categories: ['a', 'b', 'c', 'd', 'e', 'f'] }, maxLength: 128 },
          seed: 1000 + i,
        },
      },
    );
    runs.push(createRun.id);
    await gql('mutation($id: ID!, $p: [PointInput!]!) { logMetrics(runId: $id, points: $p) { stored } }', {
      id: createRun.id,
      p: Array.from({ length: 200 }, (_, s) => [
        { key: 'train/loss', step: s, value: 3 / (1 + s * 0.02 * (i + 1)) },
        { key: 'val/accuracy', step: s, value: 1 - 1 / (2 + s * 0.01 * (i + 1)) },
      ]).flat(),
    });
    await gql('mutation($id: ID!, $l: [LogLineInput!]!) { appendLogs(runId: $id, lines: $l) }', {
      id: createRun.id,
      l: Array.from({ length: 40 }, (_, k) => ({
        seq: k,
        line: `step ${k}/40 loss=${(3 / (1 + k)).toFixed(4)} a-console-line-long-enough-to-overflow-a-phone-screen-if-it-were-not-wrapped-or-scrolled`,
      })),
    });
    if (i < 3)
      await gql('mutation($id: ID!, $s: JSON) { finishRun(runId: $id, summary: $s) { id } }', {
        id: createRun.id,
        s: { 'train/loss': 0.3 + i / 10, 'val/accuracy': 0.9 - i / 20, 'test/f1': 0.88 - i / 30 },
      });
  }
  await gql('mutation($id: ID!, $n: String!) { setNotes(runId: $id, notes: $n) { id } }', {
    id: runs[0],
    n: [
      '## Why this run',
      'The **baseline** for the sweep, see [the docs](https://example.com/docs).',
      '',
      '- warmup: none',
      '- `lr = 3e-4`',
      '',
      '| key | value |',
      '| --- | --- |',
      '| layers | 4 |',
      '',
      '<img src="x" onerror="window.__pwned = 1">',
      '[click me](javascript:window.__pwned=1)',
    ].join('\n'),
  });
  // A program sweep of three parameters (a range, a choice, a numeric choice) and a constant, its trials run
  // by "an agent" here: claimed, logged and finished through the API.
  const { createSweep } = await gql(
    'mutation($c: JSON!) { createSweep(project: "layout", name: "lr-sweep", config: $c) { id } }',
    {
      c: {
        program: 'train.py',
        method: 'random',
        metric: { name: 'val/loss', goal: 'minimize' },
        run_cap: 5,
        parameters: {
          lr: { min: 1e-5, max: 1e-1, distribution: 'log_uniform_values' },
          optimizer: { values: ['adamw', 'sgd', 'lion'] },
          layers: { values: [2, 4, 8] },
          seed: { value: 7 },
        },
      },
    },
  );
  for (let k = 0; k < 5; k++) {
    const { claimSweepRun: c } = await gql(
      'mutation($s: ID!) { claimSweepRun(sweepId: $s, host: "test-agent") { runId params } }',
      { s: createSweep.id },
    );
    if (!c.runId) break;
    const p = c.params as { lr: number; layers: number; optimizer: string };
    const loss = 0.5 + Math.abs(Math.log10(p.lr) + 3) / 4 + (p.optimizer === 'sgd' ? 0.3 : 0) - p.layers / 40;
    await gql('mutation($id: ID!, $p: [PointInput!]!) { logMetrics(runId: $id, points: $p) { stored } }', {
      id: c.runId,
      p: [{ key: 'val/loss', step: 1, value: loss }],
    });
    await gql('mutation($id: ID!, $s: JSON) { finishRun(runId: $id, summary: $s) { id } }', {
      id: c.runId,
      s: { 'val/loss': loss },
    });
  }
  // An artifact: a file uploaded to the store (POST /uploads, PATCH), then recorded.
  const body = Buffer.from(JSON.stringify({ model_type: 'gpt2', n_layer: 4 }));
  const sha256 = createHash('sha256').update(body).digest('hex');
  const auth = { authorization: `Bearer ${stack.key}` };
  const started = (await (
    await fetch(`${stack.url}/uploads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ runId: runs[0], sha256, size: body.length }),
    })
  ).json()) as { uploadId: string; complete?: boolean };
  if (!started.complete)
    await fetch(`${stack.url}/uploads/${started.uploadId}`, {
      method: 'PATCH',
      headers: { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream', ...auth },
      body: Uint8Array.from(body),
    });
  const { logArtifact } = await gql(
    'mutation($id: ID!, $f: [ArtifactFileInput!]!) { logArtifact(runId: $id, kind: model, name: "baseline-model-with-a-long-name", files: $f, aliases: ["best"], metadata: { step: 199 }) { id } }',
    { id: runs[0], f: [{ path: 'config.json', sha256, size: body.length }] },
  );
  return { runs, sweep: createSweep.id as string, artifact: logArtifact.id as string };
}

/** Every page, and what shows it has loaded. */
export function pages(ids: Awaited<ReturnType<typeof seed>>) {
  return [
    { name: 'home', path: '/', ready: 'a[href="/p/layout"]' },
    { name: 'login', path: '/login', ready: 'h1' },
    { name: 'project', path: '/p/layout', ready: 'a:text("sgd-lr1e-2")' },
    { name: 'launch', path: '/p/layout/launch', ready: '[data-name=config] .cm-line' },
    { name: 'members', path: '/p/layout/members', ready: '[data-testid=members] td' },
    { name: 'sweeps/new', path: '/p/layout/sweeps/new', ready: '[data-name=sweep] .cm-line' },
    { name: 'run', path: `/r/${ids.runs[0]}`, ready: '[data-testid=chart] canvas' },
    { name: 'sweep', path: `/s/${ids.sweep}`, ready: '[data-testid=importance] tbody tr' },
    { name: 'compare', path: `/compare?runs=${ids.runs.join(',')}`, ready: 'h1:text("Compare")' },
    { name: 'artifact', path: `/artifacts/${ids.artifact}`, ready: '[data-testid=artifact-files] td' },
  ];
}

/** How far the document is wider than the viewport (0: it fits), and the widest elements that stick out. */
export async function overflow(page: Page): Promise<{ by: number; culprits: string[] }> {
  return page.evaluate(() => {
    const root = document.documentElement;
    const by = root.scrollWidth - root.clientWidth;
    const culprits: string[] = [];
    if (by > 0)
      for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.right > root.clientWidth + 1 && culprits.length < 6)
          culprits.push(
            `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} right=${Math.round(r.right)}`,
          );
      }
    return { by, culprits };
  });
}

describe('every page at desktop and phone sizes', () => {
  let stack: Stack;
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
    mkdirSync(SHOTS, { recursive: true });
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
    expect(wide).toEqual([]);
    expect(a11y).toEqual([]);
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
    expect(await axis()).toBeGreaterThan(150); // light labels on the dark page
    await page.getByTestId('theme-toggle').click();
    await expect.poll(bg).toBe('rgb(255, 255, 255)');
    await page.waitForTimeout(200);
    expect(await page.getByTestId('theme-toggle').getAttribute('aria-label')).toBe('Switch to dark mode');
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
    for (const [file, viewport, path, ready, colorScheme] of [
      ['workspace.png', DESKTOP, '/p/layout', 'a:text("sgd-lr1e-2")', 'light'],
      ['compare.png', DESKTOP, `/compare?runs=${ids.runs.join(',')}`, 'h1:text("Compare")', 'light'],
      ['run-dark.png', DESKTOP, `/r/${ids.runs[0]}`, '[data-testid=chart] canvas', 'dark'],
      ['phone-project.png', PHONE, '/p/layout', 'a:text("sgd-lr1e-2")', 'light'],
      ['phone-run.png', PHONE, `/r/${ids.runs[0]}`, '[data-testid=chart] canvas', 'dark'],
      ['phone-sweep.png', PHONE, `/s/${ids.sweep}`, '[data-testid=importance] tbody tr', 'light'],
    ] as const) {
      const ctx = await browser.newContext({ viewport, colorScheme });
      const page = await open(ctx, path, ready);
      await page.screenshot({ path: join(SHOTS, file), fullPage: viewport === PHONE });
      expect(statSync(join(SHOTS, file)).size).toBeGreaterThan(10_000);
      await ctx.close();
    }
  }, 120_000);
});
