import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { checkDatabase, checkGpu, checkNode } from './doctor.ts';

const BIN = fileURLToPath(new URL('../bin/anneal.js', import.meta.url));

describe('anneal doctor', () => {
  it('accepts Node 20 and refuses Node 18', () => {
    expect(checkNode('20.1.0').ok).toBe(true);
    expect(checkNode('18.19.0')).toMatchObject({ ok: false, hint: 'Anneal needs Node >= 20' });
  });

  it('describes the adapter, its limits and features, and proves it computes', async () => {
    const c = await checkGpu();
    expect(c.ok).toBe(true);
    const text = c.lines.join('\n');
    expect(text).toMatch(/adapter {6}\S/);
    expect(text).toMatch(/maxStorageBufferBindingSize +\d+/);
    expect(text).toMatch(/shader-f16 (yes|no) {3}subgroups (yes|no) {3}timestamp-query (yes|no)/);
    expect(text).toMatch(/probe {8}a WGSL kernel ran and its output checked out/);
  });

  it('fails with a hint when Postgres is unreachable', async () => {
    const c = await checkDatabase({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test' });
    expect(c.ok).toBe(false);
    expect(c.lines.join('\n')).toMatch(/unreachable: .*ECONNREFUSED/);
    expect(c.hint).toMatch(/DATABASE_URL/);
  });

  it('exits non-zero from the command line when the database is unreachable', async () => {
    const run = promisify(execFile)(process.execPath, [BIN, 'doctor'], {
      env: { ...process.env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test' },
    });
    const err = await run.then(
      () => null,
      (e: { code: number; stdout: string }) => e,
    );
    expect(err?.code).toBe(1);
    expect(err?.stdout).toMatch(/FAIL database/);
    expect(err?.stdout).toMatch(/hint: start Postgres or fix DATABASE_URL/);
  });

  it('`anneal demo` (the README quick start) checks the machine, creates the embedded database and tracks a run in it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'anneal-demo-'));
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, ANNEAL_DATA_DIR: dataDir };
      delete env.DATABASE_URL;
      const { stdout } = await promisify(execFile)(process.execPath, [BIN, 'demo', '--steps', '2'], {
        env,
        maxBuffer: 1 << 24,
      });
      expect(stdout).toMatch(/ok {3}gpu/);
      expect(stdout).toMatch(/embedded PGlite at .*anneal-demo-.*\/db ready: (\d+)\/\1 migrations applied/);
      expect(stdout).toMatch(/fine-tuning .*bases\/gpt-brown on SpamAssassin for 2 steps/);
      expect(stdout).toMatch(/test\/f1 +\d/);
      expect(stdout).toMatch(/run directory: .*anneal-demo-.*\/runs\/demo-spam-/);
      expect(stdout).toMatch(/tracking API on http:\/\/127\.0\.0\.1:\d+\/graphql/);
      expect(stdout).toMatch(
        /project "default" now holds 1 run\(s\); latest:\n {2}run_[0-9a-f-]{36} {2}demo-spam {2}finished {2}test\/f1 \d/,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 300_000); // a whole run, trained and tracked: over the default 120 s on a busy 2-core machine
});
