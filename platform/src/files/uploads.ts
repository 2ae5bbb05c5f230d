// What every upload shares (proofs of address, alert photos): the type is read
// from the first bytes, never from the name or the declared type; the size is
// counted while the bytes stream, so an oversized upload is refused at its
// first extra byte instead of after it has been read; and the errors of a cut
// or oversized multipart stream become the caller's stable codes.
import { createHash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { VigieError, isVigieError, type DeclaredCode } from '../lib/errors.js';

export type UploadMime = 'application/pdf' | 'image/jpeg' | 'image/png';

const SIGNATURES: Array<{ mime: UploadMime; bytes: number[] }> = [
  { mime: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { mime: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { mime: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
];
export const SNIFF_BYTES = 8;

/** The accepted type announced by the first bytes, or null for anything else (an ELF or MZ executable, a ZIP, HTML…). */
export function sniffUpload<M extends UploadMime>(head: Buffer, accepted: readonly M[]): M | null {
  for (const s of SIGNATURES) {
    if (!(accepted as readonly UploadMime[]).includes(s.mime)) continue;
    if (head.length >= s.bytes.length && s.bytes.every((b, i) => head[i] === b)) return s.mime as M;
  }
  return null;
}

/** The stable codes an upload answers with; each caller names its own (PROOF_*, ALERT_PHOTO_*). */
/** The owner's codes for each refusal, from its `defineErrors(...).code(...)`. */
export interface UploadCodes {
  tooLarge: DeclaredCode;
  unsupported: DeclaredCode;
  empty: DeclaredCode;
  incomplete: DeclaredCode;
}

export interface UploadRules<M extends UploadMime> {
  accepted: readonly M[];
  maxBytes: number;
  codes: UploadCodes;
}

/** Passes the bytes through, refusing them as soon as they cannot be an accepted upload. */
export class UploadInspector<M extends UploadMime> extends Transform {
  mime: M | null = null;
  size = 0;
  private head = Buffer.alloc(0);
  private readonly hash = createHash('sha256');

  constructor(private readonly rules: UploadRules<M>) {
    super();
  }

  get sha256(): string {
    return this.hash.copy().digest('hex');
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.rules.maxBytes) return cb(new VigieError(this.rules.codes.tooLarge));
    this.hash.update(chunk);
    if (this.mime) return cb(null, chunk);
    this.head = Buffer.concat([this.head, chunk]);
    if (this.head.length < SNIFF_BYTES) return cb();
    if (!this.decide()) return cb(new VigieError(this.rules.codes.unsupported));
    const held = this.head;
    this.head = Buffer.alloc(0);
    cb(null, held);
  }

  override _flush(cb: TransformCallback): void {
    if (this.size === 0) return cb(new VigieError(this.rules.codes.empty));
    if (!this.mime && !this.decide()) return cb(new VigieError(this.rules.codes.unsupported));
    cb(null, this.head.length ? this.head : undefined);
  }

  private decide(): boolean {
    this.mime = sniffUpload(this.head, this.rules.accepted);
    return this.mime !== null;
  }
}

/** Errors of a cut or oversized multipart stream, as the caller's codes. */
export function uploadError(err: unknown, codes: Pick<UploadCodes, 'tooLarge' | 'incomplete'>): unknown {
  if (isVigieError(err)) return err;
  const e = err as { code?: string; statusCode?: number; message?: string };
  if (e?.code === 'FST_REQ_FILE_TOO_LARGE' || e?.statusCode === 413) return new VigieError(codes.tooLarge);
  if (
    e?.code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    /unexpected end of (form|multipart)|aborted|premature/i.test(e?.message ?? '')
  ) {
    return new VigieError(codes.incomplete);
  }
  return err;
}

/**
 * Pipes an upload through its inspector. The returned stream fails with the
 * inspector's code; a failing inspector drains the upload so that the
 * multipart parser can finish the request.
 */
export function inspectUpload<M extends UploadMime>(
  upload: Readable,
  rules: UploadRules<M>,
): { inspector: UploadInspector<M>; stream: Readable } {
  const inspector = new UploadInspector(rules);
  upload.on('error', (err) => inspector.destroy(err));
  inspector.on('error', () => upload.resume());
  return { inspector, stream: upload.pipe(inspector) };
}

/** A multipart stream cut by a size limit may end "normally" but truncated. */
export function wasTruncated(upload: Readable): boolean {
  return !!(upload as Readable & { truncated?: boolean }).truncated;
}
