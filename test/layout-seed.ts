// The layout tests' data and helpers, shared with `pnpm screenshots` (scripts/screenshots.ts): a project seeded
// through GraphQL with runs (metrics, console, summaries, Markdown notes), a finished program sweep and an
// artifact; the list of every page; and how far a page sticks out of its viewport.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ROOT, type startStack } from './stack.ts';

export { staleBuild } from '../apps/web/browser.ts';

export const SHOTS = join(ROOT, 'docs/screenshots');
export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

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

/** The README's screenshots: the project workspace, compare, and phone layouts (light and dark). */
export async function takeScreenshots(browser: Browser, web: string, ids: Awaited<ReturnType<typeof seed>>) {
  const shots = [
    ['workspace.png', DESKTOP, '/p/layout', 'a:text("sgd-lr1e-2")', 'light'],
    ['compare.png', DESKTOP, `/compare?runs=${ids.runs.join(',')}`, 'h1:text("Compare")', 'light'],
    ['run-dark.png', DESKTOP, `/r/${ids.runs[0]}`, '[data-testid=chart] canvas', 'dark'],
    ['phone-project.png', PHONE, '/p/layout', 'a:text("sgd-lr1e-2")', 'light'],
    ['phone-run.png', PHONE, `/r/${ids.runs[0]}`, '[data-testid=chart] canvas', 'dark'],
    ['phone-sweep.png', PHONE, `/s/${ids.sweep}`, '[data-testid=importance] tbody tr', 'light'],
  ] as const;
  mkdirSync(SHOTS, { recursive: true });
  const written: string[] = [];
  for (const [file, viewport, path, ready, colorScheme] of shots) {
    const ctx = await browser.newContext({ viewport, colorScheme });
    const page = await ctx.newPage();
    await page.goto(`${web}${path}`);
    await page.locator(ready).first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(600); // charts size themselves to their box
    await page.screenshot({ path: join(SHOTS, file), fullPage: viewport === PHONE });
    written.push(join(SHOTS, file));
    await ctx.close();
  }
  return written;
}
