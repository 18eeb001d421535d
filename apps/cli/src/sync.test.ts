// `anneal sync --status` from the command line: per spooled run, the operations spooled, delivered, pending,
// rejected and moved aside, corrupt lines, and the files that hold what was not delivered (issue 14). The
// spool is written through the client offline, so no API is needed; the numbers are then set by hand the way
// a delivery leaves them (.sent cursor, dead-letter and moved-aside files).
import { execFile } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Run } from '@anneal/client';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/anneal.js', import.meta.url));

describe('anneal sync --status', () => {
  const dir = mkdtempSync(join(tmpdir(), 'anneal-sync-status-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists each spooled run with its counts and the files holding rejected and moved-aside operations', async () => {
    const spoolDir = join(dir, 'spool');
    const o = { mode: 'offline' as const, spoolDir, warn: () => {} };
    const a = Run.init({ project: 'default', name: 'a' }, o);
    for (let step = 0; step < 8; step++) a.log({ loss: step }, step);
    appendFileSync(a.spoolFile, 'torn{"op"\n');
    await a.finish(); // create + 8 points + a corrupt line + finish: 11 lines
    // Delivered up to line 10 of 11, one points operation moved aside, one point rejected.
    writeFileSync(join(spoolDir, `${a.id}.sent`), '10');
    appendFileSync(
      a.failedFile,
      `${JSON.stringify({ runId: a.id, tries: 5, operation: { op: 'points' } })}\n`,
    );
    appendFileSync(
      a.deadLetterFile,
      `${JSON.stringify({ runId: a.id, kind: 'corrupt', line: 10, text: 'torn{"op"', reason: 'bad JSON' })}\n`,
    );
    const b = Run.init({ project: 'default', name: 'b' }, o);
    b.log({ loss: 1 }, 0); // nothing delivered yet
    const { stdout } = await promisify(execFile)(process.execPath, [
      BIN,
      'sync',
      '--status',
      '--spool',
      spoolDir,
    ]);
    const lines = stdout.trim().split('\n');
    expect(lines[0].split(/\s{2,}/)).toEqual([
      'run',
      'spooled',
      'delivered',
      'pending',
      'rejected',
      'moved aside',
      'corrupt lines',
    ]);
    const row = (id: string) => lines.find((l) => l.startsWith(`${id} `))?.split(/\s+/);
    // a: 10 readable operations; of the 10 settled lines, one was moved aside and one was corrupt.
    expect(row(a.id)).toEqual([a.id, '10', '8', '1', '1', '1', '1']);
    expect(row(b.id)).toEqual([b.id, '2', '0', '2', '0', '0', '0']);
    expect(stdout).toContain(`${a.id}: spool ${a.spoolFile}`);
    expect(stdout).toContain(`rejected (with reasons): ${a.deadLetterFile}`);
    expect(stdout).toContain(`moved aside: ${a.failedFile}`);
  }, 30_000);
});
