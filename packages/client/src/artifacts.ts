// Artifacts through the API's content-addressed store (the upload protocol in docs/api.md, "Artifacts"):
// - `spoolArtifact` describes a directory or file as the run's spool records it: each file's path inside the
//   artifact, where it is read from, and its sha256 and size, stream-hashed (1 MiB reads; the event loop, and so
//   the training loop, keeps running while a multi-GB checkpoint is hashed);
// - `uploadArtifact` (the background sender) uploads each blob the run's project does not hold yet: POST
//   /uploads, then PATCH chunks from the server's offset, so a cut connection or a restarted API resumes where
//   the server's copy ends instead of starting over. A file that changed or vanished since it was spooled is
//   refused with `ArtifactRejected` (the server hashes what arrived, so a change is never recorded);
// - `download` fetches an artifact's files into a directory, verifying every sha256; `downloadCached` into a
//   content-addressed cache, leased while used and bounded by eviction (cache.ts) (the worker's bases).
// The server never reads a path named here: files travel as bytes, the artifact names only blobs.

import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  type CacheOptions,
  cacheBudgetBytes,
  discardEntry,
  evictCache,
  leaseEntry,
  partDir,
  touchEntry,
} from './cache.ts';

export type ArtifactKind = 'checkpoint' | 'model' | 'dataset' | 'file';

/** What `Run.artifact` takes: a directory (every regular file under it) or one file. */
export interface ArtifactInput {
  kind: ArtifactKind;
  /** The artifact's name in the project (each new content is its next version). */
  name: string;
  dir?: string;
  file?: string;
  /** Aliases that move to this version (`latest` always does), e.g. ['best']. */
  aliases?: string[];
  metadata?: Record<string, unknown>;
  /** An external reference recorded beside it (`s3://…`); never read by the server. */
  uri?: string;
}

/** One file of a spooled artifact: where it is read from, and what it held when it was spooled. */
export interface SpooledFile {
  /** Relative, `/`-separated path inside the artifact. */
  path: string;
  /** Absolute path on this machine, read at upload. */
  source: string;
  sha256: string;
  size: number;
}

export interface SpooledArtifact {
  kind: ArtifactKind;
  name: string;
  files: SpooledFile[];
  aliases?: string[];
  metadata?: Record<string, unknown>;
  uri?: string;
}

/** The API refused the artifact, or its files changed since they were spooled: retrying cannot help. */
export class ArtifactRejected extends Error {}

/** The API could not be reached (or the connection dropped): retry, and the upload resumes. */
export class ArtifactUnreachable extends Error {}

/** The API answered 5xx (507: its store's disk is full): retry later; the upload resumes from its offset. */
export class ArtifactServerError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface Endpoint {
  url: string;
  apiKey: string;
}

/** sha256 and size of a file, read as a stream. */
export async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** Every regular file under `dir` (symbolic links are not followed), as sorted `/`-separated paths. */
async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(join(dir, e.name), rel)));
    else if (e.isFile()) out.push(rel);
  }
  return out.sort();
}

/** Describes an artifact for the spool: every file hashed now, so a later change is caught at upload. */
export async function spoolArtifact(a: ArtifactInput): Promise<SpooledArtifact> {
  if ((a.dir === undefined) === (a.file === undefined))
    throw new Error(`artifact ${a.name}: give exactly one of dir and file`);
  let entries: { path: string; source: string }[];
  if (a.file !== undefined) {
    const source = resolve(a.file);
    if (!(await stat(source)).isFile()) throw new Error(`artifact ${a.name}: ${a.file} is not a file`);
    entries = [{ path: basename(source), source }];
  } else {
    const root = resolve(a.dir!);
    entries = (await listFiles(root)).map((path) => ({ path, source: join(root, ...path.split('/')) }));
    if (!entries.length) throw new Error(`artifact ${a.name}: ${a.dir} holds no files`);
  }
  const files: SpooledFile[] = [];
  for (const e of entries) files.push({ ...e, ...(await hashFile(e.source)) });
  return {
    kind: a.kind,
    name: a.name,
    files,
    ...(a.aliases?.length ? { aliases: a.aliases } : {}),
    ...(a.metadata ? { metadata: a.metadata } : {}),
    ...(a.uri ? { uri: a.uri } : {}),
  };
}

type Json = Record<string, unknown> & {
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
};

