// Saved views, attacked: only members of the view's project see it (another project's admin gets NOT_FOUND,
// never the spec), only its creator or a project admin edits or deletes it, a viewer cannot create one, a
// revoked key is refused, an oversized or malformed spec is a BAD_INPUT naming the field and stores nothing;
// the default view is per user.
import { ENGINES, freshDatabase } from '@anneal/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from './auth.ts';
import { seedTeam } from './testing.ts';
import { VIEW_LIMITS } from './views.ts';
import { createApi } from './yoga.ts';

type Gql = {
  // biome-ignore lint/suspicious/noExplicitAny: responses are read by shape, as a client would
  data?: Record<string, any>;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

const SPEC = {
  panels: [
    { id: 'loss', kind: 'line', metrics: ['train/loss', 'val/loss'], x: 'step', smoothing: 0.6, logY: true },
    { id: 'lr', kind: 'scatter', x: 'config.optim.lr', y: 'summary.val/loss' },
    { id: 'pc', kind: 'parcoords', keys: ['config.optim.lr', 'summary.val/loss'] },
    { id: 'acc', kind: 'bar', key: 'val/acc' },
    { id: 'hist', kind: 'histogram', key: 'val/loss', bins: 10 },
  ],
  table: {
    filter: '{"status":{"eq":"finished"}}',
    group: 'config.optim.lr',
    cols: ['summary.val/loss'],
    sort: 'name',
    dir: 'ASC',
  },
};

const CREATE = `mutation($p: String!, $n: String!, $s: JSON!) { createView(project: $p, name: $n, spec: $s) { id name spec canEdit createdBy } }`;
const UPDATE = `mutation($id: ID!, $n: String, $s: JSON) { updateView(id: $id, name: $n, spec: $s) { id name spec } }`;
const DELETE = `mutation($id: ID!) { deleteView(id: $id) }`;
const READ = `query($id: ID!) { view(id: $id) { id name spec canEdit isDefault } }`;

describe.each(ENGINES)('saved views on %s', (engine) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let api: ReturnType<typeof createApi>;
  const keys: Record<string, string> = {};

  const gql = async (key: string | null, query: string, variables: Record<string, unknown> = {}) => {
    const res = await api.fetch('http://anneal.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as Gql;
  };
  const ok = async (key: string, query: string, variables: Record<string, unknown> = {}) => {
    const r = await gql(key, query, variables);
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    return r.data!;
  };
  const err = (r: Gql) => ({
    code: r.errors?.[0]?.extensions?.code,
    field: r.errors?.[0]?.extensions?.field,
    message: r.errors?.[0]?.message,
  });
  const count = async () =>
    Number((await db.handle.rows<{ n: number }>(sql`select count(*)::int as n from saved_views`))[0].n);

  beforeAll(async () => {
    db = await freshDatabase(engine);
    api = createApi({ handle: db.handle, keyCacheMs: 0 });
    const team = await seedTeam(db.handle, 'admin');
    Object.assign(keys, team.keys);
    // dave: a plain member of alpha.
    const [u] = await db.handle.rows<{ id: string }>(
      sql`insert into users (email, name) values ('dave@x.org', 'dave') returning id`,
    );
    await db.handle.rows(
      sql`insert into memberships values (${team.projects.alpha}::uuid, ${u.id}::uuid, 'member')`,
    );
    keys.dave = (await createApiKey(db.handle, u.id, 'test', { scope: 'log' })).key;
  }, 60_000);
  afterAll(() => db?.drop());

  it('stores a view with its defaults filled and reads it back by id, for every member of the project', async () => {
    const made = (await ok(keys.dave, CREATE, { p: 'alpha', n: 'loss curves', s: SPEC })).createView;
    expect(made.id).toMatch(/^view_[0-9a-f-]{36}$/);
    expect(made.createdBy).toBe('dave');
    expect(made.canEdit).toBe(true);
    expect(made.spec.panels).toHaveLength(5);
    expect(made.spec.panels[1]).toEqual({
      id: 'lr',
      kind: 'scatter',
      x: 'config.optim.lr',
      y: 'summary.val/loss',
      logX: false,
      logY: false,
    });
    expect(made.spec.table).toEqual(SPEC.table);
    // carol (a viewer of alpha) reads it but may not edit it; alice (admin of alpha) may.
    const asCarol = (await ok(keys.carol, READ, { id: made.id })).view;
    expect(asCarol.spec).toEqual(made.spec);
    expect(asCarol.canEdit).toBe(false);
    expect((await ok(keys.alice, READ, { id: made.id })).view.canEdit).toBe(true);
    const listed = (await ok(keys.carol, `{ project(ref: "alpha") { views { id name } } }`)).project.views;
    expect(listed.map((v: { name: string }) => v.name)).toContain('loss curves');
  });

  it('hides a view from a member of another project, whatever they try', async () => {
    const { id } = (await ok(keys.dave, CREATE, { p: 'alpha', n: 'private', s: SPEC })).createView;
    const before = (await ok(keys.dave, READ, { id })).view;
    for (const [q, v] of [
      [READ, { id }],
      [UPDATE, { id, n: 'stolen' }],
      [DELETE, { id }],
      [`mutation($id: ID!) { setDefaultView(project: "beta", id: $id) { id } }`, { id }],
    ] as const) {
      const r = await gql(keys.bob, q, v);
      expect(
        r.data?.view ?? r.data?.updateView ?? r.data?.deleteView ?? r.data?.setDefaultView ?? null,
      ).toBeNull();
      expect(err(r).code).toBe('NOT_FOUND');
      expect(JSON.stringify(r)).not.toContain('train/loss');
    }
    expect(err(await gql(keys.bob, CREATE, { p: 'alpha', n: 'intruder', s: SPEC })).code).toBe('NOT_FOUND');
    expect(err(await gql(keys.bob, `{ project(ref: "alpha") { views { id } } }`)).code).toBe('NOT_FOUND');
    expect((await ok(keys.dave, READ, { id })).view).toEqual(before);
  });

  it('lets only the creator or an admin change or delete a view; a viewer cannot create one', async () => {
    const { id } = (await ok(keys.alice, CREATE, { p: 'alpha', n: "alice's", s: SPEC })).createView;
    // dave is a member but not its creator; carol is a viewer.
    expect(err(await gql(keys.dave, UPDATE, { id, n: 'mine now' })).code).toBe('FORBIDDEN');
    expect(err(await gql(keys.dave, DELETE, { id })).code).toBe('FORBIDDEN');
    expect(err(await gql(keys.carol, UPDATE, { id, n: 'mine now' })).code).toBe('FORBIDDEN');
    expect(err(await gql(keys.carol, CREATE, { p: 'alpha', n: 'viewer view', s: SPEC })).code).toBe(
      'FORBIDDEN',
    );
    expect((await ok(keys.carol, READ, { id })).view.name).toBe("alice's");
    // dave's own view: alice (admin) may rename it, dave may replace its spec, then delete it.
    const own = (await ok(keys.dave, CREATE, { p: 'alpha', n: 'daves', s: SPEC })).createView.id;
    expect((await ok(keys.alice, UPDATE, { id: own, n: 'renamed by admin' })).updateView.name).toBe(
      'renamed by admin',
    );
    const spec2 = { panels: [{ id: 'only', kind: 'histogram', key: 'val/loss' }] };
    const upd = (await ok(keys.dave, UPDATE, { id: own, s: spec2 })).updateView;
    expect(upd.spec.panels).toEqual([{ id: 'only', kind: 'histogram', key: 'val/loss', bins: 20 }]);
    expect(upd.name).toBe('renamed by admin');
    expect((await ok(keys.dave, DELETE, { id: own })).deleteView).toBe(own);
    expect(err(await gql(keys.dave, READ, { id: own })).code).toBe('NOT_FOUND');
    // A name taken in the project is a CONFLICT naming the field.
    expect(err(await gql(keys.dave, CREATE, { p: 'alpha', n: "alice's", s: SPEC }))).toMatchObject({
      code: 'CONFLICT',
      field: 'name',
    });
  });

  it('refuses a revoked key and an anonymous request', async () => {
    const [{ id: user }] = await db.handle.rows<{ id: string }>(
      sql`select id from users where name = 'dave'`,
    );
    const made = await createApiKey(db.handle, user, 'soon revoked', { scope: 'log' });
    const { id } = (await ok(made.key, CREATE, { p: 'alpha', n: 'before revoke', s: SPEC })).createView;
    await ok(made.key, `mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, { id: made.id });
    const n = await count();
    expect(err(await gql(made.key, READ, { id })).code).toBe('UNAUTHENTICATED');
    expect(err(await gql(made.key, CREATE, { p: 'alpha', n: 'after revoke', s: SPEC })).code).toBe(
      'UNAUTHENTICATED',
    );
    expect(err(await gql(made.key, DELETE, { id })).code).toBe('UNAUTHENTICATED');
    expect(err(await gql(null, READ, { id })).code).toBe('UNAUTHENTICATED');
    expect(await count()).toBe(n);
    expect((await ok(keys.dave, READ, { id })).view.name).toBe('before revoke');
  });

  it('refuses an oversized or malformed spec with the field named, storing nothing', async () => {
    const n = await count();
    const huge = {
      panels: [{ id: 'a', kind: 'line', metrics: ['m'], x: 'step', title: 'x'.repeat(150) }],
      table: { filter: 'y'.repeat(VIEW_LIMITS.specBytes) },
    };
    expect(err(await gql(keys.dave, CREATE, { p: 'alpha', n: 'huge', s: huge }))).toMatchObject({
      code: 'BAD_INPUT',
      field: 'spec',
    });
    const cases: [unknown, string, RegExp][] = [
      [
        { panels: [{ id: 'a', kind: 'line', metrics: [], x: 'step' }] },
        'spec.panels[0].metrics',
        /at least one metric/,
      ],
      [
        { panels: [SPEC.panels[0], { id: 'b', kind: 'line', metrics: ['m'], x: 'epochs' }] },
        'spec.panels[1].x',
        /metric:<key>/,
      ],
      [{ panels: [{ id: 'a', kind: 'pie', key: 'x' }] }, 'spec.panels[0].kind', /line, scatter/],
      [{ panels: [{ id: 'a', kind: 'histogram', key: 'x', bins: 0.5 }] }, 'spec.panels[0].bins', /integer/],
      [
        { panels: [{ id: 'a', kind: 'line', metrics: ['m'], x: 'step', smoothing: 2 }] },
        'spec.panels[0].smoothing',
        /0\.999/,
      ],
      [{ panels: [{ id: 'a', kind: 'parcoords', keys: ['one'] }] }, 'spec.panels[0].keys', /two keys/],
      [{ panels: [{ id: '../x', kind: 'bar', key: 'k' }] }, 'spec.panels[0].id', /letters, digits/],
      [{ panels: [SPEC.panels[3], SPEC.panels[3]] }, 'spec.panels[1].id', /another panel/],
      [{ panels: 'all of them' }, 'spec.panels', /array/],
      [{ panels: [], table: { dir: 'SIDEWAYS' } }, 'spec.table.dir', /ASC/],
      [{ panels: [], script: 'alert(1)' }, 'spec', /script/],
      // Found by a hostile review: jsonb refuses NUL and lone surrogates (a masked 500), and deep nesting reached
      // recursive code; each is refused first, naming where.
      [{ panels: [], table: { filter: 'a\u0000b' } }, 'spec.table.filter', /NUL/],
      [
        { panels: [{ id: 'a', kind: 'bar', key: 'k', title: 'x\uD800' }] },
        'spec.panels[0].title',
        /lone UTF-16 surrogate/,
      ],
      [{ panels: JSON.parse(`${'['.repeat(200)}1${']'.repeat(200)}`) }, 'spec', /nested deeper than 64/],
    ];
    for (const [s, field, message] of cases) {
      const e = err(await gql(keys.dave, CREATE, { p: 'alpha', n: `bad ${field}`, s }));
      expect(e, JSON.stringify(s)).toMatchObject({ code: 'BAD_INPUT', field });
      expect(e.message).toMatch(message);
      expect(e.message?.startsWith(`${field}: `)).toBe(true);
    }
    // As every other name: bidi controls (a name that reads as another) and invisible characters are refused.
    for (const n of [
      '',
      '   ',
      'x'.repeat(121),
      'tab\there',
      'good\u202etxt.exe',
      'zero\u200bwidth',
      'x\uDC00',
    ])
      expect(err(await gql(keys.dave, CREATE, { p: 'alpha', n, s: SPEC })).field).toBe('name');
    // An update with a bad spec leaves the stored one as it was.
    const { id, spec } = (await ok(keys.dave, CREATE, { p: 'alpha', n: 'kept', s: SPEC })).createView;
    expect(err(await gql(keys.dave, UPDATE, { id, s: { panels: [{ kind: 'line' }] } })).code).toBe(
      'BAD_INPUT',
    );
    expect((await ok(keys.dave, READ, { id })).view.spec).toEqual(spec);
    expect(err(await gql(keys.dave, READ, { id: '../../etc/passwd' }))).toMatchObject({
      code: 'BAD_INPUT',
      field: 'id',
    });
    expect(await count()).toBe(n + 1);
  });

  it("keeps each user's default view per project", async () => {
    const a = (await ok(keys.dave, CREATE, { p: 'alpha', n: 'default a', s: SPEC })).createView.id;
    const b = (await ok(keys.dave, CREATE, { p: 'alpha', n: 'default b', s: SPEC })).createView.id;
    await ok(keys.dave, `mutation($id: ID) { setDefaultView(project: "alpha", id: $id) { id } }`, { id: a });
    await ok(keys.carol, `mutation($id: ID) { setDefaultView(project: "alpha", id: $id) { id } }`, { id: b });
    const dflt = async (k: string) =>
      (await ok(k, `{ project(ref: "alpha") { defaultView { id } } }`)).project.defaultView?.id ?? null;
    expect(await dflt(keys.dave)).toBe(a);
    expect(await dflt(keys.carol)).toBe(b);
    expect(await dflt(keys.alice)).toBeNull();
    expect((await ok(keys.dave, READ, { id: a })).view.isDefault).toBe(true);
    // A view of another project cannot be a default here; deleting the default clears it.
    const beta = (await ok(keys.bob, CREATE, { p: 'beta', n: 'beta view', s: SPEC })).createView.id;
    expect(
      err(
        await gql(keys.bob, `mutation($id: ID) { setDefaultView(project: "alpha", id: $id) { id } }`, {
          id: beta,
        }),
      ).code,
    ).toBe('NOT_FOUND');
    await ok(keys.dave, DELETE, { id: a });
    expect(await dflt(keys.dave)).toBeNull();
    await ok(keys.carol, `mutation { setDefaultView(project: "alpha") { id } }`);
    expect(await dflt(keys.carol)).toBeNull();
  });
  it("lists the metric keys of the project's runs for the workspace, only to its members", async () => {
    const { createRun } = await ok(
      keys.dave,
      'mutation { createRun(project: "alpha", name: "keys") { id } }',
    );
    await ok(
      keys.dave,
      'mutation($id: ID!, $p: [PointInput!]!) { logMetrics(runId: $id, points: $p) { stored } }',
      {
        id: createRun.id,
        p: [
          { key: 'val/acc', step: 0, value: 0.5 },
          { key: 'train/loss', step: 0, value: 'NaN' },
          { key: 'train/loss', step: 1, value: 1 },
        ],
      },
    );
    const q = '{ project(ref: "alpha") { workspaceMetricKeys } }';
    expect((await ok(keys.carol, q)).project.workspaceMetricKeys).toEqual(['train/loss', 'val/acc']);
    expect(err(await gql(keys.bob, q)).code).toBe('NOT_FOUND');
  });
});
