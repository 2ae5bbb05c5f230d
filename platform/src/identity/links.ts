import type { Config } from '../config/config.js';

/** The commune's portal URL, from the public URL: http://localhost:3000 → http://serris.localhost:3000 */
export function portalUrl(config: Config, slug: string): string {
  const u = new URL(config.publicUrl);
  u.hostname = `${slug}.${config.baseDomain}`;
  return u.toString().replace(/\/$/, '');
}
