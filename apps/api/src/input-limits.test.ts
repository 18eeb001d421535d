// Regression tests for the attack report's finding 7, on PGlite and Postgres: inputs that used to reach
// Postgres or graphql-js and come back as a masked 500 are refused with BAD_INPUT naming the field — a document
// nested 4,000 deep, artifact metadata with NUL keys or 5,000 levels, NUL in user and key names, 10 MB names and
// descriptions, 100,000 metric keys or run ids — and names and artifact paths refuse the invisible characters
// (C1 controls, U+2028, bidi overrides, zero-width) that make one name pass for another.
import { ENGINES, freshDatabase } from '@anneal/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap } from './bootstrap.ts';
import { MAX_DOCUMENT_NESTING } from './document-depth.ts';
import { LIMITS } from './limits.ts';
import { createApi } from './yoga.ts';

type Gql = {
  // biome-ignore lint/suspicious/noExplicitAny: responses are read by shape, as a client would
  data?: Record<string, any>;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

describe.each(ENGINES)('input limits on %s', (engine) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let api: ReturnType<typeof createApi>;
  let key = '';
  let runId = '';

  const post = async (query: string, variables: Record<string, unknown> | string = {}) => {
    const res = await api.fetch('http://anneal.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body:
        typeof variables === 'string'
          ? `{"query":${JSON.stringify(query)},"variables":${variables}}`
          : JSON.stringify({ query, variables }),
    });
    return { status: res.status, body: (await res.json()) as Gql };
  };
  const ok = async (query: string, variables: Record<string, unknown> = {}) => {
    const r = (await post(query, variables)).body;
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    return r.data!;
  };
  /** The call's one error: BAD_INPUT (never a masked INTERNAL_SERVER_ERROR) naming `field`. */
  const refused = async (field: string, query: string, variables: Record<string, unknown> | string = {}) => {
    const r = (await post(query, variables)).body;
    expect(r.errors?.[0]?.extensions, JSON.stringify(r.errors)?.slice(0, 400)).toMatchObject({
      code: 'BAD_INPUT',
      field,
    });
    return r.errors![0].message;
  };
  const count = async (table: string) =>
    (await db.handle.rows<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table)}`))[0].n;

  beforeAll(async () => {
    db = await freshDatabase(engine);
    key = (await bootstrap(db.handle)).key!;
    api = createApi({ handle: db.handle });
    runId = (await ok('mutation { createRun(project: "default", name: "limits") { id } }')).createRun.id;
  }, 60_000);
  afterAll(() => db?.drop());

  it('refuses a document nested past the limit before graphql-js parses it (400, BAD_INPUT on query)', async () => {
    const deepObject = `mutation { createRun(project: "default", config: ${'{a:'.repeat(4000)}1${'}'.repeat(4000)}) { id } }`;
    const deepList = `{ run(id: ${'['.repeat(6000)}1${']'.repeat(6000)}) { id } }`;
    for (const q of [deepObject, deepList]) {
      const r = await post(q);
      expect(r.status).toBe(400);
      expect(r.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_INPUT', field: 'query' });
      expect(r.body.errors?.[0].message).toMatch(`deeper than ${MAX_DOCUMENT_NESTING}`);
    }
    // Brackets inside strings and comments do not count; a literal within the limit still reaches the schema.
    const inString = `{ run(id: "${'{'.repeat(200)}") { id } } # ${'['.repeat(200)}`;
    expect((await post(inString)).body.errors?.[0].extensions?.field).not.toBe('query');
    const shallow = `mutation { createRun(project: "default", name: "ok", config: ${'{a:'.repeat(20)}1${'}'.repeat(20)}) { id } }`;
    expect((await post(shallow)).body.errors).toBeUndefined();
  });

  it('refuses artifact metadata with a NUL key or nested too deep, storing nothing', async () => {
    const log =
      'mutation($id: ID!, $m: JSON) { logArtifact(runId: $id, kind: model, name: "m", files: [{ path: "a.bin", sha256: "0000000000000000000000000000000000000000000000000000000000000000", size: 1 }], metadata: $m) { id } }';
    await refused('metadata', log, { id: runId, m: { 'bad\u0000key': 1 } });
    for (const depth of [LIMITS.jsonDepth + 1, 5000])
      expect(
        await refused(
          'metadata',
          log,
          `{"id":${JSON.stringify(runId)},"m":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`,
        ),
      ).toMatch(/nested deeper than 64/);
    await refused('metadata', log, { id: runId, m: { big: 'x'.repeat(LIMITS.metadataBytes) } });
    expect(await count('artifacts')).toBe(0);
  });

  it('refuses NUL, control characters and oversized text in user, key and project names', async () => {
    const user =
      'mutation($n: String!, $e: String!) { createUser(project: "default", email: $e, name: $n, password: "long enough pw") { id } }';
    await refused('name', user, { n: 'nul\u0000name', e: 'a@x.org' });
    await refused('name', user, { n: 'n'.repeat(LIMITS.userNameLength + 1), e: 'a@x.org' });
    await refused('email', user, { n: 'ok', e: 'a\u0000@x.org' });
    const users = await count('users');
    const mint = 'mutation($n: String!) { createApiKey(name: $n) }';
    await refused('name', mint, { n: 'nul\u0000key' });
    await refused('name', mint, { n: 'k'.repeat(LIMITS.apiKeyNameLength + 1) });
    const project = 'mutation($d: String) { createProject(name: "described", description: $d) { id } }';
    await refused('description', project, { d: 'd'.repeat(10 << 20) });
    await refused('description', project, { d: 'nul\u0000' });
    expect(await count('users')).toBe(users);
    expect((await db.handle.rows(sql`select 1 from projects where name = 'described'`)).length).toBe(0);
    // Within the limits, all three work.
    await ok(user, { n: 'Ann Example', e: 'ann@x.org' });
    await ok(mint, { n: 'ci key' });
    await ok(project, { d: 'line one\nline two' });
  });

  it('bounds list arguments whose items become SQL parameters, naming the field', async () => {
    const many = Array.from({ length: 100_000 }, (_, i) => `k${i}`);
    await refused('keys', 'query($id: ID!, $k: [String!]) { run(id: $id) { metrics(keys: $k) { key } } }', {
      id: runId,
      k: many,
    });
    await refused('keys', 'query($id: ID!, $k: [String!]!) { run(id: $id) { history(keys: $k) { key } } }', {
      id: runId,
      k: many,
    });
    const ids = Array.from({ length: LIMITS.listItems + 1 }, () => runId);
    await refused('runIds', 'query($r: [ID!]!) { compare(runIds: $r) { id } }', { r: ids });
    await refused('runIds', 'mutation($r: [ID!]!) { deleteRuns(runIds: $r) }', { r: ids });
    await refused('filter', 'query($f: RunFilter) { runs(project: "default", filter: $f) { totalCount } }', {
      f: { field: 'name', op: 'IN', value: many },
    });
    await refused('filter', 'query($f: RunFilter) { runs(project: "default", filter: $f) { totalCount } }', {
      f: {
        and: Array.from({ length: 20 }, () => ({ field: 'name', op: 'IN', value: many.slice(0, 1000) })),
      },
    });
    expect(await count('runs')).toBeGreaterThan(0);
    // At the limit, a list is fine (compare names each run once, however often it was asked for).
    const at = await ok('query($r: [ID!]!) { compare(runIds: $r) { id } }', { r: ids.slice(1) });
    expect(at.compare).toEqual([{ id: runId }]);
  });

  it('refuses invisible characters in run names and artifact paths, and two paths equal under NFC', async () => {
    for (const bad of ['evil\u202etxt', 'zero\u200bwidth', 'line\u2028sep', 'c1\u0085', 'iso\u2066late'])
      expect(
        await refused('name', 'mutation($n: String!) { createRun(project: "default", name: $n) { id } }', {
          n: bad,
        }),
      ).toMatch(/invisible character U\+/);
    const log =
      'mutation($id: ID!, $f: [ArtifactFileInput!]!) { logArtifact(runId: $id, kind: model, name: "p", files: $f) { id } }';
    const file = (path: string) => ({ path, sha256: '0'.repeat(64), size: 1 });
    for (const bad of ['a\u0085b', 'a\u2028b', 'gnp.\u202eexe', 'zw\ufeff'])
      await refused('files[0].path', log, { id: runId, f: [file(bad)] });
    const nfc = 'caf\u00e9.txt';
    const nfd = 'cafe\u0301.txt';
    expect(await refused('files[1].path', log, { id: runId, f: [file(nfc), file(nfd)] })).toMatch(/NFC/);
    expect(await count('artifacts')).toBe(0);
  });
});
