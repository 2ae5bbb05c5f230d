// SMS beyond the yearly allowance, reported as Stripe billing meter events:
// the real Stripe SDK against stripe-mock (stateless, so what is billed is
// checked on our side: the reports and the requests the SDK made), real
// PostgreSQL for the delivery records, signed Twilio status callbacks through
// the assembled app, and the Temporal dev server running the hourly workflow.
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTenant,
  createTestContext,
  staffBrowser,
  startStripeMock,
  uniqueId,
  type StripeMock,
  type TestContext,
  type TestTenant,
} from '../testing/index.js';
import { startTwilioStandIn, type TwilioStandIn } from '../testing/twilio-standin.js';
import { withTenant } from '../db/index.js';
import { statusCallbackUrl } from '../notifications/receipts.js';
import { createStripe } from './stripe.js';
import { loadPriceList } from './price-list.js';
import { countBeyondAllowance, reportSmsUsage, SMS_METER_EVENT } from './sms-meter.js';
import { syncStripe } from './sync.js';
import { formatSync } from './cli.js';

const PUBLIC_URL = 'https://api.vigie.test';
let mock: StripeMock;
let standIn: TwilioStandIn;
let ctx: TestContext;
let stripe: Stripe;
/** The paths of the requests our Stripe client made, in order. */
const calls: string[] = [];
const priceList = loadPriceList();
const DAY = 86_400_000;

beforeAll(async () => {
  mock = await startStripeMock(process.cwd().replace(/\/platform$/, ''));
  standIn = await startTwilioStandIn({ sink: async () => 200 });
  ctx = await createTestContext({
    env: {
      ...mock.env,
      VIGIE_PUBLIC_URL: PUBLIC_URL,
      TWILIO_ACCOUNT_SID: standIn.accountSid,
      TWILIO_AUTH_TOKEN: standIn.authToken,
      TWILIO_MESSAGING_SERVICE_SID: standIn.messagingServiceSid,
      TWILIO_API_BASE_URL: standIn.url,
    },
  });
  await ctx.startWorker();
  stripe = (await createStripe(ctx.config.stripe))!;
  stripe.on('request', (r: { method: string; path: string }) => calls.push(`${r.method} ${r.path}`));
}, 60_000);
afterAll(async () => {
  await ctx?.close();
  await mock?.close();
  await standIn?.close();
});

const deps = (s: Stripe = stripe) => ({ db: ctx.db, stripe: s, priceList, log: { warn: () => undefined } });
const meterCalls = () => calls.filter((c) => c === 'POST /v1/billing/meter_events').length;

/** A commune subscribed through its admin page, on the smallest tier (1,000 SMS a year), its term ending in 200 days. */
async function subscribed(): Promise<{ commune: TestTenant; alertId: string; termEnd: Date }> {
  const commune = await createTenant(ctx.operatorDb);
  const { browser } = await staffBrowser(ctx.app, ctx.db, commune, 'mairie_admin');
  const res = await browser.rest('POST', '/billing/subscription', {
    siret: '21770449300014',
    email: 'comptabilite@mairie.example',
    population: 1200,
  });
  expect(res.statusCode, res.body).toBe(201);
  const termEnd = new Date(Math.floor((Date.now() + 200 * DAY) / 1000) * 1000);
  await ctx
    .operatorDb('billing_accounts')
    .where({ tenant_id: commune.id })
    .update({ current_period_end: termEnd });
  const alertId = await withTenant(ctx.ownerDb, commune.id, async (trx) => {
    const [cat] = await trx('alert_categories')
      .insert({ tenant_id: commune.id, slug: 'vol', label_fr: 'Vol', label_en: 'Theft' })
      .returning('id');
    return cat.id as string;
  });
  return { commune, alertId, termEnd };
}

/**
 * What the delivery workflow records for SMS that Twilio accepted: a row per
 * recipient with its segments (here the on-duty number of an alert each, as
 * escalations with no account are one per alert).
 */
async function sent(
  commune: TestTenant,
  categoryId: string,
  n: number,
  segments: number,
  at: Date,
): Promise<Array<{ id: string; provider_message_id: string }>> {
  return withTenant(ctx.ownerDb, commune.id, async (trx) => {
    const alerts: Array<{ id: string }> = await trx('alerts')
      .insert(
        Array.from({ length: n }, () => ({
          tenant_id: commune.id,
          author_kind: 'police',
          origin: 'web',
          category_id: categoryId,
          severity: 'urgent',
          body: 'Cambriolages rue des Lilas',
          target_kind: 'commune',
        })),
      )
      .returning('id');
    return trx('deliveries')
      .insert(
        alerts.map((a) => ({
          tenant_id: commune.id,
          alert_id: a.id,
          purpose: 'escalation',
          channel: 'sms',
          status: 'sent',
          provider: 'twilio',
          provider_message_id: uniqueId('SM'),
          segments,
          sent_at: at,
        })),
      )
      .returning(['id', 'provider_message_id']);
  });
}

