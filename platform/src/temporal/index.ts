// The temporal module's public face: other modules import it from here only.
export {
  TenantIdKey,
  connectTemporal,
  ensureSearchAttributes,
  temporalReady,
  tenantWorkflowOptions,
} from './client.js';
export type { Temporal } from './client.js';
export type { ActivityDeps, FileAccess } from './activities.js';
export {
  bundleWorkflows,
  bundleWorkflowsApart,
  configureWorkerRuntime,
  connectWorkers,
  mergeActivities,
  startWorker,
} from './worker.js';
export type { RunningWorker, WorkflowSource } from './worker.js';
