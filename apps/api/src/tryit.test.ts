// "Try it" through the API (schema/tryit.ts, tryit.ts): tryModel stores a request and queues one job for it;
// tryProgress streams what the worker appends, starting from what is stored; and every way in that should be
// refused is refused with a clear error and stores nothing — another project's member, a viewer, a revoked key,
// a run without an exported model, a path where an artifact id goes, oversized input, too many tokens, too
// many requests. (The worker's half, on a real model, is apps/cli/src/tryit.test.ts.)
import { createSharedPubSub } from '@anneal/api/events';
import { ENGINES, freshDatabase } from '@anneal/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveSubscriptions } from './access.ts';
import { createApiPubSub, type PubSub } from './context.ts';
import { LIMITS } from './limits.ts';
import { openQueue, TRY_QUEUE, type TryJob } from './queue.ts';
import { CountingTarget, seedTeam } from './testing.ts';
import { appendTry, claimTry, endTry, notifyTry, type TryPublish } from './tryit.ts';
import { createApi } from './yoga.ts';

type Gql = {
  // biome-ignore lint/suspicious/noExplicitAny: responses are read by shape
  data?: Record<string, any>;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

describe.each(ENGINES)('try it on %s', (engine) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let api: ReturnType<typeof createApi>;
  let queue: Awaited<ReturnType<typeof openQueue>>;
  let pubsub: PubSub;
  let publish: TryPublish;
  let keys: Record<string, string>;
  let projects: Record<string, string>;
  /** Run ids (`run_<uuid>`) and artifact ids by what they are. */
  const runs: Record<string, string> = {};
  const models: Record<string, string> = {};

  const gql = async (key: string, query: string, variables: Record<string, unknown> = {}): Promise<Gql> => {
    const res = await api.fetch('http://anneal.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as Gql;
  };
  const TRY = `mutation($run: ID, $artifact: String, $input: String!, $options: TryModelOptions) {
    tryModel(run: $run, artifact: $artifact, input: $input, options: $options) {
      id kind status input options output tokens user run { name } artifactId
    } }`;
  const count = async () =>
    (await db.handle.rows<{ n: number }>(sql`select count(*)::int as n from try_requests`))[0].n;
  const jobs = async () => (await queue.fetch<TryJob>(TRY_QUEUE, { batchSize: 100 })) ?? [];

  /** A run of a project with a config, and (unless files is null) an artifact of `kind` holding `files`. */
  async function seedModel(
    project: string,
    name: string,
    task: string,
    kind = 'model',
    files?: string[] | null,
  ) {
    const [run] = await db.handle.rows<{ id: string }>(sql`insert into runs (project_id, name, status, config)
      values (${projects[project]}::uuid, ${name}, 'finished', ${JSON.stringify({ model: { task } })}::jsonb) returning id`);
    runs[name] = `run_${run.id}`;
    if (files === null) return;
    const sha = `${name.padEnd(64, '0')}`.slice(0, 64).replace(/[^0-9a-f]/g, 'a');
    await db.handle.rows(sql`insert into blobs (sha256, size) values (${sha}, 1) on conflict do nothing`);
    const [a] = await db.handle.rows<{ id: string }>(sql`insert into artifacts
        (project_id, run_id, kind, name, version, digest, size)
      values (${projects[project]}::uuid, ${run.id}::uuid, ${kind}, ${`model-${name}`}, 0, ${sha}, 3) returning id`);
    for (const f of files ?? ['config.json', 'model.safetensors', 'tokenizer.json'])
      await db.handle.rows(sql`insert into artifact_files values (${a.id}::uuid, ${f}, ${sha}, 1)`);
    models[name] = a.id;
  }

  beforeAll(async () => {
    db = await freshDatabase(engine);
    ({ keys, projects } = await seedTeam(db.handle));
    queue = await openQueue(db.handle);
    pubsub = engine === 'postgres' ? await createSharedPubSub(db.handle) : createApiPubSub();
    // What the worker does: NOTIFY on Postgres (every API process hears it), the process's pubsub embedded.
    publish = engine === 'postgres' ? notifyTry(db.handle) : (e) => pubsub.publish('tryProgress', e.id, e);
    api = createApi({ handle: db.handle, keyCacheMs: 0, queue, pubsub });
    await seedModel('alpha', 'lm', 'causal-lm');
    await seedModel('alpha', 'spam', 'sequence-classification');
    await seedModel('alpha', 'mlm', 'masked-lm');
    await seedModel('alpha', 'training', 'causal-lm', 'model', null);
    await seedModel('alpha', 'partial', 'causal-lm', 'model', ['config.json', 'model.safetensors']);
    await seedModel('alpha', 'data', 'causal-lm', 'dataset');
    await seedModel('beta', 'theirs', 'causal-lm');
  });
  afterAll(async () => {
    await queue.stop({ graceful: false, close: false });
    await db.drop();
  });

  it("queues a run's exported model with the sampling options resolved, one job per request", async () => {
    const r = await gql(keys.alice, TRY, {
      run: runs.lm,
      input: 'The jury said',
      options: { maxNewTokens: 12, temperature: 0.7, topP: 0.9, seed: 3 },
    });
    expect(r.errors).toBeUndefined();
    const t = r.data!.tryModel;
    expect(t).toMatchObject({
      kind: 'generate',
      status: 'queued',
      input: 'The jury said',
      output: '',
      tokens: 0,
      user: 'alice',
      run: { name: 'lm' },
      artifactId: models.lm,
      options: {
        maxNewTokens: 12,
        temperature: 0.7,
        topK: 0,
        topP: 0.9,
        seed: 3,
        stop: [],
        chat: false,
        system: '',
      },
    });
    const queued = await jobs();
    expect(queued.map((j) => j.data.requestId)).toEqual([t.id.slice(4)]);
    for (const j of queued) await queue.complete(TRY_QUEUE, j.id);
  });

  it('runs a classifier by artifact id (as artifact_<uuid> or the bare uuid)', async () => {
    for (const artifact of [`artifact_${models.spam}`, models.spam]) {
      const r = await gql(keys.alice, TRY, { artifact, input: 'WIN A PRIZE NOW' });
      expect(r.errors).toBeUndefined();
      expect(r.data!.tryModel).toMatchObject({ kind: 'classify', status: 'queued', options: {} });
    }
    for (const j of await jobs()) await queue.complete(TRY_QUEUE, j.id);
  });

  it('streams the stored text first, then each batch of tokens, until it ends', async () => {
    const t = (await gql(keys.alice, TRY, { run: runs.lm, input: 'Once' })).data!.tryModel;
    const id = t.id.slice(4);
    const claimed = await claimTry(db.handle, id, 'gpu-box', publish);
    expect(claimed).toMatchObject({ artifact: { id: models.lm }, config: { model: { task: 'causal-lm' } } });
    expect(await claimTry(db.handle, id, 'other-box', publish)).toBeNull(); // claimed once
    // Two tokens already stored before anyone subscribed.
    await appendTry(db.handle, id, 0, 2, ' upon a', publish);
    const res = await api.fetch(
      `http://anneal.test/graphql?query=${encodeURIComponent(`subscription { tryProgress(id: "${t.id}") { status index count text request { status output tokens finishReason host } } }`)}`,
      { headers: { accept: 'text/event-stream', authorization: `Bearer ${keys.carol}` } },
    );
    const reader = res.body!.getReader();
    let buf = '';
    const next = async () => {
      for (;;) {
        const m = /data: (.*)\n/.exec(buf);
        if (m) {
          buf = buf.slice(m.index + m[0].length);
          return JSON.parse(m[1]).data.tryProgress;
        }
        const { value, done } = await reader.read();
        if (done) return null;
        buf += new TextDecoder().decode(value);
      }
    };
    expect(await next()).toMatchObject({ status: 'running', index: 0, count: 2, text: ' upon a' });
    await new Promise((r) => setTimeout(r, 100)); // the subscription listens
    await appendTry(db.handle, id, 2, 1, ' time', publish);
    expect(await next()).toMatchObject({ index: 2, count: 1, text: ' time' });
    await endTry(db.handle, id, { status: 'finished', finishReason: 'length' }, publish);
    expect(await next()).toMatchObject({
      status: 'finished',
      index: 3,
      count: 0,
      request: {
        status: 'finished',
        output: ' upon a time',
        tokens: 3,
        finishReason: 'length',
        host: 'gpu-box',
      },
    });
    expect(await next()).toBeNull(); // the stream ended
    const stored = await gql(
      keys.alice,
      `{ tryRequest(id: "${t.id}") { output durationMs firstTokenMs queuedMs } run(id: "${runs.lm}") { tryRequests { id } } }`,
    );
    expect(stored.data!.tryRequest.output).toBe(' upon a time');
    expect(stored.data!.tryRequest.durationMs).toBeGreaterThanOrEqual(0);
    expect(stored.data!.run.tryRequests.map((x: { id: string }) => x.id)).toContain(t.id);
    const byModel = await gql(
      keys.carol,
      `{ artifact(id: "${models.lm}") { tryRequests(first: 1) { id user } } }`,
    );
    expect(byModel.data!.artifact.tryRequests).toEqual([{ id: t.id, user: 'alice' }]);
    const tooMany = await gql(
      keys.alice,
      `{ artifact(id: "${models.lm}") { tryRequests(first: 1000) { id } } }`,
    );
    expect(tooMany.errors?.[0].extensions).toMatchObject({ code: 'BAD_INPUT', field: 'first' });
    for (const j of await jobs()) await queue.complete(TRY_QUEUE, j.id);
  });

  it('lets go of its listener and its subscription slot as soon as the client goes away, while waiting for a token', async () => {
    // A pubsub whose listeners are counted: the subscription adds one, and must remove it on disconnect even
    // though no event for the request ever comes (a queued request with no worker).
    const target = new CountingTarget();
    const live = new LiveSubscriptions();
    await db.handle.rows(sql`update try_requests set status = 'finished' where status <> 'finished'`);
    const own = createApi({ handle: db.handle, keyCacheMs: 0, queue, pubsub: createApiPubSub(target), live });
    const t = (await gql(keys.alice, TRY, { run: runs.lm, input: 'waits forever' })).data!.tryModel;
    const res = await own.fetch(
      `http://anneal.test/graphql?query=${encodeURIComponent(`subscription { tryProgress(id: "${t.id}") { status } }`)}`,
      { headers: { accept: 'text/event-stream', authorization: `Bearer ${keys.alice}` } },
    );
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('data:')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain('"status":"queued"');
    expect([target.n, live.size]).toEqual([1, 1]);
    await reader.cancel();
    for (let i = 0; i < 20 && (target.n > 0 || live.size > 0); i++)
      await new Promise((r) => setTimeout(r, 25));
    expect([target.n, live.size]).toEqual([0, 0]);
  });

  it('refuses a subscription over the per-user limit before it listens or reads anything', async () => {
    const target = new CountingTarget();
    const live = new LiveSubscriptions();
    const own = createApi({ handle: db.handle, keyCacheMs: 0, queue, pubsub: createApiPubSub(target), live });
    const t = (await gql(keys.alice, TRY, { run: runs.lm, input: 'over the limit' })).data!.tryModel;
    // Alice already holds every slot (as many other streams would).
    const [{ id: keyId, user_id: userId }] = await db.handle.rows<{ id: string; user_id: string }>(
      sql`select k.id, k.user_id from api_keys k join users u on u.id = k.user_id where u.email = 'alice@x.org'`,
    );
    const holder = { userId, roles: new Map(), key: { id: keyId, scope: null, projectId: null } };
    const held = Array.from({ length: LIMITS.liveSubscriptions }, () => live.hold(holder));
    const res = await own.fetch(
      `http://anneal.test/graphql?query=${encodeURIComponent(`subscription { tryProgress(id: "${t.id}") { status } }`)}`,
      { headers: { accept: 'text/event-stream', authorization: `Bearer ${keys.alice}` } },
    );
    // The whole stream: the refusal alone, not the stored request first.
    const events = [...(await res.text()).matchAll(/data: (.*)\n/g)].map((m) => JSON.parse(m[1]));
    expect(events).toEqual([
      expect.objectContaining({ errors: [expect.objectContaining({ extensions: { code: 'CONFLICT' } })] }),
    ]);
    expect(events[0].errors[0].message).toMatch(
      `limit: ${LIMITS.liveSubscriptions} live subscriptions are open for this user`,
    );
    expect([target.n, live.size]).toEqual([0, LIMITS.liveSubscriptions]);
    for (const release of held) release();
    expect(live.size).toBe(0);
    for (const j of await jobs()) await queue.complete(TRY_QUEUE, j.id);
  });

  it('ends a subscription to a request that already ended after one event', async () => {
    const t = (await gql(keys.alice, TRY, { artifact: models.spam, input: 'hello' })).data!.tryModel;
    const id = t.id.slice(4);
    await claimTry(db.handle, id, 'gpu-box', publish);
    await endTry(db.handle, id, { status: 'finished', output: '1', probabilities: [0.25, 0.75] }, publish);
    const res = await api.fetch(
      `http://anneal.test/graphql?query=${encodeURIComponent(`subscription { tryProgress(id: "${t.id}") { status request { probabilities output } } }`)}`,
      { headers: { accept: 'text/event-stream', authorization: `Bearer ${keys.alice}` } },
    );
    const text = await res.text();
    const events = [...text.matchAll(/data: (.*)\n/g)].map((m) => JSON.parse(m[1]).data?.tryProgress);
    expect(events.filter(Boolean)).toEqual([
      { status: 'finished', request: { probabilities: [0.25, 0.75], output: '1' } },
    ]);
    for (const j of await jobs()) await queue.complete(TRY_QUEUE, j.id);
  });

  const refused = async (key: string, vars: Record<string, unknown>, code: string, field?: string) => {
    const before = await count();
    const r = await gql(key, TRY, vars);
    expect(r.data?.tryModel ?? null).toBeNull();
    expect(r.errors?.[0].extensions).toMatchObject({ code, ...(field ? { field } : {}) });
    expect(await count()).toBe(before); // nothing stored
    expect(await jobs()).toEqual([]); // nothing queued
    return r.errors![0].message;
  };

  it("refuses another project's member as if the model did not exist", async () => {
    expect(await refused(keys.bob, { run: runs.lm, input: 'x' }, 'NOT_FOUND')).toMatch(/not found/);
    expect(await refused(keys.bob, { artifact: models.lm, input: 'x' }, 'NOT_FOUND', 'artifact')).toMatch(
      /no artifact/,
    );
    // And alice cannot reach bob's model either; nor read his requests.
    await refused(keys.alice, { artifact: models.theirs, input: 'x' }, 'NOT_FOUND', 'artifact');
    const mine = (await gql(keys.alice, TRY, { run: runs.lm, input: 'mine' })).data!.tryModel;
    const peek = await gql(keys.bob, `{ tryRequest(id: "${mine.id}") { input } }`);
    expect(peek.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND' });
    const sub = await api.fetch(
      `http://anneal.test/graphql?query=${encodeURIComponent(`subscription { tryProgress(id: "${mine.id}") { text } }`)}`,
      { headers: { accept: 'text/event-stream', authorization: `Bearer ${keys.bob}` } },
    );
    expect(await sub.text()).toMatch(/NOT_FOUND/);
    await db.handle.rows(sql`update try_requests set status = 'finished'`);
    for (const j of await jobs()) await queue.complete(TRY_QUEUE, j.id);
  });

  it('refuses a viewer (running a model takes the member role) and a read-scoped key', async () => {
    expect(await refused(keys.carol, { run: runs.lm, input: 'x' }, 'FORBIDDEN')).toMatch(/member role/);
    await refused(keys.carol, { artifact: models.lm, input: 'x' }, 'FORBIDDEN');
  });

  it('refuses a revoked key and no key at all', async () => {
    const [u] = await db.handle.rows<{ id: string }>(sql`select id from users where name = 'alice'`);
    const { createApiKey } = await import('./auth.ts');
    const { key } = await createApiKey(db.handle, u.id, 'soon revoked', {});
    await db.handle.rows(sql`update api_keys set revoked_at = now() where name = 'soon revoked'`);
    await refused(key, { run: runs.lm, input: 'x' }, 'UNAUTHENTICATED');
    await refused('', { run: runs.lm, input: 'x' }, 'UNAUTHENTICATED');
  });

  it('refuses a run without an exported model, an incomplete model, and models that cannot be tried', async () => {
    expect(await refused(keys.alice, { run: runs.training, input: 'x' }, 'BAD_INPUT', 'run')).toMatch(
      /has no exported model/,
    );
    expect(await refused(keys.alice, { run: runs.partial, input: 'x' }, 'BAD_INPUT', 'run')).toMatch(
      /no tokenizer\.json/,
    );
    expect(await refused(keys.alice, { run: runs.mlm, input: 'x' }, 'BAD_INPUT', 'run')).toMatch(/masked-LM/);
    expect(await refused(keys.alice, { artifact: models.data, input: 'x' }, 'BAD_INPUT', 'artifact')).toMatch(
      /is a dataset, not a model/,
    );
    await refused(keys.alice, { run: runs.lm, artifact: models.lm, input: 'x' }, 'BAD_INPUT');
    await refused(keys.alice, { input: 'x' }, 'BAD_INPUT');
    await refused(keys.alice, { run: 'run_../../etc/passwd', input: 'x' }, 'BAD_INPUT', 'run');
  });

  it.each([
    '../../etc/passwd',
    '/etc/passwd',
    'artifact:../../etc/passwd',
    'C:\\Windows\\win.ini',
    'model-lm:v0/../../x',
  ])('refuses the path-like model reference %s, reading nothing', async (artifact) => {
    const message = await refused(keys.alice, { artifact, input: 'x' }, 'BAD_INPUT', 'artifact');
    expect(message).toMatch(/never by a path/);
  });

  it('refuses a model larger than a worker loads for try-it, before anything is queued', async () => {
    await seedModel('alpha', 'huge', 'causal-lm');
    // The recorded sizes are what counts (the worker would download exactly these bytes).
    await db.handle.rows(sql`update artifact_files set size = ${LIMITS.tryModelBytes}
      where artifact_id = ${models.huge}::uuid and path = 'model.safetensors'`);
    const before = await count();
    expect(await refused(keys.alice, { run: runs.huge, input: 'x' }, 'BAD_INPUT', 'run')).toMatch(
      /model-huge:v0 is 2\.0 GiB; try-it loads models of at most 2\.0 GiB \(limit\)/,
    );
    await refused(keys.alice, { artifact: models.huge, input: 'x' }, 'BAD_INPUT', 'artifact');
    expect(await count()).toBe(before);
  });

  it('refuses oversized, empty or NUL input and out-of-range options, naming the field', async () => {
    const big = 'a'.repeat(LIMITS.tryInputChars + 1);
    expect(await refused(keys.alice, { run: runs.lm, input: big }, 'BAD_INPUT', 'input')).toMatch(
      new RegExp(`at most ${LIMITS.tryInputChars}`),
    );
    await refused(keys.alice, { run: runs.lm, input: '   ' }, 'BAD_INPUT', 'input');
    await refused(keys.alice, { run: runs.lm, input: 'a\0b' }, 'BAD_INPUT', 'input');
    const opt = (options: Record<string, unknown>, field: string) =>
      refused(keys.alice, { run: runs.lm, input: 'x', options }, 'BAD_INPUT', field);
    expect(await opt({ maxNewTokens: LIMITS.tryMaxNewTokens + 1 }, 'options.maxNewTokens')).toMatch(/limit/);
    await opt({ maxNewTokens: 0 }, 'options.maxNewTokens');
    await opt({ temperature: -1 }, 'options.temperature');
    await opt({ topP: 0 }, 'options.topP');
    await opt({ topP: 1.5 }, 'options.topP');
    await opt({ seed: -2 }, 'options.seed');
    await opt({ stop: ['a', 'b', 'c', 'd', 'e'] }, 'options.stop');
    await opt({ stop: [''] }, 'options.stop[0]');
    expect(await opt({ system: 'Be brief.' }, 'options.system')).toMatch(/goes with chat: true/);
    await opt({ chat: true, system: 'a'.repeat(LIMITS.tryInputChars + 1) }, 'options.system');
    await opt({ chat: true, system: 'a\0b' }, 'options.system');
    // A lone surrogate: a clear BAD_INPUT, not Postgres's refusal as an internal error.
    for (const [options, field] of [
      [{ chat: true, system: 'a\uD800b' }, 'options.system'],
      [{ stop: ['\uDC00'] }, 'options.stop[0]'],
    ] as const)
      expect(await opt(options, field)).toMatch(/lone UTF-16 surrogate/);
    await refused(keys.alice, { run: runs.lm, input: 'x\uD800' }, 'BAD_INPUT', 'input');
    // Chat options on a classifier are refused, not dropped.
    expect(
      await refused(
        keys.alice,
        { artifact: models.spam, input: 'x', options: { chat: true } },
        'BAD_INPUT',
        'options.chat',
      ),
    ).toMatch(/this model is a classifier/);
  });

  it('limits the requests a user has waiting, then lets them ask again once they end', async () => {
    await db.handle.rows(sql`update try_requests set status = 'finished'`);
    for (let i = 0; i < LIMITS.tryPending; i++)
      expect((await gql(keys.alice, TRY, { run: runs.lm, input: `q${i}` })).errors).toBeUndefined();
    for (const j of await jobs()) await queue.complete(TRY_QUEUE, j.id);
    expect(await refused(keys.alice, { run: runs.lm, input: 'one more' }, 'CONFLICT')).toMatch(/rate limit/);
    // Requests left waiting by a worker that died (older than their job's expiry) do not lock the user out.
    await db.handle.rows(
      sql`update try_requests set created_at = now() - interval '20 minutes' where status = 'queued'`,
    );
    expect((await gql(keys.alice, TRY, { run: runs.lm, input: 'after a crash' })).errors).toBeUndefined();
    for (const j of await jobs()) await queue.complete(TRY_QUEUE, j.id);
    await db.handle.rows(sql`update try_requests set status = 'failed'`);
    expect((await gql(keys.alice, TRY, { run: runs.lm, input: 'again' })).errors).toBeUndefined();
    // The per-minute limit: every request of the last 60 s counts, ended or not.
    await db.handle.rows(sql`update try_requests set status = 'finished'`);
    await db.handle.rows(
      sql`insert into try_requests (project_id, user_id, artifact_id, kind, input, status)
        select project_id, user_id, artifact_id, kind, input, 'finished' from try_requests
        cross join generate_series(1, ${LIMITS.tryPerMinute}) limit ${LIMITS.tryPerMinute}`,
    );
    for (const j of await jobs()) await queue.complete(TRY_QUEUE, j.id);
    expect(await refused(keys.alice, { run: runs.lm, input: 'too fast' }, 'CONFLICT')).toMatch(/last minute/);
  });

  // Found by a hostile review: the limits were counted, then the request inserted, with nothing between them, so
  // three concurrent batches of 10 stored 30 requests against a limit of 4 waiting. Counting and storing now take
  // turns per user.
  it('holds the limits under concurrent requests (batches on several connections at once)', async () => {
    await db.handle.rows(sql`delete from try_requests`);
    for (const j of await jobs()) await queue.complete(TRY_QUEUE, j.id);
    const body = JSON.stringify(
      Array.from({ length: 10 }, (_, i) => ({
        query: TRY,
        variables: { run: runs.lm, input: `burst ${i}` },
      })),
    );
    const post = async () => {
      const res = await api.fetch('http://anneal.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.alice}` },
        body,
      });
      return (await res.json()) as Gql[];
    };
    const results = (await Promise.all([post(), post(), post()])).flat();
    const stored = results.filter((r) => !r.errors);
    expect(stored).toHaveLength(LIMITS.tryPending);
    for (const r of results.filter((r) => r.errors))
      expect(r.errors![0]).toMatchObject({
        extensions: { code: 'CONFLICT' },
        message: expect.stringMatching(/rate limit/),
      });
    const [{ n }] = await db.handle.rows<{ n: number }>(
      sql`select count(*)::int as n from try_requests where status = 'queued'`,
    );
    expect(n).toBe(LIMITS.tryPending);
    expect((await jobs()).length).toBe(LIMITS.tryPending);
  });
});
