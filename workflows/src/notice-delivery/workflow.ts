import { proxyActivities, sleep } from '@temporalio/workflow';
import type { NoticeActivities, NoticeDeliveryInput, NoticeDeliveryResult } from './contract.js';

const acts = proxyActivities<NoticeActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** Sends a batch's rows, then sleeps until the held ones are due, until none is left. */
export async function noticeDelivery(input: NoticeDeliveryInput): Promise<NoticeDeliveryResult> {
  const total = { sent: 0, failed: 0, skipped: 0 };
  // Quiet hours hold a row at most a night; retries end after a few attempts: 100 rounds is far above.
  for (let round = 0; round < 100; round++) {
    const r = await acts.sendNoticeBatch(input);
    total.sent += r.sent;
    total.failed += r.failed;
    total.skipped += r.skipped;
    if (!r.nextAt) break;
    await sleep(Math.max(1000, Date.parse(r.nextAt) - Date.now()));
  }
  return total;
}

/** Every few minutes: a batch whose workflow never started is started. */
export async function noticeSweep(): Promise<{ restarted: number }> {
  return acts.restartLostNotices();
}
