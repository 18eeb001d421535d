// Shared by the browser tests and `pnpm bench:web`: the production dashboard (`next start`) on a free port,
// talking to an API, and Debian's headless Chromium driven by playwright-core (no browser downloads).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';

export const WEB = fileURLToPath(new URL('.', import.meta.url));
export const CHROMIUM =
  process.env.CHROMIUM ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

/** `next start` of the built app against the API at `apiUrl`; resolves once it answers. */
export async function startDashboard(apiUrl: string): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const bin = createRequire(join(WEB, 'package.json')).resolve('next/dist/bin/next');
  const child = spawn(process.execPath, [bin, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: WEB,
    env: { ...process.env, ANNEAL_API_URL: apiUrl, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: 'ignore',
  });
  for (let i = 0; i < 150; i++) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { url, process: child };
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error(`next start did not answer on ${url}`);
}

/** Headless Chromium with the flags the project's browser tests use. */
export function launchChromium(): Promise<Browser> {
  if (!CHROMIUM)
    throw new Error('Chromium not found: ./scripts/setup.sh installs it (or set CHROMIUM=<path>)');
  return chromium.launch({
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
}

/** Whether apps/web needs `next build`: no build yet, or a source (or next.config.ts) newer than it. */
export function staleBuild(): boolean {
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
