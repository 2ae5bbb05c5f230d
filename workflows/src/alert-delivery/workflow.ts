import {
  condition,
  continueAsNew,
  defineSignal,
  executeChild,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import {
  ALERT_ACKNOWLEDGED_SIGNAL,
  DELIVERIES_PENDING_SIGNAL,
  emailTaskQueue,
  pushTaskQueue,
  smsTaskQueue,
  voiceTaskQueue,
  type AlertDeliveryActivities,
  type AlertDeliveryBatchInput,
  type AlertDeliveryInput,
  type AlertDeliveryResult,
  type AlertDeliveryState,
  type AlertHousekeepingActivities,
  type AlertHousekeepingInput,
  type AlertHousekeepingResult,
  type AlertSendActivities,
  type BatchRange,
  type BatchResult,
  type BatchSendInput,
  type ChannelBatchOutcome,
  type DeliveryPlan,
  type ReceiptCheck,
  type SendChannel,
} from './contract.js';

// Database steps retry until the database is back: an alert is never dropped
// because PostgreSQL restarted. Each one is idempotent (see platform/src/alerts).
// Each step takes well under a second; a step lost with its worker is retried after 30 s.
const db = proxyActivities<AlertDeliveryActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
const hk = proxyActivities<AlertHousekeepingActivities>({
  startToCloseTimeout: '5 minutes',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 5,
  },
});

export const acknowledgedSignal = defineSignal(ALERT_ACKNOWLEDGED_SIGNAL);
export const deliveriesPendingSignal = defineSignal(DELIVERIES_PENDING_SIGNAL);

/** Batches started by one run before it continues as new (each costs about ten history events), unless the plan says otherwise. */
const MAX_BATCHES_PER_RUN = 200;
/** Escalation deliveries form one batch of their own, numbered apart from the fan-out's. */
const ESCALATION_BATCH = -1;
const MAX_BATCH_RETRIES = 3;
const FIRST_POLL_MS = 1_000;
/** SMS asked about per receipt check (several checks follow each other while more are waiting). */
const RECEIPT_CHECK_LIMIT = 100;
const MAX_RECEIPT_CHECK_PAGES = 20;
const MAX_RECEIPT_CHECK_MS = 30 * 60_000;
const MAX_POLL_MS = 5 * 60_000;

function initialState(plan: DeliveryPlan): AlertDeliveryState {
  return {
    plan,
    cursor: null,
    resolved: plan.resume,
    nextBatch: plan.nextBatch,
    queue: [],
    acknowledged: false,
    escalated: false,
    receiptDeadline: null,
    totals: { recipients: 0, deliveries: 0, batches: 0 },
    runs: 0,
  };
}

