// VAPID keys identify this platform to the browsers' push services. A browser
// subscribes with the public key, and every push is signed with the private
// one: a key that changes orphans every subscription. On a single machine
// they are generated once into the data dir and kept there; in production
// they come from the configuration, the same for every instance.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import webpush from 'web-push';
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
  const keys = webpush.generateVAPIDKeys();
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
