// The worker's side of a try-it request (schema/tryit.ts has the API's): claiming it, appending generated text
// and ending it, each one statement on try_requests followed by the event that announces it. A batch of tokens is
// stored before it is announced, so a tryProgress subscriber that reads the row after it started listening
// misses nothing (and skips what the row already held).
import type { DbHandle } from '@anneal/db/client';
import { sql } from 'drizzle-orm';
import type { TryProgressEvent } from './context.ts';
import { CHANNEL } from './events.ts';
import type { TryOptions, TryRow } from './schema/tryit.ts';

export type { TryOptions, TryRow };

/** Announces a request's progress: to this process's pubsub (embedded), or to every API process (Postgres). */
export type TryPublish = (event: TryProgressEvent) => Promise<void> | void;

/** Publishing through Postgres's NOTIFY on the channel every API process listens to (events.ts). */
export const notifyTry =
  (h: DbHandle): TryPublish =>
  async (event) => {
    const payload = JSON.stringify({ type: `tryProgress:${event.id}`, detail: event });
    await h.rows(sql`select pg_notify(${CHANNEL}, ${payload})`);
  };

/** What a worker needs to run a request: the row, its model artifact and the producing run's config. */
export interface ClaimedTry {
  request: TryRow;
  artifact: { id: string; name: string; version: number; digest: string };
  /** The config of the run that produced the model (for a classifier: its data.maxLength and truncation). */
  config: Record<string, unknown> | null;
}

/** Marks a queued request running on `host`; null if it is gone or was already claimed. */
export async function claimTry(
  h: DbHandle,
  id: string,
  host: string,
  publish: TryPublish,
): Promise<ClaimedTry | null> {
  const [request] = await h.rows<TryRow>(sql`update try_requests set status = 'running', started_at = now(),
      host = ${host} where id = ${id}::uuid and status = 'queued' returning *`);
  if (!request) return null;
  const [a] = await h.rows<{ id: string; name: string; version: number; digest: string; config: unknown }>(
    sql`select a.id, a.name, a.version, a.digest, r.config from artifacts a join runs r on r.id = a.run_id
      where a.id = ${request.artifact_id}::uuid`,
  );
  await publish({ id, status: 'running', index: 0, count: 0, text: '' });
  return {
    request,
    artifact: { id: a.id, name: a.name, version: a.version, digest: a.digest },
    config: (a.config as Record<string, unknown> | null) ?? null,
  };
}

/** Appends `count` generated tokens (their text) from token `index` on. */
export async function appendTry(
  h: DbHandle,
  id: string,
  index: number,
  count: number,
  text: string,
  publish: TryPublish,
): Promise<void> {
  await h.rows(sql`update try_requests set output = output || ${text}, tokens = tokens + ${count},
      first_token_at = coalesce(first_token_at, now()) where id = ${id}::uuid and status = 'running'`);
  await publish({ id, status: 'running', index, count, text });
}

/** Ends a request: finished with its result, or failed with the reason. */
export async function endTry(
  h: DbHandle,
  id: string,
  end:
    | { status: 'finished'; output?: string; probabilities?: number[]; finishReason?: string }
    | { status: 'failed'; error: string },
  publish: TryPublish,
): Promise<void> {
  const [row] =
    end.status === 'finished'
      ? await h.rows<{ tokens: number }>(sql`update try_requests set status = 'finished', finished_at = now(),
          output = coalesce(${end.output ?? null}, output),
          probabilities = ${end.probabilities ? JSON.stringify(end.probabilities) : null}::jsonb,
          finish_reason = ${end.finishReason ?? null},
          first_token_at = coalesce(first_token_at, now())
          where id = ${id}::uuid returning tokens`)
      : await h.rows<{ tokens: number }>(sql`update try_requests set status = 'failed', finished_at = now(),
          error = ${end.error.slice(0, 4000)} where id = ${id}::uuid returning tokens`);
  if (row) await publish({ id, status: end.status, index: row.tokens, count: 0, text: '' });
}
