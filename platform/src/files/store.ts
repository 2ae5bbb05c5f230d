// The `files` port: where Vigie keeps uploaded documents (proofs of address).
// Adapters store opaque bytes under opaque keys; what the bytes are, who may
// read them and how they are encrypted is decided above the port (see
// tenant-files.ts). Nothing stored here is ever reachable from a public URL:
// documents leave only through authenticated routes.
import type { Readable } from 'node:stream';

export interface PutOptions {
  /** Length of the body when known; adapters that need it (S3) spool the body to learn it otherwise. */
  size?: number;
  contentType?: string;
}

export interface FileStore {
  /**
   * Stores the body under `key`, atomically: the key holds either nothing or
   * the complete body. A body stream that errors (a cut upload, a failed
   * check) leaves nothing behind. Returns the number of bytes stored.
   */
  put(key: string, body: Readable | Buffer, opts?: PutOptions): Promise<{ size: number }>;
  /** The stored bytes; throws FileNotFoundError when the key holds nothing. */
  get(key: string): Promise<Readable>;
  /** Idempotent: deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}

export class FileNotFoundError extends Error {
  readonly code = 'FILE_NOT_FOUND';
  constructor(key: string) {
    super(`No file under ${key}`);
    this.name = 'FileNotFoundError';
  }
}

export function isFileNotFound(err: unknown): err is FileNotFoundError {
  return err instanceof FileNotFoundError || (err as { code?: string } | null)?.code === 'FILE_NOT_FOUND';
}

// Keys are built by Vigie (never from a file name a user chose), so a strict
// alphabet costs nothing and rules out path traversal on the disk adapter.
const KEY = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+){0,8}$/;

export function assertValidKey(key: string): void {
  if (!KEY.test(key) || key.length > 512) throw new Error(`Invalid file key: ${JSON.stringify(key)}`);
}

/** Reads a whole stream; callers bound the size (proofs are at most 10 MB). */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}
