// The API server: graphql-yoga over the Pothos schema, GraphQL over HTTP (POST/GET) and subscriptions over
// SSE on /graphql, a health check on /health. Every GraphQL request must carry an API key (Bearer); anonymous
// requests get 401 — only /health answers them.
import { createServer, type Server } from 'node:http';
import type { DbHandle } from '@anneal/db/client';
import { createYoga, type Plugin } from 'graphql-yoga';
import { authenticate, KeyCache } from './auth.ts';
import { type Context, createApiPubSub, createLoaders, type PubSub, schema } from './schema.ts';

export interface ApiOptions {
  handle: DbHandle;
  pubsub?: PubSub;
  /** Largest request body, bytes (default 16 MiB: 10,000 points with long keys fit). */
  maxBodyBytes?: number;
  /** How long a verified API key is trusted without asking the database again (ms; 0 disables). */
  keyCacheMs?: number;
}

export function createApi({
  handle,
  pubsub = createApiPubSub(),
  maxBodyBytes = 16 << 20,
  keyCacheMs = 10_000,
}: ApiOptions) {
  const keys = keyCacheMs > 0 ? new KeyCache(keyCacheMs) : undefined;
  const runProjects = new Map<string, string>();
  const limits: Plugin = {
    onRequest({ request, endResponse }) {
      const len = Number(request.headers.get('content-length') ?? 0);
      if (len > maxBodyBytes)
        endResponse(
          Response.json(
            {
              errors: [
                { message: `request body over ${maxBodyBytes} bytes`, extensions: { code: 'BAD_INPUT' } },
              ],
            },
            { status: 413 },
          ),
        );
    },
  };
  return createYoga<{ req?: unknown }, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    batching: { limit: 10 },
    plugins: [limits],
    context: async ({ request }): Promise<Context> => {
      const viewer = await authenticate(handle, request.headers.get('authorization'), keys);
      return { h: handle, viewer, pubsub, loaders: createLoaders(handle), runProjects };
    },
  });
}

/** Serves the API on a port (0: any free port); resolves once listening. */
export async function listen(
  api: ReturnType<typeof createApi>,
  port: number,
  host = '127.0.0.1',
): Promise<{ server: Server; url: string }> {
  const server = createServer(api);
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const addr = server.address();
  const p = typeof addr === 'object' && addr ? addr.port : port;
  return { server, url: `http://${host}:${p}` };
}
