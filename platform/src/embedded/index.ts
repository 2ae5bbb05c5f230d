// The embedded module's public face: other modules import it from here only.
export { StartupError } from './errors.js';
export { startEmbeddedPostgres } from './postgres.js';
export type { EmbeddedPostgres } from './postgres.js';
export { findTemporalCli, startEmbeddedTemporal } from './temporal.js';
export type { EmbeddedTemporal } from './temporal.js';
export { OWNER_ROLE, bootstrapDatabase } from './bootstrap.js';
export { lockDataDir } from './lock.js';
export type { DataDirLock } from './lock.js';
export { assertPortFree, sleep, stopManagedChildren } from './process.js';
