// The request context: which commune (from the Host header), who is calling
// (from the session cookie), and the helpers every route and resolver uses to
// reach tenant data and check permissions. Registered once, before any route.
import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Knex } from 'knex';
import { VigieError } from '../lib/errors.js';
import { withTenant } from '../db/index.js';
import { TenantResolver, type TenantContext } from '../tenants/index.js';
import { PermissionRegistry, corePermissions, type AccountPrincipal, type Scope } from '../identity/index.js';
import { principalFromToken, SESSION_COOKIE } from '../identity/index.js';
import { RateLimiter } from '../identity/index.js';
import { safeEqual } from '../lib/crypto.js';

/** Route option `config.tenant`: 'required' (default), 'optional', or false for platform routes (health, webhooks, operators). */
export type TenantMode = 'required' | 'optional' | false;

declare module 'fastify' {
  interface FastifyContextConfig {
    tenant?: TenantMode;
    /** Non-GET routes that still work when the commune is suspended (alerts to the police, logout). */
    allowWhenSuspended?: boolean;
    /** Routes authenticated otherwise (signed webhooks) skip the CSRF check. */
    csrf?: boolean;
  }
  interface FastifyInstance {
    tenants: TenantResolver;
    permissions: PermissionRegistry;
    rateLimiter: RateLimiter;
    requirePermission(
      permission: string,
      scope?: (req: FastifyRequest) => Scope | undefined,
    ): preHandlerAsyncHookHandler;
  }
  interface FastifyRequest {
    tenant: TenantContext | undefined;
    principal: AccountPrincipal | undefined;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function requireTenant(req: { tenant: TenantContext | undefined }): TenantContext {
  if (!req.tenant) throw new VigieError('TENANT_NOT_FOUND');
  return req.tenant;
}

/** Runs fn in the request's tenant transaction (RLS bound to the resolved commune). */
export function tenantTx<T>(
  app: { db: Knex },
  req: { tenant: TenantContext | undefined },
  fn: (trx: Knex.Transaction) => Promise<T>,
): Promise<T> {
  return withTenant(app.db, requireTenant(req).id, fn);
}

export function sessionCookieOptions(app: FastifyInstance, expires?: Date) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: app.config.env === 'production',
    signed: false,
    ...(expires ? { expires } : {}),
  };
}

async function requestContext(app: FastifyInstance): Promise<void> {
  await app.register(cookie);
  app.decorate('tenants', new TenantResolver(app.db, app.config.baseDomain));
  app.decorate(
    'permissions',
    new PermissionRegistry([
      ...corePermissions,
      ...app.modules.flatMap((m) => m.permissions ?? []),
      ...app.plugins.flatMap((p) => p.permissions),
    ]),
  );
  app.decorate('rateLimiter', new RateLimiter());
  app.decorateRequest('tenant', undefined);
  app.decorateRequest('principal', undefined);

  app.addHook('onRequest', async (req) => {
    const mode: TenantMode = req.routeOptions.config?.tenant ?? 'required';
    // Unmatched URLs answer ROUTE_NOT_FOUND whatever the host.
    if (mode === false || req.routeOptions.url === undefined) return;
    const resolution = await app.tenants.resolve(req.headers.host);
    if (resolution.kind === 'tenant') {
      // Nothing of a closed commune is left to read or write, a session included.
      if (resolution.tenant.closed) throw new VigieError('TENANT_CLOSED');
      req.tenant = resolution.tenant;
      req.log = req.log.child({ tenantId: resolution.tenant.id });
    } else if (mode === 'required' || resolution.kind === 'unknown') {
      throw new VigieError('TENANT_NOT_FOUND');
    }
    const token = req.cookies[SESSION_COOKIE];
    if (req.tenant && token) {
      req.principal = await withTenant(app.db, req.tenant.id, (trx) => principalFromToken(trx, token));
    }
  });

  app.addHook('preHandler', async (req) => {
    if (SAFE_METHODS.has(req.method)) return;
    // Cookie-authenticated writes must carry the session's CSRF token in a header
    // that a cross-site form cannot set.
    if (req.principal && req.routeOptions.config?.csrf !== false) {
      const given = req.headers['x-csrf-token'];
      if (typeof given !== 'string' || !safeEqual(given, req.principal.csrfToken))
        throw new VigieError('CSRF_TOKEN_INVALID');
    }
    if (
      req.tenant?.status === 'suspended' &&
      !req.routeOptions.config?.allowWhenSuspended &&
      !req.url.startsWith('/graphql')
    ) {
      throw new VigieError('TENANT_SUSPENDED');
    }
  });

  app.decorate(
    'requirePermission',
    (permission: string, scope?: (req: FastifyRequest) => Scope | undefined): preHandlerAsyncHookHandler => {
      if (!app.permissions.has(permission)) throw new Error(`Unknown permission ${permission}`);
      return async (req: FastifyRequest, _reply: FastifyReply) => {
        app.permissions.authorize(req.principal, permission, scope?.(req));
      };
    },
  );
}

export const requestContextModule = fp(requestContext, { name: 'request-context' });
