// Refused webhook requests, counted for the operator console's health column:
// on the assembled app, Twilio callbacks signed (or not) with the Twilio SDK's
// own helper, Stripe events signed with the Stripe SDK's, real PostgreSQL.
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTenant,
  createTestContext,
  signedStripeEvent,
  startStripeMock,
  uniqueId,
  type StripeMock,
  type TestContext,
  type TestTenant,
} from '../../testing/index.js';
import { startTwilioStandIn, type TwilioStandIn } from '../../testing/twilio-standin.js';
import { communesOverview, platformHealth } from '../../tenants/overview.js';
import { statusCallbackUrl } from '../receipts.js';

const PUBLIC_URL = 'https://api.vigie.test';
let mock: StripeMock;
let standIn: TwilioStandIn;
let ctx: TestContext;

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
}, 60_000);
afterAll(async () => {
  await ctx?.close();
  await mock?.close();
  await standIn?.close();
});

async function twilioStatus(
  commune: TestTenant | string,
  params: Record<string, string>,
  token = standIn.authToken,
) {
  const url = statusCallbackUrl(PUBLIC_URL, typeof commune === 'string' ? commune : commune.id);
  const u = new URL(url);
  return ctx.app.inject({
    method: 'POST',
    url: u.pathname + u.search,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(token, url, params),
    },
    payload: new URLSearchParams(params).toString(),
  });
}

async function stripe(type: string, object: object, o: { forge?: boolean } = {}) {
  const e = await signedStripeEvent(type, object);
  return ctx.app.inject({
    method: 'POST',
    url: '/webhooks/stripe',
    headers: {
      'content-type': 'application/json',
      'stripe-signature': o.forge ? e.signature.replace(/v1=[0-9a-f]{4}/, 'v1=0000') : e.signature,
    },
    payload: e.payload,
  });
}

const refusedFor = async (t: TestTenant) =>
  (await communesOverview(ctx.vigie)).find((c) => c.slug === t.slug)!.health.webhooksRefused7d;

describe('refused webhooks in the operator console', () => {
  it('counts a commune’s refused callbacks in its health, and nothing for accepted ones', async () => {
    const commune = await createTenant(ctx.operatorDb);
    const other = await createTenant(ctx.operatorDb);
    const sid = uniqueId('SM');
    const ok = await twilioStatus(commune, {
      MessageSid: sid,
      MessageStatus: 'delivered',
      To: '+33612345678',
    });
    expect(ok.statusCode).toBe(200);
    expect(await refusedFor(commune)).toBe(0);

    // Signed with another token (a rotated secret), then signed but malformed.
    const forged = await twilioStatus(
      commune,
      { MessageSid: sid, MessageStatus: 'delivered', To: '+33612345678' },
      'not-the-token',
    );
    expect(forged.statusCode).toBe(403);
    expect(forged.json()).toMatchObject({ code: 'WEBHOOK_SIGNATURE_INVALID' });
    const malformed = await twilioStatus(commune, { MessageSid: sid });
    expect(malformed.statusCode).toBe(400);
    // A replay is accepted (and ignored): it is no refusal.
    expect(
      (await twilioStatus(commune, { MessageSid: sid, MessageStatus: 'delivered' })).json(),
    ).toMatchObject({
      result: 'duplicate',
    });

    expect(await refusedFor(commune)).toBe(2);
    expect(await refusedFor(other)).toBe(0);
    // What is kept: a counter per day, provider and code; no number, no payload.
    const rows = await ctx.operatorDb('webhook_refusals').where({ tenant_id: commune.id }).orderBy('code');
    expect(rows.map((r) => [r.provider, r.code, r.count])).toEqual([
      ['twilio', 'BAD_REQUEST', 1],
      ['twilio', 'WEBHOOK_SIGNATURE_INVALID', 1],
    ]);
    expect(JSON.stringify(rows)).not.toContain('612345678');
  });

  it('counts what names no commune platform-wide: Stripe refusals, and a commune that does not exist', async () => {
    const before = (await platformHealth(ctx.operatorDb)).webhooksRefused7d;
    const count = (code: string, h = before) =>
      h.byCode.filter((r) => r.code === code).reduce((n, r) => n + r.count, 0);

    const forged = await stripe(
      'invoice.paid',
      { id: 'in_1', object: 'invoice', customer: 'cus_x' },
      { forge: true },
    );
    expect(forged.statusCode).toBe(403);
    const unknown = await stripe('invoice.paid', { id: 'in_2', object: 'invoice', customer: 'cus_nobody' });
    expect(unknown.json()).toMatchObject({ code: 'BILLING_CUSTOMER_UNKNOWN' });
    const nowhere = await twilioStatus(
      '00000000-0000-4000-8000-000000000001',
      { MessageSid: uniqueId('SM'), MessageStatus: 'sent' },
      'not-the-token',
    );
    expect(nowhere.statusCode).toBe(403);

    const after = (await platformHealth(ctx.operatorDb)).webhooksRefused7d;
    expect(after.total - before.total).toBe(3);
    expect(count('STRIPE_SIGNATURE_INVALID', after) - count('STRIPE_SIGNATURE_INVALID')).toBe(1);
    expect(count('BILLING_CUSTOMER_UNKNOWN', after) - count('BILLING_CUSTOMER_UNKNOWN')).toBe(1);
    expect(after.byCode.find((r) => r.provider === 'stripe')).toBeDefined();
  });

  it('is served to operators only', async () => {
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/operator/health',
      headers: { host: 'localhost' },
    });
    expect(res.statusCode).toBe(401);
  });
});
