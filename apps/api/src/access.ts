// Access checks every resolver goes through: ids parsed from their `run_<uuid>` form, and a run or project loaded
// only if the viewer holds a role in its project — otherwise NOT_FOUND, so that nothing leaks across projects.

import { sql } from 'drizzle-orm';
import { map } from 'graphql-yoga';
import { type Role, requireRole, requireViewer, type Viewer } from './auth.ts';
import { type Context, createLoaders } from './context.ts';
import { ApiError, badInput } from './errors.ts';
import { newReadBudget } from './limits.ts';
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

/**
 * A subscription's events for as long as its caller may still read them: before an event is sent (at most every
 * REAUTH_EVERY_MS) the request's credentials are verified again and `allowed` asked with the viewer they give
 * now (the event's fields then resolve with that viewer); a revoked key, an ended session or a removed
 * membership ends the stream within about a second, with its error (NOT_FOUND or UNAUTHENTICATED, as a new
 * request would get) — authorising only at subscribe time would stream a project to someone removed from it
 * for as long as the connection lasts.
 */
export function whileAllowed<T>(
  ctx: Context,
  events: AsyncIterable<T>,
  allowed: (viewer: Viewer | null) => void,
): AsyncIterable<T> {
  let checked = Date.now();
  // yoga's map is a Repeater: a client that goes away ends it (and the pubsub listener) at once, even while it
  // waits for an event, which an async generator's return() would not.
  return map(async (e: T) => {
    if (Date.now() - checked >= REAUTH_EVERY_MS) {
      const viewer = await ctx.reauthenticate();
      allowed(viewer);
      // The event's fields resolve with the roles held now (a field can reach into another project).
      ctx.viewer = viewer;
      checked = Date.now();
    }
    // …and read rows afresh, within a budget of their own: the request's loaders would serve the first event's
    // rows forever, and its budget would run out over a long subscription.
    ctx.readBudget = newReadBudget();
    ctx.loaders = createLoaders(ctx.h, ctx.readBudget);
    return e;
  })(events);
}
