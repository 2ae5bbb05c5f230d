// A commune's view of the file store: its keys live under its own prefix and
// its files are encrypted with its own key, derived from VIGIE_SECRET with
// HKDF. A leaked bucket or disk yields ciphertext only; a bug that reads
// another commune's key prefix still cannot decrypt what it finds.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { deriveKey } from '../lib/crypto.js';
import { decryptStream, encryptStream, ENCRYPTION_OVERHEAD } from './encryption.js';
import { assertValidKey, type FileStore, type PutOptions } from './store.js';

export function tenantFileKey(secret: string, tenantId: string): Buffer {
  return deriveKey(secret, `files:tenant:${tenantId}`);
}

/** A random key name: never derived from the original file name or the owner. */
export function newFileKey(kind: string): string {
  assertValidKey(kind);
  return `${kind}/${randomBytes(24).toString('base64url')}`;
}

export function tenantFiles(store: FileStore, secret: string, tenantId: string): FileStore {
  if (!/^[0-9a-f-]{36}$/i.test(tenantId)) throw new Error('tenantFiles needs a tenant uuid');
  const key = tenantFileKey(secret, tenantId);
  const full = (k: string) => {
    assertValidKey(k);
    return `tenants/${tenantId}/${k}`;
  };
  return {
    async put(k: string, body: Readable | Buffer, opts: PutOptions = {}) {
      const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
      const encrypted = source.pipe(encryptStream(key, full(k)));
      // A failing source must fail the put (pipe() alone would leave it hanging).
      source.on('error', (err) => encrypted.destroy(err));
      const { size } = await store.put(full(k), encrypted, {
        ...opts,
        ...(opts.size !== undefined ? { size: opts.size + ENCRYPTION_OVERHEAD } : {}),
      });
      return { size: size - ENCRYPTION_OVERHEAD };
    },
    async get(k: string) {
      const raw = await store.get(full(k));
      const out = raw.pipe(decryptStream(key, full(k)));
      raw.on('error', (err) => out.destroy(err));
      return out;
    },
    delete: (k: string) => store.delete(full(k)),
    exists: (k: string) => store.exists(full(k)),
  };
}
