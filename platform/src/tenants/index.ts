// The tenants module's public face: other modules import it from here only.
export type { TenantContext } from './resolve.js';
export { TenantResolver } from './resolve.js';
export { tenantsModule } from './module.js';
export { applyFolders } from './folders.js';
export { tenantFolders } from './load.js';
export { installedGeoImports } from './geo-hook.js';
export { formatPlan, isNoChange } from './apply.js';
export { disablePlugin, enablePlugin, enabledPlugins } from './plugins.js';
export type { Actor } from './audit.js';
export type { ApplyDeps } from './apply.js';
export type { FolderOutcome } from './folders.js';
export { findTenantId, listTenants, reactivateTenant, suspendTenant } from './status.js';
export { inviteMairieAdmin } from './admins.js';
export { communeRegistry } from './communes.js';
export type { OfficialCommune } from './communes.js';
export { exportTenant, writeTenantExport } from './export.js';
