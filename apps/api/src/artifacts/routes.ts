// The artifact store's HTTP routes, as a yoga plugin (yoga.ts puts it ahead of the body-size limit, since an
// upload chunk may be larger than a GraphQL request):
//   POST  /uploads            { runId, sha256, size } → { complete: true } | { uploadId, offset }
//   PATCH /uploads/<id>       Upload-Offset: n, raw bytes from n on → { offset } | { complete: true }
//   GET   /artifacts/<id>/<path…>  one file of an artifact, streamed from its blob (Range supported)
// Bytes are streamed to a temp file, never held whole; a finished upload is hashed and stored only if it
// matches. A download looks the path up in the artifact's manifest and streams the blob it maps to: no
// request ever names a file on the server. Errors are `{ errors: [{ message, extensions: { code, field? } }] }`.
import { createHash, type Hash } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { DbHandle } from '@anneal/db/client';
import { artifactFiles, artifacts, blobs, projectBlobs, uploads } from '@anneal/db/schema/artifacts';
import { runs } from '@anneal/db/schema/runs';
import { and, eq, sql } from 'drizzle-orm';
import type { Plugin } from 'graphql-yoga';
import type { Role, Viewer } from '../auth.ts';
import type { ErrorCode } from '../errors.ts';
import { dbOf } from './db.ts';
import { pathFromUrl } from './manifest.ts';
import { BlobMissing, type BlobStore, type ByteRange, hashFile, openInside, SHA256 } from './store.ts';

/** Default largest upload (one file of an artifact). */
export const MAX_UPLOAD_BYTES = 64 * 2 ** 30;
const MAX_JSON_BYTES = 4096;
/** An upload nobody has added to for this long is abandoned: its row and temp file go. */
export const STALE_UPLOAD_DAYS = 7;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2 };

function fail(
  status: number,
  code: ErrorCode | 'INSUFFICIENT_STORAGE',
  message: string,
  field?: string,
  extra: object = {},
) {
  return Response.json(
    { ...extra, errors: [{ message, extensions: { code, ...(field ? { field } : {}) } }] },
    { status },
  );
}

export interface ArtifactRoutesOptions {
  handle: DbHandle;
  /** Opened on first use (an S3 store loads the AWS SDK). */
  store: () => Promise<BlobStore>;
  maxUploadBytes: number;
  /** The caller (API key, or session cookie on a request a cross-site form cannot make), as for /graphql. */
  identify: (request: Request) => Promise<Viewer | null>;
}

