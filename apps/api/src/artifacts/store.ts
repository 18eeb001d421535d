// Where artifact bytes live: a content-addressed blob store, one object per sha256, on the API's local disk
// (default `<ANNEAL_DATA_DIR or .anneal>/artifacts`) or in an S3-compatible bucket (s3.ts). Blobs are only ever
// named by a 64-hex sha256 that this process checked, so no caller input becomes a path. Uploads in progress
// are plain files in a local temp directory, written by the upload routes (routes.ts) and handed to `put` once
// their hash is verified.
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, realpath, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

export const SHA256 = /^[0-9a-f]{64}$/;

/** A byte range of a blob, both ends included (HTTP Range semantics). */
export interface ByteRange {
  start: number;
  end: number;
}

export interface BlobStore {
  /** Local directory for uploads in progress (one file per upload id); on the API's disk for every backend. */
  readonly tempDir: string;
  /** For logs and docs: where the blobs are. */
  readonly description: string;
  has(sha256: string): Promise<boolean>;
  /** Stores a verified temp file as the blob `sha256`; the temp file is gone afterwards. */
  put(sha256: string, tempFile: string): Promise<void>;
  /** The blob's bytes (a range of them); throws BlobMissing if it is not stored. */
  get(sha256: string, range?: ByteRange): Promise<Readable>;
  /** Its size in bytes, or null if it is not stored. */
  size(sha256: string): Promise<number | null>;
  delete(sha256: string): Promise<void>;
}

/** The blob is not there, or what is there is not a blob of this store (a symlink, a directory): not served. */
export class BlobMissing extends Error {
  constructor(sha256: string, why = 'is not in the store') {
    super(`blob ${sha256} ${why}`);
  }
}

/** Errors opening a blob that mean "no such blob here" rather than a failing disk. */
const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'ELOOP', 'NOT_IN_STORE']);

/** Refuses anything but a sha256: the only name a blob can have. */
export function checkSha(sha256: string): string {
  if (!SHA256.test(sha256)) throw new Error(`not a sha256: ${JSON.stringify(sha256)}`);
  return sha256;
}

/**
 * Opens a file for reading without following a symlink at any level below `root`: the last component is opened
 * with O_NOFOLLOW, and the real path of its directory must be the directory we named. A symlink planted in the
 * store (or a directory swapped for one) is refused, not followed.
 */
export async function openInside(root: string, dir: string, name: string, flags = constants.O_RDONLY) {
  const [realRoot, realDir] = await Promise.all([realpath(root), realpath(join(root, dir))]);
  if (realDir !== join(realRoot, dir))
    throw Object.assign(new Error(`${join(root, dir)} is not a directory of the store`), {
      code: 'NOT_IN_STORE',
    });
  const fh = await open(join(realDir, name), flags | constants.O_NOFOLLOW, 0o600);
  const st = await fh.stat();
  if (!st.isFile()) {
    await fh.close();
    throw Object.assign(new Error(`${join(dir, name)} is not a regular file`), { code: 'NOT_IN_STORE' });
  }
  return fh;
}

/** Blobs under `<root>/blobs/<first two hex digits>/<sha256>`, uploads in progress under `<root>/uploads/`. */
export class LocalBlobStore implements BlobStore {
  readonly tempDir: string;
  readonly description: string;
  private ready: Promise<void> | null = null;

  constructor(readonly root: string) {
    this.tempDir = join(root, 'uploads');
    this.description = `local disk at ${root}`;
  }

  private init() {
    this.ready ??= Promise.all([
      mkdir(join(this.root, 'blobs'), { recursive: true, mode: 0o700 }),
      mkdir(this.tempDir, { recursive: true, mode: 0o700 }),
    ]).then(() => {});
    return this.ready;
  }

  private dir = (sha256: string) => join('blobs', checkSha(sha256).slice(0, 2));

  async has(sha256: string) {
    return (await this.size(sha256)) != null;
  }

  async put(sha256: string, tempFile: string) {
    await this.init();
    const dir = this.dir(sha256);
    await mkdir(join(this.root, dir), { recursive: true, mode: 0o700 });
    // Same filesystem: an atomic rename, so a reader never sees half a blob.
    await rename(tempFile, join(this.root, dir, sha256));
  }

  async get(sha256: string, range?: ByteRange) {
    await this.init();
    let fh: Awaited<ReturnType<typeof openInside>>;
    try {
      fh = await openInside(this.root, this.dir(sha256), sha256);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      if (ABSENT.has(code))
        throw new BlobMissing(sha256, code === 'ENOENT' ? undefined : `is refused (${code})`);
      throw e;
    }
    return fh.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async size(sha256: string) {
    await this.init();
    try {
      const fh = await openInside(this.root, this.dir(sha256), sha256);
      const { size } = await fh.stat();
      await fh.close();
      return size;
    } catch (e) {
      if (ABSENT.has((e as NodeJS.ErrnoException).code ?? '')) return null;
      throw e;
    }
  }

  async delete(sha256: string) {
    await rm(join(this.root, this.dir(sha256), sha256), { force: true });
  }
}

/** sha256 of a local file (a verified upload), streamed. */
export async function hashFile(fh: { createReadStream(): Readable }): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fh.createReadStream()) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface StoreEnv {
  /** `s3://bucket/prefix` or a directory; default `<dataDir>/artifacts`. */
  ANNEAL_ARTIFACT_STORE?: string;
  ANNEAL_DATA_DIR?: string;
  ANNEAL_S3_ENDPOINT?: string;
  ANNEAL_S3_ACCESS_KEY?: string;
  ANNEAL_S3_SECRET_KEY?: string;
  ANNEAL_S3_REGION?: string;
}

/**
 * The store an API uses: `spec` (ApiOptions.artifactStore), else ANNEAL_ARTIFACT_STORE, else the data
 * directory's `artifacts/`. An `s3://bucket/prefix` store keeps its uploads in progress under the data
 * directory's `artifacts/uploads`.
 */
export async function openBlobStore(
  spec: string | undefined,
  env: StoreEnv = process.env as StoreEnv,
): Promise<BlobStore> {
  const local = join(env.ANNEAL_DATA_DIR ?? '.anneal', 'artifacts');
  const where = spec ?? env.ANNEAL_ARTIFACT_STORE ?? local;
  if (!where.startsWith('s3://')) return new LocalBlobStore(where);
  const { S3BlobStore } = await import('./s3.ts');
  const url = new URL(where);
  return new S3BlobStore({
    bucket: url.hostname,
    prefix: url.pathname.replace(/^\/+|\/+$/g, ''),
    tempDir: join(local, 'uploads'),
    endpoint: env.ANNEAL_S3_ENDPOINT,
    region: env.ANNEAL_S3_REGION,
    accessKeyId: env.ANNEAL_S3_ACCESS_KEY,
    secretAccessKey: env.ANNEAL_S3_SECRET_KEY,
  });
}
