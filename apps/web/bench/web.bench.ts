// `pnpm bench:web`, in the same headless Chromium as the browser tests, against `next start` and a live API
// on embedded PGlite: (1) a project with 10,000 runs — time from navigation to the first table rows;
// (2) a comparison of 20 runs × 10,000 points — time from navigation to the chart drawn; (3) a sweep of 10,000
// finished trials — time from navigation to its page drawn (best, parallel coordinates, runs); (4) the project
// workspace (on Postgres 15): 100 visible runs × 6 panels × 10,000 points a series — time from navigation to every panel drawn
// with all 100 runs (one batched series query, server-side min/max buckets, uPlot). Medians of 5.
// Prints a table and writes bench/results/web-*.json.
// BENCH_WEB_ONLY=workspace runs section (4) alone; BENCH_WS_DB=<name> keeps the workspace's Postgres database
// under that name and reuses it on the next run when it is already seeded (seeding takes minutes).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { hashPassword } from '@anneal/api/auth';
import { bootstrap } from '@anneal/api/bootstrap';
import { insertPoints } from '@anneal/api/metrics';
import { createApi, listen } from '@anneal/api/server';
import { connect, type DbHandle } from '@anneal/db/client';
import { migrate } from '@anneal/db/migrate';
import { freshDatabase, TEST_PG_URL } from '@anneal/db/testing';
import { sql } from 'drizzle-orm';
import { writeJson } from '../../../packages/kernels/bench/harness.ts';
import { parseSweepConfig } from '../../api/src/sweeps/space.ts';
import { launchChromium, startDashboard, WEB } from '../browser.ts';
import { seedWorkspace, WS_KEYS, WS_POINTS, WS_RUNS } from './seed-workspace.ts';

if (!existsSync(join(WEB, '.next', 'BUILD_ID')))
  throw new Error('bench:web: build the app first (pnpm --filter @anneal/web build)');

const onlyWs = process.env.BENCH_WEB_ONLY === 'workspace';
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
/** Every navigation's time to ready (the trace prints them). */
const drawnAt: number[] = [];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const timeNav = async (url: string, ready: () => Promise<unknown>) => {
  const t: number[] = [];
  for (let i = 0; i < 6; i++) {
    const t0 = performance.now();
    await page.goto(url);
    await ready();
    if (i > 0) t.push(performance.now() - t0); // the first load warms Next's caches
    drawnAt.push(performance.now() - t0);
  }
  return median(t);
};