export async function alertDelivery(input: AlertDeliveryInput): Promise<AlertDeliveryResult> {
  const { tenantId, alertId } = input;
  const state = input.state ?? initialState(await db.prepareAlertDelivery({ tenantId, alertId }));
  const plan = state.plan;
  // Every event that may unblock the loop bumps `wake`; the loop waits for a change.
  let wake = 0;
  let pendingHint = false;
  setHandler(acknowledgedSignal, () => {
    state.acknowledged = true;
    wake++;
  });
  setHandler(deliveriesPendingSignal, () => {
    pendingHint = true;
    wake++;
  });

  const inflight = new Map<number, Promise<void>>();
  const batchRetries = new Map<number, number>();
  let allocating: Promise<void> | undefined;
  let failure: unknown;
  let batchesThisRun = 0;
  let pollMs = FIRST_POLL_MS;

  const queued = () => state.queue.reduce((n, r) => n + r.to - r.from + 1, 0);
  // A window per channel: a batch of emails at 14/s must not hold the place of the SMS and pushes behind it.
  const laneOf = (r: BatchRange) => r.channel ?? 'mixed';
  const lanes = new Map<number, string>();
  const busy = (lane: string) => [...lanes.values()].filter((l) => l === lane).length;
  const startable = () =>
    state.queue.filter((r) => busy(laneOf(r)) < plan.window).reduce((n, r) => n + r.to - r.from + 1, 0);
  const take = (): BatchRange | undefined => {
    const i = state.queue.findIndex((r) => busy(laneOf(r)) < plan.window);
    if (i < 0) return undefined;
    const r = state.queue[i]!;
    const one: BatchRange = { from: r.from, to: r.from, ...(r.channel ? { channel: r.channel } : {}) };
    if (r.from === r.to) state.queue.splice(i, 1);
    else r.from++;
    return one;
  };
  const escalationPending = () => plan.escalateAt !== null && !state.acknowledged && !state.escalated;
  const untilEscalation = () => (escalationPending() ? Date.parse(plan.escalateAt!) - Date.now() : Infinity);

  const startBatch = (range: BatchRange) => {
    const batchNo = range.from;
    batchesThisRun++;
    lanes.set(batchNo, laneOf(range));
    const child = executeChild(alertDeliveryBatch, {
      workflowId: `${workflowInfo().workflowId}/batch/${batchNo}`,
      args: [{ tenantId, alertId, batchNo, retryInitialSeconds: plan.retryInitialSeconds }],
      parentClosePolicy: ParentClosePolicy.TERMINATE,
    });
    const done = child
      .then(
        () => undefined,
        (err: unknown) => {
          // A batch is idempotent: run it again, a few times, before failing loudly.
          const n = (batchRetries.get(batchNo) ?? 0) + 1;
          batchRetries.set(batchNo, n);
          if (n > MAX_BATCH_RETRIES) failure ??= err;
          else state.queue.unshift(range);
        },
      )
      .finally(() => {
        inflight.delete(batchNo);
        lanes.delete(batchNo);
        wake++;
      });
    inflight.set(batchNo, done);
  };

  // One allocation (an activity that hands out batch numbers) at a time, so numbers never collide.
  const allocate = (step: () => Promise<void>) => {
    allocating = step().finally(() => {
      allocating = undefined;
      wake++;
    });
  };
  const resolvePage = () =>
    allocate(async () => {
      const first = state.nextBatch;
      const page = await db.resolveRecipientsPage({
        tenantId,
        alertId,
        cursor: state.cursor,
        firstBatch: first,
        // Doubling pages: the first is small so the first send leaves at once, the later ones cheap per recipient.
        pageSize: Math.min(plan.maxPageSize ?? plan.pageSize, plan.pageSize * 2 ** (state.pages ?? 0)),
      });
      state.pages = (state.pages ?? 0) + 1;
      state.cursor = page.nextCursor;
      state.resolved = page.nextCursor === null;
      state.totals.recipients += page.recipients;
      state.totals.deliveries += page.deliveries;
      enqueue(first, page.batches, page.channels);
    });
  const assignPending = () =>
    allocate(async () => {
      const first = state.nextBatch;
      const r = await db.assignPendingDeliveries({
        tenantId,
        alertId,
        firstBatch: first,
        asOf: new Date(Date.now()).toISOString(),
      });
      state.totals.deliveries += r.deliveries;
      enqueue(first, r.batches, r.channels);
    });
  const escalate = () =>
    allocate(async () => {
      const r = await db.escalateAlert({ tenantId, alertId, batchNo: ESCALATION_BATCH });
      state.escalated = true;
      // Urgent by definition: ahead of whatever is still queued.
      if (r.batches > 0) state.queue.unshift({ from: ESCALATION_BATCH, to: ESCALATION_BATCH });
    });
  const enqueue = (first: number, count: number, channels?: Array<SendChannel | null>) => {
    if (count <= 0) return;
    if (channels && channels.length === count) {
      // Consecutive batches of one channel make one range.
      for (let i = 0; i < count; i++) {
        const ch = channels[i] ?? undefined;
        const last = state.queue[state.queue.length - 1];
        if (i > 0 && last && last.channel === ch && last.to === first + i - 1) last.to++;
        else state.queue.push({ from: first + i, to: first + i, ...(ch ? { channel: ch } : {}) });
      }
    } else state.queue.push({ from: first, to: first + count - 1 });
    state.nextBatch = first + count;
    state.totals.batches += count;
  };
  const waitForEvent = async (timeoutMs: number) => {
    const seen = wake;
    if (Number.isFinite(timeoutMs)) await condition(() => wake !== seen, Math.max(1, Math.ceil(timeoutMs)));
    else await condition(() => wake !== seen);
  };

  for (;;) {
    if (failure) throw failure;
    const perRun = plan.batchesPerRun ?? MAX_BATCHES_PER_RUN;
    const rollOver = batchesThisRun >= perRun || workflowInfo().continueAsNewSuggested;
    if (!rollOver) {
      while (batchesThisRun < perRun) {
        const next = take();
        if (!next) break;
        startBatch(next);
      }
      if (!allocating) {
        if (escalationPending() && untilEscalation() <= 0) escalate();
        // More recipients while some channel's window would otherwise run dry (one slow channel's backlog does not stop the others).
        else if (!state.resolved && startable() < plan.window) resolvePage();
      }
    }
    const idle = inflight.size === 0 && !allocating;
    if (idle && rollOver) {
      // Children and allocations are all settled: the state below is the whole truth.
      return continueAsNew<typeof alertDelivery>({
        tenantId,
        alertId,
        state: { ...state, runs: state.runs + 1 },
      });
    }
    if (!(idle && state.resolved && queued() === 0)) {
      // Due but waiting for the allocation in progress: its end wakes the loop, no timer needed.
      const t = untilEscalation();
      await waitForEvent(t > 0 ? t : Infinity);
      continue;
    }

    // Nothing in flight: whatever is still pending (a receipt's fallback, an
    // orphan of an interrupted run) or held and due is given a batch now.
    pendingHint = false;
    const progress = await db.deliveryProgress({ tenantId, alertId });
    const now = Date.now();
    const heldDue = progress.nextHeldAt !== null && Date.parse(progress.nextHeldAt) <= now;
    if (progress.unsent > 0 || heldDue) {
      assignPending();
      pollMs = FIRST_POLL_MS;
      continue;
    }
    state.receiptDeadline ??= new Date(now + plan.receiptWindowSeconds * 1000).toISOString();
    const deadline = Date.parse(state.receiptDeadline);
    // A status callback is never sent twice: an SMS still without its receipt
    // after a while has its status asked of the provider, at doubling
    // intervals, and a last time when the window closes.
    if (progress.awaitingReceipt > 0 && patched('receipt-checks')) {
      const firstMs = (plan.receiptCheckSeconds ?? 60) * 1000;
      state.receiptCheckAt ??= new Date(now + firstMs).toISOString();
      const last = now >= deadline && !state.receiptLastCheck;
      if (last || (now < deadline && now >= Date.parse(state.receiptCheckAt))) {
        let after: string | null = null;
        for (let i = 0; i < MAX_RECEIPT_CHECK_PAGES; i++) {
          const check: ReceiptCheck = await db.checkMissingReceipts({
            tenantId,
            alertId,
            olderThanSeconds: last ? 0 : firstMs / 1000,
            limit: RECEIPT_CHECK_LIMIT,
            after,
          });
          after = check.lastId;
          if (!check.more) break;
        }
        state.receiptChecks = (state.receiptChecks ?? 0) + 1;
        if (last) state.receiptLastCheck = true;
        const every = Math.min(firstMs * 2 ** state.receiptChecks, MAX_RECEIPT_CHECK_MS);
        state.receiptCheckAt = new Date(now + every).toISOString();
        pollMs = FIRST_POLL_MS;
        continue;
      }
    }
    const receiptsDone = progress.awaitingReceipt === 0 || now >= deadline;
    if (receiptsDone && progress.held === 0 && !escalationPending()) {
      await db.countSmsUsage({ tenantId, alertId });
      await db.finishAlertDelivery({ tenantId, alertId });
      return {
        totals: state.totals,
        byStatus: progress.byStatus,
        escalated: state.escalated,
        runs: state.runs + 1,
      };
    }
    const untilHeld = progress.nextHeldAt !== null ? Date.parse(progress.nextHeldAt) - now : Infinity;
    const untilDeadline =
      progress.awaitingReceipt > 0 && now < deadline ? Math.min(pollMs, deadline - now) : Infinity;
    const untilCheck =
      progress.awaitingReceipt > 0 && state.receiptCheckAt && now < deadline
        ? Math.max(1, Date.parse(state.receiptCheckAt) - now)
        : Infinity;
    await waitForEvent(Math.min(untilHeld, untilDeadline, untilCheck, untilEscalation()));
    pollMs = pendingHint ? FIRST_POLL_MS : Math.min(Math.round(pollMs * 1.5), MAX_POLL_MS);
  }
}

