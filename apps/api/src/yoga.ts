// The API as a fetch handler (createApi): graphql-yoga over the Pothos schema, GraphQL over HTTP (POST/GET) and
// subscriptions over SSE on /graphql, artifact uploads and downloads (artifacts/routes.ts), a run's history as
// CSV on /runs/<id>/history.csv, a health check on /health. Tests call it in-process (`api.fetch`); server.ts
// listens on a port. Callers identify with an API key (Bearer) or a session
// cookie (password sign-in, or the local admin in embedded mode); anonymous requests get nothing but the health
// check and the sign-in mutations. Only the dashboard's origin gets CORS headers, and a session cookie sent from
// any other Origin is ignored (trust.ts).
import type { IncomingMessage } from 'node:http';
import { resolveConfig } from '@anneal/config';
import type { DbHandle } from '@anneal/db/client';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { createYoga, type Plugin } from 'graphql-yoga';
import type PgBoss from 'pg-boss';
import { LiveSubscriptions } from './access.ts';
import { artifactRoutes, MAX_UPLOAD_BYTES } from './artifacts/routes.ts';
import { type BlobStore, openBlobStore } from './artifacts/store.ts';
import { authenticate, authenticateSession, KeyCache, SESSION_COOKIE } from './auth.ts';
import { type Context, createApiPubSub, createLoaders, type PubSub } from './context.ts';
import { documentDepthLimit } from './document-depth.ts';
import { historyCsv } from './export.ts';
import { defaultDataRoot, withLaunchPaths } from './launch-paths.ts';
import { newReadBudget, type ReadBudget } from './limits.ts';
import { schema } from './schema.ts';
import { allowedOrigins, clientAddress, proxyHops, viaHttps } from './trust.ts';

export interface ApiOptions {
  handle: DbHandle;
  pubsub?: PubSub;
  /** Largest request body, bytes (default 16 MiB: 10,000 points with long keys fit). */
  maxBodyBytes?: number;
  /** How long a verified API key is trusted without asking the database again (ms; 0 disables). */
  keyCacheMs?: number;
  /** The run queue (queue.ts): launchRun and createSweep need it. */
  queue?: PgBoss | null;
  /**
   * Tests only: another validation of launched configs than the run config's own (@anneal/config
   * `resolveConfig`, the default). The launch-path rules apply on top of either.
   */
  validateConfig?: Context['validateConfig'];
  /** The shipped bases' directory (the repository's bases/), listed as models to fine-tune. */
  bases?: string | null;
  /** Where launched runs' data files must be (launch-paths.ts; default ANNEAL_DATA_ROOT or <data dir>/data). */
  dataRoot?: string;
  /** Where the dashboard of this API is served (`Query.dashboardUrl`): clients link their runs' pages to it. */
  dashboardUrl?: string | null;
  /**
   * Embedded single-user mode: a browser on this machine is signed in as the local admin without a password
   * (`localSignIn`). Only for requests from a loopback address to a loopback host name — through the dashboard's
   * proxy, the browser's own Host too (x-anneal-host) — so neither another machine nor a web page that rebinds
   * its DNS name to 127.0.0.1 qualifies; and, like session cookies, only on GET or a JSON POST.
   */
  localSignIn?: boolean;
  /**
   * Where artifact blobs are stored: a directory, `s3://bucket/prefix` (ANNEAL_S3_* settings) or a BlobStore;
   * default ANNEAL_ARTIFACT_STORE, else `<ANNEAL_DATA_DIR or .anneal>/artifacts`.
   */
  artifactStore?: string | BlobStore;
  /** Largest file an upload may announce, bytes (default 64 GiB). */
  maxUploadBytes?: number;
  /**
   * Browser origins that may call the API with credentials (CORS); any other Origin gets no CORS headers and its
   * session cookie is ignored. Default: ANNEAL_WEB_ORIGIN (comma-separated), else `dashboardUrl`'s origin.
   */
  webOrigins?: string[] | null;
  /**
   * Proxies in front of the API whose X-Forwarded-For (the client address that sign-in throttling counts) and
   * X-Forwarded-Proto (https: the session cookie gets `Secure`) are believed: true or 1 for one, n for n hops.
   * Default ANNEAL_TRUST_PROXY; without it those headers are ignored.
   */
  trustProxy?: boolean | number;
  /**
   * The live subscriptions of this server (access.ts): each API key or signed-in user holds at most
   * LIMITS.liveSubscriptions, and one with no events verifies its caller again every 30 s. Tests pass their own,
   * to read its count or check idle subscriptions sooner.
   */
  live?: LiveSubscriptions;
}

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(:\d+)?$/i;
const LOOPBACK_ADDR = /^(127(?:\.\d{1,3}){3}|::1|::ffff:127(?:\.\d{1,3}){3})$/;

const MAX_TOKENS = 20_000;
const maxTokens = maxTokensPlugin({ n: MAX_TOKENS });
/**
 * GraphQL Armor's token limit re-lexes every document, which bypasses yoga's parse cache; a document has no
 * more tokens than characters, so only longer ones need counting (ingestion's small mutation never does).
 */
const tokenLimit: Plugin = {
  onParse(payload) {
    const source = payload.params.source;
    if (typeof source === 'string' && source.length <= MAX_TOKENS) return;
    return maxTokens.onParse?.(payload as never) as never;
  },
};

/** Set-Cookie values resolvers asked for, per request (login, logout). */
const setCookies = new WeakMap<Request, string[]>();
/** Each HTTP request's table budget (limits.ts), one for all the operations of a batch. */
const readBudgets = new WeakMap<Request, ReadBudget>();
function budgetOf(request: Request): ReadBudget {
  const b = readBudgets.get(request) ?? newReadBudget();
  readBudgets.set(request, b);
  return b;
}