/** A plain HTTP call to the API: network errors throw ArtifactUnreachable, 5xx ArtifactServerError, 4xx ArtifactRejected. */
async function call(
  ep: Endpoint,
  method: string,
  path: string,
  body: string | Uint8Array<ArrayBuffer> | undefined,
  headers: Record<string, string>,
  accept: number[] = [],
): Promise<{ status: number; json: Json }> {
  let res: Response;
  try {
    res = await fetch(`${ep.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ep.apiKey}`, ...headers },
      body,
      signal: AbortSignal.timeout(120_000),
    });
  } catch (e) {
    throw new ArtifactUnreachable(`${method} ${path}: ${(e as Error).message}`);
  }
  if (res.status >= 500) throw new ArtifactServerError(`${method} ${path}: HTTP ${res.status}`, res.status);
  const json = (await res.json().catch(() => ({}))) as Json;
  if (res.status >= 400 && !accept.includes(res.status)) {
    const e = json.errors?.[0];
    throw new ArtifactRejected(
      `${method} ${path}: HTTP ${res.status}${e ? ` ${e.extensions?.code ?? ''}: ${e.message}` : ''}`,
    );
  }
  return { status: res.status, json };
}

/** One blob into the run's project, resumed from the server's offset; returns the bytes this call sent. */
export async function uploadBlob(
  ep: Endpoint,
  runId: string,
  f: SpooledFile,
  chunkBytes: number,
): Promise<number> {
  const begin = async () =>
    (
      await call(ep, 'POST', '/uploads', JSON.stringify({ runId, sha256: f.sha256, size: f.size }), {
        'content-type': 'application/json',
      })
    ).json as { complete?: boolean; uploadId?: string; offset?: number };
  let start = await begin();
  if (start.complete) return 0;
  let { uploadId, offset = 0 } = start;
  let sent = 0;
  let busy = 0;
  const fh = await open(f.source, 'r').catch(() => null);
  if (!fh) throw new ArtifactRejected(`${f.path}: ${f.source} vanished before it was uploaded`);
  try {
    const buf = new Uint8Array(Math.min(chunkBytes, Math.max(f.size, 1)));
    for (;;) {
      const size = (await fh.stat()).size;
      if (size !== f.size)
        throw new ArtifactRejected(
          `${f.path}: ${f.source} changed since it was logged (${f.size} → ${size} bytes)`,
        );
      const n = Math.min(buf.length, f.size - offset);
      const { bytesRead } = await fh.read(buf, 0, n, offset);
      if (bytesRead !== n) throw new ArtifactRejected(`${f.path}: ${f.source} shrank while it was uploaded`);
      const { status, json } = await call(
        ep,
        'PATCH',
        `/uploads/${uploadId}`,
        buf.subarray(0, n),
        { 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
        [404, 409, 422],
      );
      if (status === 404) {
        // The server dropped the upload (expired, or discarded): ask again, which resumes or restarts it.
        start = await begin();
        if (start.complete) return sent;
        ({ uploadId, offset = 0 } = start);
        continue;
      }
      if (status === 409) {
        // The server holds a different prefix than we thought: continue from it. The same offset means a
        // request of ours it has not seen end yet (a cut connection): wait for it, a bounded while.
        if (Number(json.offset) === offset && ++busy > 50)
          throw new ArtifactUnreachable(`${f.path}: upload ${uploadId} stays busy on the server`);
        if (Number(json.offset) === offset) await new Promise((r) => setTimeout(r, 200));
        offset = Number(json.offset);
        continue;
      }
      if (status === 422)
        throw new ArtifactRejected(
          `${f.path}: ${f.source} no longer matches the sha256 it was logged with (it changed since)`,
        );
      sent += n;
      if (json.complete) return sent;
      offset = Number(json.offset);
    }
  } finally {
    await fh.close();
  }
}

/** Uploads every blob of a spooled artifact the project does not hold (each distinct sha256 once). */
export async function uploadArtifact(
  ep: Endpoint,
  runId: string,
  a: SpooledArtifact,
  chunkBytes: number,
): Promise<number> {
  if (!Array.isArray(a.files))
    throw new ArtifactRejected(`artifact ${a.name}: spooled by an older client (a location, not files)`);
  const seen = new Set<string>();
  let sent = 0;
  for (const f of a.files) {
    if (seen.has(f.sha256)) continue;
    seen.add(f.sha256);
    sent += await uploadBlob(ep, runId, f, chunkBytes);
  }
  return sent;
}

export const LOG_ARTIFACT =
  'mutation($runId: ID!, $kind: ArtifactKind!, $name: String!, $files: [ArtifactFileInput!]!, $metadata: JSON, $aliases: [String!], $uri: String) { logArtifact(runId: $runId, kind: $kind, name: $name, files: $files, metadata: $metadata, aliases: $aliases, uri: $uri) { id } }';

/** logArtifact's variables for a spooled artifact (the blobs already uploaded). */
export function logArtifactVariables(runId: string, a: SpooledArtifact): Record<string, unknown> {
  return {
    runId,
    kind: a.kind,
    name: a.name,
    files: a.files.map(({ path, sha256, size }) => ({ path, sha256, size })),
    metadata: a.metadata ?? null,
    aliases: a.aliases ?? null,
    uri: a.uri ?? null,
  };
}

/** An artifact as the API describes it for a download. */
export interface ArtifactInfo {
  id: string;
  name: string;
  kind: ArtifactKind;
  version: number;
  digest: string;
  files: { path: string; size: number; sha256: string }[];
}

const FIELDS = 'id name kind version digest files { path size sha256 }';

/**
 * The artifact a reference names: an id (`<uuid>`, `artifact:<uuid>`), or in `project` (a project name or id)
 * `name` (its latest version), `name:v3` or `name:<alias>`. Throws ArtifactRejected when the API knows no such
 * artifact, or the key cannot see it.
 */
export async function resolveArtifact(ep: Endpoint, ref: string, project?: string): Promise<ArtifactInfo> {
  const id = ref.replace(/^artifact[:_]/, '');
  const byId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
  const colon = id.lastIndexOf(':');
  const name = colon < 0 ? id : id.slice(0, colon);
  const tag = colon < 0 ? 'latest' : id.slice(colon + 1);
  const version = /^v(\d+)$/.exec(tag);
  if (!byId && !project) throw new ArtifactRejected(`artifact ${ref}: a reference by name needs its project`);
  const [query, variables] = byId
    ? [`query($id: ID!) { artifact(id: $id) { ${FIELDS} } }`, { id }]
    : [
        `query($p: String!, $n: String!, $a: String, $v: Int) { project(ref: $p) { artifact(name: $n, alias: $a, version: $v) { ${FIELDS} } } }`,
        { p: project, n: name, a: version ? null : tag, v: version ? Number(version[1]) : null },
      ];
  const { json } = await call(ep, 'POST', '/graphql', JSON.stringify({ query, variables }), {
    'content-type': 'application/json',
  });
  const e = json.errors?.[0];
  if (e) throw new ArtifactRejected(`artifact ${ref}: ${e.extensions?.code ?? 'ERROR'}: ${e.message}`);
  const data = json.data as {
    artifact?: ArtifactInfo | null;
    project?: { artifact: ArtifactInfo | null } | null;
  };
  const found = data.artifact ?? data.project?.artifact;
  if (!found) throw new ArtifactRejected(`artifact ${ref}: not found`);
  return found;
}

/** A manifest path from the server as a safe relative path (a hostile server cannot write outside destDir). */
function safeRelative(path: string): string[] {
  const parts = path.split('/');
  if (
    !path ||
    path.length > 512 ||
    path.includes('\\') ||
    [...path].some((c) => c.charCodeAt(0) < 0x20) ||
    parts.some((s) => s === '' || s === '.' || s === '..')
  )
    throw new ArtifactRejected(`artifact file ${JSON.stringify(path)}: not a safe relative path`);
  return parts;
}

/**
 * Downloads an artifact's files into `destDir` (created), each streamed to a temporary name, its sha256
 * checked, then renamed into place; a mismatch removes it and throws. Returns what was downloaded.
 */
export async function download(
  ref: string,
  destDir: string,
  o: Partial<Endpoint> & { project?: string } = {},
): Promise<ArtifactInfo> {
  const ep = endpoint(o);
  const info = await resolveArtifact(ep, ref, o.project);
  await fetchFiles(ep, info, destDir);
  return info;
}

/** The API (options, else ANNEAL_API_URL / ANNEAL_API_KEY). */
function endpoint(o: Partial<Endpoint>): Endpoint {
  const url = (o.url ?? process.env.ANNEAL_API_URL ?? '').replace(/\/$/, '');
  if (!url) throw new Error('anneal download: set ANNEAL_API_URL');
  return { url, apiKey: o.apiKey ?? process.env.ANNEAL_API_KEY ?? '' };
}

async function fetchFiles(ep: Endpoint, info: ArtifactInfo, destDir: string): Promise<void> {
  const ref = info.id;
  for (const f of info.files) {
    const parts = safeRelative(f.path);
    const target = join(destDir, ...parts);
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.${randomUUID()}.part`;
    const id = info.id.replace(/^artifact[:_]/, '');
    const res = await fetch(`${ep.url}/artifacts/${id}/${parts.map(encodeURIComponent).join('/')}`, {
      headers: { authorization: `Bearer ${ep.apiKey}` },
    });
    if (!res.ok || !res.body) throw new Error(`artifact ${ref}: ${f.path}: HTTP ${res.status}`);
    const hash = createHash('sha256');
    let size = 0;
    const tee = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(res.body as never), tee, createWriteStream(tmp));
      const sha256 = hash.digest('hex');
      if (sha256 !== f.sha256 || size !== f.size)
        throw new Error(
          `artifact ${ref}: ${f.path} arrived as ${size} bytes with sha256 ${sha256}, not ${f.size} / ${f.sha256}`,
        );
      await rename(tmp, target);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }
}

/**
 * Whether `dir` holds exactly an artifact's files: a real directory (no link) whose regular files, and nothing
 * else (no links, no extra files), are the manifest's paths with their sizes and sha256 (hashed as streams).
 */
export async function holdsArtifact(dir: string, files: ArtifactInfo['files']): Promise<boolean> {
  const want = new Map(files.map((f) => [safeRelative(f.path).join('/'), f]));
  const seen = new Set<string>();
  const walk = async (rel: string[]): Promise<boolean> => {
    for (const e of await readdir(join(dir, ...rel), { withFileTypes: true })) {
      const path = [...rel, e.name];
      if (e.isDirectory()) {
        if (!(await walk(path))) return false;
        continue;
      }
      const f = want.get(path.join('/'));
      if (!e.isFile() || !f) return false; // a link, a device, a file the artifact does not have
      const full = join(dir, ...path);
      if ((await lstat(full)).size !== f.size || (await hashFile(full)).sha256 !== f.sha256) return false;
      seen.add(path.join('/'));
    }
    return true;
  };
  const top = await lstat(dir).catch(() => null);
  if (!top?.isDirectory()) return false;
  return (await walk([]).catch(() => false)) && seen.size === want.size;
}

/**
 * `download` into `<cacheRoot>/<digest>`: a cached copy is used only when it still holds the artifact's files,
 * byte for byte (holdsArtifact: an artifact's content never changes under its digest, but the directory could
 * have been changed, planted or replaced by a link); anything else is removed and downloaded again. A partial
 * copy from a crash is never seen (the directory is renamed into place when whole).
 *
 * The caller gets a lease on the directory (cache.ts): no eviction removes it until `release()`, which the caller
 * calls (in a `finally`) once it no longer reads the files; unreleased, it ends with the process. A download that
 * added to the cache then evicts the least recently used entries beyond the budget (`o.budgetBytes`, else
 * ANNEAL_CACHE_GB), each reported to `o.log`.
 */
export async function downloadCached(
  ref: string,
  cacheRoot: string,
  o: Partial<Endpoint> & { project?: string } & CacheOptions = {},
): Promise<{ dir: string; artifact: ArtifactInfo; release: () => void }> {
  const ep = endpoint(o);
  const budgetBytes = o.budgetBytes ?? cacheBudgetBytes(); // a bad ANNEAL_CACHE_GB fails before any download
  const info = await resolveArtifact(ep, ref, o.project);
  if (!/^[0-9a-f]{64}$/.test(info.digest))
    throw new ArtifactRejected(`artifact ${ref}: digest ${info.digest} is not a sha256`);
  const dir = join(cacheRoot, info.digest);
  // Leased before it is looked at: once validated below, no other process's eviction can remove it.
  const lease = await leaseEntry(cacheRoot, info.digest);
  try {
    if (await lstat(dir).catch(() => null)) {
      if (await holdsArtifact(dir, info.files)) {
        await touchEntry(dir);
        return { dir, artifact: info, release: lease.release };
      }
      await discardEntry(cacheRoot, info.digest); // not what it claims to be: fetched again below
    }
    const part = partDir(cacheRoot);
    try {
      await fetchFiles(ep, info, part.dir);
      await rename(part.dir, dir).catch(async (e: NodeJS.ErrnoException) => {
        // Another process finished the same digest first: its copy is as good.
        if (e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') throw e;
        await rm(part.dir, { recursive: true, force: true });
        if (!(await holdsArtifact(dir, info.files)))
          throw new Error(
            `artifact ${ref}: ${dir} appeared while downloading and does not hold the artifact`,
          );
      });
    } catch (e) {
      await rm(part.dir, { recursive: true, force: true });
      throw e;
    } finally {
      part.done();
    }
    await touchEntry(dir);
    const log = o.log ?? ((line: string) => console.warn(line));
    // The artifact is here whatever happens to the eviction: a failure is reported, not thrown.
    await evictCache(cacheRoot, { budgetBytes, log }).catch((e: Error) =>
      log(`cache: eviction in ${cacheRoot} failed: ${e.message}`),
    );
    return { dir, artifact: info, release: lease.release };
  } catch (e) {
    lease.release();
    throw e;
  }
}
