export { buildApp, type AppDeps } from './server/app.js';
export { loadConfig, ConfigError, ENV_VARS, type Config } from './config/config.js';
export {
  CORE_ERRORS,
  VigieError,
  fail,
  defineErrors,
  buildErrorCatalogue,
  toPublicError,
  type CoreErrorCode,
  type ErrorSpec,
} from './lib/errors.js';
export * from './db/index.js';
export {
  connectTemporal,
  tenantWorkflowOptions,
  temporalReady,
  ensureSearchAttributes,
  TenantIdKey,
  type Temporal,
} from './temporal/client.js';
export { bundleWorkflows, startWorker, mergeActivities, type RunningWorker } from './temporal/worker.js';
export { definePlugin, sortByDependencies, type VigiePlugin } from './plugins/contract.js';
// Benchmarks and tools start a throw-away database the way the test harness does.
export { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded/postgres.js';
export { bootstrapDatabase } from './embedded/bootstrap.js';
export { findTemporalCli, startEmbeddedTemporal, type EmbeddedTemporal } from './embedded/temporal.js';
export { migrate } from './main/runtime.js';
export { installedPlugins } from './main/installed-plugins.js';
export * as geo from './geo/index.js';
export * as alerts from './alerts/index.js';
