// Live subscriptions after subscribe time (access.ts whileAllowed, LiveSubscriptions): a stream with no events is
// verified again every idleCheckMs and ends with NOT_FOUND / UNAUTHENTICATED once its caller lost access; each API
// user (all their keys and browser sessions together) holds at most LIMITS.liveSubscriptions streams on a server; and however a stream ends —
// the client leaves, access is lost while idle or at an event, the database or the source fails — its slot, its
// timer and its pubsub listener are released. First on a stub context with fake timers (exact counts, no
// waiting), then end to end over SSE on both engines.
import type { DbHandle } from '@anneal/db/client';
import { ENGINES, freshDatabase } from '@anneal/db/testing';
import { sql } from 'drizzle-orm';
import { Repeater } from 'graphql-yoga';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { IDLE_REAUTH_MS, LiveSubscriptions, REAUTH_EVERY_MS, whileAllowed } from './access.ts';
import { requireRole, type Viewer } from './auth.ts';
import { type Context, createApiPubSub, createLoaders } from './context.ts';
import { LIMITS, newReadBudget } from './limits.ts';
import type { RunRow } from './rows.ts';
import { CountingTarget, type Gql, seedTeam, sse } from './testing.ts';
import { createApi } from './yoga.ts';

const CAP = LIMITS.liveSubscriptions;
/** A stream's error as a value, so a rejection is handled the moment it happens. */
const settled = (e: unknown) => e;

