// SMS beyond the yearly allowance, reported to Stripe as billing meter events.
//
// The delivery records are the source: each SMS delivery keeps the segments
// Twilio took (set once, when the provider accepted it; receipts that come
// after, redelivered or not, never change it). Each run, commune by commune:
//   1. count: every SMS delivery sent in the term and not counted yet gets one
//      line in `sms_meter_lines` (unique by delivery: counted once, ever),
//      in the order they were sent; the segments past the tier's yearly
//      allowance are billable, and become one pending report whose
//      identifier names the commune, the term and the ordinal range of the
//      billable segments (`vigie-sms-<tenant>-<term>-1001-1250`);
//   2. send: every pending report is sent to Stripe with that identifier,
//      then marked sent. A crash between the two resends the same
//      identifier, which Stripe drops as a duplicate.
// Nothing is sent while a commune stays under its allowance.
import type { Knex } from 'knex';
import type Stripe from 'stripe';
import type { BillingSmsUsageResult } from '@vigie/workflows/contracts';
import { withTenant } from '../db/index.js';
import { fail } from './errors.js';
import { smsLookupKey, type PriceList } from './price-list.js';

/** The meter's event name (sync.ts creates the meter; stable across price changes). */
export const SMS_METER_EVENT = 'vigie_sms_segments';

/** Deliveries counted per transaction: a city-wide alert is counted in a few of them. */
const BATCH = 5000;
/** Stripe takes meter events up to 35 days old. */
const MAX_EVENT_AGE_MS = 34 * 86_400_000;

export interface Term {
  start: Date;
  end: Date;
}

/** The yearly term that ends at `end` (Stripe's current_period_end). */
export function termEnding(end: Date): Term {
  const start = new Date(end);
  start.setUTCFullYear(start.getUTCFullYear() - 1);
  return { start, end };
}

export interface LineIn {
  deliveryId: string;
  segments: number;
}

export interface Counted {
  lines: Array<LineIn & { billable: number }>;
  /** Ordinal range of the billable segments in the term; null when all stayed under the allowance. */
  range: { first: number; last: number } | null;
}

/**
 * Which of these segments (in the order they were sent) are beyond the
 * allowance, given the segments already counted in the term. Pure.
 */
export function countBeyondAllowance(usedBefore: number, allowance: number, lines: LineIn[]): Counted {
  let used = usedBefore;
  const out: Counted['lines'] = [];
  for (const l of lines) {
    const before = used;
    used += l.segments;
    out.push({ ...l, billable: Math.max(0, used - Math.max(before, allowance)) });
  }
  const billedBefore = Math.max(0, usedBefore - allowance);
  const billed = Math.max(0, used - allowance) - billedBefore;
  return { lines: out, range: billed > 0 ? { first: billedBefore + 1, last: billedBefore + billed } : null };
}

export function meterIdentifier(tenantId: string, termEnd: Date, first: number, last: number): string {
  const day = termEnd.toISOString().slice(0, 10).replace(/-/g, '');
  return `vigie-sms-${tenantId}-${day}-${first}-${last}`;
}

interface Account {
  tenant_id: string;
  tier: string;
  stripe_customer_id: string;
  stripe_subscription_id: string | null;
  current_period_end: Date;
  sms_item_id: string | null;
}

/**
 * Step 1 for one commune and one term: counts the SMS sent in the term and not
 * counted yet, and records a pending report for what is beyond the allowance.
 * Returns the deliveries counted.
 */
