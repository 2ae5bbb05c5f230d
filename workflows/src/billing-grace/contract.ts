// Billing grace period: after a failed or overdue invoice, the commune keeps
// everything for the grace period (VIGIE_BILLING_GRACE_DAYS, 30 by default),
// then becomes suspended unless an invoice was paid meanwhile. A timer in a
// workflow survives deploys and crashed workers; the database decides at the
// end (an invoice paid while the signal was lost still wins).

export const BILLING_GRACE_WORKFLOW = 'billingGrace';
export const BILLING_GRACE_KIND = 'billing-grace';
export const BILLING_PAID_SIGNAL = 'billingInvoicePaid';

export const BILLING_SWEEP_WORKFLOW = 'billingSweep';
export const BILLING_SWEEP_SCHEDULE_ID = 'platform/billing-sweep';

export interface BillingGraceInput {
  tenantId: string;
  /** The invoice whose failure opened the grace period. */
  invoiceId: string;
  /** ISO 8601: when the grace period ends. */
  graceUntil: string;
}

export type BillingGraceResult = 'paid' | 'suspended' | 'unchanged';

export interface BillingSweepInput {
  /** Override of the reference time, ISO 8601 (tests). */
  asOf?: string;
}

export interface BillingSweepResult {
  suspended: number;
  renewalNotices: number;
  /** Cancelled communes whose deletion workflow had not started (Temporal away when the webhook came). */
  deletionsStarted: number;
}

export interface BillingActivities {
  /** Suspends the commune if its grace period for this invoice is over and nothing was paid since. */
  billingGraceExpired(input: { tenantId: string; invoiceId: string }): Promise<BillingGraceResult>;
  /** Daily: grace periods whose timer was lost, deletions never planned, and renewal notices 60 days before a term ends. */
  billingSweep(input: { asOf: string }): Promise<BillingSweepResult>;
}
