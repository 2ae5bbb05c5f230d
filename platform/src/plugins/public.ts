// @vigie/platform/plugin: the only platform module a plugin may import.
export { definePlugin, type PluginDefinition, type VigiePlugin, type PermissionDef, type PluginGraphql, type ActivityFn, type PluginSettings } from './contract.js';
export type { ActivityDeps } from '../temporal/activities.js';
export { VigieError, fail, type ErrorSpec } from '../server/errors.js';
export { withTenant, tenantTable, tenantForeign, enableTenantRls, type Trx } from '../db/index.js';
export type { PlatformServices, Community, CommunityMember, NotifyInput } from './services.js';
export type { VigieContext } from '../graphql/index.js';
export type { AccountPrincipal, Role, Scope } from '../identity/permissions.js';
export type { TenantContext } from '../tenancy/resolve.js';
