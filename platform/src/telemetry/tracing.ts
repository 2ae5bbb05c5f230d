// OpenTelemetry traces, off unless VIGIE_OTEL_ENDPOINT is set. Off, nothing of
// the SDK is loaded: `startTracing` answers undefined and the Temporal client,
// the workers and the app are built exactly as before. On, one tracer provider
// per process (OpenTelemetry's API is global by design), started before the
// Temporal client so that its interceptor is in place for the first workflow.
import type { FastifyPluginCallback } from 'fastify';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { WorkerOptions } from '@temporalio/worker';
import type { Config } from '../config/config.js';

/** What the process is: the default service.name is vigie-<role>. */
export type ProcessRole = 'api' | 'worker' | 'all-in-one' | 'test';

export interface Tracing {
  serviceName: string;
  /** A workflow started through this client carries the caller's trace (GraphQL mutation → workflow). */
  clientInterceptors: WorkflowClientInterceptor[];
  /** Activity interceptors, and the sink that exports the workflows' spans, for every worker. */
  worker: Required<Pick<WorkerOptions, 'interceptors' | 'sinks'>>;
  /** Added to the workflow bundle: the workflow-side interceptors (a bundle built without them traces no workflow). */
  workflowModules: string[];
  /** @fastify/otel: one span per request, registered before any route. */
  fastifyPlugin: FastifyPluginCallback;
  /** Exports what is buffered (tests, and before a process exits). */
  forceFlush(): Promise<void>;
  /** Flushes, then unregisters the provider. */
  shutdown(): Promise<void>;
}

export async function startTracing(config: Config, role: ProcessRole): Promise<Tracing | undefined> {
  if (!config.tracing) return undefined;
  const { createTracing } = await import('./sdk.js');
  return createTracing(config.tracing, config.tracing.serviceName ?? `vigie-${role}`);
}