export async function countTerm(
  db: Knex,
  a: Pick<Account, 'tenant_id' | 'stripe_customer_id'>,
  term: Term,
  allowance: number,
  asOf: Date,
): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await withTenant(db, a.tenant_id, async (trx) => {
      // One counter per commune at a time: two runs would both see the same "used before".
      await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`sms-meter:${a.tenant_id}`]);
      const fresh: Array<{ id: string; segments: number }> = await trx('deliveries as d')
        .where('d.channel', 'sms')
        .whereNotNull('d.segments')
        .where('d.sent_at', '>=', term.start)
        .where('d.sent_at', '<', term.end)
        .where('d.sent_at', '<=', asOf)
        .whereNotExists(trx('sms_meter_lines as l').whereRaw('l.delivery_id = d.id'))
        .orderBy([{ column: 'd.sent_at' }, { column: 'd.id' }])
        .limit(BATCH)
        .select('d.id', 'd.segments');
      if (fresh.length === 0) return 0;
      const sum = (await trx('sms_meter_lines')
        .where({ term_end: term.end })
        .sum({ n: 'segments' })
        .first()) as { n: string | number | null } | undefined;
      const counted = countBeyondAllowance(
        Number(sum?.n ?? 0),
        allowance,
        fresh.map((f) => ({ deliveryId: f.id, segments: f.segments })),
      );
      let reportId: string | null = null;
      if (counted.range) {
        const { first, last } = counted.range;
        const [r] = (await trx('sms_meter_reports')
          .insert({
            tenant_id: a.tenant_id,
            term_end: term.end,
            first_segment: first,
            last_segment: last,
            value: last - first + 1,
            identifier: meterIdentifier(a.tenant_id, term.end, first, last),
            stripe_customer_id: a.stripe_customer_id,
          })
          .returning('id')) as Array<{ id: string }>;
        reportId = r!.id;
      }
      await trx('sms_meter_lines').insert(
        counted.lines.map((l) => ({
          tenant_id: a.tenant_id,
          delivery_id: l.deliveryId,
          term_end: term.end,
          segments: l.segments,
          billable: l.billable,
          report_id: l.billable > 0 ? reportId : null,
        })),
      );
      return fresh.length;
    });
    total += n;
    if (n < BATCH) return total;
  }
}

/** The tier's metered SMS price on the commune's subscription, added once (idempotent by subscription). */
export async function ensureSmsItem(stripe: Stripe, db: Knex, a: Account): Promise<string | null> {
  if (a.sms_item_id) return a.sms_item_id;
  if (!a.stripe_subscription_id) return null;
  const price = (await stripe.prices.list({ lookup_keys: [smsLookupKey(a.tier)], active: true, limit: 1 }))
    .data[0];
  if (!price) throw fail('BILLING_PRICE_NOT_SYNCED');
  const item = await stripe.subscriptionItems.create(
    { subscription: a.stripe_subscription_id, price: price.id },
    { idempotencyKey: `vigie-sms-item-${a.stripe_subscription_id}` },
  );
  await db('billing_accounts').where({ tenant_id: a.tenant_id }).update({ sms_item_id: item.id });
  return item.id;
}

function isDuplicate(err: unknown): boolean {
  const e = err as { type?: string; code?: string; message?: string };
  return (
    e.type === 'StripeInvalidRequestError' &&
    (e.code === 'resource_already_exists' || /identifier.*(already|duplicate)/i.test(e.message ?? ''))
  );
}

/** Step 2 for one commune: sends its pending reports, oldest first; returns what Stripe took. */
export async function sendPending(
  stripe: Stripe,
  db: Knex,
  tenantId: string,
  now: Date,
): Promise<{ events: number; segments: number }> {
  const pending: Array<{
    id: string;
    identifier: string;
    value: number;
    stripe_customer_id: string;
    created_at: Date;
  }> = await withTenant(db, tenantId, (trx) =>
    trx('sms_meter_reports')
      .where({ status: 'pending' })
      .orderBy('created_at')
      .select('id', 'identifier', 'value', 'stripe_customer_id', 'created_at'),
  );
  let events = 0;
  let segments = 0;
  for (const r of pending) {
    const at = Math.max(new Date(r.created_at).getTime(), now.getTime() - MAX_EVENT_AGE_MS);
    try {
      await stripe.billing.meterEvents.create({
        event_name: SMS_METER_EVENT,
        identifier: r.identifier,
        payload: { stripe_customer_id: r.stripe_customer_id, value: String(r.value) },
        timestamp: Math.floor(Math.min(at, now.getTime()) / 1000),
      });
    } catch (err) {
      // A resend after a crash: Stripe already has it, which is what we wanted.
      if (!isDuplicate(err)) throw err;
    }
    await withTenant(db, tenantId, (trx) =>
      trx('sms_meter_reports').where({ id: r.id }).update({ status: 'sent', sent_at: now, updated_at: now }),
    );
    events++;
    segments += r.value;
  }
  return { events, segments };
}

