// Seeds the demo communes found under tenants/ on every start (idempotent).
import type { Logger } from 'pino';
import type { Runtime } from './runtime.js';

export interface SeedReport {
  portals: Array<{ slug: string; name: string }>;
  logins: Array<{ tenant: string; role: string; email: string; password: string }>;
}

export async function seedDemo(_rt: Runtime, _tenantsDir: string, _log: Logger): Promise<SeedReport> {
  // Communes as code arrive with the tenancy module; until then there is nothing to seed.
  return { portals: [], logins: [] };
}