function cookie(header: string | null, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

export function createApi({
  handle,
  pubsub = createApiPubSub(),
  maxBodyBytes = 16 << 20,
  keyCacheMs = 10_000,
  queue = null,
  validateConfig = (config: unknown) => resolveConfig(config, 'config'),
  bases = null,
  dataRoot = defaultDataRoot(),
  dashboardUrl = null,
  localSignIn = false,
  artifactStore,
  maxUploadBytes = MAX_UPLOAD_BYTES,
  webOrigins,
  trustProxy,
  live = new LiveSubscriptions(),
}: ApiOptions) {
  const keys = keyCacheMs > 0 ? new KeyCache(keyCacheMs) : undefined;
  // A key revoked or a member removed through any API process: this one forgets its verifications too.
  if (keys)
    void (async () => {
      for await (const _ of pubsub.subscribe('accessChanged')) keys.clear();
    })().catch(() => {});
  const origins = allowedOrigins(webOrigins, dashboardUrl);
  const hops = proxyHops(trustProxy);
  /** The caller: an API key (Bearer), else a session cookie where a cross-site form cannot forge the request. */
  const identify = async (request: Request) => {
    let viewer = await authenticate(handle, request.headers.get('authorization'), keys);
    const token = cookie(request.headers.get('cookie'), SESSION_COOKIE);
    // A session cookie counts only on GET (queries, SSE subscriptions and downloads; yoga runs no mutation
    // over GET) or a JSON POST, which needs a CORS preflight.
    const jsonPost = /^application\/(graphql-response\+)?json\b/.test(
      request.headers.get('content-type') ?? '',
    );
    // A browser sends Origin on cross-origin requests (and on same-origin POSTs): one not allowed here is
    // another site's page acting with the user's cookie. A PATCH (an upload chunk) cannot be sent cross-site
    // without a preflight either.
    const origin = request.headers.get('origin');
    const safe =
      (request.method === 'GET' || request.method === 'HEAD' || request.method === 'PATCH' || jsonPost) &&
      (origin === null || origins.has(origin));
    const session = !viewer && token && safe ? token : null;
    if (session) viewer = await authenticateSession(handle, session);
    return { viewer, session, safe };
  };
  // GET /runs/<run id>/history.csv: a run's history as CSV (export.ts).
  const downloads: Plugin = {
    async onRequest({ request, url, endResponse }) {
      const h = /^\/runs\/run_([0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})\/history\.csv$/.exec(
        url.pathname,
      );
      if (h)
        endResponse(
          await historyCsv(handle, (await identify(request)).viewer, h[1], url.searchParams.get('keys')),
        );
    },
  };
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
  return createYoga<{ req?: IncomingMessage }, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    batching: { limit: 10 },
    cors: (request) => {
      const origin = request.headers.get('origin');
      return origin && origins.has(origin)
        ? {
            origin,
            credentials: true,
            methods: ['GET', 'POST'],
            allowedHeaders: ['authorization', 'content-type', 'accept'],
          }
        : false;
    },
    // Query shape limits (GraphQL Armor): depth, aliases, tokens and a cost budget, so one request cannot ask
    // for an unbounded amount of work. Real queries (a runs page with sparklines) stay far below them.
    plugins: [
      artifactRoutes({
        handle,
        store: async () => (typeof artifactStore === 'object' ? artifactStore : openBlobStore(artifactStore)),
        maxUploadBytes,
        identify: async (request) => (await identify(request)).viewer,
      }),
      limits,
      downloads,
      {
        onResponse({ request, response }) {
          for (const c of setCookies.get(request) ?? []) response.headers.append('set-cookie', c);
          // Whether CORS headers come depends on the Origin: caches must keep the answers apart.
          if (origins.size) response.headers.append('vary', 'Origin');
        },
      } satisfies Plugin,
      maxDepthPlugin({ n: 10, ignoreIntrospection: true, flattenFragments: true }),
      maxAliasesPlugin({ n: 30 }),
      documentDepthLimit,
      tokenLimit,
      costLimitPlugin({ maxCost: 50_000, ignoreIntrospection: true }),
    ],
    context: async ({ request, req }): Promise<Context> => {
      const { viewer, session, safe } = await identify(request);
      const host = request.headers.get('host') ?? '';
      const local =
        localSignIn &&
        safe &&
        LOOPBACK_ADDR.test(req?.socket.remoteAddress ?? '') &&
        LOOPBACK_HOST.test(host) &&
        LOOPBACK_HOST.test(request.headers.get('x-anneal-host') ?? host);
      const cookies: string[] = [];
      setCookies.set(request, cookies);
      const secure = viaHttps(request, hops) ? '; Secure' : '';
      return {
        h: handle,
        viewer,
        pubsub,
        loaders: createLoaders(handle, budgetOf(request)),
        readBudget: budgetOf(request),
        runProjects,
        queue,
        // Configs are validated only where runs can be launched: without a queue, launchRun, createSweep and
        // validateConfig say this server launches no runs.
        validateConfig:
          queue && validateConfig && withLaunchPaths(validateConfig, { basesDir: bases, dataRoot }),
        basesDir: bases,
        dashboardUrl,
        session: viewer && session ? session : null,
        clientAddress: clientAddress(request, req, hops),
        localSignIn: local,
        accessChanged: () => {
          keys?.clear();
          pubsub.publish('accessChanged', { at: Date.now() });
        },
        reauthenticate: async () => (await identify(request)).viewer,
        live,
        setCookie: (value) => cookies.push(`${value}; Path=/; HttpOnly; SameSite=Lax${secure}`),
      };
    },
  });
}
