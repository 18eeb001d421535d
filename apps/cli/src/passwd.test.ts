// `anneal passwd`: a new password for a user of the local database, printed once; the old one stops working.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { verifyPassword } from '@anneal/api/auth';
import { bootstrap } from '@anneal/api/bootstrap';
import { connect } from '@anneal/db/client';
import { migrate } from '@anneal/db/migrate';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/anneal.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'anneal-passwd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('anneal passwd', () => {
  it('replaces the password of a user and names an unknown one', async () => {
    const target = { kind: 'pglite' as const, dir: join(dir, 'db') };
    let h = await connect(target);
    await migrate(h);
    const { password: first } = await bootstrap(h);
    // A lockout from failed sign-ins, which the new password lifts.
    await h.query(
      "insert into sign_in_failures (key, failures, locked_until) values ('account:admin@localhost', 9, now() + interval '10 minutes')",
    );
    await h.close();
    const env: NodeJS.ProcessEnv = { ...process.env, ANNEAL_DATA_DIR: dir };
    delete env.DATABASE_URL;
    const { stdout } = await promisify(execFile)(process.execPath, [BIN, 'passwd'], { env });
    const password = /admin@localhost: new password (\S+)/.exec(stdout)?.[1];
    expect(password).toHaveLength(16);
    h = await connect(target);
    const [{ password_hash: hash }] = await h.query<{ password_hash: string }>(
      "select password_hash from users where email = 'admin@localhost'",
    );
    expect(await h.query("select 1 from sign_in_failures where key = 'account:admin@localhost'")).toEqual([]);
    await h.close();
    expect(await verifyPassword(password!, hash)).toBe(true);
    expect(await verifyPassword(first!, hash)).toBe(false);
    const err = await promisify(execFile)(process.execPath, [BIN, 'passwd', 'nobody@x.org'], { env }).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(err?.code).toBe(1);
    expect(err?.stderr.trim()).toBe('anneal: passwd: no user nobody@x.org');
  });
});
