// Retention sweep: deletes what Vigie must not keep longer than its retention
// period. It runs on a Temporal schedule so that a missed run (a deploy, a
// crashed worker) is caught up instead of silently skipped.

export const RETENTION_SWEEP_WORKFLOW = 'retentionSweep';
export const RETENTION_SWEEP_SCHEDULE_ID = 'platform/retention-sweep';

export interface RetentionSweepInput {
  /** Override of the reference time, ISO 8601; tests use it to sweep "in the future". */
  asOf?: string;
}

/** Rows purged, per target (e.g. `webhook_events`). */
export type RetentionSweepResult = Record<string, number>;

export interface RetentionTarget {
  name: string;
}

export interface RetentionSweepActivities {
  listRetentionTargets(): Promise<RetentionTarget[]>;
  purgeRetentionTarget(input: { target: string; asOf: string }): Promise<number>;
}
