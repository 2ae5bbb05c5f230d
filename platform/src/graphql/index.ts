// GraphQL at /graphql. The core declares a small schema; each plugin extends it
// with its own typeDefs, resolvers and loaders (mercurius extendSchema).
import fp from 'fastify-plugin';
import mercurius, { type IResolvers } from 'mercurius';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Kind, visit, type DocumentNode, type GraphQLError } from 'graphql';
import type { Knex } from 'knex';
import { isVigieError, VigieError } from '../lib/errors.js';
import { requireTenant, sessionCookieOptions, tenantTx } from '../http/index.js';
import { SESSION_COOKIE } from '../identity/index.js';
import type { TenantContext } from '../tenants/index.js';
import type { AccountPrincipal, Scope } from '../identity/index.js';
import type { Limit } from '../identity/index.js';
import type { PlatformServices } from '../plugins/index.js';
import { SchemaGate, stripDisabledFields } from './gating.js';
import { InputRules, inputRulesTypeDefs } from './input-rules.js';
import type { VigiePlugin } from '../plugins/index.js';
import type { CoreModule } from '../core/module.js';
import { toPublicError } from '../lib/errors.js';
import { onlyQueries, RequestTransaction } from './request-tx.js';

/** The shared transaction of each HTTP GraphQL request (none for subscriptions). */

/** The stable code of a GraphQL error: the catalogue's for our errors, VALIDATION_FAILED for malformed queries. */
function graphqlErrorCode(original: unknown): string {
  if (original === undefined || original === null) return 'VALIDATION_FAILED';
  if (isVigieError(original)) return original.code;
  const e = original as { statusCode?: number };
  if (typeof e.statusCode === 'number' && e.statusCode < 500) return toPublicError(original).body.code;
  return 'INTERNAL';
}

export const coreTypeDefs = /* GraphQL */ `
  type Query {
    "Version of the Vigie API."
    version: String!
  }

  type SystemNotice {
    message: String!
    at: String!
  }

  type Mutation {
    "Ends the current session."
    logout: Boolean!
  }

  ${inputRulesTypeDefs}

  type Subscription {
    "Platform-wide notices (planned maintenance), pushed live to every client."
    systemNotice: SystemNotice!
  }
`;

export const SYSTEM_NOTICE_TOPIC = 'SYSTEM_NOTICE';

const coreResolvers: IResolvers = {
  Query: {
    version: () => '0.1.0',
  },
  Subscription: {
    systemNotice: {
      subscribe: async (_root, _args, { pubsub }) => pubsub.subscribe(SYSTEM_NOTICE_TOPIC),
    },
  },
};

export interface VigieContext {
  tenant: TenantContext | undefined;
  principal: AccountPrincipal | undefined;
  requestId: string;
  ip: string;
  requireTenant(): TenantContext;
  requireAccount(): AccountPrincipal;
  /** Runs fn in the commune's transaction (RLS bound to ctx.tenant). */
  tx<T>(fn: (trx: Knex.Transaction) => Promise<T>): Promise<T>;
  /** The one permission check; throws UNAUTHENTICATED, FORBIDDEN or TOTP_*. */
  authorize(permission: string, scope?: Scope): void;
  can(permission: string, scope?: Scope): boolean;
  rateLimit(name: string, key: string, limit: Limit): void;
  /** Sets (or clears, with null) the session cookie on the response. */
  setSessionCookie(token: string | null, expires?: Date): void;
  userAgent: string | undefined;
  /** Core services for plugins (audit, roles, communities, notify, workflows). */
  services: PlatformServices;
}

declare module 'mercurius' {
  interface MercuriusContext extends VigieContext {}
}

function buildContext(
  app: FastifyInstance,
  requestTx: WeakMap<FastifyRequest, RequestTransaction>,
  req: FastifyRequest,
  reply?: FastifyReply,
): VigieContext {
  let shared: RequestTransaction | undefined;
  if (reply) {
    shared = new RequestTransaction(app.db, () => requireTenant(req).id);
    requestTx.set(req, shared);
  }
  return {
    services: app.services,
    userAgent: req.headers['user-agent'],
    setSessionCookie: (token, expires) => {
      if (!reply) throw new Error('No HTTP response to set a cookie on');
      if (token === null) reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(app));
      else reply.setCookie(SESSION_COOKIE, token, sessionCookieOptions(app, expires));
    },
    tenant: req.tenant,
    principal: req.principal,
    requestId: req.id,
    ip: req.ip,
    requireTenant: () => requireTenant(req),
    requireAccount: () => {
      if (!req.principal) throw new VigieError('UNAUTHENTICATED');
      return req.principal;
    },
    tx: (fn) => (shared?.shared ? shared.run(fn) : tenantTx(app, req, fn)),
    authorize: (permission, scope) => app.permissions.authorize(req.principal, permission, scope),
    can: (permission, scope) => app.permissions.can(req.principal, permission, scope),
    rateLimit: (name, key, limit) => app.rateLimiter.hit(`${name}:${key}`, limit),
  };
}