export function artifactRoutes(options: ArtifactRoutesOptions): Plugin {
  const db = dbOf(options.handle);
  let o!: Omit<ArtifactRoutesOptions, 'store'> & { store: BlobStore };
  /** Uploads with a PATCH in flight in this process: a second concurrent one is refused (409). */
  const busy = new Set<string>();
  /**
   * The sha256 of each upload's bytes so far, while its chunks keep arriving at this process in order: the last
   * chunk then completes at once instead of re-reading a multi-GB file. After a restart, or with chunks spread
   * over several API processes, the file is hashed whole at the end instead.
   */
  const running = new Map<string, { hash: Hash; pos: number }>();

  /** At most hourly, as uploads start: abandoned uploads' temp files would otherwise fill the disk. */
  let sweptAt = 0;
  async function sweepStale() {
    if (Date.now() - sweptAt < 3_600_000) return;
    sweptAt = Date.now();
    const gone = await db
      .delete(uploads)
      .where(sql`${uploads.updatedAt} < now() - make_interval(days => ${STALE_UPLOAD_DAYS})`)
      .returning({ id: uploads.id });
    for (const { id } of gone) {
      running.delete(id);
      await rm(join(o.store.tempDir, id), { force: true });
    }
  }

  /** The role a viewer has in a project: null when the project is invisible to them. */
  const roleIn = (viewer: Viewer, projectId: string) => viewer.roles.get(projectId) ?? null;

  async function create(request: Request, viewer: Viewer): Promise<Response> {
    const text = await readCapped(request, MAX_JSON_BYTES);
    if (text == null) return fail(413, 'BAD_INPUT', `body: over ${MAX_JSON_BYTES} bytes`, 'body');
    let body: { runId?: unknown; sha256?: unknown; size?: unknown };
    try {
      body = JSON.parse(text);
      if (!body || typeof body !== 'object') throw new Error();
    } catch {
      return fail(400, 'BAD_INPUT', 'body: must be a JSON object { runId, sha256, size }', 'body');
    }
    const runRaw = typeof body.runId === 'string' ? body.runId.replace(/^run_/, '').toLowerCase() : '';
    if (!UUID.test(runRaw)) return fail(400, 'BAD_INPUT', "runId: must be a run id ('run_<uuid>')", 'runId');
    if (typeof body.sha256 !== 'string' || !SHA256.test(body.sha256))
      return fail(400, 'BAD_INPUT', 'sha256: must be 64 lowercase hex digits', 'sha256');
    const size = body.size;
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
      return fail(400, 'BAD_INPUT', 'size: must be a non-negative integer (bytes)', 'size');
    if (size > o.maxUploadBytes)
      return fail(413, 'BAD_INPUT', `size: ${size} bytes is over this server's ${o.maxUploadBytes}`, 'size');
    const sha256 = body.sha256;
    const [run] = await db.select({ projectId: runs.projectId }).from(runs).where(eq(runs.id, runRaw));
    const role = run && roleIn(viewer, run.projectId);
    if (!run || !role) return fail(404, 'NOT_FOUND', `run ${body.runId} not found`, 'runId');
    if (RANK[role] < RANK.member)
      return fail(403, 'FORBIDDEN', 'uploading needs the member role in the run’s project', 'runId');
    const [held] = await db
      .select({ size: blobs.size })
      .from(projectBlobs)
      .innerJoin(blobs, eq(blobs.sha256, projectBlobs.sha256))
      .where(and(eq(projectBlobs.projectId, run.projectId), eq(projectBlobs.sha256, sha256)));
    if (held) {
      if (held.size !== size)
        return fail(400, 'BAD_INPUT', `size: the blob ${sha256} has ${held.size} bytes, not ${size}`, 'size');
      return Response.json({ complete: true });
    }
    await sweepStale().catch((e) => console.error('sweeping abandoned uploads:', e));
    // One upload per (project, content): asking again resumes it.
    const [up] = await db
      .insert(uploads)
      .values({ projectId: run.projectId, sha256, size })
      .onConflictDoUpdate({
        target: [uploads.projectId, uploads.sha256, uploads.size],
        set: { updatedAt: sql`now()` },
      })
      .returning();
    // A temp file shorter than the recorded offset (lost, or a cleaned disk) resumes from what it holds.
    const onDisk = await tempSize(up.id);
    if (onDisk < up.offset) await db.update(uploads).set({ offset: onDisk }).where(eq(uploads.id, up.id));
    return Response.json({ uploadId: up.id, offset: Math.min(onDisk, up.offset) });
  }

  async function tempSize(id: string): Promise<number> {
    try {
      const fh = await openInside(o.store.tempDir, '.', id);
      const { size } = await fh.stat();
      await fh.close();
      return size;
    } catch {
      return 0;
    }
  }

  async function patch(request: Request, viewer: Viewer, id: string): Promise<Response> {
    const [up] = UUID.test(id) ? await db.select().from(uploads).where(eq(uploads.id, id)) : [];
    const role = up && roleIn(viewer, up.projectId);
    if (!up || !role) return fail(404, 'NOT_FOUND', `no upload ${id}`);
    if (RANK[role] < RANK.member) return fail(403, 'FORBIDDEN', 'uploading needs the member role');
    const header = request.headers.get('upload-offset');
    const offset = header != null && /^\d+$/.test(header) ? Number(header) : Number.NaN;
    if (!Number.isSafeInteger(offset))
      return fail(
        400,
        'BAD_INPUT',
        'Upload-Offset: header must be the byte offset the body starts at',
        'Upload-Offset',
      );
    if (offset !== up.offset || busy.has(id))
      return fail(
        409,
        'CONFLICT',
        `Upload-Offset: the server has ${up.offset} bytes of this upload`,
        'Upload-Offset',
        {
          offset: up.offset,
        },
      );
    const announced = request.headers.get('content-length');
    if (announced != null && offset + Number(announced) > up.size)
      return fail(
        413,
        'BAD_INPUT',
        `body: ${offset + Number(announced) - up.size} bytes past size ${up.size}`,
        'body',
      );
    busy.add(id);
    try {
      await mkdir(o.store.tempDir, { recursive: true, mode: 0o700 });
      const fh = await openInside(o.store.tempDir, '.', id, constants.O_WRONLY | constants.O_CREAT);
      let pos = offset;
      let over = false;
      let broken = false;
      let diskError: NodeJS.ErrnoException | null = null;
      const prior = running.get(id);
      running.delete(id);
      let hash = offset === 0 ? createHash('sha256') : prior?.pos === offset ? prior.hash : null;
      try {
        // Drops bytes past the recorded offset (a write whose offset update never landed).
        await fh.truncate(offset);
        if (request.body)
          for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
            if (pos + chunk.byteLength > up.size) {
              over = true;
              break;
            }
            try {
              await fh.write(chunk, 0, chunk.byteLength, pos);
              hash?.update(chunk);
            } catch (e) {
              diskError = e as NodeJS.ErrnoException;
              break;
            }
            pos += chunk.byteLength;
          }
      } catch {
        // The client went away mid-body: what arrived is kept, and a resume starts after it.
        broken = true;
      } finally {
        if (over) await fh.truncate(offset);
        await fh.close();
      }
      if (over) return fail(413, 'BAD_INPUT', `body: bytes past size ${up.size}`, 'body');
      await db.update(uploads).set({ offset: pos, updatedAt: sql`now()` }).where(eq(uploads.id, id));
      if (diskError) hash = null;
      if (hash && pos < up.size) running.set(id, { hash, pos });
      if (diskError?.code === 'ENOSPC' || diskError?.code === 'EDQUOT')
        return fail(
          507,
          'INSUFFICIENT_STORAGE',
          "the artifact store's disk is full; try again later",
          undefined,
          {
            offset: pos,
          },
        );
      if (diskError) throw diskError;
      // Whoever sent it has gone; the answer says where to resume, should anyone read it.
      if (broken)
        return fail(400, 'BAD_INPUT', `body: the request ended after ${pos - offset} bytes`, 'body', {
          offset: pos,
        });
      if (pos < up.size) return Response.json({ offset: pos });
      return await finish(up, hash);
    } finally {
      busy.delete(id);
    }
  }

  /** All bytes are here: hash them; a match becomes a blob the project holds, a mismatch is discarded. */
  async function finish(up: typeof uploads.$inferSelect, hash: Hash | null): Promise<Response> {
    const temp = join(o.store.tempDir, up.id);
    let actual: string;
    if (hash) actual = hash.digest('hex');
    else {
      const fh = await openInside(o.store.tempDir, '.', up.id);
      try {
        actual = await hashFile(fh);
      } finally {
        await fh.close();
      }
    }
    if (actual !== up.sha256) {
      await rm(temp, { force: true });
      await db.delete(uploads).where(eq(uploads.id, up.id));
      return fail(
        422,
        'BAD_INPUT',
        `sha256: the ${up.size} bytes received hash to ${actual}, not ${up.sha256}; the upload was discarded`,
        'sha256',
      );
    }
    // Stored already (another project, a lost race) → the new bytes are not needed; a stored blob of the wrong
    // size (a damaged disk) is replaced by these verified ones.
    if ((await o.store.size(up.sha256)) === up.size) await rm(temp, { force: true });
    else await o.store.put(up.sha256, temp);
    await db.transaction(async (tx) => {
      await tx.insert(blobs).values({ sha256: up.sha256, size: up.size }).onConflictDoNothing();
      await tx
        .insert(projectBlobs)
        .values({ projectId: up.projectId, sha256: up.sha256 })
        .onConflictDoNothing();
      await tx.delete(uploads).where(eq(uploads.id, up.id));
    });
    return Response.json({ complete: true });
  }

  async function download(request: Request, viewer: Viewer | null, id: string, encoded: string) {
    if (!viewer) return fail(401, 'UNAUTHENTICATED', 'sign in or send an API key');
    if (!UUID.test(id)) return fail(404, 'NOT_FOUND', `no artifact ${id}`);
    const [a] = await db
      .select({ projectId: artifacts.projectId })
      .from(artifacts)
      .where(eq(artifacts.id, id));
    if (!a || !roleIn(viewer, a.projectId)) return fail(404, 'NOT_FOUND', `no artifact ${id}`);
    const path = pathFromUrl(encoded);
    const [f] = path
      ? await db
          .select()
          .from(artifactFiles)
          .where(and(eq(artifactFiles.artifactId, id), eq(artifactFiles.path, path)))
      : [];
    if (!f) return fail(404, 'NOT_FOUND', `artifact ${id} has no file '${path ?? encoded}'`);
    const range = parseRange(request.headers.get('range'), f.size);
    if (range === 'invalid')
      return new Response(null, { status: 416, headers: { 'content-range': `bytes */${f.size}` } });
    const name = f.path.slice(f.path.lastIndexOf('/') + 1);
    const headers: Record<string, string> = {
      'content-type': 'application/octet-stream',
      'content-disposition': `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      'accept-ranges': 'bytes',
      etag: `"${f.sha256}"`,
      'x-content-sha256': f.sha256,
      'content-length': String(range ? range.end - range.start + 1 : f.size),
      ...(range ? { 'content-range': `bytes ${range.start}-${range.end}/${f.size}` } : {}),
    };
    if (request.method === 'HEAD') return new Response(null, { status: range ? 206 : 200, headers });
    let stream: Readable;
    try {
      stream = f.size === 0 ? Readable.from([]) : await o.store.get(f.sha256, range ?? undefined);
    } catch (e) {
      if (e instanceof BlobMissing)
        return fail(410, 'NOT_FOUND', `artifact ${id}: the bytes of '${f.path}' are missing from the store`);
      throw e;
    }
    return new Response(Readable.toWeb(stream) as ReadableStream, { status: range ? 206 : 200, headers });
  }

  async function route(request: Request, path: string): Promise<Response | null> {
    o ??= { ...options, store: await options.store() };
    const art = /^\/artifacts\/([0-9a-f-]{36})\/(.+)$/.exec(path);
    if (art && (request.method === 'GET' || request.method === 'HEAD'))
      return download(request, await o.identify(request), art[1], art[2]);
    const up = /^\/uploads(?:\/([^/]+))?$/.exec(path);
    if (!up) return null;
    const viewer = await o.identify(request);
    if (!viewer) return fail(401, 'UNAUTHENTICATED', 'sign in or send an API key');
    if (!up[1] && request.method === 'POST') return create(request, viewer);
    if (up[1] && request.method === 'PATCH') return patch(request, viewer, up[1]);
    return fail(405, 'BAD_INPUT', `${request.method} ${path}: use POST /uploads or PATCH /uploads/<id>`);
  }

  return {
    async onRequest({ request, url, endResponse }) {
      if (!url.pathname.startsWith('/artifacts/') && !url.pathname.startsWith('/uploads')) return;
      // CORS preflights are yoga's (the same origins as for /graphql).
      if (request.method === 'OPTIONS') return;
      try {
        const res = await route(request, url.pathname);
        if (res) endResponse(res);
      } catch (e) {
        // Masked like yoga's errors: the reason goes to the server's log, not to the client.
        console.error(`${request.method} ${url.pathname}:`, e);
        endResponse(Response.json({ errors: [{ message: 'Unexpected error.' }] }, { status: 500 }));
      }
    },
  };
}

/** A small body as text, or null when it is longer than `max` bytes (read no further than that). */
async function readCapped(request: Request, max: number): Promise<string | null> {
  if (Number(request.headers.get('content-length') ?? 0) > max) return null;
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const chunk of (request.body ?? []) as unknown as AsyncIterable<Uint8Array>) {
    n += chunk.byteLength;
    if (n > max) return null;
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString('utf8');
}

/** A single `bytes=a-b` / `bytes=a-` / `bytes=-n` range; null for none (or a form we serve whole). */
function parseRange(header: string | null, size: number): ByteRange | null | 'invalid' {
  const m = header && /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (!m[1] && !m[2])) return null;
  let start: number;
  let end: number;
  if (!m[1]) {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
  }
  if (start > end || start >= size) return 'invalid';
  return { start, end };
}
