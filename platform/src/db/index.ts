export { withTenant, openTenantTransaction, currentTenant, type Trx } from './tenant.js';
export { createKnex, deriveUrls, redactUrl, withDatabase, type DbUrls } from './knex.js';
export { ensureRoles, APP_ROLE, OPERATOR_ROLE } from './roles.js';
export { tenantTable, tenantForeign, enableTenantRls, platformTable, TENANT_PREDICATE } from './schema.js';
export {
  migrateLatest,
  migrateRollbackAll,
  migrationStatus,
  migrationSource,
  CORE_MIGRATIONS,
  type MigrationSet,
  type MigrationModule,
} from './migrate.js';
export { afterCommit } from './after-commit.js';
export { quoteIdent, quoteLiteral } from './roles.js';
