// Encryption at rest, streaming: AES-256-GCM with a fresh 96-bit IV per file.
// Layout: "VGF1" | IV (12 bytes) | ciphertext | tag (16 bytes). The storage
// key is bound as additional authenticated data, so swapping two stored files
// (or renaming one) makes decryption fail instead of serving the wrong document.
import { createCipheriv, createDecipheriv, randomBytes, type DecipherGCM } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

const MAGIC = Buffer.from('VGF1');
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const HEADER_BYTES = MAGIC.length + IV_BYTES;
/** Bytes an encrypted file has beyond its plaintext. */
export const ENCRYPTION_OVERHEAD = HEADER_BYTES + TAG_BYTES;

export function encryptStream(key: Buffer, aad: string): Transform {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  let headerSent = false;
  const header = (t: Transform) => {
    if (!headerSent) {
      t.push(Buffer.concat([MAGIC, iv]));
      headerSent = true;
    }
  };
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      header(this);
      cb(null, cipher.update(chunk));
    },
    flush(cb) {
      header(this);
      this.push(cipher.final());
      cb(null, cipher.getAuthTag());
    },
  });
}

/**
 * Decrypts; the stream errors at its end when the tag does not match. Callers
 * that must never release unauthenticated bytes (serving a document) read the
 * whole stream before sending anything.
 */
export function decryptStream(key: Buffer, aad: string): Transform {
  let head = Buffer.alloc(0);
  let decipher: DecipherGCM | undefined;
  // The last TAG_BYTES seen are held back: they may be the tag.
  let tail = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      try {
        let data = chunk;
        if (!decipher) {
          head = Buffer.concat([head, data]);
          if (head.length < HEADER_BYTES) return cb();
          if (!head.subarray(0, MAGIC.length).equals(MAGIC))
            return cb(new Error('Not an encrypted Vigie file'));
          decipher = createDecipheriv('aes-256-gcm', key, head.subarray(MAGIC.length, HEADER_BYTES));
          decipher.setAAD(Buffer.from(aad, 'utf8'));
          data = head.subarray(HEADER_BYTES);
        }
        const all = Buffer.concat([tail, data]);
        const cut = Math.max(0, all.length - TAG_BYTES);
        tail = all.subarray(cut);
        cb(null, cut > 0 ? decipher.update(all.subarray(0, cut)) : undefined);
      } catch (err) {
        cb(err as Error);
      }
    },
    flush(cb: TransformCallback) {
      try {
        if (!decipher || tail.length !== TAG_BYTES) return cb(new Error('Encrypted file is truncated'));
        decipher.setAuthTag(tail);
        cb(null, decipher.final());
      } catch (err) {
        cb(err as Error);
      }
    },
  });
}
