// Artifacts through a live API (embedded PGlite, a local blob store): a directory uploaded and recorded as a
// version with its aliases, re-logged for free; an upload cut mid-way (a TCP proxy drops the connection) and
// one whose API restarts resume from the server's offset; a file changed between spooling and upload is not
// recorded, is set aside and warned about, and later operations still arrive; downloads verify every sha256.
import { randomBytes } from 'node:crypto';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import type { Server } from 'node:http';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrap } from '@anneal/api/bootstrap';
import { createApi, listen } from '@anneal/api/server';
import { freshDatabase } from '@anneal/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { download, downloadCached, hashFile } from './artifacts.ts';
import { evictCache } from './cache.ts';
import { Run, sync } from './index.ts';

/** What a cache root holds but its leases: entries, and any temporary or trash directory left behind. */
const cacheNames = (root: string) => readdirSync(root).filter((n) => n !== '.leases');

describe('artifacts through the client', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let api: ReturnType<typeof createApi>;
  let server: Server | null = null;
  let url = '';
  let port = 0;
  let apiKey = '';
  const dir = mkdtempSync(join(tmpdir(), 'anneal-artifacts-'));
  const store = join(dir, 'store');
  const warnings: string[] = [];
  const options = (extra = {}) => ({
    url,
    apiKey,
    spoolDir: join(dir, 'spool'),
    flushMs: 20,
    maxBackoffMs: 200,
    warn: (m: string) => warnings.push(m),
    ...extra,
  });
  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query, variables }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: responses are read by shape
    return (await res.json()) as { data?: any; errors?: { message: string }[] };
  };
  const outputs = async (runId: string) =>
    (
      await gql(
        'query($id: ID!) { run(id: $id) { summary artifacts { id name version aliases kind digest files { path size sha256 } } inputs { id name } } }',
        { id: runId },
      )
    ).data.run;

  beforeAll(async () => {
    db = await freshDatabase('pglite');
    apiKey = (await bootstrap(db.handle)).key!;
    api = createApi({ handle: db.handle, artifactStore: store });
    const l = await listen(api, 0);
    server = l.server;
    url = l.url;
    port = Number(new URL(url).port);
  });
  afterAll(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uploads a directory, records it as a version with aliases, and downloads it verified', async () => {
    const model = join(dir, 'model');
    mkdirSync(join(model, 'sub'), { recursive: true });
    writeFileSync(join(model, 'config.json'), '{"model_type":"gpt2"}');
    writeFileSync(join(model, 'model.safetensors'), randomBytes(300_000));
    writeFileSync(join(model, 'sub', 'notes.txt'), 'nested');
    const run = Run.init({ project: 'default', name: 'producer' }, options({ uploadChunkBytes: 64 << 10 }));
    await run.artifact({ kind: 'model', name: 'tiny', dir: model, aliases: ['best'] }); // hashed in the background
    run.summary({ done: 1 });
    expect(await run.finish()).toBe(true);
    const out = await outputs(run.id);
    expect(out.summary).toEqual({ done: 1 });
    expect(out.artifacts).toHaveLength(1);
    const a = out.artifacts[0];
    expect(a).toMatchObject({ name: 'tiny', version: 0, kind: 'model' });
    expect([...a.aliases].sort()).toEqual(['best', 'latest']);
    expect(a.files.map((f: { path: string }) => f.path)).toEqual([
      'config.json',
      'model.safetensors',
      'sub/notes.txt',
    ]);
    expect(a.files[1]).toEqual({
      path: 'model.safetensors',
      size: 300_000,
      sha256: (await hashFile(join(model, 'model.safetensors'))).sha256,
    });

    // The same content again (another run) is the same version: nothing is uploaded twice in the project.
    const again = Run.init({ project: 'default', name: 'again' }, options());
    await again.artifact({ kind: 'model', name: 'tiny', dir: model });
    again.useArtifact(`tiny:best`);
    expect(await again.finish()).toBe(true);
    const out2 = await outputs(again.id);
    expect(out2.artifacts).toEqual([]); // same (name, digest) → the existing version, produced by the first run
    expect(out2.inputs).toEqual([{ id: a.id, name: 'tiny' }]);

    // Download: every file, nested paths included, byte for byte.
    const dest = join(dir, 'dl');
    const info = await download(a.id, dest, { url, apiKey });
    expect(info.digest).toBe(a.digest);
    expect(readFileSync(join(dest, 'sub', 'notes.txt'), 'utf8')).toBe('nested');
    expect(
      readFileSync(join(dest, 'model.safetensors')).equals(readFileSync(join(model, 'model.safetensors'))),
    ).toBe(true);
    // By name and alias in the project, into a cache keyed by the content digest (once).
    const cached = await downloadCached('tiny:best', join(dir, 'cache'), { url, apiKey, project: 'default' });
    expect(cached.dir).toBe(join(dir, 'cache', a.digest));
    expect(cacheNames(join(dir, 'cache'))).toEqual([a.digest]);
    cached.release();
    // The cache trusts no directory: a changed byte (same size), an extra file, a file replaced by a link, or the
    // whole directory replaced by a link to another one are each found and the artifact downloaded again.
    const notes = join(cached.dir, 'sub', 'notes.txt');
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'planted.txt'), 'planted');
    const files = readdirSync(cached.dir).sort();
    const tamperings: [string, () => void][] = [
      ['a changed byte', () => writeFileSync(notes, 'NESTED')],
      ['an extra file', () => writeFileSync(join(cached.dir, 'adapter_config.json'), '{}')],
      [
        'a link for a file',
        () => {
          rmSync(notes);
          symlinkSync(join(elsewhere, 'planted.txt'), notes);
        },
      ],
      ['a missing file', () => rmSync(notes)],
      [
        'a link for the directory',
        () => {
          rmSync(cached.dir, { recursive: true });
          symlinkSync(elsewhere, cached.dir);
        },
      ],
    ];
    for (const [what, tamper] of tamperings) {
      tamper();
      const again = await downloadCached('tiny:best', join(dir, 'cache'), {
        url,
        apiKey,
        project: 'default',
      });
      expect(again.dir, what).toBe(cached.dir);
      expect(lstatSync(again.dir).isDirectory(), what).toBe(true);
      expect(readFileSync(notes, 'utf8'), what).toBe('nested');
      expect(readdirSync(again.dir).sort(), what).toEqual(files);
      expect(cacheNames(join(dir, 'cache')), what).toEqual([a.digest]);
      again.release();
    }
    expect(readdirSync(join(dir, 'cache', '.leases'))).toEqual([]); // every lease released
    expect(readdirSync(elsewhere)).toEqual(['planted.txt']); // the link's target was not touched
  });

  it('bounds the cache: a download evicts the least recently used released entries, never a leased one', async () => {
    const run = Run.init({ project: 'default', name: 'cache-producer' }, options());
    for (const i of [0, 1, 2]) {
      const m = join(dir, `cached-${i}`);
      mkdirSync(m);
      writeFileSync(join(m, 'model.safetensors'), randomBytes(200_000));
      await run.artifact({ kind: 'model', name: `cached-${i}`, dir: m });
    }
    expect(await run.finish()).toBe(true);
    const root = join(dir, 'bounded');
    const logs: string[] = [];
    // Room for two of the three.
    const o = { url, apiKey, project: 'default', budgetBytes: 450_000, log: (l: string) => logs.push(l) };
    const get = (i: number, extra = {}) => downloadCached(`cached-${i}`, root, { ...o, ...extra });
    const [c0, c1] = [await get(0), await get(1)];
    const digests = [c0.artifact.digest, c1.artifact.digest];
    c0.release(); // c1 stays leased: a run still trains from it
    const c2 = await get(2);
    digests.push(c2.artifact.digest);
    expect(cacheNames(root).sort()).toEqual([digests[1], digests[2]].sort());
    expect(logs).toEqual([expect.stringMatching(new RegExp(`^cache: evicted ${digests[0]} \\(0\\.2 MiB`))]);
    c2.release();
    // cached-1 is now the least recently used, but leased: cached-2 goes to make room for cached-0 again.
    const again = await get(0);
    expect(cacheNames(root).sort()).toEqual([digests[0], digests[1]].sort());
    expect(logs[1]).toMatch(new RegExp(`^cache: evicted ${digests[2]} `));
    expect(readFileSync(join(c1.dir, 'model.safetensors'))).toHaveLength(200_000);
    again.release();
    // An artifact bigger than the whole budget is still downloaded and used; it goes once released.
    const big = await get(2, { budgetBytes: 100_000 });
    expect(readFileSync(join(big.dir, 'model.safetensors'))).toHaveLength(200_000);
    expect(cacheNames(root)).toEqual([digests[1], digests[2]].sort()); // cached-0 went; c1 and big are leased
    expect(logs.at(-1)).toMatch(/^cache: 0\.4 MiB held, over the 0\.1 MiB budget: the rest is in use$/);
    big.release();
    c1.release();
    expect(await evictCache(root, { budgetBytes: 100_000, log: () => {} })).toEqual([digests[1], digests[2]]);
    expect(cacheNames(root)).toEqual([]);
  });

  it('hashes a large file without holding up the event loop (the training loop keeps running)', async () => {
    const f = join(dir, 'large.bin');
    const block = randomBytes(1 << 20);
    writeFileSync(f, Buffer.concat(Array.from({ length: 96 }, () => block)));
    const run = Run.init(
      { project: 'default', name: 'large' },
      options({ mode: 'offline', spoolDir: join(dir, 'large-spool') }),
    );
    // A timer stands in for the training loop: how often it gets to run while 96 MiB are hashed. Hashed in one
    // synchronous call it would not run at all; hashed in 1 MiB steps that yield, it runs between them. (Counted,
    // not timed: a busy machine makes pauses longer, never fewer.)
    let ticks = 0;
    const tick = setInterval(() => ticks++, 1);
    await run.artifact({ kind: 'checkpoint', name: 'large', file: f });
    clearInterval(tick);
    expect(ticks).toBeGreaterThanOrEqual(10);
    const spooled = readFileSync(run.spoolFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(spooled.at(-1)).toMatchObject({
      op: 'artifact',
      artifact: {
        name: 'large',
        files: [{ path: 'large.bin', size: 96 << 20, sha256: (await hashFile(f)).sha256 }],
      },
    });
    rmSync(f);
  });

  it('refuses a download whose bytes do not match the manifest, leaving nothing behind', async () => {
    const f = join(dir, 'weights.bin');
    writeFileSync(f, randomBytes(10_000));
    const run = Run.init({ project: 'default', name: 'tampered' }, options());
    await run.artifact({ kind: 'file', name: 'weights', file: f });
    expect(await run.finish()).toBe(true);
    const [a] = (await outputs(run.id)).artifacts;
    // Someone with access to the store's disk flips its bytes.
    const sha = a.files[0].sha256;
    const blob = readdirSync(store, { recursive: true, withFileTypes: true }).find((e) => e.name === sha)!;
    const path = join(blob.parentPath, blob.name);
    const bytes = readFileSync(path);
    bytes[0] ^= 0xff;
    writeFileSync(path, bytes);
    const dest = join(dir, 'tampered');
    await expect(download(a.id, dest, { url, apiKey })).rejects.toThrow(/weights\.bin arrived as .* sha256/);
    expect(readdirSync(dest)).toEqual([]);
    // An id that is not an artifact of any project the key sees.
    await expect(
      download('00000000-0000-4000-8000-000000000000', join(dir, 'none'), { url, apiKey }),
    ).rejects.toThrow(/NOT_FOUND/);
  });

  it('resumes an upload cut mid-way from the offset the server holds', async () => {
    // A TCP proxy in front of the API counts what the client sends and cuts the connection once, mid-upload.
    let sent = 0;
    let cutAt = 10 << 20;
    const sockets = new Set<Socket>();
    const proxy = createServer((client) => {
      const upstream = connect(port, '127.0.0.1');
      sockets.add(client).add(upstream);
      client.on('data', (d: Buffer) => {
        sent += d.length;
        if (cutAt && sent > cutAt) {
          cutAt = 0;
          client.destroy();
          upstream.destroy();
          return;
        }
        upstream.write(d);
      });
      upstream.pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    try {
      const size = 24 << 20;
      const chunk = 4 << 20;
      const f = join(dir, 'big.bin');
      writeFileSync(f, randomBytes(size));
      const run = Run.init(
        { project: 'default', name: 'resumed' },
        options({ url: proxyUrl, uploadChunkBytes: chunk }),
      );
      await run.artifact({ kind: 'checkpoint', name: 'big', file: f });
      run.log({ after: 1 }, 0);
      expect(await run.finish('finished', undefined, 60_000)).toBe(true);
      expect(cutAt).toBe(0); // the cut happened
      expect(warnings.some((w) => /unreachable/.test(w))).toBe(true);
      const [a] = (await outputs(run.id)).artifacts;
      expect(a.files[0]).toMatchObject({ size, sha256: (await hashFile(f)).sha256 });
      // Resumed, not restarted: what was sent is the file once, plus at most the chunk the cut lost (and the
      // requests' headers and JSON) — a restart from zero would have sent more than 10 MiB + 24 MiB.
      expect(sent).toBeGreaterThan(size);
      expect(sent).toBeLessThan(size + chunk + (256 << 10));
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => proxy.close(r));
    }
  });

  it('resumes an upload after the API restarts', async () => {
    const size = 12 << 20;
    const f = join(dir, 'restart.bin');
    writeFileSync(f, randomBytes(size));
    const run = Run.init({ project: 'default', name: 'restarted' }, options({ uploadChunkBytes: 1 << 20 }));
    await run.artifact({ kind: 'checkpoint', name: 'restart', file: f });
    // Stop the API once some chunks have arrived (the upload's row records the server's offset).
    const offset = async () =>
      Number(
        (
          await db.handle.rows<{ n: number }>(
            sql`select coalesce(max("offset"), 0)::bigint as n from uploads`,
          )
        )[0].n,
      );
    while ((await offset()) < 2 << 20) await new Promise((r) => setTimeout(r, 5));
    server!.closeAllConnections();
    await new Promise<void>((r) => server!.close(() => r()));
    const atStop = await offset();
    expect(atStop).toBeLessThan(size);
    await new Promise((r) => setTimeout(r, 300));
    ({ server } = await listen(createApi({ handle: db.handle, artifactStore: store }), port));
    expect(await run.finish('finished', undefined, 60_000)).toBe(true);
    const [a] = (await outputs(run.id)).artifacts;
    expect(a.files[0]).toMatchObject({ size, sha256: (await hashFile(f)).sha256 });
    expect(await offset()).toBe(0); // the finished upload's row is gone
  });

  it('does not record a file changed between spooling and upload, warns, and delivers what follows', async () => {
    const offline = join(dir, 'changed-spool');
    const o = options({ mode: 'offline', spoolDir: offline });
    const changed = join(dir, 'changed.bin');
    const vanished = join(dir, 'vanished.bin');
    const kept = join(dir, 'kept.bin');
    writeFileSync(changed, 'version one');
    writeFileSync(vanished, 'here for now');
    writeFileSync(kept, 'unchanged');
    const run = Run.init({ project: 'default', name: 'changed' }, o);
    await run.artifact({ kind: 'file', name: 'changed', file: changed });
    await run.artifact({ kind: 'file', name: 'vanished', file: vanished });
    run.log({ loss: 1 }, 0);
    await run.artifact({ kind: 'file', name: 'kept', file: kept });
    run.summary({ after: true });
    await run.finish();
    writeFileSync(changed, 'version two'); // same size, other bytes: only the server's hash can tell
    rmSync(vanished);
    warnings.length = 0;
    expect(await sync({ url, apiKey, spoolDir: offline, warn: o.warn })).toEqual([
      { run: run.id, delivered: true, pending: 0 },
    ]);
    const out = await outputs(run.id);
    expect(out.artifacts.map((a: { name: string }) => a.name)).toEqual(['kept']);
    expect(out.summary).toEqual({ after: true });
    // One warning names the dead-letter file; each artifact that could not be recorded is there with its reason.
    const deadLetter = join(offline, `${run.id}.rejected.jsonl`);
    expect(warnings.filter((w) => w.includes(deadLetter))).toHaveLength(1);
    const rejected = readFileSync(deadLetter, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rejected.map((r) => [r.kind, r.operation.artifact.name, r.reason])).toEqual([
      [
        'operation',
        'changed',
        expect.stringMatching(/artifact changed not recorded.*no longer matches the sha256/),
      ],
      ['operation', 'vanished', expect.stringMatching(/artifact vanished not recorded.*vanished/)],
    ]);
    // A later sync has nothing left to send.
    expect(await sync({ url, apiKey, spoolDir: offline })).toEqual([]);
  });
});
