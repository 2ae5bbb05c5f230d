// The monthly SMS budget of a commune, counted in segments (what Twilio bills).
// Counting happens after each accepted send, in one upsert, so concurrent
// activities never lose an increment, and the 80 % warning flips exactly once.
import type { Knex } from 'knex';

/** First day of the month in Paris time: a message sent at 00:30 on the 1st belongs to the new month. */
export function billingMonth(now: Date, timezone = 'Europe/Paris'): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
  }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-01`;
}

export interface SmsUsage {
  month: string;
  segmentsSent: number;
  messagesSent: number;
  /** null: no budget set. */
  budget: number | null;
  overBudget: boolean;
}

export interface RecordedUsage extends SmsUsage {
  /** True for the one call that crossed 80 % of the budget: warn the mairie now. */
  warn80: boolean;
}

function usage(month: string, segmentsSent: number, messagesSent: number, budget: number | null): SmsUsage {
  return { month, segmentsSent, messagesSent, budget, overBudget: budget !== null && segmentsSent >= budget };
}

export async function recordSmsSegments(
  trx: Knex.Transaction,
  tenantId: string,
  opts: { segments: number; now: Date; budget: number | null },
): Promise<RecordedUsage> {
  const month = billingMonth(opts.now);
  const [row] = (await trx('sms_usage')
    .insert({ tenant_id: tenantId, month, segments_sent: opts.segments, messages_sent: 1 })
    .onConflict(['tenant_id', 'month'])
    .merge({
      segments_sent: trx.raw('sms_usage.segments_sent + excluded.segments_sent'),
      messages_sent: trx.raw('sms_usage.messages_sent + 1'),
      updated_at: trx.fn.now(),
    })
    .returning(['segments_sent', 'messages_sent'])) as Array<{
    segments_sent: number;
    messages_sent: number;
  }>;
  const u = usage(month, row!.segments_sent, row!.messages_sent, opts.budget);
  let warn80 = false;
  if (opts.budget !== null && u.segmentsSent >= 0.8 * opts.budget) {
    const flipped = await trx('sms_usage')
      .where({ month, warned_80: false })
      .update({ warned_80: true }, ['id']);
    warn80 = flipped.length > 0;
  }
  return { ...u, warn80 };
}

export async function smsUsage(
  trx: Knex.Transaction,
  opts: { now: Date; budget: number | null },
): Promise<SmsUsage> {
  const month = billingMonth(opts.now);
  const row = (await trx('sms_usage').where({ month }).first('segments_sent', 'messages_sent')) as
    { segments_sent: number; messages_sent: number } | undefined;
  return usage(month, row?.segments_sent ?? 0, row?.messages_sent ?? 0, opts.budget);
}
