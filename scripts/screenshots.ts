// `pnpm screenshots`: re-takes the README's screenshots (docs/screenshots/) on a fresh embedded stack seeded
// as the layout tests seed it: the project workspace, the compare page and the phone layouts. Builds the
// dashboard first when its sources are newer than the build.
import { execFileSync } from 'node:child_process';
import { launchChromium, startDashboard } from '../apps/web/browser.ts';
import { seed, staleBuild, takeScreenshots } from '../test/layout-seed.ts';
import { ROOT, startStack } from '../test/stack.ts';

const stack = await startStack('screenshots');
let dashboard: Awaited<ReturnType<typeof startDashboard>> | undefined;
let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
try {
  const ids = await seed(stack);
  if (staleBuild())
    execFileSync('pnpm', ['--filter', '@anneal/web', 'build'], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    });
  dashboard = await startDashboard(stack.url);
  browser = await launchChromium();
  for (const f of await takeScreenshots(browser, dashboard.url, ids)) console.log(`wrote ${f}`);
} finally {
  await browser?.close();
  dashboard?.process.kill();
  await stack.close();
}