/** Sections (1)–(3), on embedded PGlite. */
async function tablesAndCharts() {
  const db = await freshDatabase('pglite');
  const boot = await bootstrap(db.handle);
  const h = db.handle;
  const [{ id: project }] = await h.rows<{ id: string }>(sql`select id from projects where name = 'default'`);
  await h.rows(sql`insert into runs (project_id, name, status, config, summary, tags)
  select ${project}::uuid, 'run-' || i, 'finished', jsonb_build_object('lr', random()), jsonb_build_object('val/loss', random(), 'val/f1', random()), array['bench']
  from generate_series(1, 10000) i`);
  const ids = (await h.rows<{ id: string }>(sql`select id from runs order by name limit 20`)).map(
    (r) => r.id,
  );
  for (const id of ids)
    await insertPoints(
      h,
      id,
      Array.from({ length: 10_000 }, (_, s) => ({
        key: 'train/loss',
        step: s,
        value: Math.exp(-s / 3000) + Math.random() * 0.05,
      })),
    );
  // A finished sweep of 10,000 trials over three parameters (optuna-dashboard's users report it choking there).
  const sweepConfig = parseSweepConfig(`method: random
metric: { name: val/loss, goal: minimize }
parameters:
  optim.lr: { min: 0.00001, max: 0.01, distribution: log_uniform_values }
  optim.weightDecay: { min: 0.0, max: 0.1, distribution: uniform }
  train.batchSize: { values: [8, 16, 32, 64] }
`);
  // In a project of its own, so the runs table above still holds exactly 10,000 runs.
  const [{ id: hpo }] = await h.rows<{ id: string }>(
    sql`insert into projects (name) values ('hpo') returning id`,
  );
  await h.rows(
    sql`insert into memberships select ${hpo}::uuid, user_id, 'admin' from memberships where project_id = ${project}::uuid`,
  );
  const [{ id: sweep }] = await h.rows<{
    id: string;
  }>(sql`insert into sweeps (project_id, name, config, base_config, state, proposals)
  values (${hpo}::uuid, 'big-sweep', ${JSON.stringify(sweepConfig)}::jsonb, '{}'::jsonb, 'finished', 10000) returning id`);
  await h.rows(sql`insert into runs (project_id, name, status, sweep_id, sweep_params, summary, created_at)
  select ${hpo}::uuid, 'big-sweep-' || i, 'finished', ${sweep}::uuid,
    jsonb_build_object('optim.lr', p.lr, 'optim.weightDecay', p.wd, 'train.batchSize', p.bs),
    jsonb_build_object('val/loss', abs(ln(p.lr / 0.001)) + p.wd + random() * 0.3),
    now() - (10000 - i) * interval '1 second'
  from generate_series(1, 10000) i,
    lateral (select exp(ln(0.00001) + random() * ln(1000)) + i * 0 as lr, random() * 0.1 + i * 0 as wd,
      (array[8, 16, 32, 64])[1 + floor(random() * 4)::int + i * 0] as bs) p`);
  const api = await listen(createApi({ handle: h }), 0);

  const { url: web, process: next } = await startDashboard(api.url);
  await page.goto(`${web}/login`);
  await page.fill('input[name=password]', boot.password!);
  await page.click('button[type=submit]');
  await page.getByRole('heading', { name: 'Projects' }).waitFor();
  const table = await timeNav(`${web}/p/default`, () => page.getByTestId('run-row').first().waitFor());
  const rows = await page.getByTestId('run-row').count();
  // Scroll to the end: pages of 500 load as the table nears its end, until all 10,000 are in.
  const t0 = performance.now();
  while (await page.getByTestId('loaded').count()) {
    await page.locator('.scroller').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.waitForTimeout(50);
  }
  const scrollAll = performance.now() - t0;
  const lastRows = await page.getByTestId('run-row').count();
  const chart = await timeNav(`${web}/compare?runs=${ids.map((id) => `run_${id}`).join(',')}`, () =>
    page.locator('[data-testid=overlay] canvas').first().waitFor(),
  );
  // The chart's own build-and-draw time, as the page measured it (the last navigation's).
  const render = Number(await page.locator('[data-testid=overlay]').first().getAttribute('data-render-ms'));
  const sweepPage = await timeNav(`${web}/s/sweep_${sweep}`, () =>
    page.locator('[data-testid=parcoords-canvas][data-drawn="10000"]').waitFor(),
  );
  const sweepRowsInDom = await page.getByTestId('sweep-run').count();
  next.kill();
  api.server.close();
  await db.drop();
  return { table, rows, chart, render, scrollAll, lastRows, sweepPage, sweepRowsInDom };
}

/** The workspace's Postgres database: BENCH_WS_DB's when set (kept, and reused when already seeded), else a fresh one. */
async function workspaceDatabase(): Promise<{
  handle: DbHandle;
  password: string;
  seedS: number;
  drop: () => Promise<void>;
}> {
  const engine = process.env.BENCH_WS_ENGINE === 'pglite' ? 'pglite' : 'postgres';
  const keep = engine === 'postgres' ? process.env.BENCH_WS_DB : undefined;
  let db: { handle: DbHandle; drop: () => Promise<void> };
  if (keep) {
    if (!/^[a-z_][a-z0-9_]*$/.test(keep)) throw new Error(`BENCH_WS_DB: a lower-case SQL name, got ${keep}`);
    const admin = await connect({ kind: 'postgres', url: TEST_PG_URL });
    const [exists] = await admin.rows<{ n: number }>(
      sql`select 1 as n from pg_database where datname = ${keep}`,
    );
    if (!exists) await admin.query(`create database ${keep}`);
    await admin.close();
    const u = new URL(TEST_PG_URL);
    u.pathname = `/${keep}`;
    const handle = await connect({ kind: 'postgres', url: u.toString() });
    await migrate(handle);
    db = { handle, drop: () => handle.close() };
  } else db = await freshDatabase(engine);
  const h = db.handle;
  const boot = await bootstrap(h);
  // A reused database's admin has a password from an earlier run: give it a new one.
  const password = boot.password ?? `bench-${Date.now()}`;
  if (!boot.password)
    await h.rows(
      sql`update users set password_hash = ${await hashPassword(password)} where email = 'admin@localhost'`,
    );
  const [seeded] = await h.rows<{ n: number }>(
    sql`select count(*)::int as n from runs r join projects p on p.id = r.project_id where p.name = 'ws'`,
  );
  let seedS = 0;
  if (seeded?.n !== WS_RUNS) {
    await h.rows(sql`delete from projects where name = 'ws'`);
    const [{ id: dflt }] = await h.rows<{ id: string }>(sql`select id from projects where name = 'default'`);
    const t0 = performance.now();
    await seedWorkspace(h, dflt);
    seedS = (performance.now() - t0) / 1000;
  }
  return { handle: h, password, seedS, drop: db.drop };
}

