'use client';
// One urql client for the app: same-origin /graphql (proxied to the API), the session cookie rides along.
import type { ReactNode } from 'react';
import { Client, cacheExchange, fetchExchange, Provider } from 'urql';

const client = new Client({
  url: '/graphql',
  exchanges: [cacheExchange, fetchExchange],
  fetchOptions: { credentials: 'same-origin' },
  requestPolicy: 'cache-and-network',
});

export function GraphQLProvider({ children }: { children: ReactNode }) {
  return <Provider value={client}>{children}</Provider>;
}
