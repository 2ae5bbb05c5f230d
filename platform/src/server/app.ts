// The Fastify app factory. Production, `npm start` and the tests all build the
// app through this one function, so that what the tests exercise is what runs.
import { randomUUID } from 'node:crypto';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import swagger from '@fastify/swagger';
import type { Knex } from 'knex';
import type { Config } from '../config/config.js';
import type { Temporal } from '../temporal/index.js';
import type { VigiePlugin } from '../plugins/index.js';
import type { CoreModule } from '../core/module.js';
import type { PlatformServices } from '../plugins/index.js';
import type { InstanceLookup } from '../core/lifecycle.js';
import type { FileAccess } from '../temporal/index.js';
import type { Metrics } from '../lib/metrics.js';
import type { FileStore } from '../files/index.js';
import type { Tracing } from '../telemetry/index.js';
import {
  buildErrorCatalogue,
  pickLocale,
  toPublicError,
  VigieError,
  type ErrorCatalogue,
} from '../lib/errors.js';
import { healthRoutes, metricsRoutes } from './health.js';
import { allowedMethods, restBoundary } from './boundary.js';
import { requestContextModule } from '../http/index.js';
import { graphqlModule } from '../graphql/index.js';
import { loggerOptions } from './logging.js';
import {
  isPageRequest,
  loadWebAssets,
  sendNoPortal,
  sendShell,
  webAssetRoutes,
  type WebAssets,
} from '../web/index.js';

/** What the app is built from: an assembled instance (main/assembly.ts). */
export interface AppInstance extends InstanceLookup {
  config: Config;
  /** Application pool: the vigie_app role, subject to RLS. */
  db: Knex;
  /** Operator pool: the separate code path of platform operators. */
  operatorDb: Knex;
  temporal: Temporal | undefined;
  plugins: readonly VigiePlugin[];
  modules: readonly CoreModule[];
  services: PlatformServices;
  files: FileAccess;
  metrics: Metrics;
  /** OpenTelemetry, when configured: a span per request, the parent of what the request starts. */
  tracing?: Tracing | undefined;
}

export interface AppDeps {
  vigie: AppInstance;
  /** Overrides the pino options (tests capture logs). */
  logger?: FastifyServerOptions['logger'];
  /** The built web front end; read from admin-ui/dist when omitted, none with false. */
  web?: WebAssets | false;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Knex;
    operatorDb: Knex;
    temporal: Temporal | undefined;
    plugins: readonly VigiePlugin[];
    modules: readonly CoreModule[];
    services: PlatformServices;
    /** The instance this app serves: what its modules and plugins provide (`app.vigie.get(ref)`). */
    vigie: AppInstance;
    /** The file store (raw): reach a commune's files through tenantFiles(app.files, app.config.secret, tenantId). */
    files: FileStore;
    /** The error codes of the installed modules and plugins. */
    errorCatalogue: ErrorCatalogue;
  }
  interface FastifyRequest {
    /** The caller's language for error messages: the account's, else Accept-Language, else French. */
    locale(): 'fr' | 'en';
  }
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { vigie } = deps;
  const { config } = vigie;
  const app = Fastify({
    logger: deps.logger ?? loggerOptions(config),
    genReqId: (req) => {
      // Accept a caller's request id only when it looks like one, so logs cannot be forged with it.
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
    },
    trustProxy: config.env === 'production',
    bodyLimit: 1_048_576,
    // Plugins are many; the default 10 s is too short on a cold 2-core machine.
    pluginTimeout: 60_000,
    // Errors raised before routing (a malformed URL, a parameter over maxParamLength) in our shape too.
    frameworkErrors: (err, req, reply) => {
      // The request is not routed yet: no decorators, no session; the browser's language only.
      const locale = pickLocale(undefined, req.headers['accept-language']);
      const { status, body } = toPublicError(err, req.id, locale);
      req.log.info({ code: body.code, status, fastifyCode: err.code }, 'request refused');
      void (reply as FastifyReply).status(status).send(body);
    },
  });

  // First, so that its hooks wrap every route registered below.
  if (vigie.tracing) await app.register(vigie.tracing.fastifyPlugin);

  app.decorate('config', config);
  app.decorate('db', vigie.db);
  app.decorate('operatorDb', vigie.operatorDb);
  app.decorate('temporal', vigie.temporal);
  app.decorate('plugins', vigie.plugins);
  app.decorate('modules', vigie.modules);
  app.decorate('services', vigie.services);
  app.decorate('vigie', vigie);
  app.decorate('files', vigie.files.store);

  app.decorate('errorCatalogue', buildErrorCatalogue([...vigie.modules, ...vigie.plugins]));
  app.decorateRequest('locale', function (this: FastifyRequest) {
    return pickLocale(this.principal?.locale, this.headers['accept-language']);
  });

  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  app.setErrorHandler((err, req, reply) => {
    const { status, body } = toPublicError(err, req.id, req.locale());
    if (status >= 500) req.log.error({ err }, 'request failed');
    else req.log.info({ code: body.code, status }, 'request refused');
    return reply.status(status).send(body);
  });

  restBoundary(app);

  // An attacker could probe for valid URLs if 404s were free and chatty: they
  // carry a fixed code and no echo of the path. A known path asked with a method
  // it does not have is a 405 that lists the methods it has (RFC 9110 §15.5.6).
  const web = deps.web === false ? undefined : (deps.web ?? loadWebAssets());
  app.setNotFoundHandler(async (req, reply) => {
    if (isPageRequest(req)) {
      // A browser opening a page of a commune (/communaute, /alertes/…) gets the shell,
      // unless no commune answers to the host, or the one that did has left.
      const host = await app.tenants.resolve(req.headers.host);
      if (host.kind === 'unknown') return sendNoPortal(req, reply, { kind: 'unknown' });
      if (host.kind === 'tenant' && host.tenant.closed)
        return sendNoPortal(req, reply, { kind: 'closed', name: host.tenant.name });
      if (web) return sendShell(req, reply, web);
    }
    const allow = allowedMethods(app, req.url);
    if (allow.length > 0) {
      const { status, body } = toPublicError(new VigieError('METHOD_NOT_ALLOWED'), req.id, req.locale());
      return reply.status(status).header('allow', allow.join(', ')).send(body);
    }
    const { status, body } = toPublicError(new VigieError('ROUTE_NOT_FOUND'), req.id, req.locale());
    return reply.status(status).send(body);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Vigie API',
        version: '0.1.0',
        description: 'REST routes of Vigie. GraphQL lives at /graphql.',
      },
    },
    hideUntagged: false,
  });

  await app.register(requestContextModule);
  await app.register(healthRoutes);
  await app.register(metricsRoutes, { metrics: vigie.metrics });
  if (web) await app.register(webAssetRoutes, { web });
  await app.register(graphqlModule, { plugins: [...vigie.plugins], modules: [...vigie.modules] });
  for (const m of vigie.modules) if (m.routes) await app.register(m.routes);
  for (const plugin of vigie.plugins) {
    const routes = plugin.routes;
    if (!routes) continue;
    await app.register(
      async (scope) => {
        // A commune without the plugin gets the same 404 as for a URL that does not exist.
        scope.addHook('onRequest', async (req) => {
          if (!req.tenant?.plugins.has(plugin.id)) throw new VigieError('ROUTE_NOT_FOUND');
        });
        await scope.register(routes);
      },
      { prefix: `/p/${plugin.id}` },
    );
  }

  app.get('/openapi.json', { schema: { hide: true }, config: { tenant: false } }, async () => app.swagger());
  return app;
}