const tc = onlyWs ? null : await tablesAndCharts();
// The workspace, on Postgres 15 (a team's server; 6,000,000 points are more than the embedded database is for):
// its own API and dashboard; the default panels (one per metric family: 6), each with all 100 runs drawn.
const pg = await workspaceDatabase();
const seedS = pg.seedS;
const api2 = await listen(createApi({ handle: pg.handle }), 0);
const dash2 = await startDashboard(api2.url);
await page.goto(`${dash2.url}/login`);
await page.fill('input[name=password]', pg.password);
await page.click('button[type=submit]');
await page.getByRole('heading', { name: 'Projects' }).waitFor();
await page.evaluate(() => localStorage.clear());
// BENCH_WS_TRACE=1: the GraphQL requests of each navigation (operation, start and end after navigation).
const trace: { op: string; start: number; end: number; firstByte?: number }[] = [];
let navAt = 0;
if (process.env.BENCH_WS_TRACE)
  page.on('requestfinished', (r) => {
    if (!r.url().includes('graphql')) return;
    const t = r.timing();
    const text = r.postData() ?? decodeURIComponent(r.url());
    const op = /(?:query|mutation)[\s+]+(\w+)/.exec(text)?.[1] ?? '?';
    trace.push({
      op,
      start: t.startTime - navAt,
      firstByte: t.startTime + t.responseStart - navAt,
      end: t.startTime + t.responseEnd - navAt,
    });
  });
