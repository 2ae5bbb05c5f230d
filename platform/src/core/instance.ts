// Runs the lifecycle of core/lifecycle.ts for one instance: every module's and
// plugin's register step, then every init step with its dependencies resolved.
// What they provide is held here, by this instance only.
import type { InstanceLookup, Ref, RegisterEnv } from './lifecycle.js';

export interface Registrant {
  id: string;
  register?: ((env: RegisterEnv) => void) | undefined;
}

interface PendingInit {
  owner: string;
  deps: Record<string, Ref<unknown>>;
  init(deps: Record<string, unknown>): void | Promise<void>;
}

export interface Lifecycle extends InstanceLookup {
  /** True when some module or plugin provides the ref. */
  has(ref: Ref<unknown>): boolean;
}

/**
 * Provides the instance's own services (`provided`), runs each registrant's
 * register step in order, then each init step. A missing dependency or an id
 * provided twice stops the instance with a message naming the modules.
 */
export async function runLifecycle(
  provided: Array<[Ref<unknown>, unknown]>,
  registrants: readonly Registrant[],
): Promise<Lifecycle> {
  const impls = new Map<string, { owner: string; impl: unknown }>();
  const inits: PendingInit[] = [];
  const provide = (owner: string, ref: Ref<unknown>, impl: unknown) => {
    const prev = impls.get(ref.id);
    if (prev) throw new Error(`${ref.id} is provided by both ${prev.owner} and ${owner}`);
    impls.set(ref.id, { owner, impl });
  };
  for (const [ref, impl] of provided) provide('the instance', ref, impl);
  for (const r of registrants) {
    let open = true;
    const env: RegisterEnv = {
      owner: r.id,
      provide(ref, impl) {
        if (!open) throw new Error(`${r.id} provided ${ref.id} after its register step`);
        provide(r.id, ref as Ref<unknown>, impl);
      },
      registerInit(reg) {
        if (!open) throw new Error(`${r.id} registered an init after its register step`);
        inits.push({
          owner: r.id,
          deps: reg.deps,
          init: reg.init as PendingInit['init'],
        });
      },
    };
    r.register?.(env);
    open = false;
  }
  const lookup: Lifecycle = {
    get<T>(ref: Ref<T>): T {
      const found = impls.get(ref.id);
      if (!found) throw new Error(`Nothing on this instance provides ${ref.id}`);
      return found.impl as T;
    },
    has: (ref) => impls.has(ref.id),
  };
  for (const i of inits) {
    const deps: Record<string, unknown> = {};
    for (const [name, ref] of Object.entries(i.deps)) {
      if (!impls.has(ref.id))
        throw new Error(
          `${i.owner} needs ${ref.id} (as ${name}), which no installed module or plugin provides`,
        );
      deps[name] = impls.get(ref.id)!.impl;
    }
    await i.init(deps);
  }
  return lookup;
}
