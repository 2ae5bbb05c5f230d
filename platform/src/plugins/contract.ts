// The plugin contract. A plugin's entry file calls definePlugin once and, in
// doing so, lists everything it adds to Vigie. The platform reads this object
// to run migrations, extend GraphQL, mount routes under /p/<id>, register
// permissions and give activities to the worker.
import type { FastifyPluginAsync } from 'fastify';
import type { TSchema, Static } from '@sinclair/typebox';
import type { IResolvers, MercuriusLoaders } from 'mercurius';
import type { ErrorSpec } from '../server/errors.js';
import type { ActivityDeps } from '../temporal/activities.js';

export interface PermissionDef {
  /** `<plugin>.<resource>.<action>` */
  name: string;
  description: string;
  /** Roles that hold it by default. */
  roles: string[];
}

export interface PluginGraphql {
  typeDefs: string;
  /** Mutations that still work while the commune is suspended (alerts to the police). */
  allowWhenSuspended?: string[];
  resolvers?: IResolvers;
  loaders?: MercuriusLoaders;
}

export type ActivityFn = (...args: never[]) => Promise<unknown>;

export interface PluginDefinition<S extends TSchema = TSchema> {
  id: string;
  name: string;
  dependsOn?: string[];
  migrations?: URL;
  graphql?: PluginGraphql;
  routes?: FastifyPluginAsync;
  permissions?: PermissionDef[];
  activities?: (deps: ActivityDeps) => Record<string, ActivityFn>;
  settings?: S;
  errors?: Record<string, ErrorSpec>;
}

export interface VigiePlugin<S extends TSchema = TSchema> extends Required<Pick<PluginDefinition<S>, 'id' | 'name' | 'dependsOn' | 'permissions'>> {
  migrations: URL | undefined;
  graphql: PluginGraphql | undefined;
  routes: FastifyPluginAsync | undefined;
  activities: ((deps: ActivityDeps) => Record<string, ActivityFn>) | undefined;
  settings: S | undefined;
  errors: Record<string, ErrorSpec>;
}

export type PluginSettings<P> = P extends VigiePlugin<infer S> ? Static<S> : never;

const PLUGIN_ID = /^[a-z][a-z0-9-]{1,40}$/;

export function definePlugin<S extends TSchema>(def: PluginDefinition<S>): VigiePlugin<S> {
  if (!PLUGIN_ID.test(def.id)) throw new Error(`Invalid plugin id "${def.id}"`);
  for (const p of def.permissions ?? []) {
    if (!p.name.startsWith(`${def.id}.`) || p.name.split('.').length !== 3) {
      throw new Error(`Permission ${p.name} of plugin ${def.id} must be named ${def.id}.<resource>.<action>`);
    }
  }
  return {
    id: def.id,
    name: def.name,
    dependsOn: def.dependsOn ?? [],
    migrations: def.migrations,
    graphql: def.graphql,
    routes: def.routes,
    permissions: def.permissions ?? [],
    activities: def.activities,
    settings: def.settings,
    errors: def.errors ?? {},
  };
}

/** Orders plugins so that every plugin comes after its dependencies; rejects unknown ids and cycles. */
export function sortByDependencies(plugins: VigiePlugin[]): VigiePlugin[] {
  const byId = new Map(plugins.map((p) => [p.id, p]));
  if (byId.size !== plugins.length) throw new Error('Two installed plugins share an id');
  const out: VigiePlugin[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (p: VigiePlugin, chain: string[]) => {
    if (state.get(p.id) === 'done') return;
    if (state.get(p.id) === 'visiting') throw new Error(`Plugin dependency cycle: ${[...chain, p.id].join(' → ')}`);
    state.set(p.id, 'visiting');
    for (const dep of p.dependsOn) {
      const d = byId.get(dep);
      if (!d) throw new Error(`Plugin ${p.id} depends on ${dep}, which is not installed`);
      visit(d, [...chain, p.id]);
    }
    state.set(p.id, 'done');
    out.push(p);
  };
  for (const p of plugins) visit(p, []);
  return out;
}
