// The GraphQL over HTTP conformance audits of `graphql-http` (the spec's reference implementation), run against
// the API's fetch handler. Each audit is its own test, so a regression names the rule it breaks. The audits
// ask only for `__typename` and `__type`, which need no sign-in, so they run anonymously: no exception for our
// refusal of anonymous requests is needed. They touch no tables, so one engine (PGlite) serves.
import { freshDatabase } from '@anneal/db/testing';
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from './yoga.ts';

describe('GraphQL over HTTP audits (graphql-http)', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let api: ReturnType<typeof createApi>;
  beforeAll(async () => {
    db = await freshDatabase('pglite');
    api = createApi({ handle: db.handle });
  }, 60_000);
  afterAll(() => db?.drop());

  const audits = serverAudits({
    url: 'http://anneal.test/graphql',
    fetchFn: (input: string, init?: RequestInit) => api.fetch(new Request(input, init)),
  });
  it.each(audits.map((a) => [a.name, a] as const))('%s', async (_name, audit) => {
    const result = await audit.fn();
    const detail =
      result.status === 'ok'
        ? ''
        : `${result.reason}: ${result.response.status} ${await result.response.text()}`;
    expect(result.status, detail).toBe('ok');
  });
});
