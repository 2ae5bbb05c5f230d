// The telemetry module's public face: other modules import it from here only.
export { startTracing } from './tracing.js';
export type { ProcessRole, Tracing } from './tracing.js';
