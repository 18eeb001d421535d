// A launched config's output.dir on the worker (launched.ts): kept inside the worker's runs directory through
// symbolic links, hidden and node_modules segments refused, naming config.output.dir; the run then trains in
// the real directory it resolved to.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '@anneal/config';
import { afterAll, describe, expect, it } from 'vitest';
import { LaunchRefused, localize, runsDirOf } from './launched.ts';

const dir = mkdtempSync(join(tmpdir(), 'anneal-launched-'));
const runsDir = join(dir, 'state', 'runs');
const outside = join(dir, 'outside');
mkdirSync(join(runsDir, 'team'), { recursive: true });
mkdirSync(outside);
mkdirSync(join(dir, 'bases', 'gpt-brown'), { recursive: true });
symlinkSync(outside, join(runsDir, 'escape')); // a link in the runs directory that leads out of it
symlinkSync(join(runsDir, 'team'), join(runsDir, 'alias')); // one that stays inside
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a launched run's output.dir on the worker", () => {
  it('resolves inside the runs directory, through links that stay inside', () => {
    expect(runsDirOf(runsDir, 'runs')).toBe(join(runsDir, 'runs'));
    expect(runsDirOf(runsDir, 'alias/spam')).toBe(join(runsDir, 'team', 'spam'));
  });

  it.each([
    ['a link out of the runs directory', 'escape', /leads out of the worker's runs directory/],
    ['a path below such a link', 'escape/deeper/still', /leads out/],
    ['an absolute path', '/tmp', /relative/],
    ['..', 'team/../../..', /'\.\.'/],
    ['a hidden segment', '.anneal/artifacts/cache', /hidden/],
    ['node_modules', 'node_modules/@anneal/client/src', /node_modules/],
  ])('refuses %s, naming config.output.dir', (_what, out, message) => {
    let err: unknown;
    try {
      runsDirOf(runsDir, out);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LaunchRefused);
    expect((err as Error).message).toMatch(/^config\.output\.dir: /);
    expect((err as Error).message).toMatch(message);
  });

  it('localize gives the trainer the real directory, and refuses a link out before anything is downloaded', async () => {
    const dirs = {
      bases: join(dir, 'bases'),
      dataRoot: join(dir, 'data'),
      runsDir,
      cacheDir: join(dir, 'cache'),
      h: null as never, // a shipped base: the database is not read
      apiUrl: 'http://127.0.0.1:9',
      apiKey: 'unused',
    };
    const config = (out: string) =>
      resolveConfig({
        model: { base: 'bases/gpt-brown' },
        data: { source: { kind: 'brown' } },
        output: { dir: out },
      });
    const ok = await localize(config('alias/x'), 'p', dirs);
    expect(ok.config.output.dir).toBe(join(runsDir, 'team', 'x'));
    expect(ok.config.model.base).toBe(join(dir, 'bases', 'gpt-brown'));
    await expect(localize(config('escape/x'), 'p', dirs)).rejects.toThrow(
      /^config\.output\.dir: .*leads out/,
    );
  });
});
