// The request-trust helpers, table-driven: which origins are allowed (and the error naming a bad one), how many
// proxies are believed, which X-Forwarded-For entry is the client, when the cookie is Secure, and the unit an
// address is throttled by.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { addressBucket } from './signin.ts';
import { allowedOrigins, clientAddress, parseOrigins, proxyHops, viaHttps } from './trust.ts';

const peer = (remoteAddress: string) => ({ socket: { remoteAddress } }) as unknown as IncomingMessage;
const request = (headers: Record<string, string>, url = 'http://api.test/graphql') =>
  new Request(url, { headers });

describe('allowed origins', () => {
  it.each([
    [['https://a.example/x?y'], null, {}, ['https://a.example']],
    [
      null,
      null,
      { ANNEAL_WEB_ORIGIN: 'https://a.example, http://b.example:8080/' },
      ['https://a.example', 'http://b.example:8080'],
    ],
    [null, 'http://127.0.0.1:3000/r/', {}, ['http://127.0.0.1:3000']],
    [null, null, {}, []],
    [[], 'http://127.0.0.1:3000', {}, []], // an explicit empty list allows none, whatever the dashboard URL
  ] as const)('webOrigins %j, dashboard %j, env %j → %j', (configured, dashboard, env, want) => {
    expect([...allowedOrigins(configured as string[] | null, dashboard, env)]).toEqual(want);
  });
  it('names the setting and the entry that is not an http(s) URL', () => {
    expect(() => parseOrigins('https://ok.example,not a url')).toThrow(
      "ANNEAL_WEB_ORIGIN: 'not a url' is not a URL (e.g. https://anneal.example.org)",
    );
    expect(() => allowedOrigins(['ftp://files.example'], null, {})).toThrow(
      "webOrigins: 'ftp://files.example' is not an http(s) origin",
    );
  });
});

describe('proxies', () => {
  it.each([
    [undefined, {}, 0],
    [undefined, { ANNEAL_TRUST_PROXY: '1' }, 1],
    [undefined, { ANNEAL_TRUST_PROXY: 'true' }, 1],
    [undefined, { ANNEAL_TRUST_PROXY: '2' }, 2],
    [undefined, { ANNEAL_TRUST_PROXY: 'yes please' }, 0],
    [false, { ANNEAL_TRUST_PROXY: '1' }, 0], // the option wins over the environment
    [true, {}, 1],
    [3, {}, 3],
  ] as const)('trustProxy %j with env %j believes %i hops', (configured, env, hops) => {
    expect(proxyHops(configured, env)).toBe(hops);
  });
  it.each([
    [0, '10.0.0.1', '203.0.113.9', '10.0.0.1'], // untrusted: the header is ignored
    [1, '10.0.0.1', '203.0.113.9', '203.0.113.9'],
    [1, '10.0.0.1', '6.6.6.6, 203.0.113.9', '203.0.113.9'], // the client's own entry on the left is not believed
    [2, '10.0.0.1', '6.6.6.6, 203.0.113.9', '6.6.6.6'],
    [2, '10.0.0.1', '203.0.113.9', '203.0.113.9'], // fewer entries than hops: the farthest there is
    [1, '10.0.0.1', '', '10.0.0.1'],
  ] as const)('%i hops, peer %s, X-Forwarded-For %j → %s', (hops, from, forwarded, want) => {
    expect(clientAddress(request(forwarded ? { 'x-forwarded-for': forwarded } : {}), peer(from), hops)).toBe(
      want,
    );
  });
  it('marks https by the URL, or by a trusted X-Forwarded-Proto only', () => {
    expect(viaHttps(request({}, 'https://api.test/graphql'), 0)).toBe(true);
    expect(viaHttps(request({ 'x-forwarded-proto': 'https' }), 0)).toBe(false);
    expect(viaHttps(request({ 'x-forwarded-proto': 'HTTPS' }), 1)).toBe(true);
    expect(viaHttps(request({ 'x-forwarded-proto': 'http' }), 1)).toBe(false);
  });
});

describe('throttled address', () => {
  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff:0:0:9', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['', 'unknown'],
  ])('%j → %s', (address, bucket) => {
    expect(addressBucket(address)).toBe(bucket);
  });
});
