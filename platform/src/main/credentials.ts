// Secrets of the single-machine default, generated on first start and kept in
// .vigie/credentials.json (mode 0600) so that restarts reuse the same database.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface LocalCredentials {
  pgSuperuser: string;
  pgOwner: string;
  secret: string;
}

export function localCredentials(dataDir: string): LocalCredentials {
  const file = path.join(dataDir, 'credentials.json');
  if (existsSync(file)) {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalCredentials>;
      if (parsed.pgSuperuser && parsed.pgOwner && parsed.secret) return parsed as LocalCredentials;
    } catch {
      /* unreadable: regenerate below only if no cluster depends on it yet */
    }
  }
  const creds: LocalCredentials = {
    pgSuperuser: randomBytes(18).toString('base64url'),
    pgOwner: randomBytes(18).toString('base64url'),
    secret: randomBytes(32).toString('base64url'),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(creds, null, 2), { mode: 0o600 });
  return creds;
}
