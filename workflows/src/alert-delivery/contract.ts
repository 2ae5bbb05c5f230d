// Alert delivery: one workflow per alert (`<tenant>/alert-delivery/<alertId>`)
// fans the alert out to every recipient and channel. Recipient lists never
// travel through workflow history: activities write them to the `deliveries`
// table page by page, and the workflow only handles cursors, batch numbers
// and counts. Child workflows send batches of about 100 deliveries over a
// sliding window; `continueAsNew` keeps each run's history bounded.

export const ALERT_DELIVERY_WORKFLOW = 'alertDelivery';
export const ALERT_DELIVERY_BATCH_WORKFLOW = 'alertDeliveryBatch';
export const ALERT_HOUSEKEEPING_WORKFLOW = 'alertHousekeeping';
export const ALERT_HOUSEKEEPING_SCHEDULE_ID = 'platform/alert-housekeeping';
/** Kind segment of the workflow ID: `<slug>/alert-delivery/<alertId>`. */
export const ALERT_DELIVERY_KIND = 'alert-delivery';

/** Sent when the police acknowledge the alert: cancels the escalation timer. */
export const ALERT_ACKNOWLEDGED_SIGNAL = 'alertAcknowledged';
/** Sent when deliveries were added outside the workflow (a receipt's fallback): wakes it up to send them. */
export const DELIVERIES_PENDING_SIGNAL = 'deliveriesPending';

/**
 * Provider sends run on their own task queues so that each provider gets its
 * own rate limit (`maxTaskQueueActivitiesPerSecond` of the workers polling them).
 */
export function smsTaskQueue(baseTaskQueue: string): string {
  return `${baseTaskQueue}-sms`;
}
export function emailTaskQueue(baseTaskQueue: string): string {
  return `${baseTaskQueue}-email`;
}
export function pushTaskQueue(baseTaskQueue: string): string {
  return `${baseTaskQueue}-push`;
}
/** Voice calls (Twilio Programmable Voice): a queue and a rate of their own, far below the SMS one. */
export function voiceTaskQueue(baseTaskQueue: string): string {
  return `${baseTaskQueue}-voice`;
}

export type AlertSeverityName = 'info' | 'important' | 'urgent';

export interface AlertDeliveryInput {
  tenantId: string;
  alertId: string;
  /** Carried over by continueAsNew; absent on the first run. */
  state?: AlertDeliveryState;
}

/** A run of consecutive batch numbers still to send. */
export interface BatchRange {
  from: number;
  to: number;
  /** The one channel of these batches (each has its own window); absent: mixed (escalation, older runs). */
  channel?: SendChannel;
}

export interface AlertDeliveryState {
  plan: DeliveryPlan;
  /** Recipient cursor (last account id resolved); null before the first page. */
  cursor: string | null;
  resolved: boolean;
  nextBatch: number;
  queue: BatchRange[];
  acknowledged: boolean;
  escalated: boolean;
  /** ISO time after which the receipt wait gives up (set when the fan-out is over). */
  receiptDeadline: string | null;
  totals: DeliveryTotals;
  runs: number;
  /** Pages resolved so far (absent in states of older runs: 0). */
  pages?: number;
  /** When the next check with the provider of receipts still missing is due (ISO), and how many were made. */
  receiptCheckAt?: string | null;
  receiptChecks?: number;
  /** The check made when the window closed is done. */
  receiptLastCheck?: boolean;
}

export interface DeliveryTotals {
  recipients: number;
  deliveries: number;
  batches: number;
}

