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
/**
 * Text as Postgres's text type takes it: U+0000 (which it refuses) and lone UTF-16 surrogates (which have no
 * UTF-8 encoding) become U+FFFD. A byte-level tokenizer can decode a token to either.
 */
export function storableText(text: string): string {
  return text
    .replaceAll('\u0000', '\uFFFD')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/**
 * The most UTF-16 code units of text one statement stores and one event announces. An event's JSON must fit in
 * Postgres's NOTIFY payload (under 8000 bytes): 1000 units are at most 6000 bytes escaped (\u001f), plus the rest.
 */
export const TRY_TEXT_CHUNK = 1000;

/** Splits text into pieces of at most `size` code units, never between the two halves of a surrogate pair. */
export function chunkText(text: string, size = TRY_TEXT_CHUNK): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; ) {
    let end = Math.min(text.length, i + size);
    const c = text.charCodeAt(end - 1);
    if (end < text.length && end - i > 1 && c >= 0xd800 && c <= 0xdbff) end--;
    out.push(text.slice(i, end));
    i = end;
  }
  return out;
}

/**
 * Appends generated text (tokens index..index+count) to a running request and announces it. Text longer than
 * TRY_TEXT_CHUNK is stored and announced in pieces; only the last carries the tokens (count), so a subscriber's
 * snapshot holds every earlier piece of a batch whose tokens it has counted.
 */
export async function appendTry(
  h: DbHandle,
  id: string,
  index: number,
  count: number,
  text: string,
  publish: TryPublish,
): Promise<void> {
  const pieces = chunkText(storableText(text));
  if (!pieces.length) pieces.push('');
  for (const [i, piece] of pieces.entries()) {
    const n = i === pieces.length - 1 ? count : 0;
    await h.rows(sql`update try_requests set output = output || ${piece}, tokens = tokens + ${n},
        first_token_at = coalesce(first_token_at, now()) where id = ${id}::uuid and status = 'running'`);
    await publish({ id, status: 'running', index, count: n, text: piece });
  }
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
          output = coalesce(${end.output === undefined ? null : storableText(end.output)}, output),
          probabilities = ${end.probabilities ? JSON.stringify(end.probabilities) : null}::jsonb,
          finish_reason = ${end.finishReason ?? null},
          first_token_at = coalesce(first_token_at, now())
          where id = ${id}::uuid returning tokens`)
      : await h.rows<{ tokens: number }>(sql`update try_requests set status = 'failed', finished_at = now(),
          error = ${storableText(end.error.slice(0, 4000))} where id = ${id}::uuid returning tokens`);
  if (row) await publish({ id, status: end.status, index: row.tokens, count: 0, text: '' });
}
