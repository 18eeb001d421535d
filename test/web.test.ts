// The dashboard in a real browser: Debian's Chromium driven by playwright-core, against `next start` (the
// production build) and a live API on embedded PGlite seeded through GraphQL. Screenshots go to
// test-results/screenshots/.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { bootstrap } from '@anneal/api/bootstrap';
import { createApi, listen } from '@anneal/api/server';
import { freshDatabase } from '@anneal/db/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './stack.ts';

const WEB = join(ROOT, 'apps/web');
const SHOTS = join(ROOT, 'test-results/screenshots');
const CHROMIUM =
  process.env.CHROMIUM ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

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
  return newest(join(WEB, 'src')) > built || statSync(join(WEB, 'next.config.ts')).mtimeMs > built;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

describe('the dashboard in Chromium', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let api: Server;
  let next: ChildProcess;
  let browser: Browser;
  let page: Page;
  let web = '';
  let password = '';

  beforeAll(async () => {
    if (!CHROMIUM)
      throw new Error('Chromium not found: ./scripts/setup.sh installs it (or set CHROMIUM=<path>)');
    db = await freshDatabase('pglite');
    const boot = await bootstrap(db.handle);
    password = boot.password!;
    const started = await listen(createApi({ handle: db.handle }), 0);
    api = started.server;
    const gql = async (query: string, variables: Record<string, unknown> = {}) => {
      const res = await fetch(`${started.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${boot.key}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data: Record<string, { id: string }>; errors?: unknown };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    // Three runs: two finished with a summary and a loss curve, one running.
    for (const [name, lr, f1] of [
      ['alpha-lr3', 1e-3, 0.91],
      ['beta-lr4', 1e-4, 0.95],
      ['gamma-lr2', 1e-2, null],
    ] as const) {
      const { createRun } = await gql(
        'mutation($n: String, $c: JSON) { createRun(project: "default", name: $n, config: $c, tags: ["web"]) { id } }',
        {
          n: name,
          c: { optim: { lr } },
        },
      );
      const points = Array.from({ length: 300 }, (_, s) => ({
        key: 'train/loss',
        step: s,
        value: 2 / (1 + s * lr * 100) + (s === 150 ? 3 : 0),
      }));
      await gql('mutation($id: ID!, $p: [PointInput!]!) { logMetrics(runId: $id, points: $p) }', {
        id: createRun.id,
        p: points,
      });
      if (f1 !== null)
        await gql('mutation($id: ID!, $s: JSON) { finishRun(runId: $id, summary: $s) { id } }', {
          id: createRun.id,
          s: { 'val/f1': f1 },
        });
    }
    if (staleBuild())
      execFileSync('pnpm', ['--filter', '@anneal/web', 'build'], {
        cwd: ROOT,
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      });
    const port = await freePort();
    web = `http://127.0.0.1:${port}`;
    const bin = createRequire(join(WEB, 'package.json')).resolve('next/dist/bin/next');
    next = spawn(process.execPath, [bin, 'start', '-p', String(port), '-H', '127.0.0.1'], {
      cwd: WEB,
      env: { ...process.env, ANNEAL_API_URL: started.url, NEXT_TELEMETRY_DISABLED: '1' },
      stdio: 'ignore',
    });
    for (let i = 0; i < 100; i++) {
      if (
        await fetch(web).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await new Promise((r) => setTimeout(r, 200));
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    mkdirSync(SHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    next?.kill();
    await new Promise((r) => (api ? api.close(r) : r(null)));
    await db?.drop();
  });

  it('signs in with the session cookie and lists the projects', async () => {
    await page.goto(`${web}/login`);
    await page.fill('input[name=password]', password);
    await page.click('button[type=submit]');
    await page.getByRole('heading', { name: 'Projects' }).waitFor();
    expect(await page.getByRole('link', { name: 'default' }).count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'projects.png') });
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
    await page.fill('input[name=filter]', '{"field": "summary.val/f1", "op": "GT", "value": 0.92}');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByTestId('count').filter({ hasText: '1 runs' }).waitFor();
    expect(await page.getByTestId('run-row').allInnerTexts()).toEqual([expect.stringContaining('beta-lr4')]);
    await page.screenshot({ path: join(SHOTS, 'runs.png') });
  });

  it('opens a run with a chart of its logged points and its summary', async () => {
    await page.getByRole('link', { name: 'beta-lr4' }).click();
    await page.getByRole('heading', { name: /beta-lr4/ }).waitFor();
    await page.locator('[data-testid=chart] canvas').first().waitFor();
    expect(await page.getByText('train/loss (300 points)').count()).toBe(1);
    expect(await page.getByTestId('summary').textContent()).toContain('"val/f1": 0.95');
    await page.screenshot({ path: join(SHOTS, 'run.png') });
  });
});
