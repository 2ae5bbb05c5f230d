// The commune's monthly SMS usage, counted off the hot path. Incrementing one
// row per commune and month after every SMS would make every send of a
// fan-out wait for the previous one's commit (we measured waits of seconds on
// a loaded machine). Instead each SMS records its segments on its own
// delivery row, and the batch that sent it adds them to `sms_usage` in one
// upsert. Budget checks read the counted total plus what is sent but not yet
// counted, so they stay exact.
import type { Knex } from 'knex';
import { billingMonth, smsUsage, type RecordedUsage, type SmsUsage } from '../notifications/index.js';

type Trx = Knex.Transaction;

/** Segments sent by this commune and not yet added to `sms_usage`. */
async function uncountedSegments(trx: Trx): Promise<number> {
  const r = (await trx('deliveries')
    .where({ channel: 'sms', usage_counted: false })
    .whereNotNull('segments')
    .sum('segments as n')
    .first()) as { n: string | number | null } | undefined;
  return Number(r?.n ?? 0);
}

export async function currentSmsUsage(
  trx: Trx,
  opts: { now: Date; budget: number | null },
): Promise<SmsUsage> {
  const counted = await smsUsage(trx, opts);
  const segmentsSent = counted.segmentsSent + (await uncountedSegments(trx));
  return { ...counted, segmentsSent, overBudget: opts.budget !== null && segmentsSent >= opts.budget };
}

/**
 * Adds several messages at once (notifications' recordSmsSegments adds one).
 * The 80 % flag flips in the same transaction, so exactly one caller warns.
 */
export async function addSmsUsage(
  trx: Trx,
  tenantId: string,
  u: { segments: number; messages: number; now: Date; budget: number | null },
): Promise<RecordedUsage> {
  const month = billingMonth(u.now);
  const [row] = (await trx('sms_usage')
    .insert({ tenant_id: tenantId, month, segments_sent: u.segments, messages_sent: u.messages })
    .onConflict(['tenant_id', 'month'])
    .merge({
      segments_sent: trx.raw('sms_usage.segments_sent + excluded.segments_sent'),
      messages_sent: trx.raw('sms_usage.messages_sent + excluded.messages_sent'),
      updated_at: trx.fn.now(),
    })
    .returning(['segments_sent', 'messages_sent'])) as Array<{
    segments_sent: number;
    messages_sent: number;
  }>;
  const segmentsSent = row!.segments_sent;
  let warn80 = false;
  if (u.budget !== null && segmentsSent >= 0.8 * u.budget) {
    warn80 =
      (await trx('sms_usage').where({ month, warned_80: false }).update({ warned_80: true }, ['id'])).length >
      0;
  }
  return {
    month,
    segmentsSent,
    messagesSent: row!.messages_sent,
    budget: u.budget,
    overBudget: u.budget !== null && segmentsSent >= u.budget,
    warn80,
  };
}

/** Moves the alert's sent-but-uncounted SMS into `sms_usage`; null when there was nothing to count. */
export async function countAlertSmsUsage(
  trx: Trx,
  tenantId: string,
  alertId: string,
  opts: { now: Date; budget: number | null },
): Promise<RecordedUsage | null> {
  const rows = (await trx('deliveries')
    .where({ alert_id: alertId, channel: 'sms', usage_counted: false })
    .whereNotNull('segments')
    .update({ usage_counted: true }, ['segments'])) as Array<{ segments: number }>;
  if (rows.length === 0) return null;
  const segments = rows.reduce((n, r) => n + r.segments, 0);
  return addSmsUsage(trx, tenantId, { segments, messages: rows.length, now: opts.now, budget: opts.budget });
}
