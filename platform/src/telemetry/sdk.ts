// The OpenTelemetry SDK, loaded only when tracing is on (tracing.ts imports
// this file dynamically). SDK 1.x: the line @temporalio/interceptors-opentelemetry
// 1.24 is built on, whose workflow spans arrive from the isolate in 1.x shape
// (parentSpanId, instrumentationLibrary) and would lose their parent in a 2.x exporter.
import { createRequire } from 'node:module';
import { context, propagation, trace, type Context, type ProxyTracerProvider } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type ReadableSpan,
  type Span,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { TracingConfig } from '../config/config.js';
import type { Tracing } from './tracing.js';

const require = createRequire(import.meta.url);

/** Probes and scrapes: one span every few seconds per pod, telling nothing. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

// Text holding an email address or an E.164 number (how Vigie stores phones).
// Vigie's own spans carry ids and codes only; this catches what a library might add.
const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]+/;
const PHONE = /\+\d{8,15}/;

function safeValue(v: unknown): boolean {
  if (typeof v === 'number' || typeof v === 'boolean') return true;
  if (typeof v === 'string') return !EMAIL.test(v) && !PHONE.test(v);
  return Array.isArray(v) && v.every((x) => typeof x !== 'object' && safeValue(x));
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Personal data never leaves in a span. Before export: attributes keep only
 * plain values (the workflow sink copies the whole WorkflowInfo in, memo and
 * last failure included), exceptions keep their type without their message
 * (a provider's error may quote the number it refused), and the status keeps
 * its code without text. The request id and trace id lead to the full error
 * in the logs, which redact on their own.
 */
export function scrubSpan(span: ReadableSpan): void {
  const attrs = span.attributes as Record<string, unknown>;
  for (const [k, v] of Object.entries(attrs)) if (!safeValue(v)) delete attrs[k];
  for (const event of span.events) {
    const a = (event.attributes ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(a)) if (k !== 'exception.type' || !safeValue(v)) delete a[k];
  }
  if (span.status.message !== undefined) (span as Mutable<ReadableSpan>).status = { code: span.status.code };
}

class PersonalDataGuard implements SpanProcessor {
  constructor(private readonly next: SpanProcessor) {}
  onStart(span: Span, parent: Context): void {
    this.next.onStart(span, parent);
  }
  onEnd(span: ReadableSpan): void {
    scrubSpan(span);
    this.next.onEnd(span);
  }
  forceFlush(): Promise<void> {
    return this.next.forceFlush();
  }
  shutdown(): Promise<void> {
    return this.next.shutdown();
  }
}

export function createTracing(config: TracingConfig, serviceName: string): Tracing {
  const resource = Resource.default().merge(new Resource({ 'service.name': serviceName }));
  const processor = new PersonalDataGuard(
    new BatchSpanProcessor(new OTLPTraceExporter({ url: config.tracesUrl })),
  );
  const provider = new NodeTracerProvider({
    resource,
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.sampleRatio) }),
    spanProcessors: [processor],
  });
  // W3C trace context and AsyncLocalStorage: a span started in a resolver is the parent of the workflow start.
  provider.register();
  if ((trace.getTracerProvider() as ProxyTracerProvider).getDelegate() !== provider) {
    throw new Error('Another OpenTelemetry tracer provider is already registered in this process');
  }

  const fastifyOtel = new FastifyOtelInstrumentation({
    registerOnInitialization: false,
    ignorePaths: (route) => UNTRACED_PATHS.has(route.url),
    // The exception's message may quote the input; the status code and the request id are enough.
    recordExceptions: false,
    requestHook: (span, request) => {
      // Without the query string: links carry tokens (email verification, password reset).
      span.setAttribute('url.path', request.url.split('?')[0]!);
    },
  });

  return {
    serviceName,
    clientInterceptors: [new OpenTelemetryWorkflowClientInterceptor()],
    worker: {
      interceptors: {
        activity: [
          (ctx) => ({
            inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
            outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
          }),
        ],
      },
      // Workflow spans are made in the isolate and handed out through this sink, then guarded like the others.
      sinks: { exporter: makeWorkflowExporter(processor, resource) },
    },
    workflowModules: [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')],
    fastifyPlugin: fastifyOtel.plugin(),
    forceFlush: () => provider.forceFlush(),
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
