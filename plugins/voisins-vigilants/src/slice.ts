// A slice is one feature of the plugin (community, discussions, events…) with
// everything it adds: GraphQL, permissions, activities (its error codes are in ../errors.ts). The entry
// file lists the slices; `assemble` merges them into what definePlugin takes.
import type {
  ActivityDeps,
  ActivityFn,
  PermissionDef,
  PluginGraphql,
  PluginLoaders,
  PluginResolvers,
  RegisterEnv,
} from '@vigie/platform/plugin';
import {
  createMembershipEnded,
  membershipEndedPoint,
  type MembershipEndedListener,
} from './community/hooks.js';

export interface Slice {
  name: string;
  typeDefs?: string;
  resolvers?: PluginResolvers;
  loaders?: PluginLoaders;
  permissions?: PermissionDef[];
  activities?: (deps: ActivityDeps) => Record<string, ActivityFn>;
  /** Mutations that still work while the commune is suspended (alerts to the police). */
  allowWhenSuspended?: string[];
  /** Called in the transaction that ended a membership (left or excluded): e.g. reopen a referent round. */
  onMembershipEnded?: MembershipEndedListener;
}

type ResolverMap = Record<string, Record<string, unknown>>;

function mergeMaps(target: ResolverMap, source: ResolverMap | undefined, slice: string, what: string): void {
  for (const [type, fields] of Object.entries(source ?? {})) {
    const into = (target[type] ??= {});
    for (const [field, fn] of Object.entries(fields)) {
      if (field in into) throw new Error(`${what} ${type}.${field} is defined twice (slice ${slice})`);
      into[field] = fn;
    }
  }
}

export interface Assembled {
  graphql: PluginGraphql;
  permissions: PermissionDef[];
  activities: (deps: ActivityDeps) => Record<string, ActivityFn>;
  /** Per instance: the membership-ended extension point, with the slices' listeners on it. */
  register: (env: RegisterEnv) => void;
}

export function assemble(slices: Slice[]): Assembled {
  const resolvers: ResolverMap = {};
  const loaders: ResolverMap = {};
  for (const s of slices) {
    mergeMaps(resolvers, s.resolvers as ResolverMap | undefined, s.name, 'Resolver');
    mergeMaps(loaders, s.loaders as ResolverMap | undefined, s.name, 'Loader');
  }
  return {
    register(env) {
      const membershipEnded = createMembershipEnded();
      for (const s of slices) if (s.onMembershipEnded) membershipEnded.listen(s.onMembershipEnded);
      env.provide(membershipEndedPoint, membershipEnded);
    },
    graphql: {
      typeDefs: slices.map((s) => s.typeDefs ?? '').join('\n'),
      resolvers: resolvers as PluginResolvers,
      loaders: loaders as PluginLoaders,
      allowWhenSuspended: slices.flatMap((s) => s.allowWhenSuspended ?? []),
    },
    permissions: slices.flatMap((s) => s.permissions ?? []),
    activities: (deps) => {
      const all: Record<string, ActivityFn> = {};
      for (const s of slices) {
        for (const [name, fn] of Object.entries(s.activities?.(deps) ?? {})) {
          if (name in all) throw new Error(`Activity ${name} is defined twice (slice ${s.name})`);
          all[name] = fn;
        }
      }
      return all;
    },
  };
}
