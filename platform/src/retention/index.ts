// The retention module's public face: other modules import it from here only.
export type { RetentionTargetImpl } from './activities.js';
export { retentionModule } from './module.js';