describe('whileAllowed on a stub context (fake timers)', () => {
  const keyViewer = (keyId: string, userId = 'u1'): Viewer => ({
    userId,
    roles: new Map([['p', 'viewer']]),
    key: { id: keyId, scope: null, projectId: null },
  });
  const sessionViewer = (userId: string): Viewer => ({ userId, roles: new Map([['p', 'viewer']]) });
  const event = { id: 'r1' } as RunRow;

  let target: CountingTarget;
  let live: LiveSubscriptions;
  beforeEach(() => {
    vi.useFakeTimers();
    target = new CountingTarget();
    live = new LiveSubscriptions();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /**
   * A request's context as whileAllowed uses it: `now.viewer` is what verifying the credentials again gives
   * (null: the key was revoked), `now.fail` an error it throws instead (the database is unreachable).
   */
  function request(viewer: Viewer) {
    const h = {} as DbHandle; // never queried: no event's fields are resolved here
    const now = {
      viewer: viewer as Viewer | null,
      fail: null as Error | null,
      /** While set, verifications wait for it (a slow database). */
      gate: null as Promise<void> | null,
      reauths: 0,
    };
    const ctx: Pick<
      Context,
      'h' | 'viewer' | 'pubsub' | 'readBudget' | 'loaders' | 'live' | 'reauthenticate'
    > = {
      h,
      viewer,
      pubsub: createApiPubSub(target),
      readBudget: newReadBudget(),
      loaders: createLoaders(h),
      live,
      reauthenticate: async () => {
        now.reauths++;
        await now.gate;
        if (now.fail) throw now.fail;
        return now.viewer;
      },
    };
    return { ctx: ctx as Context, now };
  }

  /** A runUpdated stream of project p for `viewer`, started (its first next() asked) unless `start` is false. */
  async function open(viewer: Viewer, start = true) {
    const { ctx, now } = request(viewer);
    const s = whileAllowed(ctx, ctx.pubsub.subscribe('runUpdated', 'p'), (v) =>
      requireRole(v, 'p', 'viewer'),
    );
    /** The first message, or the error the stream ended with (caught at once: no unhandled rejection). */
    const first = start ? s.next().then((r) => r, settled) : null;
    await vi.advanceTimersByTimeAsync(0);
    return { s, ctx, now, first, publish: () => ctx.pubsub.publish('runUpdated', 'p', event) };
  }

  it('verifies an idle stream every idleCheckMs and ends it once the key is revoked, without any event', async () => {
    const { now, first, s } = await open(keyViewer('k1'));
    expect([live.size, target.n, vi.getTimerCount()]).toEqual([1, 1, 1]);
    await vi.advanceTimersByTimeAsync(IDLE_REAUTH_MS - 1);
    expect(now.reauths).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(now.reauths).toBe(1); // still allowed: the stream goes on waiting
    expect([live.size, target.n, vi.getTimerCount()]).toEqual([1, 1, 1]);
    now.viewer = null;
    await vi.advanceTimersByTimeAsync(IDLE_REAUTH_MS);
    expect(now.reauths).toBe(2);
    expect(await first).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(await s.next()).toEqual({ done: true, value: undefined });
    expect([live.size, target.n, vi.getTimerCount()]).toEqual([0, 0, 0]);
  });

  it('ends an idle stream with NOT_FOUND once its viewer left the project', async () => {
    const { now, first } = await open(sessionViewer('u1'));
    now.viewer = sessionViewer('u1');
    now.viewer.roles.clear();
    await vi.advanceTimersByTimeAsync(IDLE_REAUTH_MS);
    expect(await first).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    expect([live.size, target.n, vi.getTimerCount()]).toEqual([0, 0, 0]);
  });

  it('counts an event’s check as one: the idle check comes idleCheckMs after the last check, not before', async () => {
    const { now, first, publish } = await open(keyViewer('k1'));
    await vi.advanceTimersByTimeAsync(20_000);
    publish(); // verified (over REAUTH_EVERY_MS since subscribing) and delivered
    await vi.advanceTimersByTimeAsync(0);
    expect(await first).toEqual({ done: false, value: event });
    expect(now.reauths).toBe(1);
    // The timer set at subscribe time fires 10 s later and waits on: the next check is due at 20 s + idleCheckMs.
    await vi.advanceTimersByTimeAsync(IDLE_REAUTH_MS - 1);
    expect(now.reauths).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(now.reauths).toBe(2);
    expect(vi.getTimerCount()).toBe(1);
  });

  it('checks idle streams as often as its LiveSubscriptions says, and refuses a period that is not one', async () => {
    live = new LiveSubscriptions({ idleCheckMs: 50 });
    const { now } = await open(keyViewer('k1'));
    await vi.advanceTimersByTimeAsync(500);
    expect(now.reauths).toBe(10);
    for (const bad of [0, -1, Number.NaN])
      expect(() => new LiveSubscriptions({ idleCheckMs: bad })).toThrow(/idleCheckMs: must be a positive/);
  });

  type Opened = Awaited<ReturnType<typeof open>>;
  const endings: [string, (o: Opened) => Promise<unknown>, string | null][] = [
    ['the client leaves while it waits', (o) => o.s.return(), null],
    [
      'access is lost at an event',
      async (o) => {
        o.now.viewer = null;
        await vi.advanceTimersByTimeAsync(REAUTH_EVERY_MS);
        o.publish();
      },
      'authentication required',
    ],
    [
      'access is lost while idle',
      async (o) => {
        o.now.viewer = null;
        await vi.advanceTimersByTimeAsync(IDLE_REAUTH_MS);
      },
      'authentication required',
    ],
    [
      'the database fails while idle',
      async (o) => {
        o.now.fail = new Error('connect ECONNREFUSED 127.0.0.1:5432');
        await vi.advanceTimersByTimeAsync(IDLE_REAUTH_MS);
      },
      'ECONNREFUSED',
    ],
  ];
  it.each(endings)('releases slot, timer and listener when %s', async (_, end, error) => {
    const o = await open(keyViewer('k1'));
    expect([live.size, target.n, vi.getTimerCount()]).toEqual([1, 1, 1]);
    await end(o);
    await vi.advanceTimersByTimeAsync(0);
    const result = await o.first;
    if (error) expect((result as Error).message).toMatch(error);
    else expect(result).toEqual({ done: true, value: undefined });
    expect([live.size, target.n, vi.getTimerCount()]).toEqual([0, 0, 0]);
    // Nothing fires later either: no verification after the end.
    const reauths = o.now.reauths;
    await vi.advanceTimersByTimeAsync(10 * IDLE_REAUTH_MS);
    expect(o.now.reauths).toBe(reauths);
  });

  it('sets no timer again when the client leaves while an idle check is under way', async () => {
    const o = await open(keyViewer('k1'));
    let answer = () => {};
    o.now.gate = new Promise((r) => {
      answer = r;
    });
    await vi.advanceTimersByTimeAsync(IDLE_REAUTH_MS);
    expect([o.now.reauths, vi.getTimerCount()]).toEqual([1, 0]); // the check waits for the database
    await o.s.return();
    answer();
    await vi.advanceTimersByTimeAsync(10 * IDLE_REAUTH_MS);
    expect([o.now.reauths, live.size, target.n, vi.getTimerCount()]).toEqual([1, 0, 0, 0]);
  });

  it('releases slot and timer when its source fails', async () => {
    const { ctx } = request(keyViewer('k1'));
    const failing = new Repeater<RunRow>((_push, stop) => {
      setTimeout(() => stop(new Error('the source broke')), 10);
    });
    const s = whileAllowed(ctx, failing, () => {});
    const first = s.next().then((r) => r, settled);
    await vi.advanceTimersByTimeAsync(0);
    expect(live.size).toBe(1);
    await vi.advanceTimersByTimeAsync(10);
    expect(await first).toMatchObject({ message: 'the source broke' });
    expect([live.size, vi.getTimerCount()]).toEqual([0, 0]);
  });

  it(`refuses a user's ${CAP + 1}th live stream, naming the limit, and takes one again once another ends`, async () => {
    const streams = [];
    for (let i = 0; i < CAP; i++) streams.push(await open(keyViewer('k1')));
    expect(live.size).toBe(CAP);
    const refused = await open(keyViewer('k1'));
    expect(await refused.first).toMatchObject({
      extensions: { code: 'CONFLICT' },
      message: `limit: ${CAP} live subscriptions are open for this user on this server (at most ${CAP} per user, all their API keys and browser sessions together); end one first`,
    });
    // Refused before it listened or set a timer.
    expect([live.size, target.n, vi.getTimerCount()]).toEqual([CAP, CAP, CAP]);
    // The same user's other key (one they minted to get round it), and their browser session, count with it.
    for (const v of [keyViewer('k2'), sessionViewer('u1')])
      expect(await (await open(v)).first).toMatchObject({ extensions: { code: 'CONFLICT' } });
    expect(live.size).toBe(CAP);
    await streams[0].s.return();
    const again = await open(keyViewer('k2'));
    expect(live.size).toBe(CAP);
    again.publish();
    await vi.advanceTimersByTimeAsync(0);
    expect(await again.first).toEqual({ done: false, value: event });
    for (const o of [...streams.slice(1), again]) await o.s.return();
    expect([live.size, target.n, vi.getTimerCount()]).toEqual([0, 0, 0]);
  });

  it('counts the browser sessions of one user together', async () => {
    const sessions = [];
    for (let i = 0; i < CAP; i++) sessions.push(await open(sessionViewer('u1')));
    expect(await (await open(sessionViewer('u1'))).first).toMatchObject({
      extensions: { code: 'CONFLICT' },
      message: expect.stringMatching(/for this user on this server/),
    });
    const other = await open(sessionViewer('u2')); // another user is not refused
    expect(live.size).toBe(CAP + 1);
    for (const o of [...sessions, other]) await o.s.return();
    expect([live.size, target.n, vi.getTimerCount()]).toEqual([0, 0, 0]);
  });

  it('holds the limit when many streams of one key start in the same tick', async () => {
    const { ctx } = request(keyViewer('k1'));
    const all = Array.from({ length: CAP + 36 }, () =>
      whileAllowed(ctx, ctx.pubsub.subscribe('runUpdated', 'p'), () => {}),
    );
    const firsts = all.map((s) => s.next().then((r) => r, settled));
    await vi.advanceTimersByTimeAsync(0);
    expect(live.size).toBe(CAP);
    for (const e of await Promise.all(firsts.slice(CAP)))
      expect(e).toMatchObject({ extensions: { code: 'CONFLICT' } });
    await Promise.all(all.map((s) => s.return()));
    expect([live.size, target.n, vi.getTimerCount()]).toEqual([0, 0, 0]);
  });

  it('holds no slot for a stream that never started, nor after one is ended before it starts', async () => {
    const opened = [];
    for (let i = 0; i < CAP + 10; i++) opened.push(await open(keyViewer('k1'), false));
    expect([live.size, target.n, vi.getTimerCount()]).toEqual([0, 0, 0]);
    await Promise.all(opened.map((o) => o.s.return()));
    expect(live.size).toBe(0);
    const started = await open(keyViewer('k1'));
    expect(live.size).toBe(1);
    await started.s.return();
    expect(live.size).toBe(0);
  });

  it('refuses an anonymous caller at subscribe time', () => {
    const { ctx } = request(keyViewer('k1'));
    ctx.viewer = null;
    expect(() => whileAllowed(ctx, ctx.pubsub.subscribe('runUpdated', 'p'), () => {})).toThrow(
      /authentication required/,
    );
  });
});

describe.each(ENGINES)('live subscriptions over SSE on %s', (engine) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let api: ReturnType<typeof createApi>;
  let keys: Record<string, string>;
  const target = new CountingTarget();
  // Idle streams are verified every 200 ms here (30 s by default).
  const live = new LiveSubscriptions({ idleCheckMs: 200 });
  let serverListeners: number;

  const gql = async (key: string, query: string): Promise<Gql> => {
    const res = await api.fetch('http://anneal.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query }),
    });
    const r = (await res.json()) as Gql;
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    return r;
  };
  /** Waits (up to 5 s) until `f()` holds. */
  const until = async (f: () => boolean, what: string) => {
    for (let i = 0; i < 200 && !f(); i++) await new Promise((r) => setTimeout(r, 25));
    expect(f(), `${what} (live ${live.size}, listeners ${target.n})`).toBe(true);
  };

  beforeAll(async () => {
    db = await freshDatabase(engine);
    ({ keys } = await seedTeam(db.handle, 'admin'));
    api = createApi({ handle: db.handle, pubsub: createApiPubSub(target), live });
    // The server's own listener (its key cache forgets verifications on accessChanged) stays.
    serverListeners = target.n;
  }, 60_000);
  afterAll(() => db?.drop());

  it('ends idle streams once their key is revoked or their member removed, with no event at all', async () => {
    await gql(keys.alice, 'mutation { createProject(name: "quiet") { name } }');
    await gql(
      keys.alice,
      'mutation { setMember(project: "quiet", email: "carol@x.org", role: "viewer") { role } }',
    );
    const run = (await gql(keys.alice, 'mutation { createRun(project: "quiet", name: "r") { id } }')).data!
      .createRun.id;
    const key = (await gql(keys.carol, 'mutation { createApiKey(name: "idle") }')).data!.createApiKey;
    const byKey = await sse(api, key, 'subscription { runUpdated(project: "quiet") { name } }');
    const byMember = await sse(
      api,
      keys.carol,
      `subscription { metricsAppended(runId: "${run}") { maxStep } }`,
    );
    const [keyNext, memberNext] = [byKey.next(), byMember.next()];
    await until(() => live.size === 2, 'both streams started');
    // Several idle checks pass: access holds, nothing is sent.
    await new Promise((r) => setTimeout(r, 600));
    const pending = Symbol('pending');
    expect(await Promise.race([keyNext, memberNext, Promise.resolve(pending)])).toBe(pending);

    const [{ id }] = await db.handle.rows<{ id: string }>(sql`select id from api_keys where name = 'idle'`);
    await gql(keys.carol, `mutation { revokeApiKey(id: "${id}") { id } }`);
    expect(await keyNext).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(await byKey.next()).toBe('end');

    await gql(keys.alice, 'mutation { removeMember(project: "quiet", email: "carol@x.org") }');
    const gone = await memberNext;
    expect(gone).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
    expect(JSON.stringify(gone)).not.toContain('maxStep');
    expect(await byMember.next()).toBe('end');
    await until(() => live.size === 0 && target.n === serverListeners, 'slots and listeners released');
  });

  it(`refuses a user's ${CAP + 1}th live subscription on this server, and accepts one again once another ends`, async () => {
    // Runs and metrics streams count together.
    const run = (await gql(keys.alice, 'mutation { createRun(project: "alpha", name: "cap") { id } }')).data!
      .createRun.id;
    const queries = [
      'subscription { runUpdated(project: "alpha") { name } }',
      `subscription { metricsAppended(runId: "${run}") { maxStep } }`,
    ];
    const streams = [];
    for (let i = 0; i < CAP; i++) streams.push(await sse(api, keys.alice, queries[i % 2]));
    for (const s of streams) void s.next(); // reading the body starts the stream
    await until(() => live.size === CAP, `${CAP} streams started`);

    const refused = await sse(api, keys.alice, queries[0]);
    const message = await refused.next();
    expect(message).toMatchObject({ errors: [{ extensions: { code: 'CONFLICT' } }] });
    expect((message as Gql).errors![0].message).toMatch(
      new RegExp(
        `^limit: ${CAP} live subscriptions are open for this user on this server \\(at most ${CAP} `,
      ),
    );
    expect(await refused.next()).toBe('end');
    expect(live.size).toBe(CAP);
    // Another user is not held back by alice's.
    const carol = await sse(api, keys.carol, queries[0]);
    const carolFirst = carol.next();
    await until(() => live.size === CAP + 1, "carol's stream started");

    await streams[0].close();
    await until(() => live.size === CAP, 'the closed stream released its slot');
    const again = await sse(api, keys.alice, queries[0]);
    const againFirst = again.next();
    await until(() => live.size === CAP + 1, 'the new stream started');
    await gql(keys.alice, 'mutation { createRun(project: "alpha", name: "seen") { id } }');
    expect(await againFirst).toEqual({ data: { runUpdated: { name: 'seen' } } });
    expect(await carolFirst).toEqual({ data: { runUpdated: { name: 'seen' } } });
    for (const s of [...streams.slice(1), carol, again]) await s.close();
    await until(() => live.size === 0 && target.n === serverListeners, 'every slot and listener released');
  });
});
