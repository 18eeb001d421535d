// What the API believes about a request's surroundings. CORS: only the dashboard's origin(s) get CORS headers
// (with credentials); a request from any other Origin gets none, and its session cookie counts for nothing,
// so a page on another site can neither read answers nor act with a signed-in browser's cookie. Proxies: only
// when told that it runs behind a proxy (ANNEAL_TRUST_PROXY) does the API believe X-Forwarded-For (the
// client's address, for sign-in throttling) and X-Forwarded-Proto (https → the session cookie is Secure);
// otherwise anyone could send those headers.
import type { IncomingMessage } from 'node:http';

/** The origins of comma-separated URLs (ANNEAL_WEB_ORIGIN); an entry that is not an http(s) URL is an error. */
export function parseOrigins(list: string, source = 'ANNEAL_WEB_ORIGIN'): string[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      let url: URL;
      try {
        url = new URL(s);
      } catch {
        throw new Error(`${source}: '${s}' is not a URL (e.g. https://anneal.example.org)`);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:')
        throw new Error(`${source}: '${s}' is not an http(s) origin`);
      return url.origin;
    });
}

/**
 * The origins allowed to call the API from a browser: `configured` (ApiOptions.webOrigins), else
 * ANNEAL_WEB_ORIGIN, else the dashboard URL's origin, else none.
 */
export function allowedOrigins(
  configured: string[] | null | undefined,
  dashboardUrl: string | null,
  env: NodeJS.ProcessEnv = process.env,
): Set<string> {
  if (configured) return new Set(parseOrigins(configured.join(','), 'webOrigins'));
  if (env.ANNEAL_WEB_ORIGIN) return new Set(parseOrigins(env.ANNEAL_WEB_ORIGIN));
  return new Set(dashboardUrl ? parseOrigins(dashboardUrl, 'dashboardUrl') : []);
}

/**
 * How many proxies in front of the API to believe (ApiOptions.trustProxy, else ANNEAL_TRUST_PROXY): `true` or
 * `1` is one (a TLS-terminating reverse proxy), a number is that many hops, anything else none.
 */
export function proxyHops(
  configured: boolean | number | undefined,
  env: NodeJS.ProcessEnv = process.env,
): number {
  const v = configured ?? env.ANNEAL_TRUST_PROXY ?? 0;
  if (v === true || v === 'true') return 1;
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/**
 * The client's address: the socket's peer, or with `hops` trusted proxies the address the outermost trusted
 * one saw — X-Forwarded-For read from the right, since each proxy appends the address it got the request from
 * and only the entries our own proxies added are true. In-process requests (`yoga.fetch`) have no socket.
 */
export function clientAddress(request: Request, req: IncomingMessage | undefined, hops: number): string {
  const peer = req?.socket.remoteAddress ?? '';
  if (!hops) return peer;
  const forwarded = (request.headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  // Nearest first: the peer (our proxy), then what each proxy before it saw.
  const chain = [peer, ...forwarded.reverse()];
  return chain[Math.min(hops, chain.length - 1)];
}

/** Whether the browser reached us over https: the request's own URL, or a trusted proxy's X-Forwarded-Proto. */
export function viaHttps(request: Request, hops: number): boolean {
  if (request.url.startsWith('https:')) return true;
  if (!hops) return false;
  const proto = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return proto === 'https';
}