async function graphql(
  app: FastifyInstance,
  opts: { plugins: VigiePlugin[]; modules: CoreModule[] },
): Promise<void> {
  // Each request's shared query transaction (request-tx.ts), per app instance.
  const requestTx = new WeakMap<FastifyRequest, RequestTransaction>();
  app.addHook('onRoute', (route) => {
    // GraphQL serves both commune portals and the bare platform host.
    if (route.url === '/graphql' || route.url.startsWith('/graphiql'))
      // Its arguments are checked by their declared types (input-rules.ts), not as a REST body.
      route.config = { ...(route.config ?? {}), tenant: 'optional', ownInputRules: true };
  });
  const suspendedAllowed = new Set(
    [...opts.modules, ...opts.plugins].flatMap((m) => m.graphql?.allowWhenSuspended ?? []),
  );
  await app.register(mercurius, {
    context: (req, reply) => buildContext(app, requestTx, req, reply),
    subscription: {
      context: (_socket, req) => buildContext(app, requestTx, req),
    },
    schema: coreTypeDefs,
    resolvers: coreResolvers,
    graphiql: app.config.env !== 'production',
    path: '/graphql',
    // GraphQL errors carry extensions.code from the catalogue; 5xx hide their message.
    errorFormatter: (execution, ctx) => {
      const formatted = mercurius.defaultErrorFormatter(execution, ctx);
      const errors = (execution.errors ?? []).flatMap((e: GraphQLError) => {
        const original = e.originalError as (Error & { errors?: GraphQLError[] }) | undefined;
        // Malformed queries: mercurius wraps graphql-js's validation errors in one error.
        if (Array.isArray(original?.errors)) {
          return original.errors.map((v) => ({
            message: v.message,
            locations: v.locations,
            extensions: { code: 'VALIDATION_FAILED' },
          }));
        }
        const code = graphqlErrorCode(original);
        // graphql-js's own errors (bad variables, unknown fields) carry no details; ours keep them (which field, why).
        if (code === 'VALIDATION_FAILED' && !isVigieError(original))
          return [{ message: e.message, locations: e.locations, path: e.path, extensions: { code } }];
        const { body } = toPublicError(original, undefined, ctx.reply?.request.locale() ?? 'fr');
        if (body.code === 'INTERNAL') ctx.reply?.log.error({ err: original }, 'graphql resolver failed');
        return [
          {
            message: body.message,
            locations: e.locations,
            path: e.path,
            extensions: { code: body.code, ...(body.details ? { details: body.details } : {}) },
          },
        ];
      });
      return {
        statusCode: formatted.statusCode,
        response: { data: formatted.response.data ?? null, errors },
      };
    },
  });
  for (const plugin of [...opts.modules, ...opts.plugins]) {
    if (!plugin.graphql) continue;
    await app.graphql.extendSchema(plugin.graphql.typeDefs);
    if (plugin.graphql.resolvers) app.graphql.defineResolvers(plugin.graphql.resolvers);
    if (plugin.graphql.loaders) app.graphql.defineLoaders(plugin.graphql.loaders);
  }

  // Before the other hooks, which may already read in ctx.tx.
  app.graphql.addHook('preExecution', async (_schema, document, context) => {
    const req = context.reply?.request;
    const shared = req ? requestTx.get(req) : undefined;
    if (shared && onlyQueries(document)) shared.shared = true;
  });
  app.graphql.addHook('onResolution', async (_execution, context) => {
    const req = context.reply?.request;
    if (req) await requestTx.get(req)?.end();
  });
  // Whatever happened in between (an error before resolution), the connection goes back to the pool.
  app.addHook('onResponse', async (req) => {
    await requestTx.get(req)?.end();
  });

  const gate = new SchemaGate(opts.plugins);
  app.graphql.addHook('preExecution', async (schema, document, context) => {
    const tenant = context.tenant;
    const errors: Error[] = [];
    let doc = document;
    if (tenant?.status === 'suspended') {
      const { document: kept, removed } = stripMutationsWhenSuspended(doc, suspendedAllowed);
      doc = kept;
      for (const f of removed) errors.push(new VigieError('TENANT_SUSPENDED', undefined, { field: f }));
    }
    const disabled = gate.disabledFor(tenant ? new Set(tenant.plugins.keys()) : undefined);
    if (disabled.size === 0) return errors.length ? { document: doc, errors } : undefined;
    const { document: stripped, removed } = stripDisabledFields(schema, doc, gate.own, disabled);
    for (const f of removed) errors.push(new VigieError('PLUGIN_DISABLED', undefined, { field: f }));
    return { schema: gate.schemaFor(schema, disabled), document: stripped, errors };
  });
  // After the gate: what is left of the operation is checked before any resolver runs.
  let rules: InputRules | undefined;
  app.addHook('onReady', async () => {
    rules = new InputRules(app.graphql.schema);
  });
  app.graphql.addHook('preExecution', async (schema, document, _context, variables) => {
    (rules ??= new InputRules(app.graphql.schema)).check(schema, document, variables);
  });
  app.graphql.addHook('preSubscriptionExecution', async (schema, document, context) => {
    const disabled = gate.disabledFor(context.tenant ? new Set(context.tenant.plugins.keys()) : undefined);
    if (disabled.size === 0) return;
    const { removed } = stripDisabledFields(schema, document, gate.own, disabled);
    if (removed.length) throw new VigieError('PLUGIN_DISABLED', undefined, { field: removed[0] });
  });
}

function stripMutationsWhenSuspended(
  document: DocumentNode,
  allowed: ReadonlySet<string>,
): { document: DocumentNode; removed: string[] } {
  const removed: string[] = [];
  const doc = visit(document, {
    OperationDefinition(op) {
      if (op.operation !== 'mutation') return undefined;
      const selections = op.selectionSet.selections.filter((s) => {
        if (s.kind !== Kind.FIELD || allowed.has(s.name.value)) return true;
        removed.push(s.alias?.value ?? s.name.value);
        return false;
      });
      if (selections.length === 0)
        selections.push({ kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } });
      return { ...op, selectionSet: { ...op.selectionSet, selections } };
    },
  });
  return { document: doc, removed };
}

export const graphqlModule = fp(graphql, { name: 'graphql' });
export { DEFAULT_MAX_LENGTH, stringProblem } from './input-rules.js';
