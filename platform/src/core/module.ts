// A core module is a slice of the platform (identity, geo, residents, alerts,
// notifications…) declared the way a plugin is, but always on and allowed to use
// platform internals. Like a plugin's entry file, a module's `module.ts` tells
// its whole story: GraphQL, routes, permissions, activities, retention, CLI.
import type { FastifyPluginAsync } from 'fastify';
import type { ErrorDeclaration } from '../server/errors.js';
import type { ActivityDeps } from '../temporal/activities.js';
import type { ActivityFn, PermissionDef, PluginGraphql } from '../plugins/contract.js';
import type { RetentionTargetImpl } from '../retention/activities.js';

export interface CliCommand {
  summary: string;
  run(args: string[]): Promise<number>;
}

export interface CoreModule {
  id: string;
  graphql?: PluginGraphql;
  /** Mounted at the root; each route declares its own prefix. */
  routes?: FastifyPluginAsync;
  permissions?: PermissionDef[];
  activities?: (deps: ActivityDeps) => Record<string, ActivityFn>;
  retention?: RetentionTargetImpl[];
  /** The module's error codes, from `defineErrors({...} as const)`. */
  errors?: ErrorDeclaration;
  /** `vigie <name> …` subcommands. */
  commands?: Record<string, CliCommand>;
}

export function defineCoreModule(m: CoreModule): CoreModule {
  for (const p of m.permissions ?? []) {
    if (p.name.split('.').length !== 3)
      throw new Error(`Permission ${p.name} must be named <area>.<resource>.<action>`);
  }
  return m;
}
