// @vigie/platform/plugin: the only platform module a plugin may import.
export { definePlugin, type PluginDefinition, type VigiePlugin, type PermissionDef, type PluginGraphql, type ActivityFn, type PluginSettings } from './contract.js';
export type { ActivityDeps } from '../temporal/activities.js';
export { VigieError, fail, type ErrorSpec } from '../server/errors.js';
export { withTenant, tenantTable, tenantForeign, enableTenantRls, type Trx } from '../db/index.js';
