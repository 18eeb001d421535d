// Access checks every resolver goes through: ids parsed from their `run_<uuid>` form, and a run or project loaded
// only if the viewer holds a role in its project — otherwise NOT_FOUND, so that nothing leaks across projects.
// Live subscriptions go on checking (whileAllowed): their caller is verified again while events flow and while
// none do, and each viewer holds a bounded number of them at once (LiveSubscriptions).

import { sql } from 'drizzle-orm';
import { Repeater } from 'graphql-yoga';
import { type Role, requireRole, requireViewer, type Viewer } from './auth.ts';
import { type Context, createLoaders } from './context.ts';
import { ApiError, badInput } from './errors.ts';
import { LIMITS, newReadBudget } from './limits.ts';
import type { ProjectRow, RunRow } from './rows.ts';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `run_<uuid>` → uuid (a bare uuid is accepted too); anything else is a BAD_INPUT naming the argument. */
export function parseId(id: string, prefix: 'run' | 'project' | 'sweep', field: string): string {
  const raw = id.startsWith(`${prefix}_`) ? id.slice(prefix.length + 1) : id;
  if (!UUID.test(raw)) throw badInput(field, `'${id}' is not a ${prefix} id`);
  return raw.toLowerCase();
}

/**
 * The viewer holds `role` in the project of run `id` (the argument as given), or NOT_FOUND: a project the viewer
 * is not in reads as if the run did not exist.
 */
export function requireRunRole(ctx: Context, projectId: string, role: Role, id: string): void {
  try {
    requireRole(ctx.viewer, projectId, role);
  } catch (e) {
    if (e instanceof ApiError && e.extensions.code === 'NOT_FOUND')
      throw new ApiError('NOT_FOUND', `run ${id} not found`);
    throw e;
  }
}

/** A run the viewer may access with `role`, or NOT_FOUND (no existence leak across projects). */
export async function loadRun(ctx: Context, id: string, role: Role, field = 'runId'): Promise<RunRow> {
  const run = await ctx.loaders.runs.load(parseId(id, 'run', field));
  if (!run) throw new ApiError('NOT_FOUND', `run ${id} not found`);
  requireRunRole(ctx, run.project_id, role, id);
  return run;
}

/** Checks and loads the project named by id (`project_<uuid>` or uuid) or name. */
export async function projectFor(ctx: Context, ref: string, role: Role): Promise<ProjectRow> {
  let p: ProjectRow | null = null;
  if (UUID.test(ref.replace(/^project_/, '')))
    p = await ctx.loaders.projects.load(parseId(ref, 'project', 'projectId'));
  else [p] = await ctx.h.rows<ProjectRow>(sql`select * from projects where name = ${ref}`);
  if (!p) {
    requireViewer(ctx.viewer); // anonymous → UNAUTHENTICATED first
    throw new ApiError('NOT_FOUND', `project ${ref} not found`);
  }
  requireRole(ctx.viewer, p.id, role);
  return p;
}

/** How often a subscription verifies its caller again, at most (while events flow). */
export const REAUTH_EVERY_MS = 1_000;
/** How often a subscription with no events verifies its caller again (LiveSubscriptions' default). */
export const IDLE_REAUTH_MS = 30_000;

/**
 * The live subscriptions of one API server (createApi), counted per viewer: each API key, and each user signed in
 * through a browser session, holds at most LIMITS.liveSubscriptions at once. One key could otherwise open
 * thousands, each with its pubsub listener, its timer and its connection.
 */
export class LiveSubscriptions {
  /** Open subscriptions by user (all their keys and sessions together); a user with none has no entry. */
  readonly #held = new Map<string, number>();
  /** How often a subscription with no events verifies its caller again, ms. */
  readonly idleCheckMs: number;

  constructor({ idleCheckMs = IDLE_REAUTH_MS }: { idleCheckMs?: number } = {}) {
    if (!(idleCheckMs > 0))
      throw new Error(`idleCheckMs: must be a positive number of ms, got ${idleCheckMs}`);
    this.idleCheckMs = idleCheckMs;
  }

