// A core module is a slice of the platform (identity, geo, residents, alerts,
// notifications…) declared the way a plugin is, but always on and allowed to use
// platform internals. Like a plugin's entry file, a module's `module.ts` tells
// its whole story: GraphQL, routes, permissions, activities, retention, CLI.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import type { ErrorDeclaration } from '../lib/errors.js';
import type { ActivityDeps } from '../temporal/index.js';
import type { ActivityFn, PermissionDef, PluginGraphql, WorkerContribution } from '../plugins/index.js';
import type { RetentionTargetImpl } from '../retention/index.js';
import type { InstanceLookup, RegisterEnv } from './lifecycle.js';
import type { Knex } from 'knex';

/** An instance of Vigie for a command (no Temporal, no HTTP): its app pool and what its modules provide. */
export interface CliInstance extends InstanceLookup {
  db: Knex;
  close(): Promise<void>;
}

export interface CliContext {
  /** Assembles the installed modules and plugins against DATABASE_URL (the caller closes it). */
  openInstance(): Promise<CliInstance>;
}

export interface CliCommand {
  summary: string;
  run(args: string[], cli: CliContext): Promise<number>;
}

export interface CoreModule extends WorkerContribution {
  id: string;
  /** The lifecycle (core/lifecycle.ts): what the module offers others and what it needs, per instance. */
  register?: (env: RegisterEnv) => void;
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

/** The file URL of a workflow file that a package exports (`@vigie/workflows/alert-delivery`). */
export function workflowFile(specifier: string, from: string): URL {
  return pathToFileURL(createRequire(from).resolve(specifier));
}
