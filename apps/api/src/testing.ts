// The team the API's tests act as: alice is admin of alpha, bob admin of beta, carol a viewer of alpha — each
// with an API key of the given scope (null: the user's roles, without minting keys). Two projects, so every test
// can ask what a member of the other one sees. And what subscription tests read streams with: an SSE stream
// through `api.fetch`, and an EventTarget that counts the pubsub listeners still attached.
import { setMaxListeners } from 'node:events';
import type { DbHandle } from '@anneal/db/client';
import { sql } from 'drizzle-orm';
import { createApiKey, type KeyScope } from './auth.ts';
import type { createApi } from './yoga.ts';

export const TEAM = [
  ['alice', 'alpha', 'admin'],
  ['bob', 'beta', 'admin'],
  ['carol', 'alpha', 'viewer'],
] as const;

/** Creates the team; returns each user's key and each project's id. */
export async function seedTeam(h: DbHandle, scope: KeyScope | null = null) {
  const keys: Record<string, string> = {};
  const projects: Record<string, string> = {};
  for (const [user, project, role] of TEAM) {
    const [u] = await h.rows<{ id: string }>(
      sql`insert into users (email, name) values (${`${user}@x.org`}, ${user}) returning id`,
    );
    projects[project] ??= (
      await h.rows<{ id: string }>(sql`insert into projects (name) values (${project}) returning id`)
    )[0].id;
    await h.rows(sql`insert into memberships values (${projects[project]}::uuid, ${u.id}::uuid, ${role})`);
    keys[user] = (await createApiKey(h, u.id, 'test', { scope })).key;
  }
  return { keys, projects };
}

/** A GraphQL response (or SSE message), read by shape as a client would. */
export type Gql = {
  // biome-ignore lint/suspicious/noExplicitAny: responses are read by shape, as a client would
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

/**
 * A subscription over SSE (`api.fetch`, as the dashboard does): each `next()` is the next message's payload,
 * or 'end' when the stream completes; `close()` is the client going away.
 */
export async function sse(api: ReturnType<typeof createApi>, key: string, query: string) {
  const res = await api.fetch(`http://anneal.test/graphql?query=${encodeURIComponent(query)}`, {
    headers: { accept: 'text/event-stream', authorization: `Bearer ${key}` },
  });
  const reader = res.body!.getReader();
  let buf = '';
  const next = async (): Promise<Gql | 'end'> => {
    for (;;) {
      const at = buf.indexOf('\n\n');
      if (at >= 0) {
        const block = buf.slice(0, at);
        buf = buf.slice(at + 2);
        if (/^event: complete/m.test(block)) return 'end';
        const data = /^data: (.+)$/m.exec(block);
        if (data) return JSON.parse(data[1]) as Gql;
        continue; // a keep-alive
      }
      const { value, done } = await reader.read();
      if (done) return 'end';
      buf += new TextDecoder().decode(value);
    }
  };
  return { next, close: () => reader.cancel() };
}

/** An EventTarget that counts its listeners: a pubsub over it shows whether subscriptions let theirs go. */
export class CountingTarget extends EventTarget {
  n = 0;
  constructor() {
    super();
    // Counted here, so no warning past Node's 10 listeners per event (tests open dozens of streams).
    setMaxListeners(0, this);
  }
  override addEventListener(...a: Parameters<EventTarget['addEventListener']>) {
    this.n++;
    super.addEventListener(...a);
  }
  override removeEventListener(...a: Parameters<EventTarget['removeEventListener']>) {
    this.n--;
    super.removeEventListener(...a);
  }
}
