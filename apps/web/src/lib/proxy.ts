// Requests on the dashboard's origin forwarded to the API at ANNEAL_API_URL (read at request time, default:
// `anneal api` on this machine), cookies both ways, so the HTTP-only session cookie stays first-party.
// range: a large artifact download can resume where it stopped.
const FORWARD = ['accept', 'authorization', 'content-type', 'cookie', 'range'];

export async function proxy(req: Request, path: string): Promise<Response> {
  const api = (process.env.ANNEAL_API_URL ?? 'http://127.0.0.1:4000').replace(/\/$/, '');
  const headers = new Headers();
  for (const h of FORWARD) {
    const v = req.headers.get(h);
    if (v) headers.set(h, v);
  }
  // The name the browser used for the dashboard (a page cannot set Host itself): the API signs the local admin
  // in without a password only when it is a loopback name, which a DNS-rebinding page's name is not.
  headers.set('x-anneal-host', req.headers.get('host') ?? '');
  const res = await fetch(`${api}${path}${new URL(req.url).search}`, {
    method: req.method,
    headers,
    body: req.method === 'POST' ? await req.text() : undefined,
    signal: req.signal,
  });
  const out = new Headers(res.headers);
  // fetch has already decoded the body.
  out.delete('content-encoding');
  out.delete('content-length');
  return new Response(res.body, { status: res.status, headers: out });
}