export interface SmsMeterDeps {
  /** App pool: deliveries and the meter's tables under RLS, billing_accounts (platform). */
  db: Knex;
  stripe: Stripe | undefined;
  priceList: PriceList;
  log: { warn(o: object, msg: string): void };
  heartbeat?: () => void;
}

/** The hourly run over every subscribed commune. */
export async function reportSmsUsage(deps: SmsMeterDeps, asOf: Date): Promise<BillingSmsUsageResult> {
  const out: BillingSmsUsageResult = {
    communes: 0,
    deliveriesCounted: 0,
    eventsSent: 0,
    segmentsReported: 0,
    pending: 0,
  };
  if (!deps.stripe) return out;
  const accounts: Account[] = await deps
    .db('billing_accounts')
    .whereIn('state', ['active', 'past_due', 'suspended'])
    .whereNotNull('stripe_customer_id')
    .whereNotNull('tier')
    .whereNotNull('current_period_end')
    .select(
      'tenant_id',
      'tier',
      'stripe_customer_id',
      'stripe_subscription_id',
      'current_period_end',
      'sms_item_id',
    );
  for (const a of accounts) {
    const tier = deps.priceList.tiers.find((t) => t.id === a.tier);
    if (!tier) continue;
    const current = termEnding(new Date(a.current_period_end));
    // The term that just renewed may still have SMS sent in its last hour to count.
    for (const term of [termEnding(current.start), current])
      out.deliveriesCounted += await countTerm(deps.db, a, term, tier.smsIncludedPerYear, asOf);
    await purgeLines(deps.db, a.tenant_id, current.start);
    out.communes++;
    deps.heartbeat?.();
  }
  // Pending reports of every commune, including one cancelled since it was counted
  // (RLS shows the meter's tables one commune at a time, hence one look each).
  const known: string[] = await deps
    .db('billing_accounts')
    .whereNotNull('stripe_customer_id')
    .pluck('tenant_id');
  for (const tenantId of known) {
    if ((await pendingCount(deps.db, tenantId)) === 0) continue;
    try {
      const a = accounts.find((x) => x.tenant_id === tenantId);
      if (a) await ensureSmsItem(deps.stripe, deps.db, a);
      const sent = await sendPending(deps.stripe, deps.db, tenantId, asOf);
      out.eventsSent += sent.events;
      out.segmentsReported += sent.segments;
    } catch (err) {
      // One commune's trouble (a price not synced, Stripe down) waits for the next run; the others go on.
      deps.log.warn({ err, tenantId }, 'sms usage not reported to Stripe yet');
    }
    out.pending += await pendingCount(deps.db, tenantId);
    deps.heartbeat?.();
  }
  return out;
}

/**
 * The lines of terms that ended before the previous one: no run counts those
 * terms again (only the current term and the one that just renewed are
 * counted), so the lines that kept their deliveries from being counted twice
 * have done their work. The reports stay: counts only, the record of what was
 * billed.
 */
async function purgeLines(db: Knex, tenantId: string, previousTermEnd: Date): Promise<void> {
  await withTenant(db, tenantId, (trx) =>
    trx('sms_meter_lines').where('term_end', '<', previousTermEnd).delete(),
  );
}

async function pendingCount(db: Knex, tenantId: string): Promise<number> {
  const r = (await withTenant(db, tenantId, (trx) =>
    trx('sms_meter_reports').where({ status: 'pending' }).count({ n: '*' }).first(),
  )) as { n: string | number } | undefined;
  return Number(r?.n ?? 0);
}
