// REST input stops at the boundary as GraphQL's does (graphql/input-rules.ts):
// every route parameter has a declared format, checked by Fastify before the
// handler runs, and every string of the parameters, query and JSON body refuses
// a NUL byte, an unpaired surrogate or more than 10,000 characters (a route may
// allow more with `config: { maxStringLength }`). A refusal is VALIDATION_FAILED
// with the offending field's name.
import type { FastifyInstance, RouteOptions } from 'fastify';
import { DEFAULT_MAX_LENGTH, stringProblem } from '../graphql/index.js';
import { VigieError } from '../lib/errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Longest string accepted in this route's parameters, query and body. */
    maxStringLength?: number;
    /** The route checks its own input by declared type (GraphQL: graphql/input-rules.ts). */
    ownInputRules?: boolean;
  }
}

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** A route with `:param`s must describe each one (format, pattern or maxLength), so none reaches a query unchecked. */
function checkParamsDeclared(route: RouteOptions): void {
  const names = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  if (names.length === 0) return;
  const props = (route.schema?.params as { properties?: Record<string, Record<string, unknown>> } | undefined)
    ?.properties;
  for (const name of names) {
    const p = props?.[name];
    if (!p || !(p.format || p.pattern || p.maxLength || p.enum || p.const))
      throw new Error(
        `Route ${String(route.method)} ${route.url}: declare the format of :${name} in schema.params (format, pattern or maxLength)`,
      );
  }
}

function walk(value: unknown, path: string, max: number, depth = 0): void {
  if (typeof value === 'string') {
    const reason = stringProblem(value, max);
    if (reason)
      throw new VigieError(
        'VALIDATION_FAILED',
        { fr: `Le champ « ${path} » est invalide.`, en: `The field "${path}" is invalid.` },
        { argument: path, reason },
      );
    return;
  }
  if (depth > 32 || value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, `${path}[${i}]`, max, depth + 1));
    return;
  }
  for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k, max, depth + 1);
}

export function restBoundary(app: FastifyInstance): void {
  app.addHook('onRoute', checkParamsDeclared);
  app.addHook('preValidation', async (req) => {
    if (req.routeOptions.config?.ownInputRules) return;
    const max = req.routeOptions.config?.maxStringLength ?? DEFAULT_MAX_LENGTH;
    walk(req.params, '', max);
    walk(req.query, '', max);
    // A raw body (a signed webhook's text) is the route's to read; structured bodies are checked field by field.
    if (req.body !== null && typeof req.body === 'object') walk(req.body, '', max);
  });
}

/** The methods a path answers to, for a 405's Allow header; empty when the path is unknown. */
export function allowedMethods(app: FastifyInstance, url: string): string[] {
  const path = url.split('?')[0] ?? '/';
  return HTTP_METHODS.filter((method) => app.findRoute({ method, url: path }) !== null);
}
