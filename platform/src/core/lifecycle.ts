// The lifecycle of a module or plugin on one running instance of Vigie (an
// API, a worker, `vigie start`, a test context). Types only: the instance that
// runs it is core/instance.ts.
//
// A module (or plugin) has two steps, as Backstage's backend system does:
//   register(env)  declares what it offers to the others (`env.provide(ref, impl)`:
//                  an extension point, or a service) and what it needs
//                  (`env.registerInit({ deps, init })`, named dependencies);
//   init(deps)     runs once every module has registered, with its dependencies
//                  resolved on this instance: it wires its listeners into the
//                  extension points of others.
// State a module shares lives in what it provides, so on the instance: two
// instances in one process (two test contexts) never see each other's
// registrations, and no file registers anything by being imported.

/** A typed key of something an instance holds: a service or an extension point. */
export interface Ref<T> {
  readonly id: string;
  readonly kind: 'service' | 'extension-point';
  /** Never set: carries the type. */
  readonly type?: T;
}

/** A service: an implementation a module offers to others (a file store, a hook runner). */
export function createServiceRef<T>(id: string): Ref<T> {
  return { id, kind: 'service' };
}

/** An extension point: the seam through which other modules add behaviour to the one that owns it. */
export function createExtensionPoint<T>(id: string): Ref<T> {
  return { id, kind: 'extension-point' };
}

export type ResolvedDeps<D extends Record<string, Ref<unknown>>> = {
  [K in keyof D]: D[K] extends Ref<infer T> ? T : never;
};

export interface InitRegistration<D extends Record<string, Ref<unknown>>> {
  /** What the init step needs, by name; the instance refuses to start when one is missing. */
  deps: D;
  init(deps: ResolvedDeps<D>): void | Promise<void>;
}

export interface RegisterEnv {
  /** The id of the module or plugin registering (for error messages). */
  readonly owner: string;
  /** Offers a service or an extension point on this instance; an id is provided once. */
  provide<T>(ref: Ref<T>, impl: T): void;
  /** Runs `init` once every module and plugin has registered. */
  registerInit<D extends Record<string, Ref<unknown>>>(registration: InitRegistration<D>): void;
}

/** What a running instance answers to the code of its modules (resolvers, routes, activities). */
export interface InstanceLookup {
  get<T>(ref: Ref<T>): T;
}
