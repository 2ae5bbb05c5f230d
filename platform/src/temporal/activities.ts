import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { FileStore } from '../files/index.js';
import type { PlatformServices } from '../plugins/index.js';

/** The instance's file store and the secret its tenant keys derive from. */
export interface FileAccess {
  store: FileStore;
  secret: string;
}

/** What every activity factory receives: the instance's services, passed in, never imported as globals. */
export interface ActivityDeps {
  config: Config;
  /** Application pool (RLS enforced). Use withTenant for tenant data. */
  db: Knex;
  log: Logger;
  /** Core services (audit, roles, communities, notify, workflows) and what modules provide (`services.get(ref)`). */
  services: PlatformServices;
  /** Uploaded files (proofs, photos), per tenant through `tenantFiles`. */
  files: FileAccess;
}
