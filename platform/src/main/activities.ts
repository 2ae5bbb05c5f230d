import type { ActivityDeps } from '../temporal/activities.js';
import type { ActivityFn, VigiePlugin } from '../plugins/contract.js';
import { mergeActivities } from '../temporal/worker.js';
import { createRetentionActivities } from '../retention/activities.js';

/** The platform's activities, then every plugin's, under unique names. */
export function allActivities(deps: ActivityDeps, plugins: VigiePlugin[]): Record<string, ActivityFn> {
  const sets: Array<[string, Record<string, ActivityFn>]> = [['platform', { ...createRetentionActivities(deps.db) } as Record<string, ActivityFn>]];
  for (const p of plugins) if (p.activities) sets.push([p.id, p.activities(deps)]);
  return mergeActivities(sets);
}
