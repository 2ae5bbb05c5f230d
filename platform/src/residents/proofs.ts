// Proofs of address: what is accepted (PDF, JPEG, PNG, identified by their
// first bytes, never by the name or the declared type), at most 10 MB, and how
// an upload reaches the file store: checked while it streams, encrypted, and
// written to a temporary file that becomes the stored file only once the last
// byte has been read and checked. The sniffing and streaming checks are shared
// with alert photos (files/uploads.ts).
import type { Readable } from 'node:stream';
import { fail, residentsErrors } from './errors.js';

import { newFileKey, type FileStore } from '../files/index.js';
import {
  inspectUpload,
  sniffUpload,
  uploadError as asUploadError,
  wasTruncated,
  type UploadRules,
} from '../files/index.js';

export const MAX_PROOF_BYTES = 10 * 1024 * 1024;
export type ProofMime = 'application/pdf' | 'image/jpeg' | 'image/png';

const PROOF_RULES: UploadRules<ProofMime> = {
  accepted: ['application/pdf', 'image/jpeg', 'image/png'],
  maxBytes: MAX_PROOF_BYTES,
  codes: {
    tooLarge: residentsErrors.code('PROOF_TOO_LARGE'),
    unsupported: residentsErrors.code('PROOF_TYPE_UNSUPPORTED'),
    empty: residentsErrors.code('PROOF_EMPTY'),
    incomplete: residentsErrors.code('PROOF_UPLOAD_INCOMPLETE'),
  },
};

/** The type announced by the first bytes, or null for anything else (an ELF or MZ executable, a ZIP, HTML…). */
export function sniffProof(head: Buffer): ProofMime | null {
  return sniffUpload(head, PROOF_RULES.accepted);
}

export interface StoredProof {
  key: string;
  mime: ProofMime;
  size: number;
  sha256: string;
}

/** Errors of a cut or oversized multipart stream, as our codes. */
export function uploadError(err: unknown): unknown {
  return asUploadError(err, PROOF_RULES.codes);
}

/**
 * Streams an uploaded document into the commune's file store under a fresh
 * random key. Rejects (and stores nothing) when the bytes are not a proof,
 * are too many, or stop arriving.
 */
export async function storeProof(files: FileStore, upload: Readable): Promise<StoredProof> {
  const { inspector, stream } = inspectUpload(upload, PROOF_RULES);
  const key = newFileKey('proofs');
  try {
    await files.put(key, stream);
  } catch (err) {
    // The store removed its temporary file; make sure the key is empty too.
    await files.delete(key).catch(() => undefined);
    throw uploadError(err);
  }
  if (wasTruncated(upload)) {
    await files.delete(key);
    throw fail('PROOF_TOO_LARGE');
  }
  return { key, mime: inspector.mime!, size: inspector.size, sha256: inspector.sha256 };
}
