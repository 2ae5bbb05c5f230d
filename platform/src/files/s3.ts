// The S3-compatible adapter (AWS S3, Scaleway, OVHcloud, MinIO…). Bytes arrive
// here already encrypted per commune (tenant-files.ts); the bucket must be
// private, and nothing hands out presigned or public URLs: documents are
// served only through Vigie's authenticated routes.
import { Readable } from 'node:stream';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { assertValidKey, FileNotFoundError, type FileStore, type PutOptions } from './store.js';

// The SDK (with its shared AWS core, about 6 MB resident) loads with the first
// call: every process imports this module, few of them store files in S3.
const s3Sdk = () => import('@aws-sdk/client-s3');

export interface S3StoreOptions {
  bucket: string;
  region: string;
  /** Only for S3-compatible providers and stand-ins. */
  endpoint?: string;
  forcePathStyle?: boolean;
  credentials?: S3ClientConfig['credentials'];
  /** Key prefix inside the bucket, e.g. `vigie/`. */
  prefix?: string;
  /** Bodies of unknown length are read into memory up to this size before the upload. */
  maxBufferedBytes?: number;
}

function notFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

export function s3Store(opts: S3StoreOptions, client?: S3Client): FileStore {
  let s3 = client;
  /** The SDK and this store's client, both made on first use. */
  const loaded = async () => {
    const sdk = await s3Sdk();
    s3 ??= new sdk.S3Client({
      region: opts.region,
      ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
      forcePathStyle: opts.forcePathStyle ?? !!opts.endpoint,
      // The newer default checksums (CRC32 trailers) are not understood by
      // every S3-compatible provider; our bytes carry their own GCM tag anyway.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      ...(opts.credentials ? { credentials: opts.credentials } : {}),
    });
    return { sdk, s3 };
  };
  const max = opts.maxBufferedBytes ?? 64 * 1024 * 1024;
  const objectKey = (key: string) => {
    assertValidKey(key);
    return `${opts.prefix ?? ''}${key}`;
  };
  return {
    async put(key: string, body: Readable | Buffer, _opts?: PutOptions) {
      // PutObject needs a length up front. Reading the body first also means an
      // upload cut off half-way never starts a PutObject: nothing is left behind.
      const bytes = Buffer.isBuffer(body) ? body : await readBounded(body, max);
      const { sdk, s3 } = await loaded();
      await s3.send(
        new sdk.PutObjectCommand({
          Bucket: opts.bucket,
          Key: objectKey(key),
          Body: bytes,
          ContentLength: bytes.length,
          ContentType: 'application/octet-stream',
        }),
      );
      return { size: bytes.length };
    },
    async get(key: string) {
      const { sdk, s3 } = await loaded();
      try {
        const res = await s3.send(new sdk.GetObjectCommand({ Bucket: opts.bucket, Key: objectKey(key) }));
        if (!(res.Body instanceof Readable)) throw new Error('S3 GetObject returned no Node stream');
        return res.Body;
      } catch (err) {
        if (notFound(err)) throw new FileNotFoundError(key);
        throw err;
      }
    },
    async delete(key: string) {
      const { sdk, s3 } = await loaded();
      await s3.send(new sdk.DeleteObjectCommand({ Bucket: opts.bucket, Key: objectKey(key) }));
    },
    async exists(key: string) {
      const { sdk, s3 } = await loaded();
      try {
        await s3.send(new sdk.HeadObjectCommand({ Bucket: opts.bucket, Key: objectKey(key) }));
        return true;
      } catch (err) {
        if (notFound(err)) return false;
        throw err;
      }
    },
  };
}

async function readBounded(stream: Readable, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += b.length;
    if (size > max) {
      stream.destroy();
      throw new Error(`Body larger than ${max} bytes`);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}
