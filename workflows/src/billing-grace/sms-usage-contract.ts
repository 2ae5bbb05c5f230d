// SMS beyond the yearly allowance, reported to Stripe as billing meter events
// from the delivery records: an hourly schedule, one activity that counts what
// was sent since the last run, works out what is beyond the term's allowance
// and sends it with deterministic identifiers (a rerun never bills twice).

export const BILLING_SMS_USAGE_WORKFLOW = 'billingSmsUsage';
export const BILLING_SMS_USAGE_SCHEDULE_ID = 'platform/billing-sms-usage';

export interface BillingSmsUsageInput {
  /** Override of the reference time, ISO 8601 (tests). */
  asOf?: string;
}

export interface BillingSmsUsageResult {
  /** Communes whose SMS were counted. */
  communes: number;
  /** SMS deliveries counted for the first time. */
  deliveriesCounted: number;
  /** Meter events Stripe accepted in this run, and the segments they bill. */
  eventsSent: number;
  segmentsReported: number;
  /** Meter events left to send at the next run (Stripe not answering, price not synced). */
  pending: number;
}

export interface BillingSmsUsageActivities {
  billingReportSmsUsage(input: { asOf: string }): Promise<BillingSmsUsageResult>;
}
