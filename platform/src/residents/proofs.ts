// Proofs of address: what is accepted (PDF, JPEG, PNG, identified by their
// first bytes, never by the name or the declared type), at most 10 MB, and how
// an upload reaches the file store: checked while it streams, encrypted, and
// written to a temporary file that becomes the stored file only once the last
// byte has been read and checked.
import { createHash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { VigieError, isVigieError } from '../server/errors.js';
import { newFileKey, type FileStore } from '../files/index.js';

export const MAX_PROOF_BYTES = 10 * 1024 * 1024;
export type ProofMime = 'application/pdf' | 'image/jpeg' | 'image/png';

const SIGNATURES: Array<{ mime: ProofMime; bytes: number[] }> = [
  { mime: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { mime: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { mime: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
];
const SNIFF_BYTES = 8;

/** The type announced by the first bytes, or null for anything else (an ELF or MZ executable, a ZIP, HTML…). */
export function sniffProof(head: Buffer): ProofMime | null {
  for (const s of SIGNATURES) {
    if (head.length >= s.bytes.length && s.bytes.every((b, i) => head[i] === b)) return s.mime;
  }
  return null;
}

/** Passes the bytes through, refusing them as soon as they cannot be a proof. */
export class ProofInspector extends Transform {
  mime: ProofMime | null = null;
  size = 0;
  private head = Buffer.alloc(0);
  private readonly hash = createHash('sha256');

  constructor(private readonly maxBytes = MAX_PROOF_BYTES) {
    super();
  }

  get sha256(): string {
    return this.hash.copy().digest('hex');
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) return cb(new VigieError('PROOF_TOO_LARGE'));
    this.hash.update(chunk);
    if (this.mime) return cb(null, chunk);
    this.head = Buffer.concat([this.head, chunk]);
    if (this.head.length < SNIFF_BYTES) return cb();
    if (!this.decide()) return cb(new VigieError('PROOF_TYPE_UNSUPPORTED'));
    const held = this.head;
    this.head = Buffer.alloc(0);
    cb(null, held);
  }

  override _flush(cb: TransformCallback): void {
    if (this.size === 0) return cb(new VigieError('PROOF_EMPTY'));
    if (!this.mime && !this.decide()) return cb(new VigieError('PROOF_TYPE_UNSUPPORTED'));
    cb(null, this.head.length ? this.head : undefined);
  }

  private decide(): boolean {
    this.mime = sniffProof(this.head);
    return this.mime !== null;
  }
}

export interface StoredProof {
  key: string;
  mime: ProofMime;
  size: number;
  sha256: string;
}

/** Errors of a cut or oversized multipart stream, as our codes. */
export function uploadError(err: unknown): unknown {
  if (isVigieError(err)) return err;
  const e = err as { code?: string; statusCode?: number; message?: string };
  if (e?.code === 'FST_REQ_FILE_TOO_LARGE' || e?.statusCode === 413) return new VigieError('PROOF_TOO_LARGE');
  if (e?.code === 'ERR_STREAM_PREMATURE_CLOSE' || /unexpected end of (form|multipart)|aborted|premature/i.test(e?.message ?? '')) {
    return new VigieError('PROOF_UPLOAD_INCOMPLETE');
  }
  return err;
}

/**
 * Streams an uploaded document into the commune's file store under a fresh
 * random key. Rejects (and stores nothing) when the bytes are not a proof,
 * are too many, or stop arriving.
 */
export async function storeProof(files: FileStore, upload: Readable): Promise<StoredProof> {
  const inspector = new ProofInspector();
  const key = newFileKey('proofs');
  upload.on('error', (err) => inspector.destroy(err));
  inspector.on('error', () => upload.resume());
  try {
    await files.put(key, upload.pipe(inspector));
  } catch (err) {
    // The store removed its temporary file; make sure the key is empty too.
    await files.delete(key).catch(() => undefined);
    throw uploadError(err);
  }
  // A multipart stream cut by a size limit may end "normally" but truncated.
  if ((upload as Readable & { truncated?: boolean }).truncated) {
    await files.delete(key);
    throw new VigieError('PROOF_TOO_LARGE');
  }
  return { key, mime: inspector.mime!, size: inspector.size, sha256: inspector.sha256 };
}