page.on('request', (r) => {
  if (!r.isNavigationRequest() || r.frame() !== page.mainFrame()) return;
  navAt = Date.now();
  trace.push({ op: '(navigation)', start: 0, end: 0 });
});
/** BENCH_WS_TRACE: each navigation as the page's own clock saw it (ms since navigation start). */
const pageTimes: string[] = [];
const workspace = await timeNav(`${dash2.url}/p/ws`, async () => {
  await page.waitForFunction(
    ({ panels, runs }) => {
      const ps = [...document.querySelectorAll('[data-testid=panel]')];
      const drawn =
        ps.length === panels &&
        ps.every(
          (p) => p.getAttribute('data-series') === String(runs) && p.querySelector('[data-drawn=true]'),
        );
      if (drawn) (window as unknown as { drawnAt: number }).drawnAt = performance.now();
      return drawn;
    },
    { panels: WS_KEYS.length, runs: WS_RUNS },
    { timeout: 120_000, polling: 'raf' },
  );
  if (process.env.BENCH_WS_TRACE)
    pageTimes.push(
      await page.evaluate(() => {
        // (No named functions in here: tsx would wrap them in a helper the page does not have.)
        const series = performance
          .getEntriesByType('resource')
          .find((e) => e.name.includes('WorkspaceTableSeries')) as PerformanceResourceTiming | undefined;
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        const drawn = (window as unknown as { drawnAt: number }).drawnAt;
        return `page: html ${nav.responseEnd.toFixed(0)}, DOMContentLoaded ${nav.domContentLoadedEventEnd.toFixed(0)}, series ${series ? `${series.startTime.toFixed(0)} → first byte ${series.responseStart.toFixed(0)} → end ${series.responseEnd.toFixed(0)} (${(series.encodedBodySize / 1e6).toFixed(1)} MB gzipped, ${(series.decodedBodySize / 1e6).toFixed(1)} MB)` : '?'}, drawn ${drawn.toFixed(0)}`;
      }),
    );
});
// BENCH_WS_PROFILE=1: one more navigation under the CPU profiler; prints where the page's main thread went.
if (process.env.BENCH_WS_PROFILE) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const t0 = performance.now();
  await page.goto(`${dash2.url}/p/ws`);
  await page.waitForFunction(
    ({ panels, runs }) =>
      [...document.querySelectorAll('[data-testid=panel]')].filter(
        (p) => p.getAttribute('data-series') === String(runs) && p.querySelector('[data-drawn=true]'),
      ).length === panels,
    { panels: WS_KEYS.length, runs: WS_RUNS },
    { timeout: 120_000, polling: 'raf' },
  );
  console.log(`profiled navigation: ${(performance.now() - t0).toFixed(0)} ms`);
  const { profile } = (await cdp.send('Profiler.stop')) as {
    profile: {
      nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
      samples: number[];
      timeDeltas: number[];
    };
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const f = byId.get(id)!.callFrame;
    const name = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
    self.set(name, (self.get(name) ?? 0) + profile.timeDeltas[i] / 1000);
  });
  for (const [name, ms] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25))
    console.log(`${ms.toFixed(1).padStart(8)} ms  ${name}`);
}
const wsRender = await page.evaluate(() =>
  [...document.querySelectorAll('[data-testid=plot]')].reduce(
    (s, el) => s + Number((el as HTMLElement).dataset.renderMs ?? 0),
    0,
  ),
);
if (process.env.BENCH_WS_TRACE) {
  const drawn = drawnAt.slice(-6);
  for (const t of trace)
    console.log(
      `${t.op.padEnd(24)} ${t.start.toFixed(0).padStart(6)} → ${t.end.toFixed(0)}${t.firstByte ? ` (first byte ${t.firstByte.toFixed(0)})` : ''}`,
    );
  console.log(`drawn at (ms, each navigation): ${drawn.map((t) => t.toFixed(0)).join(', ')}`);
  for (const t of pageTimes) console.log(t);
}
dash2.process.kill();
api2.server.close();
await pg.drop();
await browser.close();

console.log('\ndashboard in headless Chromium (median of 5, navigation to drawn)');
console.log('view                                      ms       bar');
if (tc) {
  console.log(
    `runs table, 10,000 runs (first rows)      ${tc.table.toFixed(0).padEnd(8)} ≤ 1500   (${tc.rows} rows in the DOM)`,
  );
  console.log(
    `compare chart, 20 runs × 10,000 points    ${tc.chart.toFixed(0).padEnd(8)} ≤ 300    (navigation, query, draw)`,
  );
  console.log(`  of which building and drawing the chart  ${tc.render.toFixed(0).padEnd(8)}`);
  console.log(
    `scroll to the last of 10,000 runs          ${tc.scrollAll.toFixed(0).padEnd(8)} —        (${tc.lastRows} rows in the DOM)`,
  );
  console.log(
    `sweep page, 10,000 trials                  ${tc.sweepPage.toFixed(0).padEnd(8)} ≤ 1500   (${tc.sweepRowsInDom} run rows in the DOM)`,
  );
}
console.log(
  `workspace, 100 runs × 6 panels × 10,000    ${workspace.toFixed(0).padEnd(8)} ≤ 1500   (navigation, runs, one series query, 6 uPlot panels)`,
);
console.log(
  seedS
    ? `  (seeding its ${WS_RUNS * WS_KEYS.length * WS_POINTS} points took ${seedS.toFixed(0)} s)`
    : `  (its ${WS_RUNS * WS_KEYS.length * WS_POINTS} points reused from ${process.env.BENCH_WS_DB})`,
);
console.log(`  of which building and drawing the panels ${wsRender.toFixed(0).padEnd(8)}`);
console.log(
  `\nwrote ${writeJson(onlyWs ? 'web-workspace' : 'web', { ...(tc && { tableMs: tc.table, rowsInDom: tc.rows, chartMs: tc.chart, scrollAllMs: tc.scrollAll, chartRenderMs: tc.render, sweepPageMs: tc.sweepPage, sweepRowsInDom: tc.sweepRowsInDom }), workspaceMs: workspace, workspaceRenderMs: wsRender })}`,
);
process.exit(0);
