import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { temporalReady } from '../temporal/index.js';
import { metricsAllowed, type Metrics } from '../lib/metrics.js';
import { VigieError } from '../lib/errors.js';

const Check = Type.Object({ status: Type.Union([Type.Literal('ok'), Type.Literal('down')]) });
const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  checks: Type.Object({ database: Check, temporal: Check }),
});

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  // Liveness: the process answers. Orchestrators restart it when this fails.
  app.get(
    '/healthz',
    {
      config: { tenant: false },
      schema: {
        tags: ['health'],
        summary: 'Liveness',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  // Readiness: the database and Temporal both answer. Load balancers stop sending
  // traffic while this fails, e.g. during a database failover.
  app.get(
    '/readyz',
    {
      config: { tenant: false },
      schema: {
        tags: ['health'],
        summary: 'Readiness: database and Temporal reachable',
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_req, reply) => {
      const [database, temporal] = await Promise.all([
        app.db
          .raw('select 1')
          .then(() => true)
          .catch(() => false),
        app.temporal ? temporalReady(app.temporal) : Promise.resolve(false),
      ]);
      const ok = database && temporal;
      return reply.status(ok ? 200 : 503).send({
        status: ok ? 'ready' : 'not_ready',
        checks: {
          database: { status: database ? 'ok' : 'down' },
          temporal: { status: temporal ? 'ok' : 'down' },
        },
      });
    },
  );
}

/** Prometheus scrapes the instance's registry here (infra/helm: annotations and alerting rules). */
export async function metricsRoutes(app: FastifyInstance, opts: { metrics: Metrics }): Promise<void> {
  app.get(
    '/metrics',
    { config: { tenant: false }, schema: { tags: ['health'], summary: 'Prometheus metrics (bearer token)' } },
    async (req, reply) => {
      if (!metricsAllowed(req.headers.authorization, req.socket.remoteAddress, app.config.metricsToken))
        throw new VigieError('UNAUTHENTICATED');
      return reply.type(opts.metrics.registry.contentType).send(await opts.metrics.registry.metrics());
    },
  );
}