/** What the workflow needs to know about the alert and its commune's settings, read once. */
export interface DeliveryPlan {
  severity: AlertSeverityName;
  /** ISO instant at which an unacknowledged alert escalates; null: no escalation. */
  escalateAt: string | null;
  receiptWindowSeconds: number;
  /** First check with the provider of SMS still without a receipt, then at doubling intervals (absent in older plans: 60). */
  receiptCheckSeconds?: number;
  retryInitialSeconds: number;
  /** Accounts in the first resolution page (small: the first SMS leaves within a second). */
  pageSize: number;
  /** Pages double from pageSize up to this (absent in plans of older runs: pageSize). */
  maxPageSize?: number;
  /** Child workflows in flight at once. */
  window: number;
  /** Batches a run starts before it continues as new (absent in plans of older runs: 200). */
  batchesPerRun?: number;
  /** The recipients were already resolved by an earlier run (restarted workflow): only send what is left. */
  resume: boolean;
  /** First free batch number (deliveries of an earlier run keep theirs). */
  nextBatch: number;
}

export interface AlertDeliveryResult {
  totals: DeliveryTotals;
  byStatus: Record<string, number>;
  escalated: boolean;
  /** Runs of the workflow (1 + the times it continued as new). */
  runs: number;
}

export interface AlertDeliveryBatchInput {
  tenantId: string;
  alertId: string;
  batchNo: number;
  retryInitialSeconds: number;
}

export interface BatchResult {
  inApp: number;
  sent: number;
  failed: number;
  fallbacks: number;
}

export type SendChannel = 'sms' | 'email' | 'push' | 'voice';

/** What a batch holds once its in-app rows are stored: the provider channels left to send. */
export interface PreparedBatch {
  inApp: number;
  channels: SendChannel[];
}

/**
 * One channel of one batch, sent by one activity. Final failures are already
 * recorded (with their fallbacks, numbered into the same batch); `retryable`
 * rows are left `sending` with their reason for the workflow to retry.
 */
export interface ChannelBatchOutcome {
  sent: number;
  /** Failed for good in this attempt (unreachable, refused by the provider). */
  failed: number;
  /** Not sent: the SMS budget is spent (they went by email instead). */
  skipped: number;
  /** Refused for a reason a retry may fix (rate limited, provider down, network). */
  retryable: number;
  /** Fallback deliveries created, and the channels they are on (to send next, in this batch). */
  fallbacks: number;
  fallbackChannels: SendChannel[];
}

export interface FailOutcome {
  failed: number;
  fallbacks: number;
  fallbackChannels: SendChannel[];
}

export interface ResolvedPage {
  nextCursor: string | null;
  recipients: number;
  deliveries: number;
  /** Batches created, numbered firstBatch … firstBatch + batches - 1. */
  batches: number;
  /** The channel of each of them, in order; null: several (absent: not known, e.g. a retried page). */
  channels?: Array<SendChannel | null>;
}

export interface DeliveryProgress {
  total: number;
  /** Deliveries not sent yet (fallbacks added by receipts, orphans of an interrupted run). */
  unsent: number;
  /** Accepted by the provider, no final receipt yet. */
  awaitingReceipt: number;
  /** Held for quiet hours, with the earliest release time (ISO). Digests are not counted. */
  held: number;
  nextHeldAt: string | null;
  byStatus: Record<string, number>;
}

export interface AssignedBatches {
  batches: number;
  deliveries: number;
  channels?: Array<SendChannel | null>;
}

export interface EscalationOutcome {
  escalated: boolean;
  batches: number;
  recipients: number;
}

