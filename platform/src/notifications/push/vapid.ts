// VAPID keys identify this platform to the browsers' push services. A browser
// subscribes with the public key, and every push is signed with the private
// one: a key that changes orphans every subscription. On a single machine
// they are generated once into the data dir and kept there; in production
// they come from the configuration, the same for every instance.
import { createECDH } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config, VapidConfig } from '../../config/config.js';

const DEV_SUBJECT = 'mailto:contact@vigie.localhost';

/** The keys in force: the configured ones, or (outside production) the data dir's, created on first need. Null: web push is off. */
export function resolveVapid(config: Pick<Config, 'env' | 'dataDir' | 'vapid'>): VapidConfig | null {
  if (config.vapid) return config.vapid;
  if (config.env === 'production') return null;
  return localVapid(path.join(config.dataDir, 'vapid.json'));
}

function localVapid(file: string): VapidConfig {
  try {
    const k = JSON.parse(readFileSync(file, 'utf8')) as Partial<VapidConfig>;
    if (k.publicKey && k.privateKey)
      return { publicKey: k.publicKey, privateKey: k.privateKey, subject: k.subject ?? DEV_SUBJECT };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const keys = generateVapidKeys();
  const created: VapidConfig = { ...keys, subject: DEV_SUBJECT };
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    // wx: the API and the worker may start together; the first writer wins and the other reads its keys.
    writeFileSync(file, JSON.stringify(created, null, 2), { mode: 0o600, flag: 'wx' });
    return created;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return localVapid(file);
  }
}

/**
 * A new P-256 key pair in the form VAPID uses (RFC 8292): the public key as
 * the uncompressed point, the private key as its 32 bytes, both base64url.
 * What `web-push`'s generateVAPIDKeys() returns, without loading web-push
 * (about 12 MB resident) into a process that never sends a push.
 */
export function generateVapidKeys(): { publicKey: string; privateKey: string } {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const pad = (b: Buffer, n: number) => (b.length < n ? Buffer.concat([Buffer.alloc(n - b.length), b]) : b);
  return {
    publicKey: ecdh.getPublicKey().toString('base64url'),
    privateKey: pad(ecdh.getPrivateKey(), 32).toString('base64url'),
  };
}