async function reports(commune: TestTenant) {
  return withTenant(ctx.db, commune.id, (trx) =>
    trx('sms_meter_reports')
      .orderBy('first_segment')
      .select('first_segment', 'last_segment', 'value', 'identifier', 'status', 'stripe_customer_id'),
  );
}

async function billableTotal(commune: TestTenant): Promise<number> {
  const r = await withTenant(ctx.db, commune.id, (trx) =>
    trx('sms_meter_lines').sum({ n: 'billable' }).count({ c: '*' }).first(),
  );
  return Number(r?.n ?? 0);
}

/** A Twilio status callback, signed by the Twilio SDK's own helper, posted to the assembled app. */
async function statusCallback(commune: TestTenant, deliveryId: string, sid: string, status: string) {
  const url = statusCallbackUrl(PUBLIC_URL, commune.id, deliveryId);
  const params = { MessageSid: sid, MessageStatus: status, NumSegments: '2' };
  const signature = twilio.getExpectedTwilioSignature(standIn.authToken, url, params);
  const u = new URL(url);
  return ctx.app.inject({
    method: 'POST',
    url: u.pathname + u.search,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    payload: new URLSearchParams(params).toString(),
  });
}

describe('counting the segments beyond the allowance', () => {
  it('bills only what passes the allowance, splitting the message that crosses it', () => {
    const lines = [
      { deliveryId: 'a', segments: 2 },
      { deliveryId: 'b', segments: 2 },
      { deliveryId: 'c', segments: 1 },
    ];
    expect(countBeyondAllowance(997, 1000, lines)).toEqual({
      lines: [
        { deliveryId: 'a', segments: 2, billable: 0 },
        { deliveryId: 'b', segments: 2, billable: 1 },
        { deliveryId: 'c', segments: 1, billable: 1 },
      ],
      range: { first: 1, last: 2 },
    });
    // Past the allowance already: the range continues where the last report stopped.
    expect(countBeyondAllowance(1010, 1000, lines).range).toEqual({ first: 11, last: 15 });
    expect(countBeyondAllowance(0, 1000, lines).range).toBeNull();
  });
});

