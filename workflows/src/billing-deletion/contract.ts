// A cancelled commune's data deletion: when its subscription ends the commune
// stays readable (suspended: read-only) so that the mairie can export its data,
// for VIGIE_BILLING_DELETION_DAYS (90 by default), then its data is deleted.
// One workflow per commune (`<slug>/billing-deletion/<tenantId>`), watched in
// the Temporal UI and listed in the operator console with its date. The
// commune resubscribing cancels it; the database decides at the end (a
// resubscription whose cancellation was lost still keeps the data).

export const BILLING_DELETION_WORKFLOW = 'billingDeletion';
export const BILLING_DELETION_KIND = 'billing-deletion';

export interface BillingDeletionInput {
  tenantId: string;
  /** ISO 8601: when the subscription ended (the period of read access starts then). */
  cancelledAt: string;
}

export type BillingDeletionResult = 'deleted' | 'kept';

export interface BillingDeletionPlan {
  /** ISO 8601: when the data will be deleted; null when the commune is no longer cancelled. */
  deleteAt: string | null;
}

export interface BillingDeletionReport {
  accountsErased: number;
  rowsDeleted: number;
  filesDeleted: number;
}

export interface BillingDeletionActivities {
  /** Records (once) and returns the date of deletion: the cancellation plus the configured days. */
  billingDeletionPlan(input: BillingDeletionInput): Promise<BillingDeletionPlan>;
  /** The commune came back (or the workflow was cancelled): the pending deletion is withdrawn, audited. */
  billingDeletionWithdrawn(input: { tenantId: string }): Promise<void>;
  /**
   * Deletes the commune's data if it is still cancelled and its date has come;
   * idempotent (a retry after a crash finishes the job). Null: kept.
   */
  billingDeleteCommuneData(input: { tenantId: string }): Promise<BillingDeletionReport | null>;
}
