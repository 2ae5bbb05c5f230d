import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { PlatformServices } from '../plugins/services.js';

/** What every activity factory receives: the platform's services, passed in, never imported as globals. */
export interface ActivityDeps {
  config: Config;
  /** Application pool (RLS enforced). Use withTenant for tenant data. */
  db: Knex;
  log: Logger;
  /** Core services (audit, roles, communities, notify, workflows). */
  services: PlatformServices;
}
