// Hardened auth, on embedded PGlite and on Postgres 15, each test written from a finding of issue 14: scoped API
// keys (a key minting keys, revoking the minter revokes its keys), CORS only for the dashboard's origin with the
// session cookie of any other Origin ignored, sign-in throttled per account and per address (locked even for the
// right password), the same scrypt work for unknown e-mails, lastUsedAt written (throttled), and the Secure
// cookie behind a trusted TLS proxy only.
import type { DbHandle } from '@anneal/db/client';
import { ENGINES, freshDatabase } from '@anneal/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as auth from './auth.ts';
import { FREE_FAILURES } from './signin.ts';
import { createApi } from './yoga.ts';

// The password check, observed: the test of "the same work for unknown e-mails" counts scrypt verifications and
// the hashes they were made against, instead of timing them.
vi.mock('./auth.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('./auth.ts')>();
  return { ...real, verifyPassword: vi.fn(real.verifyPassword) };
});

type Gql = {
  // biome-ignore lint/suspicious/noExplicitAny: responses are read by shape, as a client would
  data?: Record<string, any>;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};
type Api = ReturnType<typeof createApi>;

const DASHBOARD = 'https://anneal.example.org';
const PASSWORD = 'correct horse battery';

describe.each(ENGINES)('auth on %s', (engine) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let h: DbHandle;
  let api: Api;
  /** Behind one trusted proxy: X-Forwarded-For names the client, so each test can be its own address. */
  let proxied: Api;
  const users: Record<string, string> = {};
  const projects: Record<string, string> = {};
  let adminKey: string;

  const post = async (
    to: Api,
    query: string,
    {
      key,
      headers = {},
      variables = {},
    }: { key?: string; headers?: Record<string, string>; variables?: object } = {},
  ) => {
    const res = await to.fetch('http://anneal.test/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    return { res, body: (await res.json()) as Gql };
  };
  const gql = async (key: string, query: string, variables: object = {}) =>
    (await post(api, query, { key, variables })).body;
  const ok = async (key: string, query: string, variables: object = {}) => {
    const r = await gql(key, query, variables);
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    return r.data!;
  };
  const code = (r: Gql) => r.errors?.[0]?.extensions?.code;
  const mint = async (key: string, args = '') =>
    (await ok(key, `mutation { createApiKey(name: "k"${args}) }`)).createApiKey as string;
  const keyId = async (key: string) =>
    (await h.rows<{ id: string }>(sql`select id from api_keys where hash = ${auth.hashKey(key)}`))[0].id;
  const login = (email: string, password: string, address: string, to = proxied) =>
    post(to, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { email } }', {
      variables: { e: email, p: password },
      headers: { 'x-forwarded-for': address },
    });

  beforeAll(async () => {
    db = await freshDatabase(engine);
    h = db.handle;
    api = createApi({ handle: h, keyCacheMs: 0, webOrigins: [DASHBOARD] });
    proxied = createApi({ handle: h, keyCacheMs: 0, trustProxy: 1 });
    for (const name of ['alpha', 'beta']) {
      const [p] = await h.rows<{ id: string }>(
        sql`insert into projects (name) values (${name}) returning id`,
      );
      projects[name] = p.id;
    }
    // ann: admin of alpha and beta, with a password; ben: member of alpha, keys only.
    for (const [name, password] of [
      ['ann', PASSWORD],
      ['ben', null],
    ] as const) {
      const hash = password ? await auth.hashPassword(password) : null;
      const [u] = await h.rows<{ id: string }>(
        sql`insert into users (email, name, password_hash) values (${`${name}@x.org`}, ${name}, ${hash}) returning id`,
      );
      users[name] = u.id;
    }
    await h.rows(sql`insert into memberships values
      (${projects.alpha}::uuid, ${users.ann}::uuid, 'admin'), (${projects.beta}::uuid, ${users.ann}::uuid, 'admin'),
      (${projects.alpha}::uuid, ${users.ben}::uuid, 'member')`);
    adminKey = (await auth.createApiKey(h, users.ann, 'root', { scope: 'admin' })).key;
  }, 60_000);
  afterAll(() => db?.drop());

  it('caps a key at its scope: read reads, log writes runs, only admin manages the project', async () => {
    const read = await mint(adminKey, ', scope: read');
    const log = await mint(adminKey, ', scope: log');
    expect((await ok(read, '{ projects { name role } }')).projects).toEqual([
      { name: 'alpha', role: 'viewer' },
      { name: 'beta', role: 'viewer' },
    ]);
    expect(code(await gql(read, 'mutation { createRun(project: "alpha", name: "r") { id } }'))).toBe(
      'FORBIDDEN',
    );
    const run = (await ok(log, 'mutation { createRun(project: "alpha", name: "r") { id } }')).createRun.id;
    await ok(
      log,
      'mutation($id: ID!) { logMetrics(runId: $id, points: [{ key: "loss", step: 0, value: 1 }]) { stored } }',
      {
        id: run,
      },
    );
    expect((await ok(read, 'query($id: ID!) { run(id: $id) { name } }', { id: run })).run.name).toBe('r');
    const addBen = 'mutation { setMember(project: "beta", email: "ben@x.org", role: "viewer") { role } }';
    expect(code(await gql(log, addBen))).toBe('FORBIDDEN');
    expect(code(await gql(read, 'mutation { createProject(name: "by-read-key") { id } }'))).toBe('FORBIDDEN');
    // The scope caps the membership, never raises it: ben is a member of alpha, so his admin key is a member.
    const benAdmin = (await auth.createApiKey(h, users.ben, 'b', { scope: 'admin' })).key;
    expect((await ok(benAdmin, '{ projects { name role } }')).projects).toEqual([
      { name: 'alpha', role: 'member' },
    ]);
    // Listed with their scopes.
    const listed = (await ok(adminKey, '{ me { apiKeys { scope project { name } } } }')).me.apiKeys;
    expect(listed.map((k: { scope: string | null }) => k.scope).sort()).toEqual(['admin', 'log', 'read']);
  });

  it('keeps a key limited to one project out of every other, and its keys too', async () => {
    const alphaOnly = await mint(adminKey, ', scope: admin, project: "alpha"');
    expect((await ok(alphaOnly, '{ projects { name role } }')).projects).toEqual([
      { name: 'alpha', role: 'admin' },
    ]);
    expect((await ok(alphaOnly, '{ me { projects { name } } }')).me.projects).toEqual([{ name: 'alpha' }]);
    expect(code(await gql(alphaOnly, '{ runs(project: "beta") { totalCount } }'))).toBe('NOT_FOUND');
    expect(code(await gql(alphaOnly, 'mutation { createRun(project: "beta", name: "x") { id } }'))).toBe(
      'NOT_FOUND',
    );
    expect(code(await gql(alphaOnly, 'mutation { createProject(name: "escape") { id } }'))).toBe('FORBIDDEN');
    // A key it mints stays in alpha, whether or not the project is named; naming beta is refused.
    const child = await mint(alphaOnly, ', scope: read');
    expect((await ok(child, '{ projects { name } }')).projects).toEqual([{ name: 'alpha' }]);
    expect(code(await gql(alphaOnly, 'mutation { createApiKey(name: "x", project: "beta") }'))).toBe(
      'NOT_FOUND',
    );
    const [row] = await h.rows<{ project_id: string; minted_by: string }>(
      sql`select project_id, minted_by from api_keys where hash = ${auth.hashKey(child)}`,
    );
    expect(row).toEqual({ project_id: projects.alpha, minted_by: await keyId(alphaOnly) });
  });

  it('lets only a session or an admin-scoped key mint keys (finding 4)', async () => {
    const unscoped = await mint(adminKey); // the default: ann's roles, but no minting
    const log = await mint(adminKey, ', scope: log');
    expect((await ok(unscoped, '{ projects { role } }')).projects).toEqual([
      { role: 'admin' },
      { role: 'admin' },
    ]);
    for (const key of [unscoped, log]) {
      const r = await gql(key, 'mutation { createApiKey(name: "escalate", scope: admin) }');
      expect(code(r), JSON.stringify(r)).toBe('FORBIDDEN');
      expect(r.errors?.[0].message).toMatch(/session or an admin-scoped API key/);
    }
    expect(code(await gql(adminKey, 'mutation { createApiKey(name: "", scope: read) }'))).toBe('BAD_INPUT');
    // From a browser session: allowed, and the key is nobody's child.
    const signedIn = await login('ann@x.org', PASSWORD, '10.9.0.1');
    const cookie = signedIn.res.headers.get('set-cookie')!.split(';')[0];
    const made = await post(api, 'mutation { createApiKey(name: "from-browser", scope: log) }', {
      headers: { cookie },
    });
    expect(made.body.errors).toBeUndefined();
    const fromBrowser = made.body.data!.createApiKey as string;
    expect(
      (await h.rows(sql`select minted_by from api_keys where hash = ${auth.hashKey(fromBrowser)}`))[0],
    ).toEqual({
      minted_by: null,
    });
  });

  it('refuses keys for projects it cannot see, bad names, and revoking keys it does not own', async () => {
    expect(
      code(await gql(adminKey, 'mutation { createApiKey(name: "x", project: "no-such-project") }')),
    ).toBe('NOT_FOUND');
    const long = await gql(adminKey, `mutation { createApiKey(name: "${'n'.repeat(101)}") }`);
    expect(long.errors?.[0].extensions).toMatchObject({ code: 'BAD_INPUT', field: 'name' });
    expect(code(await gql(adminKey, 'mutation { createApiKey(name: "x", scope: root) }'))).toBe(
      'GRAPHQL_VALIDATION_FAILED',
    );
    // Ben's key, revoked by ann's admin key: not hers, so not found; and it still works.
    const bens = (await auth.createApiKey(h, users.ben, 'bens', { scope: 'log' })).key;
    const revokeBens = await gql(adminKey, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', {
      id: await keyId(bens),
    });
    expect(code(revokeBens)).toBe('NOT_FOUND');
    await ok(bens, '{ me { email } }');
    // An admin key limited to alpha cannot revoke ann's keys for all projects (it cannot see them).
    const alphaAdmin = await mint(adminKey, ', scope: admin, project: "alpha"');
    const wide = await mint(adminKey, ', scope: read');
    const r = await gql(alphaAdmin, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', {
      id: await keyId(wide),
    });
    expect(code(r)).toBe('NOT_FOUND');
    await ok(wide, '{ me { email } }');
    expect(code(await gql(adminKey, 'mutation { revokeApiKey(id: "../../etc") { id } }'))).toBe('BAD_INPUT');
  });

  it('revokes every key a revoked key minted, down the chain (finding 4)', async () => {
    const parent = await mint(adminKey, ', scope: admin');
    const child = await mint(parent, ', scope: admin');
    const grandchild = await mint(child, ', scope: log');
    const sibling = await mint(adminKey, ', scope: log');
    for (const k of [parent, child, grandchild]) await ok(k, '{ me { email } }');
    // A log key may revoke itself, but not another key.
    expect(
      code(
        await gql(grandchild, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', {
          id: await keyId(sibling),
        }),
      ),
    ).toBe('FORBIDDEN');
    const revoked = await ok(adminKey, 'mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', {
      id: await keyId(parent),
    });
    expect(revoked.revokeApiKey.revokedAt).toBeTruthy();
    for (const k of [parent, child, grandchild]) {
      expect((await gql(k, '{ me { email } }')).data).toEqual({ me: null });
      expect(code(await gql(k, '{ runs(project: "alpha") { totalCount } }'))).toBe('UNAUTHENTICATED');
    }
    const [{ n }] = await h.rows<{ n: number }>(sql`select count(*)::int as n from api_keys
      where id in (${await keyId(child)}::uuid, ${await keyId(grandchild)}::uuid) and revoked_at is not null`);
    expect(n).toBe(2);
    await ok(sibling, '{ me { email } }'); // the minter's other keys live on
    await ok(adminKey, '{ me { email } }');
    // A key minted while its parent was being revoked (its row written after the cascade) is refused too.
    const late = await mint(adminKey, ', scope: admin');
    const lateChild = await mint(late, ', scope: read');
    await h.rows(sql`update api_keys set revoked_at = now() where hash = ${auth.hashKey(late)}`);
    expect((await gql(lateChild, '{ me { email } }')).data).toEqual({ me: null });
  });

  it('sends CORS headers only to the dashboard origin, and ignores a session cookie from any other (finding 5)', async () => {
    const signedIn = await login('ann@x.org', PASSWORD, '10.9.0.2');
    const cookie = signedIn.res.headers.get('set-cookie')!.split(';')[0];
    const me = (origin: string | null) =>
      post(api, '{ me { email } }', { headers: { cookie, ...(origin ? { origin } : {}) } });
    const evil = await me('https://evil.example');
    expect([...evil.res.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
    expect(evil.body.data).toEqual({ me: null });
    const nullOrigin = await me('null'); // a sandboxed iframe or a file:// page
    expect(nullOrigin.body.data).toEqual({ me: null });
    const preflight = await api.fetch('http://anneal.test/graphql', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    const allowed = await api.fetch('http://anneal.test/graphql', {
      method: 'OPTIONS',
      headers: { origin: DASHBOARD, 'access-control-request-method': 'POST' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(DASHBOARD);
    expect(allowed.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(allowed.headers.get('access-control-allow-headers')).toBe('authorization, content-type, accept');
    const dashboard = await me(DASHBOARD);
    expect(dashboard.body.data).toEqual({ me: { email: 'ann@x.org' } });
    expect(dashboard.res.headers.get('access-control-allow-origin')).toBe(DASHBOARD);
    expect(dashboard.res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(dashboard.res.headers.get('vary')).toMatch(/Origin/);
    // The dashboard's own proxy sends no Origin: the cookie counts, as before.
    expect((await me(null)).body.data).toEqual({ me: { email: 'ann@x.org' } });
    // An API key is no ambient credential: it works from any origin (the page had to know it).
    const keyed = await post(api, '{ me { email } }', {
      key: adminKey,
      headers: { origin: 'https://evil.example' },
    });
    expect(keyed.body.data).toEqual({ me: { email: 'ann@x.org' } });
    // Without webOrigins or a dashboard URL, no origin is allowed.
    const bare = createApi({ handle: h, keyCacheMs: 0, webOrigins: null });
    const r = await post(bare, '{ me { email } }', { headers: { cookie, origin: DASHBOARD } });
    expect(r.body.data).toEqual({ me: null });
    expect(r.res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('locks an account out after repeated failures from any address, even for the right password (finding 6)', async () => {
    // Known and unknown e-mails alike: a lockout must not tell which accounts exist.
    for (const email of ['ann@x.org', 'nobody@x.org']) {
      for (let i = 0; i < FREE_FAILURES.account; i++) {
        const r = await login(email, `wrong-${i}`, `10.1.${i}.1`); // a new address each time
        expect(code(r.body), JSON.stringify(r.body)).toBe('UNAUTHENTICATED');
      }
      const locked = await login(email, `wrong-again`, '10.1.99.1');
      expect(code(locked.body)).toBe('UNAUTHENTICATED'); // this failure locks it
      const r = await login(email, PASSWORD, '10.1.100.1');
      expect(r.body.errors?.[0].extensions).toMatchObject({
        code: 'RATE_LIMITED',
        retryAfterSeconds: expect.any(Number),
      });
      expect(r.body.errors?.[0].message).toMatch(/try again in \d+ s/);
      expect(r.res.headers.get('set-cookie')).toBeNull();
    }
    // Each further failure doubles the lockout.
    const [row] = await h.rows<{ failures: number; secs: number }>(sql`select failures,
      extract(epoch from locked_until - last_failure_at)::float8 as secs from sign_in_failures where key = 'account:ann@x.org'`);
    expect(row.failures).toBe(FREE_FAILURES.account + 1);
    expect(row.secs).toBeCloseTo(1, 0);
    // Once the lockout has passed, the right password works and clears the account's count.
    await h.rows(
      sql`update sign_in_failures set locked_until = now() - interval '1 second' where key = 'account:ann@x.org'`,
    );
    expect((await login('ann@x.org', PASSWORD, '10.1.101.1')).body.data).toEqual({
      login: { email: 'ann@x.org' },
    });
    expect(await h.rows(sql`select 1 from sign_in_failures where key = 'account:ann@x.org'`)).toEqual([]);
  });

  it('locks an address out after 20+ failures over many accounts, even for the right password (finding 6)', async () => {
    const address = '203.0.113.7';
    for (let i = 0; i <= FREE_FAILURES.address; i++) {
      const r = await login(`guess${i}@x.org`, 'hunter2', address);
      expect(code(r.body)).toBe('UNAUTHENTICATED');
    }
    const r = await login('ann@x.org', PASSWORD, address);
    expect(code(r.body)).toBe('RATE_LIMITED');
    // The same account from another address is fine; the throttle is per address, not global.
    expect((await login('ann@x.org', PASSWORD, '198.51.100.4')).body.data).toEqual({
      login: { email: 'ann@x.org' },
    });
    // An IPv6 client is throttled by its /64: a new address in the same network does not escape.
    for (let i = 0; i <= FREE_FAILURES.address; i++)
      await login(`v6-${i}@x.org`, 'hunter2', `2001:db8:1:2::${i + 1}`);
    expect(code((await login('ann@x.org', PASSWORD, '2001:db8:1:2:ffff::9')).body)).toBe('RATE_LIMITED');
  });

  it('counts each attempt before its password check: 100 parallel sign-ins cannot pass the limit (finding 3)', async () => {
    const email = 'ann@x.org';
    await h.rows(sql`delete from sign_in_failures`);
    // 99 wrong passwords and the right one, all at once, each from its own address.
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => login(email, i === 99 ? PASSWORD : `wrong-${i}`, `10.44.${i}.1`)),
    );
    const codes = answers.map((r) => code(r.body) ?? 'OK');
    // Only the free failures and the one that locks get to a password check; the rest are refused. (The first
    // lockouts last 1 s, then 2 s: on a slow machine one may pass during the burst and let one more through.)
    const checked = codes.filter((c) => c !== 'RATE_LIMITED').length;
    expect(checked).toBeGreaterThanOrEqual(FREE_FAILURES.account + 1);
    expect(checked).toBeLessThanOrEqual(FREE_FAILURES.account + 3);
    expect(codes.filter((c) => c === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(
      100 - FREE_FAILURES.account - 3,
    );
    // The right password got in only if it was among those first attempts, never once the limit was passed.
    expect(['OK', 'RATE_LIMITED']).toContain(codes[99]);
    // While locked out, the right password is refused too, also in parallel with wrong ones, and the refused
    // attempts neither pass nor extend the count.
    await h.rows(
      sql`update sign_in_failures set locked_until = now() + interval '1 minute' where key = 'account:ann@x.org'`,
    );
    const [before] = await h.rows<{ failures: number }>(
      sql`select failures from sign_in_failures where key = 'account:ann@x.org'`,
    );
    const again = await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => login(email, `wrong-b${i}`, `10.45.${i}.1`)),
      login(email, PASSWORD, '10.45.99.1'),
    ]);
    expect(again.map((r) => code(r.body))).toEqual(Array(21).fill('RATE_LIMITED'));
    expect(await h.rows(sql`select failures from sign_in_failures where key = 'account:ann@x.org'`)).toEqual([
      before,
    ]);
    await h.rows(sql`delete from sign_in_failures`);
    // Sequential behaviour is unchanged: five failures, the sixth locks, the right password then waits.
    for (let i = 0; i <= FREE_FAILURES.account; i++)
      expect(code((await login(email, `w${i}`, `10.46.${i}.1`)).body)).toBe('UNAUTHENTICATED');
    expect(code((await login(email, PASSWORD, '10.46.99.1')).body)).toBe('RATE_LIMITED');
    await h.rows(sql`delete from sign_in_failures`);
    // A success does not count against its address: 20 sign-ins from one address are all fine.
    for (let i = 0; i < FREE_FAILURES.address + 2; i++)
      expect((await login(email, PASSWORD, '10.47.0.1')).body.data).toEqual({ login: { email } });
  });

  it("does not lock the owner's known address out with a stranger's failures; the address limit stays (finding 4)", async () => {
    const email = 'ann@x.org';
    await h.rows(sql`delete from sign_in_failures`);
    const home = '198.51.100.77';
    expect((await login(email, PASSWORD, home)).body.data).toEqual({ login: { email } });
    // A stranger locks the account (from many addresses) ...
    for (let i = 0; i <= FREE_FAILURES.account; i++) await login(email, `guess-${i}`, `10.48.${i}.1`);
    // (Its first lockout is 1 s; held longer here, so a slow machine does not see it lapse.)
    await h.rows(
      sql`update sign_in_failures set locked_until = now() + interval '1 minute' where key = 'account:ann@x.org'`,
    );
    expect(code((await login(email, PASSWORD, '10.48.200.1')).body)).toBe('RATE_LIMITED');
    // ... but the owner's known address still signs in.
    expect((await login(email, PASSWORD, home)).body.data).toEqual({ login: { email } });
    // Wrong passwords from the known address still count against that address's own limit.
    await h.rows(sql`delete from sign_in_failures`);
    for (let i = 0; i <= FREE_FAILURES.address; i++)
      expect(code((await login(email, `typo-${i}`, home)).body)).toBe('UNAUTHENTICATED');
    await h.rows(
      sql`update sign_in_failures set locked_until = now() + interval '1 minute' where key = ${`address:${home}`}`,
    );
    expect(code((await login(email, PASSWORD, home)).body)).toBe('RATE_LIMITED');
    // The known pair is remembered by the throttle's address bucket, once.
    const [{ n }] = await h.rows<{ n: number }>(
      sql`select count(*)::int as n from sign_in_known_addresses where address = ${home}`,
    );
    expect(n).toBe(1);
    await h.rows(sql`delete from sign_in_failures`);
  });

  it('refuses an oversized password or e-mail before any work, naming the field', async () => {
    const r = await login('ann@x.org', 'p'.repeat(1025), '10.8.0.1');
    expect(r.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_INPUT', field: 'password' });
    const e = await login(`${'a'.repeat(1100)}@x.org`, PASSWORD, '10.8.0.1');
    expect(e.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_INPUT', field: 'email' });
    expect(await h.rows(sql`select key from sign_in_failures where key = 'address:10.8.0.1'`)).toEqual([]);
  });

  it('believes X-Forwarded-For only behind a trusted proxy', async () => {
    // Without trust every attempt counts against the peer's address, whatever X-Forwarded-For claims.
    for (let i = 0; i <= FREE_FAILURES.address; i++) {
      const r = await login(`spoof${i}@x.org`, 'hunter2', `192.0.2.${i}`, api);
      expect(code(r.body)).toBe('UNAUTHENTICATED');
    }
    expect(code((await login('ann@x.org', PASSWORD, '192.0.2.200', api)).body)).toBe('RATE_LIMITED');
    await h.rows(sql`delete from sign_in_failures where key like 'address:%'`);
  });

  it('does the same scrypt work for an unknown e-mail as for a wrong password (finding 6)', async () => {
    const verify = vi.mocked(auth.verifyPassword);
    const checked = async (email: string) => {
      verify.mockClear();
      const r = await login(email, 'not the password', `172.16.${Math.floor(Math.random() * 250)}.1`);
      expect(code(r.body)).toBe('UNAUTHENTICATED');
      expect(r.body.errors?.[0].message).toBe('wrong email or password');
      expect(verify).toHaveBeenCalledTimes(1);
      return verify.mock.calls[0][1];
    };
    const shape = (stored: string) => stored.split(':').map((part) => part.length);
    const known = await checked('ann@x.org');
    const unknown = await checked('nobody-at-all@x.org');
    const keyOnly = await checked('ben@x.org'); // an account without a password
    // Verified against a hash of the same making (16-byte salt, 64-byte scrypt key), never skipped.
    expect(shape(known)).toEqual([32, 128]);
    expect(shape(unknown)).toEqual(shape(known));
    expect(shape(keyOnly)).toEqual(shape(known));
    expect(unknown).not.toBe(known);
    expect(await auth.verifyPassword('', unknown)).toBe(false);
  });

  it("writes a key's lastUsedAt at most once a minute, within the request's one statement", async () => {
    const key = await mint(adminKey, ', scope: read');
    // Raw rows carry timestamps as text: read as dates.
    const lastUsed = async () => {
      const [{ t }] = await h.rows<{ t: string | null }>(
        sql`select last_used_at as t from api_keys where hash = ${auth.hashKey(key)}`,
      );
      return t === null ? null : new Date(t);
    };
    expect(await lastUsed()).toBeNull();
    const statements = async () => {
      const before = h.statements;
      await ok(key, '{ health }');
      return h.statements - before;
    };
    expect(await statements()).toBe(1); // the key's verification, which also wrote lastUsedAt
    const first = await lastUsed();
    expect(first).toBeInstanceOf(Date);
    expect(await statements()).toBe(1);
    expect(await lastUsed()).toEqual(first); // not rewritten within the minute
    await h.rows(
      sql`update api_keys set last_used_at = now() - interval '2 minutes' where hash = ${auth.hashKey(key)}`,
    );
    await ok(key, '{ health }');
    expect((await lastUsed())!.getTime()).toBeGreaterThan(Date.now() - 30_000);
    const listed = (await ok(key, '{ me { apiKeys { prefix lastUsedAt } } }')).me.apiKeys;
    expect(listed.find((k: { prefix: string }) => k.prefix === key.slice(0, 8)).lastUsedAt).toBeTruthy();
  });

  it('marks the session cookie Secure behind a trusted TLS proxy, and only there', async () => {
    const cookieOf = async (to: Api, address: string) =>
      (
        await post(
          to,
          'mutation { login(email: "ann@x.org", password: "correct horse battery") { email } }',
          {
            headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': address },
          },
        )
      ).res.headers.get('set-cookie');
    expect(await cookieOf(proxied, '10.7.0.1')).toMatch(/; HttpOnly; SameSite=Lax; Secure$/);
    expect(await cookieOf(api, '10.7.0.2')).toMatch(/; HttpOnly; SameSite=Lax$/);
    const plain = await login('ann@x.org', PASSWORD, '10.7.0.3'); // trusted proxy, plain http
    expect(plain.res.headers.get('set-cookie')).toMatch(/SameSite=Lax$/);
  });
});
