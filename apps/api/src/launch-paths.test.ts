// A launched config may not name a server-side path its sender chose (launch-paths.ts): launchRun and
// createSweep refuse an absolute or `..` base or data path, a symbolic link out of the data root, and another
// project's artifact, each with BAD_INPUT naming the key; shipped bases, data under the root and the
// project's own artifacts are accepted. (The trainer's schema is stood in for by a pass-through: the rules
// apply to whatever it resolves.)
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase } from '@anneal/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap } from './bootstrap.ts';
import { launchPathIssues, outputDirIssue, parseBase, underRoot } from './launch-paths.ts';
import { openQueue } from './queue.ts';
import { createApi } from './yoga.ts';

type Gql = {
  // biome-ignore lint/suspicious/noExplicitAny: responses are read by shape
  data?: Record<string, any>;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

const dir = mkdtempSync(join(tmpdir(), 'anneal-launch-paths-'));
const dataRoot = join(dir, 'data');
const bases = join(dir, 'bases');
mkdirSync(join(dataRoot, 'spam'), { recursive: true });
mkdirSync(join(bases, 'gpt-brown'), { recursive: true });
writeFileSync(join(dataRoot, 'spam', 'train.jsonl'), '{"text":"hi","label":0}\n');
writeFileSync(join(dir, 'secret.txt'), 'outside the root');
symlinkSync(join(dir, 'secret.txt'), join(dataRoot, 'escape.jsonl'));
symlinkSync(dir, join(dataRoot, 'up')); // a directory link out of the root
symlinkSync(join(dir, 'nowhere'), join(dataRoot, 'dangling.jsonl'));

describe('launch path rules', () => {
  const roots = { basesDir: bases, dataRoot };
  const issues = (c: Record<string, unknown>) => launchPathIssues(c, roots);

  it('reads model.base as a shipped base or an artifact reference, nothing else', () => {
    expect(parseBase('bases/gpt-brown')).toEqual({ kind: 'base', name: 'gpt-brown' });
    expect(parseBase('artifact:0b6c1a1e-1b1c-4c4c-8c8c-0123456789ab')).toEqual({
      kind: 'artifact',
      id: '0b6c1a1e-1b1c-4c4c-8c8c-0123456789ab',
    });
    expect(parseBase('artifact:my-model:best')).toEqual({
      kind: 'artifact',
      name: 'my-model',
      alias: 'best',
    });
    expect(parseBase('artifact:my-model')).toEqual({ kind: 'artifact', name: 'my-model', alias: 'latest' });
    for (const bad of [
      '/etc',
      '/work/bases/gpt-brown',
      'bases/../../etc',
      'bases/..',
      '../bases/x',
      'gpt-brown',
    ])
      expect(typeof parseBase(bad), bad).toBe('string');
  });

  it('keeps data paths under the root: no absolute path, no .., no link out', () => {
    expect(underRoot(dataRoot, 'spam/train.jsonl')).toMatch(/data\/spam\/train\.jsonl$/);
    expect(underRoot(dataRoot, 'new/later.jsonl')).toBe(join(dataRoot, 'new', 'later.jsonl'));
    expect(underRoot(dataRoot, '/etc/passwd')).toEqual({ error: expect.stringMatching(/absolute/) });
    expect(underRoot(dataRoot, 'spam/../../secret.txt')).toEqual({ error: expect.stringMatching(/'\.\.'/) });
    expect(underRoot(dataRoot, 'escape.jsonl')).toEqual({ error: expect.stringMatching(/leads out/) });
    expect(underRoot(dataRoot, 'up/secret.txt')).toEqual({ error: expect.stringMatching(/leads out/) });
    expect(underRoot(dataRoot, 'up/not-yet.txt')).toEqual({ error: expect.stringMatching(/leads out/) });
    expect(underRoot(dataRoot, 'dangling.jsonl')).toEqual({
      error: expect.stringMatching(/link to nothing/),
    });
    expect(underRoot(dataRoot, 'a\0b')).toEqual({ error: expect.stringMatching(/NUL/) });
  });

  it('keeps output.dir relative, without .., hidden segments or node_modules', () => {
    for (const ok of ['runs', 'runs/spam', './runs', 'a.b/c']) expect(outputDirIssue(ok), ok).toBeNull();
    for (const [bad, message] of [
      ['', /empty/],
      ['/etc/cron.d', /relative/],
      ['C:/x', /relative/],
      ['\\\\host\\share', /relative/],
      ['runs/../../..', /'\.\.'/],
      ['runs\\..\\..', /'\.\.'/],
      ['.anneal/artifacts/cache', /hidden or reserved segment '\.anneal'/],
      ['runs/.git', /'\.git'/],
      ['node_modules/@anneal/client/src', /'node_modules'/],
      ['a\0b', /NUL/],
      ['a\nb', /control/],
    ] as const)
      expect(outputDirIssue(bad), JSON.stringify(bad)).toMatch(message);
  });

  it('names every offending key of a config', () => {
    expect(
      issues({
        model: { base: '/abs/model' },
        data: { source: { kind: 'text', paths: ['spam/train.jsonl', '../x.txt'] } },
        output: { dir: '/tmp/out' },
      }).map((i) => i.path),
    ).toEqual(['model.base', 'data.source.paths.1', 'output.dir']);
    expect(
      issues({
        model: { base: 'bases/gpt-brown' },
        data: { source: { kind: 'jsonl', path: 'spam/train.jsonl' } },
      }),
    ).toEqual([]);
    expect(launchPathIssues({ model: { base: 'bases/gpt-brown' } }, { basesDir: null, dataRoot })).toEqual([
      { path: 'model.base', message: expect.stringMatching(/ships no bases/) },
    ]);
  });
});

describe('launchRun and createSweep refuse server-side paths', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let api: ReturnType<typeof createApi>;
  let key = '';
  let queue: Awaited<ReturnType<typeof openQueue>>;
  const artifacts: Record<string, string> = {};

  const gql = async (query: string, variables: Record<string, unknown> = {}): Promise<Gql> => {
    const res = await api.fetch('http://anneal.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as Gql;
  };
  const launch = (config: Record<string, unknown>) =>
    gql('mutation($c: JSON!) { launchRun(project: "default", config: $c) { id config } }', { c: config });
  const good = {
    model: { base: 'bases/gpt-brown' },
    data: { source: { kind: 'jsonl', path: 'spam/train.jsonl' } },
  };

  beforeAll(async () => {
    db = await freshDatabase('pglite');
    key = (await bootstrap(db.handle)).key!;
    queue = await openQueue(db.handle);
    api = createApi({
      handle: db.handle,
      keyCacheMs: 0,
      queue,
      validateConfig: (c) => c as Record<string, unknown>,
      bases,
      dataRoot,
      artifactStore: join(dir, 'store'),
    });
    // A model artifact in "default" and one in another project (the admin is a member of both).
    expect((await gql('mutation { createProject(name: "other") { id } }')).errors).toBeUndefined();
    for (const project of ['default', 'other']) {
      const run = (await gql(`mutation { createRun(project: "${project}", name: "producer") { id } }`)).data!
        .createRun.id;
      const [a] = await db.handle.rows<{ id: string }>(sql`
        insert into artifacts (project_id, run_id, kind, name, version, digest, size)
        select project_id, id, 'model', 'shared-name', 0, ${'0'.repeat(64)}, 0 from runs
        where id = ${run.slice(4)}::uuid returning id`);
      artifacts[project] = a.id;
    }
  });
  afterAll(async () => {
    await queue.stop({ graceful: false, close: false });
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts a shipped base, data under the root and an artifact of the project', async () => {
    expect((await launch(good)).errors).toBeUndefined();
    for (const base of [
      `artifact:${artifacts.default}`,
      'artifact:shared-name:latest',
      'artifact:shared-name:v0',
    ]) {
      const r = await launch({ ...good, model: { base } });
      expect(r.errors, base).toBeUndefined();
      expect(r.data!.launchRun.config.model.base).toBe(base); // stored as named: the worker resolves it
    }
  });

  it.each([
    ['an absolute base', { model: { base: dir } }, 'config.model.base', /cannot name a directory/],
    ['a base with ..', { model: { base: 'bases/../../etc' } }, 'config.model.base', /not a shipped base/],
    [
      'an absolute data path',
      { data: { source: { kind: 'jsonl', path: join(dir, 'secret.txt') } } },
      'config.data.source.path',
      /absolute/,
    ],
    [
      'a data path with ..',
      { data: { source: { kind: 'csv', path: 'spam/../../secret.txt' } } },
      'config.data.source.path',
      /'\.\.'/,
    ],
    [
      'a symbolic link out of the data root',
      { data: { source: { kind: 'jsonl', path: 'escape.jsonl' } } },
      'config.data.source.path',
      /leads out of the data root/,
    ],
    [
      'a text path through a linked directory',
      { data: { source: { kind: 'text', paths: ['spam/train.jsonl', 'up/secret.txt'] } } },
      'config.data.source.paths.1',
      /leads out/,
    ],
    ['an absolute output.dir', { output: { dir: '/etc/cron.d' } }, 'config.output.dir', /relative/],
    ['an output.dir with ..', { output: { dir: 'runs/../../..' } }, 'config.output.dir', /'\.\.'/],
    [
      'an output.dir in the state directory',
      { output: { dir: '.anneal/artifacts/cache' } },
      'config.output.dir',
      /hidden/,
    ],
    [
      'an output.dir in node_modules',
      { output: { dir: 'node_modules/@anneal/client/src' } },
      'config.output.dir',
      /reserved/,
    ],
  ])('refuses %s, naming the key', async (_what, patch, field, message) => {
    const before = (await db.handle.rows<{ n: number }>(sql`select count(*)::int as n from runs`))[0].n;
    const r = await launch({ ...good, ...patch });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_INPUT', field });
    expect(r.errors?.[0].message).toMatch(message);
    // Nothing was queued.
    expect((await db.handle.rows<{ n: number }>(sql`select count(*)::int as n from runs`))[0].n).toBe(before);
  });

  it('names each offending key once, by its full path (never `config: config: (root): …`)', async () => {
    const one = await launch({ ...good, output: { dir: '/etc/cron.d' } });
    expect(one.errors?.[0].message).toMatch(/^config\.output\.dir: [^:]*relative/);
    expect(one.errors?.[0].message).not.toMatch(/output\.dir: output\.dir|\(root\)/);
    // An issue of the whole document is the document's: `config: …`, once.
    const sweep = await gql('mutation($c: JSON!) { createSweep(project: "default", config: $c) { id } }', {
      c: { method: 'sideways', parameters: { x: { values: [1] } } },
    });
    expect(sweep.errors?.[0].message).toMatch(/^config\.method: /);
    expect(sweep.errors?.[0].message).not.toMatch(/config: config|method: method|\(root\)/);
  });

  it("refuses another project's artifact as if it did not exist", async () => {
    const r = await launch({ ...good, model: { base: `artifact:${artifacts.other}` } });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_INPUT', field: 'config.model.base' });
    expect(r.errors?.[0].message).toMatch(/this project has no artifact/);
    const missing = await launch({ ...good, model: { base: 'artifact:no-such-model:best' } });
    expect(missing.errors?.[0].extensions).toMatchObject({ field: 'config.model.base' });
  });

  it('applies the same rules to a sweep: its base config and the parameters it proposes', async () => {
    const sweep = (base: Record<string, unknown>, parameters: Record<string, unknown>) =>
      gql(
        'mutation($c: JSON!, $b: JSON!) { createSweep(project: "default", config: $c, baseConfig: $b) { id } }',
        {
          c: { method: 'grid', metric: { name: 'val/loss', goal: 'minimize' }, parameters },
          b: base,
        },
      );
    const lr = { 'optim.lr': { values: [0.1] } };
    const abs = await sweep({ ...good, model: { base: '/etc' } }, lr);
    expect(abs.errors?.[0].extensions).toMatchObject({ code: 'BAD_INPUT', field: 'baseConfig.model.base' });
    const other = await sweep({ ...good, model: { base: `artifact:${artifacts.other}` } }, lr);
    expect(other.errors?.[0].extensions).toMatchObject({ code: 'BAD_INPUT', field: 'baseConfig.model.base' });
    const proposed = await sweep(good, { 'data.source.path': { values: ['/etc/passwd'] } });
    expect(proposed.errors?.[0].extensions).toMatchObject({ code: 'BAD_INPUT' });
    expect(proposed.errors?.[0].message).toMatch(/data\.source\.path/);
  });
});

describe("with the run config's own schema: config.name is one safe directory name", () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let api: ReturnType<typeof createApi>;
  let key = '';
  let queue: Awaited<ReturnType<typeof openQueue>>;
  const gql = async (query: string, variables: Record<string, unknown> = {}): Promise<Gql> => {
    const res = await api.fetch('http://anneal.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as Gql;
  };
  const good = {
    model: { base: 'bases/gpt-brown', task: 'sequence-classification' },
    data: { source: { kind: 'jsonl', path: 'spam/train.jsonl' } },
  };
  const count = async (table: 'runs' | 'sweeps') =>
    (await db.handle.rows<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table)}`))[0].n;

  beforeAll(async () => {
    db = await freshDatabase('pglite');
    key = (await bootstrap(db.handle)).key!;
    queue = await openQueue(db.handle);
    // No validateConfig: the API's own (@anneal/config's resolveConfig with the launch path rules).
    api = createApi({
      handle: db.handle,
      keyCacheMs: 0,
      queue,
      bases,
      dataRoot,
      artifactStore: join(dir, 'store2'),
    });
  });
  afterAll(async () => {
    await queue.stop({ graceful: false, close: false });
    await db.drop();
  });

  it('launchRun refuses a name that leads out of the run directory, naming config.name, queueing nothing', async () => {
    const before = await count('runs');
    for (const name of [
      '../../../../tmp/x',
      '../../../../../../../../tmp/anneal-pwned/owned',
      'a\\b',
      '.x',
      'a\0b',
    ]) {
      const r = await gql('mutation($c: JSON!) { launchRun(project: "default", config: $c) { id } }', {
        c: { ...good, name },
      });
      expect(r.errors?.[0].extensions, name).toMatchObject({ code: 'BAD_INPUT', field: 'config.name' });
    }
    expect(await count('runs')).toBe(before);
    const ok = await gql('mutation($c: JSON!) { launchRun(project: "default", config: $c) { id } }', {
      c: { ...good, name: 'spam-v2' },
    });
    expect(ok.errors).toBeUndefined();
    expect(await count('runs')).toBe(before + 1);
  });

  it('createSweep refuses such a name in its base config and in any swept value, not only the first', async () => {
    const sweep = (base: Record<string, unknown>, parameters: Record<string, unknown>, method = 'grid') =>
      gql(
        'mutation($c: JSON!, $b: JSON!) { createSweep(project: "default", config: $c, baseConfig: $b) { id } }',
        { c: { method, metric: { name: 'val/loss', goal: 'minimize' }, parameters }, b: base },
      );
    const before = { runs: await count('runs'), sweeps: await count('sweeps') };
    const lr = { 'optim.lr': { values: [0.1] } };
    const base = await sweep({ ...good, name: '../../x' }, lr);
    expect(base.errors?.[0].extensions).toMatchObject({ code: 'BAD_INPUT', field: 'baseConfig.name' });
    for (const [method, name] of [
      ['grid', { values: ['fine', '../../../../tmp/x'] }],
      ['random', { values: ['fine', 'also-fine', '..'] }],
      ['grid', { value: 'x/../../y' }],
    ] as const) {
      const r = await sweep(good, { ...lr, name }, method);
      expect(r.errors?.[0].extensions, JSON.stringify(name)).toMatchObject({
        code: 'BAD_INPUT',
        field: 'config.parameters.name',
      });
    }
    // A swept output.dir is held to the launch rules the same way.
    const out = await sweep(good, { 'output.dir': { values: ['runs', '.anneal/artifacts/cache'] } });
    expect(out.errors?.[0].extensions).toMatchObject({
      code: 'BAD_INPUT',
      field: 'config.parameters.output.dir',
    });
    expect({ runs: await count('runs'), sweeps: await count('sweeps') }).toEqual(before);
    const ok = await sweep(good, { ...lr, name: { values: ['a', 'b'] } });
    expect(ok.errors).toBeUndefined();
  });

  it("records in a launched or swept run's config the project it lives in (not `tracking.project: default`)", async () => {
    expect((await gql('mutation { createProject(name: "vision") { id } }')).errors).toBeUndefined();
    const launched = await gql(
      'mutation($c: JSON!) { launchRun(project: "vision", config: $c) { id config project { name } } }',
      { c: { ...good, tracking: { project: 'elsewhere', tags: ['mine'] } } },
    );
    expect(launched.errors).toBeUndefined();
    expect(launched.data!.launchRun.config.tracking).toMatchObject({ project: 'vision', tags: ['mine'] });
    const swept = await gql(
      'mutation($c: JSON!, $b: JSON!) { createSweep(project: "vision", name: "lr-grid", config: $c, baseConfig: $b) { id runs { config tags group } } }',
      {
        c: {
          method: 'grid',
          metric: { name: 'val/loss' },
          parameters: { 'optim.lr': { values: [0.1, 0.01] } },
        },
        b: good,
      },
    );
    expect(swept.errors).toBeUndefined();
    const runs = swept.data!.createSweep.runs;
    expect(runs.length).toBeGreaterThan(0);
    for (const r of runs)
      expect(r.config.tracking).toMatchObject({ project: 'vision', group: 'lr-grid', tags: r.tags });
  });
});