/** Activities on the workflow's own task queue. */
export interface AlertDeliveryActivities {
  prepareAlertDelivery(input: { tenantId: string; alertId: string }): Promise<DeliveryPlan>;
  resolveRecipientsPage(input: {
    tenantId: string;
    alertId: string;
    cursor: string | null;
    firstBatch: number;
    pageSize: number;
  }): Promise<ResolvedPage>;
  /** Stores the batch's pending in-app rows (escalations, budget switches, orphans) and says which channels are left. */
  prepareBatch(input: { tenantId: string; alertId: string; batchNo: number }): Promise<PreparedBatch>;
  /** After the last retry: what is still unsent on the channel fails with its last reason, and gets its fallback. */
  failUnsent(input: {
    tenantId: string;
    alertId: string;
    batchNo: number;
    channel: SendChannel;
  }): Promise<FailOutcome>;
  /** Gives batch numbers from firstBatch to every pending delivery and to held ones that are due. Only called when no batch is in flight. */
  assignPendingDeliveries(input: {
    tenantId: string;
    alertId: string;
    firstBatch: number;
    asOf: string;
  }): Promise<AssignedBatches>;
  deliveryProgress(input: { tenantId: string; alertId: string }): Promise<DeliveryProgress>;
  /** Escalation deliveries all get `batchNo`. */
  escalateAlert(input: { tenantId: string; alertId: string; batchNo: number }): Promise<EscalationOutcome>;
  /** Adds the alert's sent SMS segments to the commune's monthly usage (once per batch, not per SMS). */
  countSmsUsage(input: { tenantId: string; alertId: string }): Promise<void>;
  /**
   * Asks the provider the status of SMS and voice calls sent at least
   * `olderThanSeconds` ago and still without a receipt (at most `limit`, oldest first), and applies
   * what it says as the receipt would have been: a failure gets its fallback,
   * left pending for the workflow's next progress check.
   */
  checkMissingReceipts(input: {
    tenantId: string;
    alertId: string;
    olderThanSeconds: number;
    limit: number;
    /** The previous page's lastId: rows after it (by id). */
    after?: string | null;
  }): Promise<ReceiptCheck>;
  finishAlertDelivery(input: { tenantId: string; alertId: string }): Promise<void>;
}

export interface ReceiptCheck {
  /** Messages asked about. */
  checked: number;
  /** Rows the answers moved (to sent, delivered or failed). */
  updated: number;
  /** Failures found (each with its fallback, if the recipient has another channel). */
  failed: number;
  /** More rows were waiting than `limit`. */
  more: boolean;
  /** The last row asked about, for the next page. */
  lastId: string | null;
}

/** Activities on the provider queues (smsTaskQueue, emailTaskQueue, pushTaskQueue, voiceTaskQueue): one per channel and batch. */
export interface AlertSendActivities {
  sendSmsBatch(input: BatchSendInput): Promise<ChannelBatchOutcome>;
  sendEmailBatch(input: BatchSendInput): Promise<ChannelBatchOutcome>;
  /** Web push, one delivery row per device. */
  sendPushBatch(input: BatchSendInput): Promise<ChannelBatchOutcome>;
  /** Voice calls: each accepted call is `sent`; its answer, key press or silence comes by webhook. */
  sendVoiceBatch(input: BatchSendInput): Promise<ChannelBatchOutcome>;
}

export interface BatchSendInput {
  tenantId: string;
  alertId: string;
  batchNo: number;
}

export interface AlertHousekeepingInput {
  /** Override of the reference time, ISO 8601 (tests). */
  asOf?: string;
}

export interface AlertHousekeepingResult {
  restarted: number;
  digests: number;
}

export interface AlertHousekeepingActivities {
  /** Starts the delivery workflow of alerts whose start was lost; returns how many. */
  restartStalledDeliveries(input: { asOf: string }): Promise<number>;
  /** Sends the due daily digests of `info` alerts, one page of recipients at a time. */
  sendDueDigests(input: {
    asOf: string;
    cursor: string | null;
  }): Promise<{ sent: number; nextCursor: string | null }>;
}

/** The typed reasons of a failed delivery that no retry will fix. */
export const NON_RETRYABLE_DELIVERY_REASONS = [
  'INVALID_NUMBER',
  'OPTED_OUT',
  'UNVERIFIED_ADDRESS',
  'INVALID_ADDRESS',
  'REJECTED',
  'CONFIGURATION',
  'SUBSCRIPTION_GONE',
  'DO_NOT_CALL',
  'OUTSIDE_CALL_HOURS',
] as const;
