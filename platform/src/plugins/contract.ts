// The plugin contract. A plugin's entry file calls definePlugin once and, in
// doing so, lists everything it adds to Vigie. The platform reads this object
// to run migrations, extend GraphQL, mount routes under /p/<id>, register
// permissions and give activities to the worker.
import type { FastifyPluginAsync } from 'fastify';
import type { TSchema, Static } from '@sinclair/typebox';
import type { IResolvers, MercuriusLoaders } from 'mercurius';
import type { ErrorDeclaration } from '../lib/errors.js';
import type { ActivityDeps } from '../temporal/index.js';
import type { Trx } from '../db/index.js';
import type { PlatformServices } from './api.js';
import type { RegisterEnv } from '../core/lifecycle.js';
import type { RetentionTargetImpl } from '../retention/index.js';

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

/**
 * A task queue of the module's own, beside the main one: its activities run
 * there under a rate limit the Temporal server enforces across every worker
 * polling it (a provider's throughput). The queue is `<main queue>-<name>`;
 * it runs activities only, the workflows stay on the main queue.
 */
export interface TaskQueueDef {
  name: string;
  /** Activity starts per second across all workers (`maxTaskQueueActivitiesPerSecond`). */
  perSecond: number;
  /** Activities in flight per worker process. */
  concurrency?: number;
}

/** A recurring workflow, as a Temporal schedule on the main queue (caught up after downtime, never overlapping). */
export interface ScheduleDef {
  /** The schedule's id in the namespace; prefix it with the module's id. */
  id: string;
  workflowType: string;
  /** Calendars in Europe/Paris, or an interval. */
  spec: { calendars: Array<{ hour: number; minute: number }> } | { every: string };
  /** How far back a missed run is still started (e.g. '1 day'). */
  catchupWindow: string;
  args?: unknown[];
}

/** What a module or plugin declares to the worker: its workflow code, queues and schedules. */
export interface WorkerContribution {
  /**
   * The module's workflow file: it exports workflow functions, imports only
   * `@temporalio/workflow` and its own files, and is bundled with every other
   * module's into the worker's one bundle.
   */
  workflows?: URL;
  taskQueues?: TaskQueueDef[];
  schedules?: ScheduleDef[];
}

/** Display names of accounts, "ancien membre" for erased ones; never their contact details. */
export type DisplayNames = (accountIds: readonly string[]) => Promise<Map<string, string>>;

/**
 * One kind of personal data a plugin holds about an account (its posts, its
 * answers to events…). The resident's RGPD export lists every kind of every
 * installed plugin, and the erasure of the account runs every `erase`, whether
 * or not the commune still has the plugin enabled: switching a plugin off does
 * not make what it stored stop being personal data.
 */
export interface PersonalDataKind {
  /** Key of the kind in the JSON export, e.g. `threads`. */
  name: string;
  /** Heading in the readable summary, in French: « Sujets de discussion que vous avez ouverts ». */
  label: string;
  /** What the erasure does to these rows, in French, shown to the resident: « supprimées », « conservés, signés « Ancien membre » ». */
  onErasure: string;
  /**
   * The account's rows in the commune's transaction, shaped for the person
   * reading them: no secret, no internal key, nobody else's contact details.
   */
  export(trx: Trx, accountId: string, displayNames: DisplayNames): Promise<Array<Record<string, unknown>>>;
  /**
   * Deletes or anonymises the account's rows, inside the erasure's
   * transaction. The account row itself stays, renamed "Ancien membre", so a
   * row that others rely on may keep pointing at it. What the plugin asked of
   * the core about those rows goes too, through `services` (the calls placed
   * for them: `services.phoneCalls.forget`), not 30 days later.
   */
  erase(trx: Trx, accountId: string, services: PlatformServices): Promise<void>;
}

/**
 * A resident's active residence ended through the core, not through the
 * plugin: they moved house, their account was erased, or a redraw put their
 * address in another sector. `communityId` is the sector of the residence that
 * ended, the community they are no longer a member of.
 */
export interface MembershipEndedEvent {
  tenant: { id: string; slug: string };
  accountId: string;
  communityId: string;
  reason: 'moved' | 'erased' | 'sector_changed';
}

/**
 * Runs inside the transaction that ends the residence (a failing hook rolls
 * the change back, so the plugin never disagrees with the core), only for the
 * plugins the commune has enabled. On erasure it runs before the account's
 * roles and rows are erased, so the plugin still sees what the person held.
 */
