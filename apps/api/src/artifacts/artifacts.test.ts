// The artifact store end to end, on both blob backends (local disk; S3 through a local s3rver on 127.0.0.1)
// and both database engines: chunked, resumable, hash-verified uploads; per-project dedupe; versions, aliases
// and lineage; and finding 1's reproduction — a download can only ever be a blob an artifact's manifest maps a
// path to, so absolute paths, `..` (plain and encoded), NUL, symlinks planted in the store or its temp dir,
// another project's artifacts or blobs, and the admin's `api-key` file in the data directory are all refused.
import { createHash, randomBytes } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINES, freshDatabase } from '@anneal/db/testing';
import { sql } from 'drizzle-orm';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../server.ts';
import { seedTeam } from '../testing.ts';
import { createApi } from '../yoga.ts';
import { type BlobStore, type LocalBlobStore, openBlobStore } from './store.ts';

type Gql = {
  // biome-ignore lint/suspicious/noExplicitAny: responses are read by shape, as a client would
  data?: Record<string, any>;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

const SECRET = 'anneal_admin_key_THIS_MUST_NEVER_BE_SERVED';
const MAX_UPLOAD = 4 << 20;
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

const CASES = ENGINES.flatMap((engine) => (['local', 's3'] as const).map((backend) => ({ engine, backend })));

describe.each(CASES)('artifact store ($backend blobs, $engine)', ({ engine, backend }) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let api: ReturnType<typeof createApi>;
  let store: BlobStore;
  let s3: S3rver | null = null;
  let server: Server;
  let base: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'anneal-artifacts-'));
  const keys: Record<string, string> = {};
  const runs: Record<string, string> = {};

  const gql = async (key: string, query: string, variables: Record<string, unknown> = {}): Promise<Gql> =>
    (await (
      await api.fetch('http://anneal.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query, variables }),
      })
    ).json()) as Gql;
  const ok = async (key: string, query: string, variables: Record<string, unknown> = {}) => {
    const r = await gql(key, query, variables);
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    return r.data!;
  };
  const auth = (key: string | null): Record<string, string> =>
    key ? { authorization: `Bearer ${key}` } : {};
  const start = (key: string | null, body: unknown) =>
    api.fetch('http://anneal.test/uploads', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth(key) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const patch = (key: string | null, id: string, offset: number | string, bytes: Buffer) =>
    api.fetch(`http://anneal.test/uploads/${id}`, {
      method: 'PATCH',
      headers: {
        'upload-offset': String(offset),
        'content-type': 'application/offset+octet-stream',
        ...auth(key),
      },
      body: Uint8Array.from(bytes),
    });
  /** The whole protocol: POST, then PATCH chunks from the server's offset until complete. */
  const upload = async (key: string, runId: string, bytes: Buffer, chunk = 1 << 20) => {
    const res = await start(key, { runId, sha256: sha(bytes), size: bytes.length });
    expect(res.status).toBe(200);
    const first = (await res.json()) as { complete?: true; uploadId: string; offset: number };
    if (first.complete) return first;
    let offset = first.offset;
    for (;;) {
      const r = await patch(key, first.uploadId, offset, bytes.subarray(offset, offset + chunk));
      const body = (await r.json()) as { offset?: number; complete?: true };
      expect(r.status, JSON.stringify(body)).toBe(200);
      if (body.complete) return { ...first, complete: true as const };
      offset = body.offset!;
    }
  };
  const logArtifact = (key: string, runId: string, name: string, files: unknown[], extra = '', vars = {}) =>
    gql(
      key,
      `mutation($id: ID!, $files: [ArtifactFileInput!]!${extra ? ', $aliases: [String!]' : ''}) {
        logArtifact(runId: $id, kind: model, name: "${name}", files: $files${extra}) { id version aliases digest } }`,
      { id: runId, files, ...vars },
    );
  const download = (key: string | null, rawPath: string) =>
    api.fetch(`http://anneal.test/artifacts/${rawPath}`, { headers: auth(key) });

  beforeAll(async () => {
    db = await freshDatabase(engine);
    // The admin's key file, as `anneal start` leaves it in the data directory: the prize of finding 1.
    writeFileSync(join(dataDir, 'api-key'), SECRET);
    if (backend === 's3') {
      s3 = new S3rver({
        address: '127.0.0.1',
        port: 0,
        silent: true,
        directory: join(dataDir, 's3rver'),
        configureBuckets: [{ name: 'anneal', configs: [] }],
      });
      const { port } = (await s3.run()) as AddressInfo;
      store = await openBlobStore('s3://anneal/team/a', {
        ANNEAL_DATA_DIR: dataDir,
        ANNEAL_S3_ENDPOINT: `http://127.0.0.1:${port}`,
        ANNEAL_S3_ACCESS_KEY: 'S3RVER',
        ANNEAL_S3_SECRET_KEY: 'S3RVER',
      });
    } else store = await openBlobStore(undefined, { ANNEAL_DATA_DIR: dataDir });
    api = createApi({ handle: db.handle, keyCacheMs: 0, artifactStore: store, maxUploadBytes: MAX_UPLOAD });
    ({ server, url: base } = await listen(api, 0));
    Object.assign(keys, (await seedTeam(db.handle)).keys);
    for (const [name, key, project] of [
      ['a1', keys.alice, 'alpha'],
      ['a2', keys.alice, 'alpha'],
      ['b1', keys.bob, 'beta'],
    ] as const)
      runs[name] = (
        await ok(key, `mutation { createRun(project: "${project}", name: "${name}") { id } }`)
      ).createRun.id;
  }, 60_000);
  afterAll(async () => {
    server?.close();
    await s3?.close();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('uploads a file in chunks, stores it under its hash, and makes a re-upload in the project free', async () => {
    const bytes = randomBytes(2_500_000);
    expect((await upload(keys.alice, runs.a1, bytes, 1 << 20)).complete).toBe(true);
    expect(await store.size(sha(bytes))).toBe(bytes.length);
    const again = await start(keys.alice, { runId: runs.a2, sha256: sha(bytes), size: bytes.length });
    expect(await again.json()).toEqual({ complete: true });
    const [{ n }] = await db.handle.rows<{ n: number }>(sql`select count(*)::int as n from uploads`);
    expect(n).toBe(0); // nothing left in progress
  });

  it('resumes an interrupted upload from the offset the server reports', async () => {
    const bytes = randomBytes(3 * (1 << 20) + 17);
    const { uploadId, offset } = (await (
      await start(keys.alice, { runId: runs.a1, sha256: sha(bytes), size: bytes.length })
    ).json()) as { uploadId: string; offset: number };
    expect(offset).toBe(0);
    // A PATCH that announces the whole rest but dies after 1.5 MiB (the client's process or network went away).
    const sent = 1_500_000;
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${base}/uploads/${uploadId}`, {
        method: 'PATCH',
        headers: {
          ...auth(keys.alice),
          'upload-offset': '0',
          'content-type': 'application/offset+octet-stream',
          'content-length': String(bytes.length),
        },
      });
      req.on('error', () => resolve());
      req.write(bytes.subarray(0, sent), () => setTimeout(() => req.destroy(), 300));
      req.on('close', () => resolve());
    });
    // The client asks again for the same content: the same upload, at what the server received.
    let resumed = { uploadId: '', offset: -1 };
    for (let i = 0; i < 50 && resumed.offset <= 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      resumed = (await (
        await start(keys.alice, { runId: runs.a1, sha256: sha(bytes), size: bytes.length })
      ).json()) as typeof resumed;
    }
    expect(resumed.uploadId).toBe(uploadId);
    expect(resumed.offset).toBeGreaterThan(0);
    expect(resumed.offset).toBeLessThanOrEqual(sent);
    // A chunk at any other offset is refused with the server's offset.
    const wrong = await patch(keys.alice, uploadId, 0, bytes.subarray(0, 10));
    expect(wrong.status).toBe(409);
    expect(((await wrong.json()) as { offset: number }).offset).toBe(resumed.offset);
    // The rest, in several PATCHes of odd sizes, to another API process (which hashes the whole file at the end).
    const other = createApi({ handle: db.handle, keyCacheMs: 0, artifactStore: store });
    let at = resumed.offset;
    while (at < bytes.length) {
      const r = await other.fetch(`http://anneal.test/uploads/${uploadId}`, {
        method: 'PATCH',
        headers: { 'upload-offset': String(at), ...auth(keys.alice) },
        body: Uint8Array.from(bytes.subarray(at, at + 700_001)),
      });
      const body = (await r.json()) as { offset?: number; complete?: true };
      expect(r.status).toBe(200);
      at = body.complete ? bytes.length : body.offset!;
    }
    const file = [{ path: 'big.bin', sha256: sha(bytes), size: bytes.length }];
    const { id } = (await logArtifact(keys.alice, runs.a1, 'big', file)).data!.logArtifact;
    const got = Buffer.from(await (await download(keys.alice, `${id}/big.bin`)).arrayBuffer());
    expect(sha(got)).toBe(sha(bytes));
    const part = await api.fetch(`http://anneal.test/artifacts/${id}/big.bin`, {
      headers: { ...auth(keys.alice), range: 'bytes=1000-1999' },
    });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(1000, 2000))).toBe(true);
  });

  it('discards an upload whose bytes do not match its sha256 (422), and refuses oversized ones (413)', async () => {
    const claimed = Buffer.from('the bytes the client claims');
    const bad = Buffer.alloc(claimed.length, 'x');
    const { uploadId } = (await (
      await start(keys.alice, { runId: runs.a1, sha256: sha(claimed), size: claimed.length })
    ).json()) as { uploadId: string };
    const r = await patch(keys.alice, uploadId, 0, bad);
    expect(r.status).toBe(422);
    const err = ((await r.json()) as Gql).errors![0];
    expect(err.extensions).toMatchObject({ code: 'BAD_INPUT', field: 'sha256' });
    expect(await store.has(sha(claimed))).toBe(false);
    expect(await store.has(sha(bad))).toBe(false);
    const logged = await logArtifact(keys.alice, runs.a1, 'claimed', [
      { path: 'x', sha256: sha(claimed), size: claimed.length },
    ]);
    expect(logged.errors?.[0].extensions).toMatchObject({ code: 'BAD_INPUT', field: 'files[0].sha256' });
    // Too big to announce, and more bytes than announced.
    const huge = await start(keys.alice, { runId: runs.a1, sha256: sha('x'), size: MAX_UPLOAD + 1 });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as Gql).errors![0].extensions).toMatchObject({ field: 'size' });
    const small = Buffer.from('four');
    const s = (await (
      await start(keys.alice, { runId: runs.a1, sha256: sha(small), size: small.length })
    ).json()) as { uploadId: string };
    expect((await patch(keys.alice, s.uploadId, 0, Buffer.from('four and more'))).status).toBe(413);
    const still = (await (
      await start(keys.alice, { runId: runs.a1, sha256: sha(small), size: small.length })
    ).json()) as { uploadId: string; offset: number };
    expect(still).toEqual({ uploadId: s.uploadId, offset: 0 });
  });

  it('checks who may upload and what they send, naming the field', async () => {
    const body = { runId: runs.a1, sha256: sha('z'), size: 1 };
    expect((await start(null, body)).status).toBe(401);
    expect((await start(keys.carol, body)).status).toBe(403); // a viewer
    expect((await start(keys.bob, body)).status).toBe(404); // another project's run: no existence leak
    for (const [b, field] of [
      ['{not json', 'body'],
      [{ ...body, runId: 'run_nope' }, 'runId'],
      [{ ...body, sha256: 'ABC' }, 'sha256'],
      [{ ...body, sha256: '../../api-key' }, 'sha256'],
      [{ ...body, size: -1 }, 'size'],
      [{ ...body, size: 1.5 }, 'size'],
      [{ ...body, size: '1' }, 'size'],
    ] as const) {
      const r = await start(keys.alice, b);
      expect(r.status, JSON.stringify(b)).toBe(400);
      expect(((await r.json()) as Gql).errors![0].extensions).toMatchObject({ code: 'BAD_INPUT', field });
    }
    // A body far over the 4 KiB a POST needs, without a length announced (streamed): read no further.
    const flood = new ReadableStream<Uint8Array>({
      pull: (c) => c.enqueue(new Uint8Array(64 << 10).fill(32)),
    });
    const flooded = await api.fetch('http://anneal.test/uploads', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth(keys.alice) },
      body: flood,
      duplex: 'half',
    } as RequestInit);
    expect(flooded.status).toBe(413);
    const { uploadId } = (await (await start(keys.alice, body)).json()) as { uploadId: string };
    expect((await patch(keys.bob, uploadId, 0, Buffer.from('z'))).status).toBe(404);
    expect((await patch(null, uploadId, 0, Buffer.from('z'))).status).toBe(401);
    expect((await patch(keys.alice, uploadId, 'x', Buffer.from('z'))).status).toBe(400);
    expect((await patch(keys.alice, '../../api-key', 0, Buffer.from('z'))).status).toBe(404);
  });

  it('dedupes only within a project: another project must send the bytes, so no one probes by hash', async () => {
    const bytes = Buffer.from('alpha-only content');
    await upload(keys.alice, runs.a1, bytes);
    const asked = (await (
      await start(keys.bob, { runId: runs.b1, sha256: sha(bytes), size: bytes.length })
    ).json()) as { complete?: true; uploadId?: string };
    expect(asked.complete).toBeUndefined();
    expect(asked.uploadId).toBeTruthy();
    // Claiming alpha's blob without its bytes fails, in the upload and in logArtifact.
    expect((await patch(keys.bob, asked.uploadId!, 0, Buffer.alloc(bytes.length, 1))).status).toBe(422);
    const file = [{ path: 'stolen.bin', sha256: sha(bytes), size: bytes.length }];
    expect((await logArtifact(keys.bob, runs.b1, 'stolen', file)).errors?.[0].extensions).toMatchObject({
      field: 'files[0].sha256',
    });
    // With the bytes, beta holds the blob too (stored once).
    await upload(keys.bob, runs.b1, bytes);
    expect((await logArtifact(keys.bob, runs.b1, 'own', file)).errors).toBeUndefined();
  });

  it('never serves anything but the blobs an artifact manifest maps a path to (finding 1)', async () => {
    const weights = randomBytes(1000);
    const tok = Buffer.from('{"tokenizer": true}');
    await upload(keys.alice, runs.a1, weights);
    await upload(keys.alice, runs.a1, tok);
    const files = [
      { path: 'model/model.safetensors', sha256: sha(weights), size: weights.length },
      { path: 'tokenizer.json', sha256: sha(tok), size: tok.length },
    ];
    const { id } = (await logArtifact(keys.alice, runs.a1, 'adversary', files)).data!.logArtifact;
    const fine = await download(keys.carol, `${id}/model/model.safetensors`); // a viewer, a nested path
    expect(fine.status).toBe(200);
    expect(Buffer.from(await fine.arrayBuffer()).equals(weights)).toBe(true);
    expect((await download(keys.carol, `${id}/model%2Fmodel.safetensors`)).status).toBe(200);
    const head = await api.fetch(`http://anneal.test/artifacts/${id}/model/model.safetensors`, {
      method: 'HEAD',
      headers: auth(keys.carol),
    });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(weights.length));
    expect(head.headers.get('etag')).toBe(`"${sha(weights)}"`);
    expect(head.headers.get('content-disposition')).toBe(
      'attachment; filename="model.safetensors"; filename*=UTF-8\'\'model.safetensors',
    );
    expect(await head.text()).toBe('');
    expect((await download(null, `${id}/tokenizer.json`)).status).toBe(401);
    expect((await download(keys.bob, `${id}/tokenizer.json`)).status).toBe(404);
    const refused = [
      'api-key',
      '%2Fetc%2Fpasswd',
      '/etc/passwd',
      '../../api-key',
      '..%2F..%2Fapi-key',
      '%2e%2e/%2e%2e/api-key',
      '%2E%2E%2F%2E%2E%2Fapi-key',
      'model/..%2F..%2F..%2Fapi-key',
      '..%5C..%5Capi-key',
      'tokenizer.json%00',
      'tokenizer.json%00.txt',
      'model//model.safetensors',
      `${sha(tok)}`,
      `blobs/${sha(tok).slice(0, 2)}/${sha(tok)}`,
      '%ff%fe',
    ];
    for (const p of refused) {
      const r = await download(keys.alice, `${id}/${p}`);
      expect(r.status, p).not.toBe(200);
      expect(await r.text(), p).not.toContain(SECRET);
    }
    // Over real HTTP too, where no URL parser tidies the path first.
    for (const p of ['../../../../api-key', '..%2f..%2fapi-key', '%2e%2e%2f%2e%2e%2fapi-key']) {
      const body = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = httpRequest(
          `${base}/artifacts/${id}/x`,
          { path: `/artifacts/${id}/${p}`, headers: auth(keys.alice) },
          (res) => {
            let text = '';
            res.on('data', (c) => (text += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(body.status, p).not.toBe(200);
      expect(body.text).not.toContain(SECRET);
    }
    // A manifest cannot name such paths either.
    for (const path of [
      '/etc/passwd',
      '../api-key',
      'a/../../api-key',
      'a//b',
      'a\\..\\b',
      'a\u0000b',
      '',
      '.',
      'a/./b',
    ]) {
      const r = await logArtifact(keys.alice, runs.a1, 'evil', [
        { path, sha256: sha(tok), size: tok.length },
      ]);
      expect(r.errors?.[0].extensions, JSON.stringify(path)).toMatchObject({
        code: 'BAD_INPUT',
        field: 'files[0].path',
      });
    }
    // `location` is gone: a server path cannot be recorded at all.
    const old = await gql(
      keys.alice,
      `mutation($id: ID!) { logArtifact(runId: $id, kind: model, name: "m", location: "${dataDir}", size: 1,
        sha256: "${'a'.repeat(64)}") { id } }`,
      { id: runs.a1 },
    );
    expect(old.errors?.[0].message).toMatch(/location/);
    // Another project's artifact is invisible to lineage and queries alike.
    const used = await gql(
      keys.bob,
      'mutation($r: ID!, $a: String!) { useArtifact(runId: $r, artifact: $a) { id } }',
      {
        r: runs.b1,
        a: id,
      },
    );
    expect(used.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it.runIf(backend === 'local')('refuses a symlink planted in the store for a blob', async () => {
    const local = store as LocalBlobStore;
    const bytes = Buffer.from('a blob someone swaps for a link');
    await upload(keys.alice, runs.a1, bytes);
    const { id } = (
      await logArtifact(keys.alice, runs.a1, 'linked', [
        { path: 'f', sha256: sha(bytes), size: bytes.length },
      ])
    ).data!.logArtifact;
    const blob = join(local.root, 'blobs', sha(bytes).slice(0, 2), sha(bytes));
    unlinkSync(blob);
    symlinkSync(join(dataDir, 'api-key'), blob);
    const r = await download(keys.alice, `${id}/f`);
    expect(r.status).not.toBe(200);
    expect(await r.text()).not.toContain(SECRET);
  });

  it('writes nothing through a symlink planted in the uploads temp directory (either backend)', async () => {
    const next = Buffer.from('x'.repeat(64));
    const { uploadId } = (await (
      await start(keys.alice, { runId: runs.a1, sha256: sha(next), size: next.length })
    ).json()) as { uploadId: string };
    mkdirSync(store.tempDir, { recursive: true });
    symlinkSync(join(dataDir, 'api-key'), join(store.tempDir, uploadId));
    expect((await patch(keys.alice, uploadId, 0, next)).status).not.toBe(200);
    expect(readFileSync(join(dataDir, 'api-key'), 'utf8')).toBe(SECRET);
    // Nor does a resumed upload read the key file's length as its progress.
    const again = (await (
      await start(keys.alice, { runId: runs.a1, sha256: sha(next), size: next.length })
    ).json()) as { offset: number };
    expect(again.offset).toBe(0);
  });

  it.runIf(backend === 'local')(
    'replaces a damaged stored blob with the next verified upload of its content',
    async () => {
      const local = store as LocalBlobStore;
      const bytes = randomBytes(5000);
      await upload(keys.alice, runs.a1, bytes);
      const { id } = (
        await logArtifact(keys.alice, runs.a1, 'damaged', [
          { path: 'f', sha256: sha(bytes), size: bytes.length },
        ])
      ).data!.logArtifact;
      const blob = join(local.root, 'blobs', sha(bytes).slice(0, 2), sha(bytes));
      writeFileSync(blob, bytes.subarray(0, 100)); // a truncated file
      await upload(keys.bob, runs.b1, bytes); // beta sends the same content
      const got = Buffer.from(await (await download(keys.alice, `${id}/f`)).arrayBuffer());
      expect(got.equals(bytes)).toBe(true);
    },
  );

  it('gives concurrent calls under one name distinct versions, and concurrent replays one', async () => {
    const contents = [0, 1, 2, 3, 4].map((i) => Buffer.from(`concurrent ${i}`));
    for (const b of contents) await upload(keys.alice, runs.a1, b);
    const file = (b: Buffer) => [{ path: 'f', sha256: sha(b), size: b.length }];
    const made = await Promise.all(contents.map((b) => logArtifact(keys.alice, runs.a1, 'race', file(b))));
    expect(made.map((r) => r.errors)).toEqual(contents.map(() => undefined));
    expect(made.map((r) => r.data!.logArtifact.version).sort()).toEqual([0, 1, 2, 3, 4]);
    const same = await Promise.all(
      contents.map(() => logArtifact(keys.alice, runs.a1, 'race2', file(contents[0]))),
    );
    expect(new Set(same.map((r) => r.data?.logArtifact.id)).size).toBe(1);
  });

  it('versions artifacts by content, moves aliases, replays idempotently and records lineage', async () => {
    const v0 = Buffer.from('checkpoint one');
    const v1 = Buffer.from('checkpoint two');
    const tok = Buffer.from('{"tokenizer": 2}');
    for (const b of [v0, v1, tok]) await upload(keys.alice, runs.a1, b);
    const files = (b: Buffer) => [
      { path: 'model.safetensors', sha256: sha(b), size: b.length },
      { path: 'tokenizer.json', sha256: sha(tok), size: tok.length },
    ];
    const log = (b: Buffer, aliases: string[]) =>
      logArtifact(keys.alice, runs.a1, 'ckpt', files(b), ', aliases: $aliases', { aliases });
    const first = (await log(v0, ['best'])).data!.logArtifact;
    expect(first).toMatchObject({ version: 0, aliases: ['latest', 'best'] });
    const second = (await log(v1, [])).data!.logArtifact;
    expect(second).toMatchObject({ version: 1, aliases: ['latest'] });
    // Replaying the first call (files in another order) is the same version; its alias stays.
    const replay = (
      await logArtifact(keys.alice, runs.a1, 'ckpt', files(v0).reverse(), ', aliases: $aliases', {
        aliases: ['best'],
      })
    ).data!.logArtifact;
    expect(replay).toEqual({ ...first, aliases: ['best'] });
    // `best` moves when a later version claims it.
    await log(v1, ['best']);
    const q = await ok(
      keys.carol,
      `{ project(ref: "alpha") { best: artifact(name: "ckpt", alias: "best") { version }
          v0: artifact(name: "ckpt", version: 0) { version aliases files { path size sha256 } }
          latest: artifact(name: "ckpt") { version downloadUrl(path: "tokenizer.json") }
          all: artifacts(name: "ckpt") { version } models { location source } } }`,
    );
    expect(q.project.best.version).toBe(1);
    expect(q.project.v0).toEqual({
      version: 0,
      aliases: [],
      files: [
        { path: 'model.safetensors', size: v0.length, sha256: sha(v0) },
        { path: 'tokenizer.json', size: tok.length, sha256: sha(tok) },
      ],
    });
    expect(q.project.latest).toEqual({ version: 1, downloadUrl: `/artifacts/${second.id}/tokenizer.json` });
    expect(q.project.all.map((a: { version: number }) => a.version).sort()).toEqual([0, 1]);
    expect(q.project.models).toContainEqual({ location: `artifact:${second.id}`, source: 'artifact' });
    // Lineage: a2 fine-tunes from ckpt:v0.
    const used = await ok(
      keys.alice,
      'mutation($r: ID!) { useArtifact(runId: $r, artifact: "ckpt:v0") { id } }',
      {
        r: runs.a2,
      },
    );
    expect(used.useArtifact.id).toBe(first.id);
    await ok(keys.alice, 'mutation($r: ID!) { useArtifact(runId: $r, artifact: "ckpt:v0") { id } }', {
      r: runs.a2,
    });
    const lineage = await ok(
      keys.carol,
      `query($a: ID!, $b: ID!) { a: run(id: $a) { artifacts { name version run { name } consumers { name } } }
         b: run(id: $b) { inputs { id name version } } }`,
      { a: runs.a1, b: runs.a2 },
    );
    expect(lineage.b.inputs).toEqual([{ id: first.id, name: 'ckpt', version: 0 }]);
    expect(lineage.a.artifacts).toContainEqual({
      name: 'ckpt',
      version: 0,
      run: { name: 'a1' },
      consumers: [{ name: 'a2' }],
    });
    const missing = await gql(
      keys.alice,
      'mutation($r: ID!) { useArtifact(runId: $r, artifact: "ckpt:v9") { id } }',
      {
        r: runs.a2,
      },
    );
    expect(missing.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'artifact' });
    const badAlias = await log(v0, ['v3']);
    expect(badAlias.errors?.[0].extensions).toMatchObject({ field: 'aliases[0]' });
  });

  it('removes uploads abandoned for a week, with their temp files', async () => {
    const bytes = Buffer.from('never finished');
    const { uploadId } = (await (
      await start(keys.alice, { runId: runs.a1, sha256: sha(bytes), size: bytes.length })
    ).json()) as { uploadId: string };
    expect((await patch(keys.alice, uploadId, 0, bytes.subarray(0, 5))).status).toBe(200);
    expect(readFileSync(join(store.tempDir, uploadId), 'utf8')).toBe('never');
    await db.handle.rows(
      sql`update uploads set updated_at = now() - interval '8 days' where id = ${uploadId}::uuid`,
    );
    // A fresh API process sweeps as its first upload starts.
    const next = createApi({ handle: db.handle, keyCacheMs: 0, artifactStore: store });
    const other = Buffer.from('another file');
    await next.fetch('http://anneal.test/uploads', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth(keys.alice) },
      body: JSON.stringify({ runId: runs.a1, sha256: sha(other), size: other.length }),
    });
    const left = await db.handle.rows(sql`select 1 from uploads where id = ${uploadId}::uuid`);
    expect(left).toEqual([]);
    expect(() => readFileSync(join(store.tempDir, uploadId))).toThrow(/ENOENT/);
  });

  it('lists a page of artifacts with their files, aliases and consumers in a fixed number of statements', async () => {
    const page = async () => {
      const before = db.handle.statements;
      const r = await ok(
        keys.alice,
        '{ project(ref: "alpha") { artifacts { name version aliases files { path } consumers { name } run { name } } } }',
      );
      return { n: r.project.artifacts.length, statements: db.handle.statements - before };
    };
    const one = await page();
    for (let i = 0; i < 3; i++) {
      const b = Buffer.from(`extra ${i}`);
      await upload(keys.alice, runs.a2, b);
      await logArtifact(keys.alice, runs.a2, `extra-${i}`, [{ path: 'f', sha256: sha(b), size: b.length }]);
    }
    const more = await page();
    expect(more.n).toBe(one.n + 3);
    expect(more.statements).toBe(one.statements);
  });

  it('stores a blob of several multipart parts and reads any range of it back', async () => {
    const bytes = randomBytes(34 << 20); // over two of the S3 store's 16 MiB parts
    const temp = join(store.tempDir, 'multipart-test');
    mkdirSync(store.tempDir, { recursive: true });
    writeFileSync(temp, bytes);
    await store.put(sha(bytes), temp);
    expect(await store.size(sha(bytes))).toBe(bytes.length);
    const read = async (start: number, end: number) => {
      const chunks: Buffer[] = [];
      for await (const c of await store.get(sha(bytes), { start, end })) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    };
    const at = (16 << 20) - 3; // across the first part boundary
    expect((await read(at, at + 9)).equals(bytes.subarray(at, at + 10))).toBe(true);
    const all = await read(0, bytes.length - 1);
    expect(sha(all)).toBe(sha(bytes));
    await store.delete(sha(bytes));
    expect(await store.has(sha(bytes))).toBe(false);
  });
});