describe('SMS usage reported to Stripe', () => {
  it('`vigie billing sync` creates the SMS meter and a metered price per tier', async () => {
    const before = calls.length;
    const result = await syncStripe(stripe, priceList);
    expect(result.meter.status).toBe('created');
    expect(result.meter.id).toBeTruthy();
    expect(result.lines.every((l) => l.smsPriceId.startsWith('price_'))).toBe(true);
    const made = calls.slice(before);
    // stripe-mock lists a fixture meter of another event name: ours is created.
    expect(made).toContain('POST /v1/billing/meters');
    expect(made.filter((c) => c === 'POST /v1/prices').length).toBe(priceList.tiers.length * 2);
    expect(formatSync(result)).toContain(`SMS meter created    ${result.meter.id}`);
  });

  it('reports nothing while the commune stays under its yearly allowance', async () => {
    const { commune, alertId } = await subscribed();
    await sent(commune, alertId, 400, 2, new Date(Date.now() - 2 * DAY));
    const before = meterCalls();
    const r = await reportSmsUsage(deps(), new Date());
    expect(r.deliveriesCounted).toBeGreaterThanOrEqual(400);
    expect(await reports(commune)).toEqual([]);
    expect(await billableTotal(commune)).toBe(0);
    expect(meterCalls()).toBe(before);
  });

  it('reports the segments beyond it once per segment, across reruns and redelivered status callbacks', async () => {
    const { commune, alertId } = await subscribed();
    const customer = (await ctx.operatorDb('billing_accounts').where({ tenant_id: commune.id }).first())
      .stripe_customer_id as string;
    // 999 segments, then 250 messages of two: the 1st of them crosses the allowance by one segment.
    await sent(commune, alertId, 999, 1, new Date(Date.now() - 3 * DAY));
    const late = await sent(commune, alertId, 250, 2, new Date(Date.now() - 2 * DAY));

    const before = meterCalls();
    const first = await reportSmsUsage(deps(), new Date());
    expect(first).toMatchObject({ eventsSent: 1, pending: 0 });
    expect(meterCalls() - before).toBe(1);
    const [report] = await reports(commune);
    expect(report).toMatchObject({ first_segment: 1, last_segment: 499, value: 499, status: 'sent' });
    expect(report.stripe_customer_id).toBe(customer);
    expect(report.identifier).toMatch(new RegExp(`^vigie-sms-${commune.id}-\\d{8}-1-499$`));
    expect(await billableTotal(commune)).toBe(499);
    // The tier's metered price was put on the subscription before the first usage.
    const account = await ctx.operatorDb('billing_accounts').where({ tenant_id: commune.id }).first();
    expect(account.sms_item_id).toMatch(/^si_/);

    // Twilio calls back about those messages, then calls back again (a redelivery).
    for (const d of late.slice(0, 3)) {
      const a = await statusCallback(commune, d.id, d.provider_message_id, 'delivered');
      const b = await statusCallback(commune, d.id, d.provider_message_id, 'delivered');
      expect([a.json().result, b.json().result]).toEqual(['receipt', 'duplicate']);
    }
    const statuses = await withTenant(ctx.db, commune.id, (trx) =>
      trx('deliveries')
        .whereIn(
          'id',
          late.slice(0, 3).map((d) => d.id),
        )
        .pluck('status'),
    );
    expect(statuses).toEqual(['delivered', 'delivered', 'delivered']);

    // A rerun (the next hour, or a retried activity) bills nothing twice.
    const again = await reportSmsUsage(deps(), new Date());
    expect(again).toMatchObject({ eventsSent: 0, segmentsReported: 0 });
    expect(meterCalls() - before).toBe(1);
    expect(await reports(commune)).toHaveLength(1);

    // New SMS continue the range where the last report stopped.
    await sent(commune, alertId, 10, 1, new Date(Date.now() - DAY));
    expect((await reportSmsUsage(deps(), new Date())).segmentsReported).toBe(10);
    expect((await reports(commune)).map((r) => [r.first_segment, r.last_segment])).toEqual([
      [1, 499],
      [500, 509],
    ]);
  });

  it('forgets the lines of terms no run counts any more, and keeps those of the current and the previous term', async () => {
    const { commune, termEnd } = await subscribed();
    const current = termEnd.getTime();
    const line = (termEndMs: number) => ({
      tenant_id: commune.id,
      delivery_id: randomUUID(),
      term_end: new Date(termEndMs),
      segments: 1,
      billable: 0,
    });
    const YEAR = 365 * DAY;
    await withTenant(ctx.ownerDb, commune.id, (trx) =>
      trx('sms_meter_lines').insert([
        line(current), // this term
        line(current - YEAR), // the previous one, still counted for its last hour
        line(current - 2 * YEAR), // two terms ago: never counted again
      ]),
    );
    await reportSmsUsage(deps(), new Date());
    const left = await withTenant(ctx.db, commune.id, (trx) =>
      trx('sms_meter_lines').orderBy('term_end').pluck('term_end'),
    );
    expect(left.map((d: Date) => Math.round((current - d.getTime()) / YEAR))).toEqual([1, 0]);
  });

  it('a report Stripe did not take stays pending, then goes with the same identifier', async () => {
    const { commune, alertId } = await subscribed();
    await sent(commune, alertId, 1003, 1, new Date(Date.now() - DAY));
    // The real SDK, against a port nobody listens on: Stripe "down".
    const down = new Stripe('sk_test_down', {
      host: '127.0.0.1',
      port: 9,
      protocol: 'http',
      maxNetworkRetries: 0,
    });
    const r1 = await reportSmsUsage(deps(down), new Date());
    expect(r1.pending).toBeGreaterThanOrEqual(1);
    const [pending] = await reports(commune);
    expect(pending).toMatchObject({ status: 'pending', value: 3 });

    const before = meterCalls();
    await reportSmsUsage(deps(), new Date());
    const [sentNow] = await reports(commune);
    expect(sentNow).toMatchObject({ status: 'sent', value: 3, identifier: pending.identifier });
    expect(meterCalls() - before).toBe(1);
  });

  it('runs hourly as a workflow of the billing module, with the SDK call stripe-mock accepts', async () => {
    const { commune, alertId } = await subscribed();
    await sent(commune, alertId, 1001, 1, new Date(Date.now() - DAY));
    const result = await ctx.temporal.client.workflow.execute('billingSmsUsage', {
      taskQueue: ctx.taskQueue,
      workflowId: uniqueId('billing-sms-usage-'),
      args: [{}],
    });
    expect(result.pending).toBe(0);
    expect(result.eventsSent).toBeGreaterThanOrEqual(1);
    expect(await reports(commune)).toMatchObject([{ value: 1, status: 'sent' }]);
    const schedules = ctx.vigie.modules.find((m) => m.id === 'billing')?.schedules ?? [];
    expect(schedules.map((s) => s.workflowType)).toContain('billingSmsUsage');
    expect(SMS_METER_EVENT).toBe('vigie_sms_segments');
  }, 30_000);
});
