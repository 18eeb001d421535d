// Live events shared by every API process on one Postgres: publishing sends a NOTIFY on `anneal_events`, and
// each process LISTENs and dispatches what arrives to its own subscribers — so a dashboard connected to one
// API process sees runs that a worker reports through another. (PGlite serves one process: in-memory.)
// NOTIFY payloads are limited to 8000 bytes, so a run travels as its id and each process reads the row.
import type { DbHandle } from '@anneal/db/client';
import { sql } from 'drizzle-orm';
import { createApiPubSub, type PubSub } from './context.ts';
import type { RunRow } from './rows.ts';

export const CHANNEL = 'anneal_events';
const MAX_PAYLOAD = 7900;

/** An EventTarget whose dispatchEvent goes through Postgres; listeners are this process's subscriptions. */
class PgEventTarget extends EventTarget {
  constructor(private h: DbHandle) {
    super();
  }

  /** Sends the event to every process (this one included, when the notification comes back). */
  override dispatchEvent(event: Event): boolean {
    const { type } = event;
    let detail = (event as CustomEvent).detail;
    if (type.startsWith('runUpdated:')) detail = { id: (detail as RunRow).id };
    let payload = JSON.stringify({ type, detail });
    if (payload.length > MAX_PAYLOAD && type.startsWith('metricsAppended:'))
      payload = JSON.stringify({ type, detail: { ...detail, keys: [] } }); // keys are a hint; counts stay exact
    void this.h.rows(sql`select pg_notify(${CHANNEL}, ${payload})`).catch(() => {});
    return true;
  }

  async receive(payload: string) {
    const { type, detail } = JSON.parse(payload) as { type: string; detail: Record<string, unknown> };
    let value: unknown = detail;
    if (type.startsWith('runUpdated:')) {
      [value] = await this.h.rows<RunRow>(sql`select * from runs where id = ${String(detail.id)}::uuid`);
      if (!value) return; // deleted since
    }
    super.dispatchEvent(new CustomEvent(type, { detail: value }));
  }
}

/** The pubsub for an API process: shared through LISTEN/NOTIFY on Postgres, in-memory on PGlite. */
export async function createSharedPubSub(h: DbHandle): Promise<PubSub> {
  if (h.target.kind !== 'postgres') return createApiPubSub();
  const target = new PgEventTarget(h);
  await h.listen(CHANNEL, (p) => void target.receive(p).catch(() => {}));
  return createApiPubSub(target);
}
