// The dashboard in a real browser: Debian's Chromium driven by playwright-core, against `next start` (the
// production build) and a live API on embedded PGlite seeded through GraphQL. Screenshots go to
// test-results/screenshots/.
import { type ChildProcess, execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, staleBuild, startDashboard } from '../apps/web/browser.ts';
import { ROOT, startStack } from './stack.ts';

const SHOTS = join(ROOT, 'test-results/screenshots');
// The PyTorch example needs torch: Debian's python3-torch (/usr/bin/python3), or torch in python3.
const torchPython = ['python3', '/usr/bin/python3'].find(
  (exe) => spawnSync(exe, ['-c', 'import torch']).status === 0,
);
if (!torchPython)
  console.warn(
    'test/web.test.ts: torch is not installed (apt install python3-torch): the PyTorch run page is not checked',
  );

describe('the dashboard in Chromium', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let next: ChildProcess;
  let browser: Browser;
  let page: Page;
  let web = '';

  beforeAll(async () => {
    stack = await startStack('web');
    const gql = async (query: string, variables: Record<string, unknown> = {}) => {
      const r = await stack.gql(query, variables);
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      return r.data!;
    };
    // Three runs: two finished with a summary and a loss curve, one running.
    for (const [name, lr, f1] of [
      ['alpha-lr3', 1e-3, 0.91],
      ['beta-lr4', 1e-4, 0.95],
      ['gamma-lr2', 1e-2, null],
    ] as const) {
      const { createRun } = await gql(
        'mutation($n: String, $c: JSON) { createRun(project: "default", name: $n, config: $c, tags: ["web"]) { id } }',
        { n: name, c: { optim: { lr }, seed: 42 } },
      );
      const points = Array.from({ length: 300 }, (_, s) => [
        { key: 'train/loss', step: s, value: 2 / (1 + s * lr * 100) + (s === 150 ? 3 : 0) },
        { key: 'epoch', step: s, value: Math.floor(s / 100) },
      ]).flat();
      await gql('mutation($id: ID!, $p: [PointInput!]!) { logMetrics(runId: $id, points: $p) { stored } }', {
        id: createRun.id,
        p: points,
      });
      if (name === 'beta-lr4')
        await gql('mutation($id: ID!, $l: [LogLineInput!]!) { appendLogs(runId: $id, lines: $l) }', {
          id: createRun.id,
          l: Array.from({ length: 600 }, (_, i) => ({ seq: i, line: `console line ${i}` })),
        });
      if (f1 !== null) {
        // A test evaluation at the end: one point, and the summary beside validation's.
        await gql(
          'mutation($id: ID!, $p: [PointInput!]!) { logMetrics(runId: $id, points: $p) { stored } }',
          {
            id: createRun.id,
            p: [{ key: 'test/f1', step: 299, value: f1 - 0.01 }],
          },
        );
        await gql('mutation($id: ID!, $s: JSON) { finishRun(runId: $id, summary: $s) { id } }', {
          id: createRun.id,
          s: {
            'val/f1': f1,
            'test/f1': f1 - 0.01,
            'train/loss': 0.25,
            epoch: 2,
            'test/confusion': [
              [50, 2],
              [3, 45],
            ],
          },
        });
      }
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
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    mkdirSync(SHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    next?.kill();
    await stack?.close();
  });

  /** A CodeMirror editor's text, line by line (the editors here are short: every line is rendered). */
  const editorText = (name: string) =>
    page.evaluate(
      (n) => [...document.querySelectorAll(`[data-name=${n}] .cm-line`)].map((l) => l.textContent).join('\n'),
      name,
    );
  /** Replaces an editor's text as a paste would, and waits until it holds exactly that. */
  const setEditor = async (name: string, text: string) => {
    await page.locator(`[data-name=${name}]`).click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.evaluate(
      ([n, t]) => {
        const data = new DataTransfer();
        data.setData('text/plain', t);
        document
          .querySelector(`[data-name=${n}]`)!
          .dispatchEvent(
            new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
          );
      },
      [name, text],
    );
    await expect.poll(() => editorText(name)).toBe(text);
  };

  it('signs in with the session cookie and lists the projects', async () => {
    await page.goto(`${web}/login`);
    await page.fill('input[name=password]', stack.password);
    await page.click('button[type=submit]');
    await page.getByRole('heading', { name: 'Projects' }).waitFor();
    expect(await page.getByRole('link', { name: 'default' }).count()).toBe(1);
    // Each project at a glance: the seeded three runs, one of them still running.
    expect(await page.getByTestId('activity').first().textContent()).toMatch(
      /^\(admin\) · 3 runs, 1 running · last started \S/,
    );
    await page.screenshot({ path: join(SHOTS, 'projects.png') });
  });

  it('signs a fresh browser on this machine in as the local admin (embedded mode, loopback), on any page', async () => {
    const fresh = await browser.newContext();
    try {
      const p = await fresh.newPage();
      // A deep link first, as a run URL printed by `anneal train` would be: the page works, not only the home page.
      await p.goto(`${web}/p/default/launch`);
      await p
        .locator('select[name="model.base"] option', { hasText: 'bases/gpt-brown-256' })
        .waitFor({ state: 'attached' });
      expect(await p.getByTestId('user').textContent()).toMatch(/^admin@localhost/);
      const cookies = await fresh.cookies();
      expect(cookies.find((c) => c.name === 'anneal_session')).toMatchObject({
        httpOnly: true,
        sameSite: 'Lax',
      });
      await p.goto(web);
      await p.getByRole('heading', { name: 'Projects' }).waitFor();
    } finally {
      await fresh.close();
    }
  });

  it('shows a page early in a browser that was signed in, and loads it afresh when that session is gone', async () => {
    const fresh = await browser.newContext();
    try {
      // The hint of an earlier sign-in, but no session cookie: the page mounts early, its queries fail, the
      // browser signs in locally and the page is loaded afresh (no failed answer kept), then works.
      await fresh.addInitScript(() => localStorage.setItem('anneal:signed-in', '1'));
      const p = await fresh.newPage();
      let loads = 0;
      // Documents loaded: the page, then the page again once signed in.
      p.on('request', (r) => {
        if (r.isNavigationRequest() && r.frame() === p.mainFrame()) loads++;
      });
      await p.goto(`${web}/p/default/launch`);
      await p
        .locator('select[name="model.base"] option', { hasText: 'bases/gpt-brown-256' })
        .waitFor({ state: 'attached' });
      expect(await p.getByTestId('user').textContent()).toMatch(/^admin@localhost/);
      expect(loads).toBe(2);
      // No failed (signed-out) answer of the first load is shown.
      for (const text of await p.getByRole('alert').allTextContents())
        expect(text).not.toMatch(/sign|auth|UNAUTHENTICATED/i);
    } finally {
      await fresh.close();
    }
  });

  it('sends a browser that may not sign in locally to /login, then back to the page it asked for; signs out', async () => {
    const fresh = await browser.newContext();
    try {
      // The API's answer for a browser on another machine: no password-free sign-in.
      // (Only that answer is changed; the sign-in itself, and its cookie, go through untouched.)
      await fresh.route(
        (url) => url.pathname === '/graphql' && url.search.includes('localSignInAvailable'),
        async (route) => {
          const res = await route.fetch();
          const body = await res.json();
          body.data.localSignInAvailable = false;
          await route.fulfill({ response: res, json: body });
        },
      );
      const p = await fresh.newPage();
      await p.goto(`${web}/p/default?dir=ASC`);
      await p.waitForURL(`${web}/login?next=${encodeURIComponent('/p/default?dir=ASC')}`);
      await p.fill('input[name=password]', 'not the password');
      await p.click('button[type=submit]');
      await p.getByRole('alert').filter({ hasText: 'wrong email or password' }).waitFor();
      await p.fill('input[name=password]', stack.password);
      await p.click('button[type=submit]');
      await p.waitForURL(`${web}/p/default?dir=ASC`);
      await p.getByTestId('count').waitFor();
      // Signing out ends the session: the next page asks for a password again.
      await p.getByTestId('user').getByRole('button', { name: 'Sign out' }).click();
      await p.waitForURL(`${web}/login`);
      expect((await fresh.cookies()).find((c) => c.name === 'anneal_session')).toBeUndefined();
      await p.goto(`${web}/p/default`);
      await p.waitForURL(/\/login\?next=/);
      // Only a path on this site is a place to come back to.
      await p.goto(`${web}/login?next=${encodeURIComponent('//example.com/x')}`);
      await p.fill('input[name=password]', stack.password);
      await p.click('button[type=submit]');
      await p.getByRole('heading', { name: 'Projects' }).waitFor();
      expect(new URL(p.url()).origin).toBe(web);
    } finally {
      await fresh.close();
    }
  });

  it('shows the seeded runs in the table; sorting and filtering work and live in the URL', async () => {
    await page.getByRole('link', { name: 'default' }).click();
    await page.getByTestId('count').filter({ hasText: '3 runs' }).waitFor();
    expect(await page.getByTestId('run-row').count()).toBe(3);
    await page.getByRole('button', { name: /^Name/ }).click(); // newest-first → name ▼
    await page.waitForURL(/sort=name&dir=DESC/);
    await page.getByTestId('run-row').first().filter({ hasText: 'gamma-lr2' }).waitFor();
    await page.getByRole('button', { name: /^Name/ }).click();
    await page.waitForURL(/sort=name&dir=ASC/);
    await page.getByTestId('run-row').first().filter({ hasText: 'alpha-lr3' }).waitFor();
    // Config columns by default: the keys that differ (optim.lr, not seed); it sorts like any column.
    await page.getByRole('button', { name: /^optim\.lr/ }).click();
    await page.waitForURL(/sort=config\.optim\.lr/);
    await page.getByTestId('run-row').first().filter({ hasText: '0.01' }).waitFor();
    // A column from the picker outlives the URL (kept for this project in this browser), until reset.
    await page.getByText(/^Columns/).click();
    await page.getByTestId('column-picker').getByLabel('config.seed').click();
    await page.waitForURL(/cols=.*config\.seed/);
    await page.goto(`${web}/p/default`);
    await page.getByRole('button', { name: /^seed/ }).waitFor();
    await page.getByText(/^Columns/).click();
    await page.getByTestId('column-picker').getByRole('button', { name: 'Reset to default' }).click();
    await page.getByRole('button', { name: /^seed/ }).waitFor({ state: 'detached' });
    await page.goto(`${web}/p/default?sort=config.optim.lr&cols=config.optim.lr`);
    await page.getByTestId('run-row').first().filter({ hasText: '0.01' }).waitFor();
    // The builder writes the filter language: a condition on a summary metric.
    await page.getByRole('button', { name: '+ condition' }).click();
    await page.getByLabel('field 1').fill('summary.val/f1');
    await page.getByLabel('operator 1').selectOption({ label: '>' });
    await page.getByLabel('value 1').fill('0.92');
    await page.getByRole('button', { name: 'Apply conditions' }).click();
    await page
      .getByTestId('count')
      .filter({ hasText: /^1 run$/ })
      .waitFor();
    expect(await page.getByTestId('run-row').allInnerTexts()).toEqual([expect.stringContaining('beta-lr4')]);
    expect(await page.inputValue('input[name=filter]')).toBe(
      '{"field":"summary.val/f1","op":"GT","value":0.92}',
    );
    await page.screenshot({ path: join(SHOTS, 'runs.png') });
    // The text box takes what the builder cannot show (OR); the builder says so.
    await page.fill(
      'input[name=filter]',
      '{"or": [{"field": "name", "op": "EQ", "value": "alpha-lr3"}, {"field": "name", "op": "EQ", "value": "gamma-lr2"}]}',
    );
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    await page.getByTestId('count').filter({ hasText: '2 runs' }).waitFor();
    await page.getByText('This filter uses OR / NOT or nesting').waitFor();
  });

  it('groups runs by a config key with aggregate rows that expand to their runs', async () => {
    await page.goto(`${web}/p/default?cols=summary.val/f1`);
    await page.getByTestId('count').filter({ hasText: '3 runs' }).waitFor();
    await page.selectOption('select[name=group]', 'config.optim.lr');
    await page.waitForURL(/group=config\.optim\.lr/);
    await expect.poll(() => page.getByTestId('group-row').count()).toBe(3);
    const rows = await page.getByTestId('group-row').allInnerTexts();
    // A learning rate groups in decades, the largest first; no f1 yet in the top one.
    expect(rows[0]).toMatch(/^\s*▸\s*0\.01 ≤ x < 0\.1\s+1\s+1 running/);
    expect(rows[2]).toMatch(/0\.0001 ≤ x < 0\.001\s+1\s+1 finished\s+0\.95/);
    await page.getByRole('button', { name: 'expand config.optim.lr = 0.0001 ≤ x < 0.001' }).click();
    await page.getByTestId('group-member').filter({ hasText: 'beta-lr4' }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'groups.png') });
  });

  it('opens a run with a chart of its logged points and its summary', async () => {
    await page.getByRole('link', { name: 'beta-lr4' }).click();
    await page.getByRole('heading', { name: /beta-lr4/ }).waitFor();
    await page.locator('[data-testid=chart] canvas').first().waitFor();
    expect(await page.getByText('train/loss (300 points)').count()).toBe(1);
    // The full history downloads as CSV through the dashboard's origin (the session's access).
    const csv = await page.request.get(
      new URL((await page.getByTestId('history-csv').getAttribute('href'))!, web).href,
    );
    expect(csv.status()).toBe(200);
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toBe('step,wall_time,epoch,test/f1,train/loss');
    expect(lines.length).toBe(301); // steps 0..299
    // The summary: a metric per row, a split per column (train, val, test in that order); keys without a split
    // below. Charts come in a section per split; a split of one-point metrics (the test evaluation) starts folded.
    const summary = page.getByTestId('summary');
    expect(await summary.locator('table.summary thead th').allInnerTexts()).toEqual([
      'metric',
      'train',
      'val',
      'test',
    ]);
    expect(
      await summary.locator('table.summary').getByRole('row', { name: /^f1/ }).locator('td').allInnerTexts(),
    ).toEqual(['', '0.9500', '0.9400']);
    expect(await summary.textContent()).toContain('epoch: 2');
    const confusion = page.getByTestId('confusion-test');
    expect(await confusion.locator('caption').textContent()).toMatch(/^test\/confusion/);
    expect(await confusion.locator('tbody tr').allInnerTexts()).toEqual(['0\t50\t2', '1\t3\t45']);
    expect(await confusion.locator('td.hit').allInnerTexts()).toEqual(['50', '45']);
    expect(await page.getByTestId('section-train').getAttribute('open')).not.toBeNull();
    expect(await page.getByTestId('section-test').getAttribute('open')).toBeNull();
    // A long console shows its end, where the final metrics are.
    expect(await page.getByTestId('logs-shown').textContent()).toBe('The last 500 of 600 lines.');
    expect(await page.getByTestId('logs').textContent()).toMatch(
      /^console line 100\n[\s\S]*console line 599$/,
    );
    expect(await page.getByTestId('section-test').locator('summary').textContent()).toBe(
      'test (1 metric, one point each)',
    );
    await page.screenshot({ path: join(SHOTS, 'run.png') });
    // Dragging across the chart zooms: the range goes into the URL and comes back at full resolution.
    const box = (await page.locator('[data-testid=chart] .u-over').first().boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.waitForURL(/from=.*&to=/);
    await page
      .getByText(/^train\/loss \((\d+) points\)$/)
      .filter({ hasNotText: '300 points' })
      .waitFor();
    await page.getByRole('button', { name: /Reset zoom/ }).click();
    await page.getByText('train/loss (300 points)').waitFor();
    // Another x axis: seconds since the run started.
    await page.selectOption('select[name=x]', 'relativeTime');
    await page.waitForURL(/x=relativeTime/);
    await page.locator('[data-testid=chart] canvas').first().waitFor();
    expect(await page.getByTestId('chart').count()).toBe(3); // train/loss, epoch and test/f1
    // Another metric as the x axis: the loss against the epoch (whose own chart goes).
    await page.selectOption('select[name=x]', 'metric:epoch');
    await page.waitForURL(/x=metric%3Aepoch/);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=chart]').length === 2);
    expect(await page.getByText('train/loss (300 points)').count()).toBe(1);
  });

  it("switches a retried run's console between its attempts", async () => {
    const gql = async (query: string, variables: Record<string, unknown>) => {
      const r = await stack.gql(query, variables);
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      return r.data!;
    };
    const logs = (id: string, lines: string[]) =>
      gql('mutation($id: ID!, $l: [LogLineInput!]!) { appendLogs(runId: $id, lines: $l) }', {
        id,
        l: lines.map((line, seq) => ({ seq, line })),
      });
    // In a project of its own: the tests after this one count the default project's runs.
    await gql('mutation { createProject(name: "attempts") { id } }', {});
    const { createRun } = await gql(
      'mutation { createRun(project: "attempts", name: "retried-console", host: "first-host") { id } }',
      {},
    );
    const id = createRun.id as string;
    await logs(id, ['first 0', 'first 1', 'first 2']);
    // Resumed: attempt 2, its console numbered from 0 again.
    await gql('mutation($id: ID!) { createRun(project: "attempts", id: $id, host: "second-host") { id } }', {
      id,
    });
    await logs(id, ['second 0', 'second 1']);
    await gql('mutation($id: ID!) { finishRun(runId: $id) { id } }', { id });
    await page.goto(`${web}/r/${id}`);
    await page.getByRole('heading', { name: /retried-console/ }).waitFor();
    expect(await page.getByTestId('logs').textContent()).toBe('second 0\nsecond 1');
    expect(await page.getByTestId('attempt-info').textContent()).toMatch(
      /^Attempt 2: finished on second-host/,
    );
    await page.getByTestId('attempt-1').click();
    await expect.poll(() => page.getByTestId('logs').textContent()).toBe('first 0\nfirst 1\nfirst 2');
    expect(await page.getByTestId('attempt-1').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('attempt-info').textContent()).toMatch(
      /^Attempt 1: crashed on first-host.*\(attempt 2 started\)$/,
    );
    await page.getByTestId('attempt-2').click();
    await expect.poll(() => page.getByTestId('logs').textContent()).toBe('second 0\nsecond 1');
  });

  it('is usable from the keyboard: skip link, sorting, selecting, zooming', async () => {
    await page.goto(`${web}/p/default`);
    await page.getByTestId('count').filter({ hasText: '3 runs' }).waitFor();
    const active = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    /** Presses Tab until the focused element's text matches, and says whether it got there. */
    const tabTo = async (text: RegExp) => {
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press('Tab');
        if (text.test(await active())) return true;
      }
      return false;
    };
    expect(await tabTo(/^Skip to content$/)).toBe(true);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    expect(await tabTo(/^Name/)).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(/sort=name/);
    // The first row's checkbox, then Space selects it.
    await page.focus('[data-testid=run-row] input[type=checkbox]');
    await page.keyboard.press('Space');
    await page.waitForURL(/sel=run_/);
    // A run page: zoom by typing a range.
    await page.goto(
      `${web}/p/default?filter=${encodeURIComponent('{"field":"name","op":"EQ","value":"beta-lr4"}')}`,
    );
    // The filtered table has settled (a re-render after focus would drop the focus and the Enter with it).
    await page
      .getByTestId('count')
      .filter({ hasText: /^1 run$/ })
      .waitFor();
    await page.getByRole('link', { name: 'beta-lr4' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('train/loss (300 points)').waitFor();
    await page.getByLabel('from').focus();
    await page.keyboard.type('100');
    await page.keyboard.press('Tab');
    await page.keyboard.type('200');
    await page.keyboard.press('Enter');
    await page.waitForURL(/from=100&to=200/);
    await page.getByText('train/loss (101 points)').waitFor();
  });

  it('compares two runs: overlaid curves and only the config keys that differ', async () => {
    await page.goto(`${web}/p/default`);
    await page.getByTestId('count').filter({ hasText: '3 runs' }).waitFor();
    // Selection lives in the URL: each click navigates (replace), then the box reflects it.
    await page.getByLabel('select alpha-lr3').click();
    await page.waitForURL(/sel=run_[^,&]+$/);
    await page.getByLabel('select beta-lr4').click();
    await page.waitForURL(/sel=run_[^,&]+%2Crun_|sel=run_[^,&]+,run_/);
    await page.getByRole('link', { name: 'Compare 2 selected' }).click();
    await page.getByRole('heading', { name: 'Compare 2 runs' }).waitFor();
    await page.locator('[data-testid=overlay] canvas').first().waitFor();
    const diff = await page.getByTestId('config-diff').locator('tbody tr').allTextContents();
    expect(diff).toEqual([expect.stringMatching(/^optim\.lr0\.0010\.0001$/)]); // seed is equal: not shown
    // The summaries side by side, headline metrics first; each row's best marked (higher F1, lower loss).
    const table = page.getByTestId('summary-diff');
    expect(await table.locator('tbody tr').allInnerTexts()).toEqual([
      'val/f1\t0.9100\t0.9500',
      'test/f1\t0.9000\t0.9400',
      'train/loss\t0.2500\t0.2500',
      'epoch\t2\t2',
    ]);
    expect(await table.locator('td.best').allInnerTexts()).toEqual(['0.9500', '0.9400']); // not the ties
    // The differing key against a headline metric both runs report: one line and one point per run.
    expect(await page.getByTestId('pc-metric').inputValue()).toBe('val/f1');
    expect(await page.locator('[data-testid=parcoords] polyline').count()).toBe(2);
    expect(await page.locator('[data-testid=scatter] circle').count()).toBe(2);
    await page.screenshot({ path: join(SHOTS, 'compare.png') });
  });

  it('launches a tiny run from the form: issues show beside fields and in the editor, then the run trains to finished', async () => {
    await page.goto(`${web}/p/default/launch`);
    // The base picker offers the shipped bases.
    await page
      .locator('select[name="model.base"] option', { hasText: 'bases/gpt-brown-256' })
      .waitFor({ state: 'attached' });
    await setEditor(
      'config',
      JSON.stringify({ ...stack.lmConfig('from-the-form', 3), optim: { learning_rate: 1 } }),
    );
    // Validated as typed: the unknown key is listed and marked in the editor.
    await page
      .getByTestId('config-issues')
      .filter({ hasText: "optim.learning_rate: unknown key 'optim.learning_rate'" })
      .waitFor();
    expect(await page.locator('[data-testid=editor-config] .cm-lintRange-error').count()).toBe(1);
    // The fields edit the same document: a bad learning rate is shown beside its field.
    await setEditor('config', JSON.stringify(stack.lmConfig('from-the-form', 3)));
    await page.getByTestId('config-issues').waitFor({ state: 'detached' });
    await page.fill('input[name="optim.lr"]', '-1');
    await page.getByTestId('field-issue').waitFor();
    expect(await editorText('config')).toMatch(/"lr": -1|lr: -1/);
    await page.fill('input[name="optim.lr"]', '0.001');
    await page.getByTestId('field-issue').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Launch', exact: true }).click();
    await page.getByRole('heading', { name: /from-the-form/ }).waitFor();
    // The run page follows the run live (no reload): queued → running → finished, its metrics and artifacts.
    await page.locator('.status-finished').waitFor({ timeout: 120_000 });
    await page.locator('[data-testid=chart] canvas').first().waitFor();
    expect(await page.getByTestId('logs').textContent()).toMatch(/step 3\/3/);
    // The adapter it trained on, as the worker's trainer reported it.
    expect((await page.getByTestId('gpu').textContent())?.trim()).toMatch(/^· \S/);
    // The exported model is listed with its files (beside the best checkpoint); one downloads through the
    // dashboard's origin.
    const row = page
      .getByTestId('artifacts')
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: 'model', exact: true }) });
    expect(await row.getByRole('cell').first().textContent()).toMatch(/^model-[0-9a-f]{8}:v0\s*latest$/);
    const link = row.getByRole('link', { name: /^config\.json/ });
    const download = await page.request.get(new URL((await link.getAttribute('href'))!, web).href);
    expect(download.status()).toBe(200);
    expect((await download.json()).model_type).toBe('gpt2');
    await page.screenshot({ path: join(SHOTS, 'launched.png'), fullPage: true });
    // Lineage: a run that used this model lists it as its input, linked to the run that produced it.
    const runId = page.url().split('/r/')[1];
    const model = (
      await stack.gql('query($id: ID!) { run(id: $id) { artifacts { id kind } } }', { id: runId })
    ).data!.run.artifacts.find((a: { kind: string }) => a.kind === 'model');
    const [consumer] = await stack.db.handle.rows<{ id: string }>(
      sql`select id from runs where name = 'alpha-lr3'`,
    );
    const used = await stack.gql(
      'mutation($r: ID!, $a: String!) { useArtifact(runId: $r, artifact: $a) { id } }',
      {
        r: `run_${consumer.id}`,
        a: model.id,
      },
    );
    expect(used.errors).toBeUndefined();
    await page.goto(`${web}/r/run_${consumer.id}`);
    const inputs = page.getByTestId('artifact-inputs');
    await inputs.waitFor();
    expect(await inputs.textContent()).toMatch(
      /Started from model-[0-9a-f]{8}:v0 \(latest\) \(model\), produced by run from-the-form/,
    );
    await inputs.getByRole('link', { name: 'from-the-form' }).click();
    await page.waitForURL(new RegExp(`/r/${runId}$`));
    // "Re-run with changes" opens the form with this run's config.
    await page.getByRole('link', { name: 'Re-run with changes' }).click();
    await page.waitForURL(/launch\?from=run_/);
    await page.waitForFunction(() =>
      document.querySelector('[data-name=config]')?.textContent?.includes('name: from-the-form'),
    );
    await page.screenshot({ path: join(SHOTS, 'launch-form.png'), fullPage: true });
  });

  it('updates the runs table live when a run is created elsewhere', async () => {
    await page.goto(`${web}/p/default`);
    const count = async () =>
      Number((await page.getByTestId('count').textContent())?.match(/(\d+) runs/)?.[1]);
    await page
      .getByTestId('count')
      .filter({ hasText: / runs$/ })
      .waitFor();
    const before = await count();
    await page.waitForTimeout(500); // the subscription is established
    await stack.gql('mutation { createRun(project: "default", name: "arrived-live") { id } }');
    await page
      .getByTestId('count')
      .filter({ hasText: `${before + 1} runs` })
      .waitFor({ timeout: 10_000 });
    await page.getByRole('link', { name: 'arrived-live' }).waitFor();
    // A loaded run's badge changes from the event alone: no query is sent for it.
    const queries: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/graphql') && r.resourceType() !== 'eventsource') queries.push(r.url());
    });
    const { runs } = (
      await stack.gql(
        '{ runs(project: "default", filter: { field: "name", op: EQ, value: "arrived-live" }) { edges { node { id } } } }',
      )
    ).data!;
    await stack.gql('mutation($id: ID!) { finishRun(runId: $id) { id } }', { id: runs.edges[0].node.id });
    await page
      .getByTestId('run-row')
      .filter({ hasText: 'arrived-live' })
      .locator('.status-finished')
      .waitFor({ timeout: 10_000 });
    expect(queries).toEqual([]);
  });

  it('creates a sweep from W&B YAML (errors name the path) and follows it on its page', async () => {
    await page.goto(`${web}/p/default/sweeps/new`);
    const base = JSON.stringify(stack.lmConfig('sweep-from-web', 3));
    const sweep = (lr: string) =>
      `method: random\nmetric: { name: train/loss }\nparameters:\n  ${lr}: { values: [0.001] }\nrun_cap: 1\n`;
    await setEditor('base', base);
    await setEditor('sweep', sweep('optim.learningRate'));
    // Validated against the base as typed: the parameter the trainer does not know, listed and marked.
    await page
      .getByTestId('sweep-issues')
      .filter({ hasText: "parameters.optim.learningRate: unknown key 'optim.learningRate'" })
      .waitFor();
    expect(await page.locator('[data-testid=editor-sweep] .cm-lintRange-error').count()).toBe(1);
    // Submitting anyway: the API refuses it, naming the path.
    await page.getByRole('button', { name: /^Create sweep/ }).click();
    await page
      .getByTestId('sweep-error')
      .filter({ hasText: /config\.parameters\.optim: .*unknown key 'optim\.learningRate'/ })
      .waitFor();
    await setEditor('sweep', sweep('optim.lr'));
    await page.getByTestId('sweep-issues').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Create sweep' }).click();
    await page.getByTestId('progress').filter({ hasText: '1 of 1 runs proposed' }).waitFor();
    // The worker trains the sweep's run; the page follows live (no reload): its parameters, then the best.
    await page.getByTestId('best').waitFor({ timeout: 90_000 });
    expect(await page.getByTestId('best').textContent()).toContain('optim.lr = 0.001');
    expect(await page.getByTestId('sweep-run').count()).toBe(1);
    // One line per finished run across the parameter and metric axes.
    expect(await page.locator('[data-testid=parcoords] polyline').count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'sweep.png') });
    // A run the sweep's early termination pruned says why on its page (the controller writes the reason; here
    // it is written as the controller would, so the page's part is under test).
    const detail = 'pruned at rung 3 (step ≥ 3): train/loss 2.5, outside the best 1 of the 3 runs there';
    await stack.db.handle.rows(
      sql`update runs set status = 'pruned', stop_reason = 'pruned', stop_detail = ${detail} where sweep_id is not null`,
    );
    await page.getByTestId('sweep-run').getByRole('link').click();
    await page.getByTestId('stop-detail').waitFor();
    expect(await page.getByTestId('stop-detail').textContent()).toMatch(/^Sweep sweep-.*: pruned at rung 3/);
    await page.getByTestId('stop-detail').getByRole('link').click();
    await page
      .getByTestId('sweep-run')
      .filter({ has: page.locator(`td[title="${detail}"]`) })
      .waitFor();
  });
  it("shows a fork's lineage: forked from its source at a step, the source listing its forks", async () => {
    const runs = await stack.gql(
      '{ runs(project: "default", filter: { field: "name", op: EQ, value: "beta-lr4" }) { edges { node { id } } } }',
    );
    const source = runs.data!.runs.edges[0].node.id;
    const fork = await stack.gql(
      'mutation($from: ForkFromInput!) { createRun(project: "default", name: "beta-fork", forkFrom: $from) { id } }',
      { from: { runId: source, step: 120 } },
    );
    const id = fork.data!.createRun.id;
    await page.goto(`${web}/r/${id}`);
    await page.getByRole('heading', { name: /beta-fork/ }).waitFor();
    expect(await page.getByTestId('lineage').textContent()).toMatch(/^Forked from beta-lr4 at step 120/);
    // Its chart starts with the source's first 120 points.
    await page.getByText('train/loss (120 points)').waitFor();
    await page.getByTestId('lineage').getByRole('link', { name: 'beta-lr4' }).click();
    await page.getByRole('heading', { name: /beta-lr4/ }).waitFor();
    await page.getByTestId('lineage').getByRole('link', { name: 'beta-fork' }).waitFor();
    expect(await page.getByTestId('lineage').textContent()).toContain('beta-fork (step 120)');
    await page.getByTestId('lineage').getByRole('link', { name: 'compare' }).click();
    await page.waitForURL(new RegExp(`compare\\?runs=${source},${id}`));
  });
  it('creates a project, manages its members (never its last admin) and makes and revokes an API key', async () => {
    page.on('dialog', (d) => void d.accept());
    await page.goto(web);
    const form = page.getByTestId('new-project');
    await form.locator('input[name=name]').fill('bad name');
    await form.getByRole('button', { name: 'Create project' }).click();
    await form.getByRole('alert').filter({ hasText: "name: 'bad name' is not a project name" }).waitFor();
    await form.locator('input[name=name]').fill('team-web');
    await form.getByRole('button', { name: 'Create project' }).click();
    await page.waitForURL(/\/p\/team-web$/);
    await page.getByRole('link', { name: 'Members' }).click();
    await page.getByRole('heading', { name: 'Members' }).waitFor();
    const members = page.getByTestId('members');
    await members.getByRole('row').filter({ hasText: 'admin@localhost' }).waitFor();
    // An account made here joins as a viewer, then becomes a member.
    await page.fill('input[name=new-email]', 'dana@x.org');
    await page.fill('input[name=new-name]', 'Dana');
    await page.fill('input[name=new-password]', 'correct horse battery');
    await page.selectOption('select[name=new-role]', 'viewer');
    await page.getByRole('button', { name: 'Create account' }).click();
    const dana = members.getByRole('row').filter({ hasText: 'dana@x.org' });
    await dana.waitFor();
    expect(await dana.getByRole('combobox').inputValue()).toBe('viewer');
    await dana.getByRole('combobox').selectOption('member');
    await expect
      .poll(() =>
        stack
          .gql('{ project(ref: "team-web") { members { role user { email } } } }')
          .then(
            (r) =>
              r.data!.project.members.find((m: { user: { email: string } }) => m.user.email === 'dana@x.org')
                ?.role,
          ),
      )
      .toBe('member');
    // Demoting the only admin is refused, with the reason.
    await members
      .getByRole('row')
      .filter({ hasText: 'admin@localhost' })
      .getByRole('combobox')
      .selectOption('viewer');
    await page.getByTestId('members-error').filter({ hasText: "the project's only admin" }).waitFor();
    await dana.getByRole('button', { name: 'Remove' }).click();
    await dana.waitFor({ state: 'detached' });
    await page.screenshot({ path: join(SHOTS, 'members.png'), fullPage: true });
    // An API key, read-only and for one project: shown once, listed by its prefix, scope and project, revoked.
    await page.goto(web);
    const keys = page.getByTestId('api-keys');
    await keys.locator('input[name=key-name]').fill('from-the-dashboard');
    await keys.locator('select[name=key-scope]').selectOption('read');
    await keys.locator('select[name=key-project]').selectOption('team-web');
    await keys.getByRole('button', { name: 'Create key' }).click();
    const key = (await page.getByTestId('new-key').locator('code').first().textContent())!;
    expect(key).toMatch(/^ank_/);
    const row = keys.getByRole('row').filter({ hasText: 'from-the-dashboard' });
    const cells = await row.getByRole('cell').allTextContents();
    expect(cells.slice(1, 4)).toEqual([`${key.slice(0, 8)}…`, 'read', 'team-web']);
    const asKey = (query = '{ me { email } }') =>
      fetch(`${stack.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query }),
        // biome-ignore lint/suspicious/noExplicitAny: read by shape
      }).then(async (r) => ((await r.json()) as { data: any }).data);
    expect(await asKey()).toEqual({ me: { email: 'admin@localhost' } });
    // The admin's key acts as a viewer of team-web only.
    expect(await asKey('{ projects { name role } }')).toEqual({
      projects: [{ name: 'team-web', role: 'viewer' }],
    });
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByText(/^revoked/).waitFor();
    expect(await asKey()).toEqual({ me: null }); // at once: the API forgets its cached verification of the key
  });
  it("edits a run's name, tags and notes in place, and deletes runs from a run's page and from the table", async () => {
    const make = async (name: string) =>
      (
        await stack.gql('mutation($n: String) { createRun(project: "team-web", name: $n) { id } }', {
          n: name,
        })
      ).data!.createRun.id as string;
    const [a] = [await make('to-edit'), await make('to-delete-1'), await make('to-delete-2')];
    await page.goto(`${web}/r/${a}`);
    await page.getByRole('heading', { name: /to-edit/ }).waitFor();
    const details = page.getByTestId('details');
    await details.locator('summary').click();
    // A name the API refuses: the error names the field, nothing is saved.
    await details.locator('input[name=name]').fill('   ');
    await details.getByRole('button', { name: 'Save' }).click();
    await page
      .getByTestId('details-error')
      .filter({ hasText: 'name: a run name is 1 to 200 characters' })
      .waitFor();
    await details.locator('input[name=name]').fill('baseline');
    await details.locator('input[name=tags]').fill('paper, keep, paper');
    await details.locator('textarea[name=notes]').fill('the run in table 2');
    await details.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: /^baseline/ }).waitFor();
    await page.getByTestId('notes').filter({ hasText: 'the run in table 2' }).waitFor();
    const stored = await stack.gql('query($id: ID!) { run(id: $id) { name tags notes } }', { id: a });
    expect(stored.data!.run).toEqual({
      name: 'baseline',
      tags: ['paper', 'keep'],
      notes: 'the run in table 2',
    });
    // Deleting from the run's page (the confirmation is accepted) goes back to the project.
    await details.getByRole('button', { name: 'Delete run' }).click();
    await page.waitForURL(`${web}/p/team-web`);
    await page
      .getByTestId('count')
      .filter({ hasText: /^2 runs$/ })
      .waitFor();
    // Deleting the selected rows of the table.
    await page.getByLabel('select to-delete-1').click();
    await page.getByRole('button', { name: 'Delete 1 selected' }).click();
    await page
      .getByTestId('count')
      .filter({ hasText: /^1 run$/ })
      .waitFor();
    expect(await page.getByTestId('run-row').allInnerTexts()).toEqual([
      expect.stringContaining('to-delete-2'),
    ]);
    expect(
      (await stack.gql('query($id: ID!) { run(id: $id) { id } }', { id: a })).errors?.[0].extensions?.code,
    ).toBe('NOT_FOUND');
  });

  it.skipIf(!torchPython)(
    "shows a PyTorch script's curves on its run page (examples/python/torch_mlp.py)",
    async () => {
      // Its own project, so the counts the tests above check stay as they were.
      expect((await stack.gql('mutation { createProject(name: "torch") { id } }')).errors).toBeUndefined();
      const script = join(ROOT, 'examples/python/torch_mlp.py');
      // Asynchronous: the API that the script logs to runs on this event loop.
      const { stdout } = await promisify(execFile)(
        torchPython!,
        [script, '--project', 'torch', '--steps', '200'],
        {
          env: {
            ...process.env,
            PYTHONPATH: join(ROOT, 'clients/python'),
            ANNEAL_API_URL: stack.url,
            ANNEAL_API_KEY: stack.key,
            ANNEAL_DATA_DIR: mkdtempSync(join(tmpdir(), 'anneal-torch-web-')),
          },
          timeout: 300_000,
        },
      );
      const runId = stdout.trim().split('\n').pop()!;
      expect(runId).toMatch(/^run_/);
      await page.goto(`${web}/r/${runId}`);
      await page.getByRole('heading', { name: /mlp-lr0\.01-h32/ }).waitFor();
      // A chart per logged curve, each drawn with every point the script logged.
      await page.locator('[data-testid=chart] canvas').first().waitFor();
      await page.getByText('train/loss (200 points)').waitFor();
      await page.getByText('val/acc (10 points)').waitFor();
      await page.getByText('val/loss (10 points)').waitFor();
      const loss = page.getByTestId('chart').filter({ hasText: 'train/loss (200 points)' });
      const box = (await loss.locator('canvas').first().boundingBox())!;
      expect(box.width).toBeGreaterThan(100);
      expect(box.height).toBeGreaterThan(50);
      // The curve is drawn: the chart's canvas holds pixels of the series' blue, not only the white background and grey grid.
      const blue = await loss
        .locator('canvas')
        .first()
        .evaluate((c: HTMLCanvasElement) => {
          const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          for (let i = 0; i < px.length; i += 4) if (px[i + 2] > 150 && px[i] < 120 && px[i + 3] > 0) n++;
          return n;
        });
      expect(blue).toBeGreaterThan(200);
      // Its console: what the script printed.
      await page
        .getByTestId('logs')
        .filter({ hasText: /step 199: train\/loss [\d.]+ val\/acc [\d.]+/ })
        .waitFor();
      await page.screenshot({ path: join(SHOTS, 'torch-run.png') });
    },
  );
});
