// Activities of the retention sweep. Each target deletes rows older than its
// retention period; modules add their targets here (sessions, proofs, audit…).
import type { RetentionSweepActivities, RetentionTarget } from '@vigie/workflows/contracts';
import type { ActivityDeps } from '../temporal/index.js';

export interface RetentionTargetImpl extends RetentionTarget {
  /** Deletes what has expired as of `asOf`; returns the number of rows removed. */
  purge(deps: ActivityDeps, asOf: Date): Promise<number>;
}

export const WEBHOOK_EVENTS_RETENTION_DAYS = 30;
/** The console shows 7 days of refused webhooks; a quarter is kept to compare. */
export const WEBHOOK_REFUSALS_RETENTION_DAYS = 90;

export const coreRetentionTargets: RetentionTargetImpl[] = [
  {
    name: 'webhook_events',
    async purge({ db }, asOf) {
      const cutoff = new Date(asOf.getTime() - WEBHOOK_EVENTS_RETENTION_DAYS * 86_400_000);
      return db('webhook_events').where('received_at', '<', cutoff).delete();
    },
  },
  {
    name: 'webhook_refusals',
    async purge({ db }, asOf) {
      const cutoff = new Date(asOf.getTime() - WEBHOOK_REFUSALS_RETENTION_DAYS * 86_400_000);
      return db('webhook_refusals').where('day', '<', cutoff).delete();
    },
  },
];

export function createRetentionActivities(
  deps: ActivityDeps,
  targets: RetentionTargetImpl[],
): RetentionSweepActivities {
  const byName = new Map(targets.map((t) => [t.name, t]));
  return {
    async listRetentionTargets() {
      return targets.map((t) => ({ name: t.name }));
    },
    async purgeRetentionTarget({ target, asOf }) {
      const impl = byName.get(target);
      if (!impl) throw new Error(`Unknown retention target ${target}`);
      return impl.purge(deps, new Date(asOf));
    },
  };
}
