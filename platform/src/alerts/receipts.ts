// Provider receipts (Twilio status callbacks, SES events through SNS) move
// deliveries to delivered / undelivered / bounced. An undelivered SMS or a
// bounced email creates its fallback on the other channel in the webhook's
// own transaction, and wakes the alert's workflow once that transaction has
// committed, so the workflow always finds the row it is woken for. Should the
// wake-up be lost (the process dies between commit and signal), the running
// workflow still finds the row at its next progress poll.
import type { FastifyBaseLogger } from 'fastify';
import type { BulkReceiptHandler, ReceiptHandler } from '../notifications/index.js';
import type { Temporal } from '../temporal/index.js';
import type { Metrics } from '../lib/metrics.js';
import { applyReceipt, applySuccessMany } from './deliveries.js';
import { alertSettings } from './settings.js';
import { wakeAlertDelivery } from './starter.js';

const providerOf = (channel: string) =>
  channel === 'sms' ? 'twilio' : channel === 'voice' ? 'twilio-voice' : 'ses';

/** A group of receipts: the successes in bulk (they never fall back), anything else one by one. */
export function alertBulkReceiptHandler(one: ReceiptHandler, deps: { metrics: Metrics }): BulkReceiptHandler {
  return async (receipts, trx) => {
    const ok = receipts.filter((r) => r.status === 'sent' || r.status === 'delivered');
    for (const r of ok) deps.metrics.receipts.inc({ provider: providerOf(r.channel), status: r.status });
    await applySuccessMany(
      trx,
      ok.map((r) => ({
        channel: r.channel,
        providerMessageId: r.providerMessageId,
        ref: r.ref,
        status: r.status,
        at: r.at,
        reason: r.reason,
        providerCode: r.providerCode,
      })),
    );
    for (const r of receipts) if (!ok.includes(r)) await one(r, trx);
  };
}

export function alertReceiptHandler(deps: {
  temporal: () => Temporal | undefined;
  log: FastifyBaseLogger;
  metrics: Metrics;
}): ReceiptHandler {
  return async (receipt, trx) => {
    const status = receipt.status;
    deps.metrics.receipts.inc({ provider: providerOf(receipt.channel), status });
    const settings = async () =>
      alertSettings(
        (
          (await trx('tenants').where({ id: receipt.tenantId }).first('settings')) as
            { settings: Record<string, unknown> } | undefined
        )?.settings,
      );
    const voice = receipt.channel === 'voice' ? (await settings()).voice : undefined;
    const outcome = await applyReceipt(
      trx,
      {
        channel: receipt.channel,
        providerMessageId: receipt.providerMessageId,
        ref: receipt.ref,
        status,
        at: receipt.at,
        reason: receipt.reason,
        providerCode: receipt.providerCode,
      },
      async () => (await settings()).onDuty,
      voice,
    );
    // A fallback to send, or a call to place again later: the workflow recounts what is left.
    if (outcome.kind === 'ignored' || outcome.kind === 'updated') return;
    if (outcome.kind === 'failed' && !outcome.fallback) return;
    const tenant = (await trx('tenants').where({ id: receipt.tenantId }).first('id', 'slug')) as {
      id: string;
      slug: string;
    };
    const alertId = outcome.delivery.alert_id;
    trx.executionPromise.then(
      () => wakeAlertDelivery(deps.temporal(), tenant, alertId, deps.log),
      () => undefined,
    );
  };
}