  /** Subscriptions open now, all viewers together. */
  get size(): number {
    let n = 0;
    for (const held of this.#held.values()) n += held;
    return n;
  }

  /**
   * Takes one of the viewer's slots and returns its release (which only counts once), or throws CONFLICT naming
   * the limit when the viewer already holds LIMITS.liveSubscriptions.
   */
  hold(viewer: Viewer): () => void {
    // Per user, not per key: a user who may mint keys would otherwise hold the limit once per key.
    const holder = viewer.userId;
    const held = this.#held.get(holder) ?? 0;
    if (held >= LIMITS.liveSubscriptions)
      throw new ApiError(
        'CONFLICT',
        `limit: ${held} live subscriptions are open for this user on this server (at most ${LIMITS.liveSubscriptions} per user, all their API keys and browser sessions together); end one first`,
      );
    this.#held.set(holder, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#held.get(holder) ?? 1) - 1;
      if (left > 0) this.#held.set(holder, left);
      else this.#held.delete(holder);
    };
  }
}

/**
 * A subscription's events for as long as its caller may still read them. Before an event is sent (at most every
 * REAUTH_EVERY_MS), and while none comes every `ctx.live.idleCheckMs`, the request's credentials are verified
 * again and `allowed` asked with the viewer they give now (an event's fields then resolve with that viewer); a
 * revoked key, an ended session or a removed membership ends the stream with its error (NOT_FOUND or
 * UNAUTHENTICATED, as a new request would get) — authorising only at subscribe time would stream a project to
 * someone removed from it, or hold a revoked key's connection, for as long as the connection lasts. While it
 * runs it holds one of the viewer's slots (LiveSubscriptions): over the limit, its first event is a CONFLICT.
 */
export function whileAllowed<T>(
  ctx: Context,
  events: AsyncIterable<T>,
  allowed: (viewer: Viewer | null) => void,
): Repeater<T> {
  const viewer = ctx.viewer;
  requireViewer(viewer);
  // A Repeater: a client that goes away ends it at once, even while it waits for an event (an async generator's
  // return() would wait for that event), and so releases the slot, the timer and the pubsub listener. The slot
  // is taken when the stream starts, not here: a stream that never starts never ends either.
  return new Repeater<T>(async (push, stop) => {
    const release = ctx.live.hold(viewer);
    const it = events[Symbol.asyncIterator]();
    let checked = Date.now();
    let checking: Promise<void> | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let ended = false;
    /** Verifies the caller again (once for an event and the idle timer asking together); throws if refused. */
    const verify = () =>
      (checking ??= (async () => {
        const now = await ctx.reauthenticate();
        allowed(now);
        // The next events' fields resolve with the roles held now (a field can reach into another project).
        ctx.viewer = now;
        checked = Date.now();
      })().finally(() => {
        checking = null;
      }));
    /** Verifies again once idleCheckMs have passed since the last check; a refusal ends the stream with it. */
    const idle = () => {
      if (ended) return;
      timer = setTimeout(
        () => {
          if (Date.now() - checked < ctx.live.idleCheckMs)
            idle(); // an event verified meanwhile
          else verify().then(idle, (e: unknown) => stop(e));
        },
        checked + ctx.live.idleCheckMs - Date.now(),
      );
    };
    /** However the stream ends (the client leaves, access is lost, an error): no timer, no slot. */
    const end = () => {
      ended = true;
      clearTimeout(timer);
      release();
    };
    void stop.then(() => {
      end();
      void it.return?.();
    });
    idle();
    try {
      for (let r = await it.next(); !r.done; r = await it.next()) {
        if (Date.now() - checked >= REAUTH_EVERY_MS) await verify();
        // …and read rows afresh, within a budget of their own: the request's loaders would serve the first
        // event's rows forever, and its budget would run out over a long subscription.
        ctx.readBudget = newReadBudget();
        ctx.loaders = createLoaders(ctx.h, ctx.readBudget);
        await push(r.value);
      }
      stop();
    } finally {
      end();
    }
  });
}