/** Rounds of sends a batch makes (retries and fallbacks); fallbacks cannot chain further than this. */
const MAX_ROUNDS = 12;
/** Attempts of a channel's retryable failures before what is left fails with its last reason. */
const MAX_SEND_ATTEMPTS = 6;

/**
 * Sends one batch: its in-app rows, then one activity per provider channel on
 * that provider's queue, which sends the whole channel of the batch. A round's
 * retryable refusals come back as a count: the next round (after a backoff)
 * sends those rows again; final failures came back with their fallbacks
 * already in the batch, sent by the next round too.
 */
export async function alertDeliveryBatch(input: AlertDeliveryBatchInput): Promise<BatchResult> {
  const { tenantId, alertId, batchNo } = input;
  const base = workflowInfo().taskQueue;
  // Provider refusals never fail the activity (they come back counted); this
  // retry is for the worker's own trouble (the database away, a worker lost).
  const options = (taskQueue: string) => ({
    taskQueue,
    startToCloseTimeout: '1 hour',
    heartbeatTimeout: '30 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  });
  const send: Record<SendChannel, (i: BatchSendInput) => Promise<ChannelBatchOutcome>> = {
    sms: proxyActivities<AlertSendActivities>(options(smsTaskQueue(base))).sendSmsBatch,
    email: proxyActivities<AlertSendActivities>(options(emailTaskQueue(base))).sendEmailBatch,
    push: proxyActivities<AlertSendActivities>(options(pushTaskQueue(base))).sendPushBatch,
    voice: proxyActivities<AlertSendActivities>(options(voiceTaskQueue(base))).sendVoiceBatch,
  };
  const result: BatchResult = { inApp: 0, sent: 0, failed: 0, fallbacks: 0 };
  const prepared = await db.prepareBatch({ tenantId, alertId, batchNo });
  result.inApp = prepared.inApp;
  const attempts: Record<SendChannel, number> = { sms: 0, email: 0, push: 0, voice: 0 };
  let smsSent = false;
  // Voice calls came with issue 16: only a batch that has calls asks for the
  // patch, so every history recorded before (none has a voice row) replays
  // exactly as it ran.
  const voice = prepared.channels.includes('voice') && patched('voice-channel');
  let todo = new Set<SendChannel>(prepared.channels.filter((ch) => ch !== 'voice' || voice));
  for (let round = 0; todo.size > 0 && round < MAX_ROUNDS; round++) {
    const outcomes = await Promise.all(
      [...todo].map(async (ch) => [ch, await send[ch]({ tenantId, alertId, batchNo })] as const),
    );
    const next = new Set<SendChannel>();
    let backoffMs = 0;
    for (const [ch, o] of outcomes) {
      result.sent += o.sent;
      result.failed += o.failed;
      result.fallbacks += o.fallbacks;
      if (ch === 'sms' && o.sent > 0) smsSent = true;
      for (const f of o.fallbackChannels) next.add(f);
      if (o.retryable === 0) continue;
      attempts[ch]++;
      if (attempts[ch] < MAX_SEND_ATTEMPTS) {
        next.add(ch);
        backoffMs = Math.max(backoffMs, input.retryInitialSeconds * 1000 * 2 ** (attempts[ch] - 1));
        continue;
      }
      const f = await db.failUnsent({ tenantId, alertId, batchNo, channel: ch });
      result.failed += f.failed;
      result.fallbacks += f.fallbacks;
      for (const c of f.fallbackChannels) next.add(c);
    }
    if (backoffMs > 0) await sleep(Math.min(backoffMs, 60_000));
    todo = next;
  }
  if (smsSent) await db.countSmsUsage({ tenantId, alertId });
  return result;
}

/** Every few minutes: restarts deliveries whose start was lost, and sends the due daily digests. */
export async function alertHousekeeping(
  input: AlertHousekeepingInput = {},
): Promise<AlertHousekeepingResult> {
  const asOf = input.asOf ?? new Date(Date.now()).toISOString();
  const restarted = await hk.restartStalledDeliveries({ asOf });
  let digests = 0;
  let cursor: string | null = null;
  do {
    const page: { sent: number; nextCursor: string | null } = await hk.sendDueDigests({ asOf, cursor });
    digests += page.sent;
    cursor = page.nextCursor;
  } while (cursor !== null);
  return { restarted, digests };
}