export type MembershipEndedHook = (
  trx: Trx,
  event: MembershipEndedEvent,
  services: PlatformServices,
) => Promise<void>;

/** A demo resident of `npm start`, as the core seeded them (verified member of `communityId`). */
export interface DemoResident {
  /** Stable key of the demo person: 'referent', 'alice', 'bruno'. */
  key: string;
  accountId: string;
  displayName: string;
}

/**
 * What the core hands a plugin's demo seed: a commune in development, one
 * community, its demo residents (verified members) and the plugin's settings
 * for the commune. Runs in the commune's transaction; must be idempotent (it
 * runs on every start) and quick.
 */
export interface DemoSeedDeps {
  trx: Trx;
  tenant: { id: string; slug: string; name: string };
  communityId: string;
  residents: DemoResident[];
  settings: Record<string, unknown>;
  /** The platform's services: a seed whose rows need their workflow starts it (services.workflows). */
  services: PlatformServices;
  now: Date;
}

export interface PluginDefinition<S extends TSchema = TSchema> extends WorkerContribution {
  id: string;
  name: string;
  dependsOn?: string[];
  /**
   * The lifecycle (core/lifecycle.ts): declare the extension points and
   * services the plugin offers and, with `env.registerInit`, what it needs.
   * Per instance: nothing the plugin shares lives in a module-level variable.
   */
  register?: (env: RegisterEnv) => void;
  migrations?: URL;
  graphql?: PluginGraphql;
  routes?: FastifyPluginAsync;
  permissions?: PermissionDef[];
  activities?: (deps: ActivityDeps) => Record<string, ActivityFn>;
  settings?: S;
  /** The plugin's error codes, from `defineErrors({...} as const)`; the app's catalogue gathers them. */
  errors?: ErrorDeclaration;
  /** The personal data the plugin stores, for the RGPD export and erasure of an account. */
  personalData?: PersonalDataKind[];
  /** Told when a membership ends through the core (move, erasure, redraw); memberships the plugin ends itself are its own business. */
  onMembershipEnded?: MembershipEndedHook;
  /** `npm start` in development, for communes that enabled the plugin: fills its tables so the demo portal shows life. */
  seedDemo?: (deps: DemoSeedDeps) => Promise<void>;
  /** What the nightly retention sweep deletes for the plugin (rows past their period). */
  retention?: RetentionTargetImpl[];
}

export interface VigiePlugin<S extends TSchema = TSchema> extends Required<
  Pick<PluginDefinition<S>, 'id' | 'name' | 'dependsOn' | 'permissions'>
> {
  register: ((env: RegisterEnv) => void) | undefined;
  workflows: URL | undefined;
  taskQueues: TaskQueueDef[];
  schedules: ScheduleDef[];
  retention: RetentionTargetImpl[];
  migrations: URL | undefined;
  graphql: PluginGraphql | undefined;
  routes: FastifyPluginAsync | undefined;
  activities: ((deps: ActivityDeps) => Record<string, ActivityFn>) | undefined;
  settings: S | undefined;
  errors: ErrorDeclaration;
  personalData: PersonalDataKind[];
  onMembershipEnded: MembershipEndedHook | undefined;
  seedDemo: ((deps: DemoSeedDeps) => Promise<void>) | undefined;
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
  const kinds = new Set<string>();
  for (const k of def.personalData ?? []) {
    if (kinds.has(k.name))
      throw new Error(`Personal data kind ${k.name} of plugin ${def.id} is declared twice`);
    kinds.add(k.name);
  }
  return {
    id: def.id,
    name: def.name,
    dependsOn: def.dependsOn ?? [],
    register: def.register,
    workflows: def.workflows,
    taskQueues: def.taskQueues ?? [],
    schedules: def.schedules ?? [],
    retention: def.retention ?? [],
    migrations: def.migrations,
    graphql: def.graphql,
    routes: def.routes,
    permissions: def.permissions ?? [],
    activities: def.activities,
    settings: def.settings,
    errors: def.errors ?? { specs: {} },
    personalData: def.personalData ?? [],
    onMembershipEnded: def.onMembershipEnded,
    seedDemo: def.seedDemo,
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
    if (state.get(p.id) === 'visiting')
      throw new Error(`Plugin dependency cycle: ${[...chain, p.id].join(' → ')}`);
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
