// The S3-compatible blob store (AWS S3, MinIO, Ceph, R2, …), for teams whose API processes share no disk:
// `ANNEAL_ARTIFACT_STORE=s3://bucket/prefix`. Blobs are objects `<prefix>/blobs/<aa>/<sha256>`; a verified
// upload is sent with a managed multipart upload (lib-storage), so multi-GB checkpoints stream from the temp
// file without being held in memory. Checksums are only sent where S3 requires them, so S3-compatible servers
// that do not know AWS's newer flexible checksums work too.
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { BlobMissing, type BlobStore, type ByteRange, checkSha } from './store.ts';

export interface S3StoreOptions {
  bucket: string;
  /** Key prefix, without leading or trailing slashes ('' for the bucket's root). */
  prefix: string;
  tempDir: string;
  /** A non-AWS endpoint (MinIO, a local test server): path-style addressing is used with it. */
  endpoint?: string;
  region?: string;
  /** Static credentials; without them the AWS SDK's default chain (env, profile, instance role) is used. */
  accessKeyId?: string;
  secretAccessKey?: string;
}

export class S3BlobStore implements BlobStore {
  readonly tempDir: string;
  readonly description: string;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(o: S3StoreOptions) {
    this.tempDir = o.tempDir;
    this.bucket = o.bucket;
    this.prefix = o.prefix ? `${o.prefix}/` : '';
    this.description = `s3://${o.bucket}/${o.prefix}${o.endpoint ? ` at ${o.endpoint}` : ''}`;
    this.client = new S3Client({
      region: o.region ?? 'us-east-1',
      endpoint: o.endpoint,
      forcePathStyle: Boolean(o.endpoint),
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      credentials:
        o.accessKeyId && o.secretAccessKey
          ? { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey }
          : undefined,
    });
  }

  private key = (sha256: string) => `${this.prefix}blobs/${checkSha(sha256).slice(0, 2)}/${sha256}`;

  async has(sha256: string) {
    return (await this.size(sha256)) != null;
  }

  async put(sha256: string, tempFile: string) {
    await new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: this.key(sha256), Body: createReadStream(tempFile) },
      partSize: 16 << 20,
      queueSize: 4,
    }).done();
    await rm(tempFile, { force: true });
  }

  async get(sha256: string, range?: ByteRange) {
    try {
      const r = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.key(sha256),
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      );
      return r.Body as Readable;
    } catch (e) {
      if (e instanceof NoSuchKey || e instanceof NotFound) throw new BlobMissing(sha256);
      throw e;
    }
  }

  async size(sha256: string) {
    try {
      const r = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(sha256) }));
      return r.ContentLength ?? 0;
    } catch (e) {
      if (
        e instanceof NotFound ||
        (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404
      )
        return null;
      throw e;
    }
  }

  async delete(sha256: string) {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(sha256) }));
  }
}
