import type { ActivityDeps } from '../temporal/activities.js';
import type { ActivityFn, VigiePlugin } from '../plugins/contract.js';
import type { CoreModule } from '../core/module.js';
import { mergeActivities } from '../temporal/worker.js';
import { coreRetentionTargets, createRetentionActivities } from '../retention/activities.js';
import { registerPluginPersonalData } from '../residents/rgpd.js';
import { registerPluginMembershipHooks } from '../plugins/membership-ended.js';

/** The platform's activities (core modules), then every plugin's, under unique names. */
export function allActivities(
  deps: ActivityDeps,
  modules: CoreModule[],
  plugins: VigiePlugin[],
): Record<string, ActivityFn> {
  // The retention sweep erases inactive accounts, plugins' personal data included.
  registerPluginPersonalData(plugins);
  // Moves are approved, and inactive accounts erased, in the worker: plugins hear of those memberships ending.
  registerPluginMembershipHooks(plugins, deps.services);
  const retention = [...coreRetentionTargets, ...modules.flatMap((m) => m.retention ?? [])];
  const sets: Array<[string, Record<string, ActivityFn>]> = [
    ['retention', { ...createRetentionActivities(deps.db, retention) } as Record<string, ActivityFn>],
  ];
  for (const m of modules) if (m.activities) sets.push([m.id, m.activities(deps)]);
  for (const p of plugins) if (p.activities) sets.push([p.id, p.activities(deps)]);
  return mergeActivities(sets);
}
