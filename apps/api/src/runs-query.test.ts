// The runs table's query arguments end to end through yoga's fetch handler, on embedded PGlite and Postgres 15:
// free-text search (name, notes, tags, id), NaN and null sorted last in both directions (also across keyset
// pages), binned grouping of a numeric key (decades for a learning rate), and the errors a malformed filter,
// search or binning gets — each naming its argument — with another project's runs never returned.
import { ENGINES, freshDatabase } from '@anneal/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binEdges } from './schema/groups.ts';
import { seedTeam } from './testing.ts';
import { createApi } from './yoga.ts';

type Gql = {
  // biome-ignore lint/suspicious/noExplicitAny: responses are read by shape, as a client would
  data?: Record<string, any>;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

describe('binEdges', () => {
  it('bins a range of orders of magnitude by decades and a narrow one by round linear steps', () => {
    expect(binEdges(1e-5, 3e-3, 10, 'AUTO')).toEqual({ edges: [1e-5, 1e-4, 1e-3, 1e-2], scale: 'LOG' });
    // More decades than bins: several decades a bin.
    expect(binEdges(1e-8, 1, 4, 'AUTO')?.edges).toEqual([1e-8, 1e-5, 1e-2, 10]);
    expect(binEdges(1e-8, 0.5, 4, 'AUTO')?.edges).toEqual([1e-8, 1e-6, 1e-4, 1e-2, 1]);
    expect(binEdges(0.12, 0.93, 5, 'AUTO')).toEqual({
      edges: [0, 0.2, 0.4, 0.6, 0.8, 1],
      scale: 'LINEAR',
    });
    expect(binEdges(-3, 7, 5, 'AUTO')).toEqual({ edges: [-4, -2, 0, 2, 4, 6, 8], scale: 'LINEAR' });
    expect(binEdges(2, 2, 5, 'AUTO')).toBeNull();
  });

  // Found by a hostile review: 0 and 1e-100 binned linearly threw from toFixed (a masked 500 for runGroups).
  it('bins values at float64 extremes without throwing, or not at all when no steps fit', () => {
    const valid = (min: number, max: number, r: ReturnType<typeof binEdges>) => {
      const e = r!.edges;
      expect(e.every((x, i) => Number.isFinite(x) && (i === 0 || x > e[i - 1]))).toBe(true);
      expect(e[0]).toBeLessThanOrEqual(min);
      expect(max).toBeLessThan(e.at(-1)!);
    };
    const tiny = binEdges(0, 1e-100, 10, 'LINEAR');
    valid(0, 1e-100, tiny);
    expect(tiny!.edges.slice(0, 3)).toEqual([0, 1e-101, 2e-101]);
    valid(-1e308, 1e308, binEdges(-1e308, 1e308, 100, 'LINEAR'));
    valid(1e-300, 1e300, binEdges(1e-300, 1e300, 100, 'LOG'));
    valid(5e-324, 1e308, binEdges(5e-324, 1e308, 10, 'AUTO'));
    // Too close together for any step (or a subnormal range): grouped by value instead.
    expect(binEdges(1, 1 + 1e-15, 100, 'LINEAR')).toBeNull();
    expect(binEdges(0, 1e-322, 100, 'AUTO')).toBeNull();
  });
});

describe.each(ENGINES)('the runs query arguments on %s', (engine) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let api: ReturnType<typeof createApi>;
  const keys: Record<string, string> = {};
  const ids: Record<string, string> = {};

  const gql = async (key: string, query: string, variables: Record<string, unknown> = {}): Promise<Gql> => {
    const res = await api.fetch('http://anneal.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as Gql;
  };
  const ok = async (key: string, query: string, variables: Record<string, unknown> = {}) => {
    const r = await gql(key, query, variables);
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    return r.data!;
  };
  const RUNS =
    'query($p: String!, $q: String, $f: RunFilter, $o: [RunOrder!], $first: Int, $after: String) { runs(project: $p, search: $q, filter: $f, orderBy: $o, first: $first, after: $after) { totalCount pageInfo { endCursor hasNextPage } edges { node { name } } } }';
  const names = async (key: string, vars: Record<string, unknown>) =>
    (await ok(key, RUNS, { p: 'alpha', ...vars })).runs.edges.map(
      (e: { node: { name: string } }) => e.node.name,
    );

  beforeAll(async () => {
    db = await freshDatabase(engine);
    api = createApi({ handle: db.handle, keyCacheMs: 0 });
    Object.assign(keys, (await seedTeam(db.handle, 'admin')).keys);
    // Six runs of a learning-rate sweep over three decades; two of them diverged (loss NaN, written by JSON as
    // null, or as the string "NaN").
    const runs: [string, number, unknown, string[], string][] = [
      ['lr-1e-5', 1e-5, 0.9, ['sweep'], 'baseline, slow'],
      ['lr-3e-5', 3e-5, null, ['sweep', 'diverged'], ''],
      ['lr-1e-4', 1e-4, 0.5, ['sweep'], 'the 100% best so far'],
      ['lr-3e-4', 3e-4, 0.4, ['sweep', 'keeper'], ''],
      ['lr-1e-3', 1e-3, 'NaN', ['sweep'], ''],
      ['lr-3e-3', 3e-3, 0.7, [], 'too hot'],
    ];
    for (const [name, lr, loss, tags, notes] of runs) {
      const r = await ok(
        keys.alice,
        'mutation($n: String, $c: JSON, $t: [String!], $notes: String) { createRun(project: "alpha", name: $n, config: $c, tags: $t, notes: $notes) { id } }',
        { n: name, c: { optim: { lr }, model: 'tiny' }, t: tags, notes },
      );
      ids[name] = r.createRun.id;
      await ok(
        keys.alice,
        'mutation($id: ID!, $s: JSON!) { updateSummary(runId: $id, summary: $s) { id } }',
        {
          id: r.createRun.id,
          s: { loss },
        },
      );
    }
    // Another project's run that matches every search below.
    await ok(
      keys.bob,
      'mutation { createRun(project: "beta", name: "lr-1e-4 keeper", tags: ["sweep", "keeper"], notes: "bobs-only-note") { id } }',
    );
  }, 60_000);
  afterAll(() => db?.drop());

  it("searches a run's name, notes, tags and id; every word must match; % is no wildcard", async () => {
    expect((await names(keys.alice, { q: 'lr-1e' })).sort()).toEqual(['lr-1e-3', 'lr-1e-4', 'lr-1e-5']);
    expect(await names(keys.alice, { q: 'KEEPER' })).toEqual(['lr-3e-4']); // a tag, any case
    expect(await names(keys.alice, { q: 'too hot' })).toEqual(['lr-3e-3']); // notes, both words
    expect(await names(keys.alice, { q: 'sweep slow' })).toEqual(['lr-1e-5']); // a tag and the notes
    expect(await names(keys.alice, { q: '100%' })).toEqual(['lr-1e-4']);
    expect(await names(keys.alice, { q: '1%' })).toEqual([]); // no wildcard: '1' then anything
    const id = ids['lr-3e-5'];
    expect(await names(keys.alice, { q: id })).toEqual(['lr-3e-5']);
    expect(await names(keys.alice, { q: id.replace(/^run_/, '').slice(0, 13) })).toEqual(['lr-3e-5']);
    // With a filter: both hold.
    expect(
      await names(keys.alice, { q: 'sweep', f: { field: 'config.optim.lr', op: 'GTE', value: 3e-4 } }),
    ).toEqual(['lr-1e-3', 'lr-3e-4']);
    expect((await ok(keys.alice, RUNS, { p: 'alpha', q: '   ' })).runs.totalCount).toBe(6);
  });

  it("never returns another project's runs, whatever the search", async () => {
    expect(await names(keys.bob, { p: 'beta', q: 'keeper' })).toEqual(['lr-1e-4 keeper']);
    const r = await gql(keys.bob, RUNS, { p: 'alpha', q: 'keeper' });
    expect(r.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(await names(keys.alice, { q: 'bobs-only-note' })).toEqual([]); // bob's notes
    const groups = await gql(
      keys.bob,
      '{ runGroups(project: "alpha", by: "config.optim.lr", search: "lr", bins: 3) { count } }',
    );
    expect(groups.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('sorts NaN and null values last, ascending and descending, across keyset pages', async () => {
    const order = (direction: string) => [{ field: 'summary.loss', direction }];
    expect(await names(keys.alice, { o: order('ASC') })).toEqual([
      'lr-3e-4',
      'lr-1e-4',
      'lr-3e-3',
      'lr-1e-5',
      'lr-1e-3',
      'lr-3e-5',
    ]);
    const desc = await names(keys.alice, { o: order('DESC') });
    expect(desc.slice(0, 4)).toEqual(['lr-1e-5', 'lr-3e-3', 'lr-1e-4', 'lr-3e-4']);
    expect(desc.slice(4).sort()).toEqual(['lr-1e-3', 'lr-3e-5']);
    // Pages of two walk the same order without repeating or skipping a run.
    for (const direction of ['ASC', 'DESC']) {
      const all = await names(keys.alice, { o: order(direction) });
      const paged: string[] = [];
      let after: string | null = null;
      do {
        const page: Gql['data'] = await ok(keys.alice, RUNS, {
          p: 'alpha',
          o: order(direction),
          first: 2,
          after,
        });
        paged.push(...page!.runs.edges.map((e: { node: { name: string } }) => e.node.name));
        after = page!.runs.pageInfo.hasNextPage ? page!.runs.pageInfo.endCursor : null;
      } while (after);
      expect(paged).toEqual(all);
    }
  });

  it('groups a float key in ranges: decades for a learning rate, not a group per value', async () => {
    const q =
      'query($by: String!, $bins: Int, $scale: BinScale, $m: [String!], $q: String) { runGroups(project: "alpha", by: $by, bins: $bins, binScale: $scale, metrics: $m, search: $q) { value count bin { lower upper scale } aggregates { key count mean } } }';
    const unbinned = await ok(keys.alice, q, { by: 'config.optim.lr' });
    expect(unbinned.runGroups).toHaveLength(6);
    const binned = await ok(keys.alice, q, { by: 'config.optim.lr', bins: 10, m: ['loss'] });
    expect(
      binned.runGroups.map((g: { count: number; bin: { lower: number; upper: number } }) => [
        g.bin.lower,
        g.bin.upper,
        g.count,
      ]),
    ).toEqual([
      [1e-3, 1e-2, 2],
      [1e-4, 1e-3, 2],
      [1e-5, 1e-4, 2],
    ]);
    expect(binned.runGroups[0].bin.scale).toBe('LOG');
    expect(binned.runGroups[0].value).toBeNull();
    // The mean of the numbers only (the NaN run has none).
    expect(binned.runGroups[0].aggregates[0]).toMatchObject({ key: 'loss', count: 1, mean: 0.7 });
    // A linear scale on request; a search narrows the groups.
    const linear = await ok(keys.alice, q, { by: 'config.optim.lr', bins: 3, scale: 'LINEAR', q: 'sweep' });
    expect(linear.runGroups.every((g: { bin: { scale: string } }) => g.bin.scale === 'LINEAR')).toBe(true);
    expect(linear.runGroups.reduce((n: number, g: { count: number }) => n + g.count, 0)).toBe(5);
    // A string key is grouped by value as before, bins or not.
    const strings = await ok(keys.alice, q, { by: 'config.model', bins: 5 });
    expect(strings.runGroups).toEqual([expect.objectContaining({ value: 'tiny', count: 6, bin: null })]);
  });

  it('refuses malformed arguments with an error naming the argument', async () => {
    const field = async (query: string, vars: Record<string, unknown>) => {
      const r = await gql(keys.alice, query, vars);
      expect(r.data?.runs ?? r.data?.runGroups ?? null).toBeNull();
      return r.errors?.[0];
    };
    // An operator that does not exist: GraphQL names the variable's path.
    const badOp = await field(RUNS, { p: 'alpha', f: { field: 'summary.loss', op: 'GREATER', value: 1 } });
    expect(badOp?.message).toMatch(/"GREATER".*f\.op/s);
    const noOp = await field(RUNS, { p: 'alpha', f: { field: 'summary.loss', value: 1 } });
    expect(noOp?.extensions).toMatchObject({ code: 'BAD_INPUT', field: 'filter.op' });
    const badField = await field(RUNS, {
      p: 'alpha',
      f: { and: [{ field: 'config..lr', op: 'EQ', value: 1 }] },
    });
    expect(badField?.extensions).toMatchObject({ field: 'filter.and[0].field' });
    expect(badField?.message).toMatch(/empty path segment/);
    const notNumber = await field(RUNS, { p: 'alpha', f: { field: 'duration', op: 'GT', value: 'abc' } });
    expect(notNumber?.extensions).toMatchObject({ field: 'filter.value' });
    expect(notNumber?.message).toMatch(/expected a number, got "abc"/);
    const long = await field(RUNS, { p: 'alpha', q: 'x'.repeat(201) });
    expect(long?.extensions).toMatchObject({ code: 'BAD_INPUT', field: 'search' });
    const G =
      'query($bins: Int, $scale: BinScale) { runGroups(project: "alpha", by: "config.optim.lr", bins: $bins, binScale: $scale) { count } }';
    expect((await field(G, { bins: 1 }))?.extensions).toMatchObject({ field: 'bins' });
    expect((await field(G, { bins: 1000 }))?.extensions).toMatchObject({ field: 'bins' });
    // Log bins of values at or below zero.
    await ok(
      keys.alice,
      'mutation { createRun(project: "alpha", name: "zero", config: { optim: { lr: 0 } }) { id } }',
    );
    const log = await field(G, { bins: 4, scale: 'LOG' });
    expect(log?.extensions).toMatchObject({ field: 'binScale' });
    expect(log?.message).toMatch(/positive values; config\.optim\.lr goes down to 0/);
    // Found by a hostile review: a config path of 70,000 segments became 70,000 SQL parameters.
    const deep = await field(RUNS, {
      p: 'alpha',
      f: { field: `config.${Array(70_000).fill('a').join('.')}`, op: 'EQ', value: 1 },
    });
    expect(deep?.extensions).toMatchObject({ code: 'BAD_INPUT', field: 'filter.field' });
    expect(deep?.message).toMatch(/at most 1024 characters/);
    const segments = await field(RUNS, {
      p: 'alpha',
      f: { field: `config.${Array(65).fill('a').join('.')}`, op: 'EQ', value: 1 },
    });
    expect(segments?.extensions).toMatchObject({ code: 'BAD_INPUT', field: 'filter.field' });
    expect(segments?.message).toMatch(/at most 64 segments, got 65/);
    await ok(keys.alice, RUNS, {
      p: 'alpha',
      f: { field: `config.${Array(64).fill('a').join('.')}`, op: 'EQ', value: 1 },
    });
    // A forged cursor whose values are not of their keys' kinds (tags not a list, a bad id or time): refused,
    // not a failing cast (an INTERNAL_SERVER_ERROR before).
    const PAGE =
      'query($a: String, $o: [RunOrder!]) { runs(project: "alpha", orderBy: $o, after: $a) { totalCount } }';
    const forge = (sig: string, values: unknown) =>
      Buffer.from(`${sig}\n${JSON.stringify(values)}`).toString('base64url');
    const id0 = '00000000-0000-0000-0000-000000000000';
    for (const values of [
      [
        [false, 'x'],
        [false, '2020-01-01T00:00:00+00:00'],
        [false, id0],
      ],
      [
        [false, ['a\u0000']],
        [false, '2020-01-01T00:00:00+00:00'],
        [false, id0],
      ],
      [
        [false, ['a']],
        [false, '2020-01-01'],
        [false, id0],
      ],
      [
        [false, ['a']],
        [false, '2020-13-01T00:00:00+00:00'],
        [false, id0],
      ],
      [
        [false, ['a']],
        [false, '2020-01-01T00:00:00+00:00'],
        [false, 'not-an-id'],
      ],
    ]) {
      const r = await field(PAGE, { o: [{ field: 'tags' }], a: forge('[["tags",false]]', values) });
      expect(r?.extensions, JSON.stringify(values)).toMatchObject({ code: 'BAD_INPUT', field: 'after' });
    }
    const real = await ok(keys.alice, PAGE, {
      o: [{ field: 'tags' }],
      a: forge('[["tags",false]]', [
        [false, ['a']],
        [false, '2020-01-01T00:00:00.123456+00:00'],
        [false, id0],
      ]),
    });
    expect(typeof real.runs.totalCount).toBe('number');
    // And 0 and 1e-100 binned linearly (toFixed threw): two bins' worth of runs, no error.
    for (const [n, eps] of [
      ['eps0', 0],
      ['eps1', 1e-100],
    ] as const)
      await ok(
        keys.alice,
        'mutation($n: String, $c: JSON) { createRun(project: "alpha", name: $n, config: $c) { id } }',
        {
          n,
          c: { eps },
        },
      );
    const tiny = await ok(
      keys.alice,
      '{ runGroups(project: "alpha", by: "config.eps", bins: 10, binScale: LINEAR) { count bin { lower upper scale } } }',
    );
    const binned = tiny.runGroups.filter((g: { bin: unknown }) => g.bin);
    expect(binned.reduce((n: number, g: { count: number }) => n + g.count, 0)).toBe(2);
    for (const g of binned) expect(g.bin.upper).toBeGreaterThan(g.bin.lower);
  });
});
