// Notices beyond the in-app inbox: a module or plugin that tells accounts
// something (an « avis de passage », a reminder) may ask for SMS and email
// too (services.notify's `channels`). The rows to send are written in the
// notifying transaction (notice_sends); one workflow per batch sends them,
// holds them through each account's quiet hours, and retries a provider's
// transient failure. A sweep schedule starts the batch of a start that was
// lost (Temporal unreachable at the commit).

export const NOTICE_DELIVERY_WORKFLOW = 'noticeDelivery';
export const NOTICE_DELIVERY_KIND = 'notice';
export const NOTICE_SWEEP_WORKFLOW = 'noticeSweep';
export const NOTICE_SWEEP_SCHEDULE_ID = 'platform/notice-sweep';

export interface NoticeDeliveryInput {
  tenantId: string;
  batchId: string;
}

export interface NoticeRound {
  sent: number;
  failed: number;
  skipped: number;
  /** ISO 8601: when rows still held (quiet hours, a retry) are next due; null when none is left. */
  nextAt: string | null;
}

export interface NoticeDeliveryResult {
  sent: number;
  failed: number;
  skipped: number;
}

export interface NoticeActivities {
  sendNoticeBatch(input: NoticeDeliveryInput): Promise<NoticeRound>;
  /** Batches with rows pending for over a minute and no workflow: started again (idempotent ids). */
  restartLostNotices(): Promise<{ restarted: number }>;
}
