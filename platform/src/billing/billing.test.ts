// Billing end to end on the assembled app: the real Stripe SDK against
// stripe-mock, events signed with the SDK's own test helper, real PostgreSQL
// and the Temporal dev server running the grace-period workflow (a grace of
// about 1.7 s instead of 30 days, through VIGIE_BILLING_GRACE_DAYS).
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTenant,
  createTestAccount,
  createTestContext,
  staffBrowser,
  startStripeMock,
  STRIPE_TEST_WEBHOOK_SECRET,
  uniqueId,
  Browser,
  type StripeMock,
  type TestContext,
  type TestTenant,
} from '../testing/index.js';
import { withTenant } from '../db/index.js';
import { createStripe } from './stripe.js';
import { syncPriceList } from './sync.js';
import { loadPriceList } from './price-list.js';
import { billingCommand } from './cli.js';

let mock: StripeMock;
let ctx: TestContext;
let stripe: Stripe;

const GRACE_DAYS = 0.00002; // 1.7 seconds

beforeAll(async () => {
  mock = await startStripeMock(process.cwd().replace(/\/platform$/, ''));
  ctx = await createTestContext({ env: { ...mock.env, VIGIE_BILLING_GRACE_DAYS: String(GRACE_DAYS) } });
  await ctx.startWorker();
  stripe = (await createStripe(ctx.config.stripe))!;
}, 60_000);
afterAll(async () => {
  await ctx?.close();
  await mock?.close();
});

/** An event as Stripe sends it, signed the way Stripe signs it. */
function signed(type: string, object: Record<string, unknown>, id = uniqueId('evt_')) {
  const payload = JSON.stringify({
    id,
    object: 'event',
    api_version: Stripe.API_VERSION,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  });
  const signature = stripe.webhooks.generateTestHeaderString({ payload, secret: STRIPE_TEST_WEBHOOK_SECRET });
  return { id, payload, signature };
}

const post = (e: { payload: string; signature: string }) =>
  ctx.app.inject({
    method: 'POST',
    url: '/webhooks/stripe',
    headers: { 'content-type': 'application/json', 'stripe-signature': e.signature },
    payload: e.payload,
  });

const invoice = (id: string, customer: string) => ({ id, object: 'invoice', customer, status: 'open' });

async function status(t: TestTenant): Promise<string> {
  return (await ctx.operatorDb('tenants').where({ id: t.id }).first('status')).status as string;
}
async function billing(t: TestTenant) {
  return ctx.operatorDb('billing_accounts').where({ tenant_id: t.id }).first();
}
async function operatorLog(t: TestTenant): Promise<string[]> {
  return ctx.operatorDb('operator_audit_log').where({ tenant_id: t.id }).orderBy('id').pluck('action');
}
async function communeLog(t: TestTenant): Promise<string[]> {
  return withTenant(ctx.operatorDb, t.id, (trx) =>
    trx('audit_log').where('action', 'like', 'billing.%').orderBy('id').pluck('action'),
  );
}
async function until(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A commune with a mairie admin who subscribed through the admin API. */
async function subscribedCommune() {
  const commune = await createTenant(ctx.operatorDb);
  const { browser, accountId } = await staffBrowser(ctx.app, ctx.db, commune, 'mairie_admin');
  const res = await browser.rest('POST', '/billing/subscription', {
    siret: '217 704 493 00014',
    serviceCode: 'FACTURES',
    commitmentNumber: 'EJ-2026/042',
    email: 'comptabilite@mairie.example',
    population: 4200,
  });
  expect(res.statusCode, res.body).toBe(201);
  const row = await billing(commune);
  return { commune, admin: browser, adminId: accountId, customer: row.stripe_customer_id as string };
}

describe('the price list', () => {
  it('is public: no commune, no login, with and without VAT', async () => {
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/billing/prices',
      headers: { host: 'localhost' },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.vatRate).toBe(0.2);
    expect(body.tiers).toHaveLength(6);
    expect(body.tiers[1]).toMatchObject({
      minPopulation: 2000,
      maxPopulation: 4999,
      yearlyPriceCents: 99000,
    });
  });

  it('`vigie billing sync` creates the Products and Prices from the data file', async () => {
    const lines = await syncPriceList(stripe, loadPriceList());
    expect(lines.map((l) => l.tier)).toEqual(['t1', 't2', 't3', 't4', 't5', 't6']);
    // stripe-mock keeps nothing: its fixture price has another amount, so each tier gets a new Price.
    expect(lines.every((l) => l.price === 'created' && l.priceId.startsWith('price_'))).toBe(true);

    const saved = { ...process.env };
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    Object.assign(process.env, mock.env);
    process.stdout.write = ((s: string) => (out.push(s), true)) as typeof process.stdout.write;
    try {
      expect(
        await billingCommand.run(['sync'], { openInstance: () => Promise.reject(new Error('no db')) }),
      ).toBe(0);
    } finally {
      process.stdout.write = write;
      process.env = saved;
    }
    expect(out.join('')).toMatch(/Price list synced to Stripe \(6 tiers\)/);
  });
});

describe('a commune subscribes from its admin pages', () => {
  it('stores the Chorus Pro identifiers and starts a yearly subscription', async () => {
    const { commune, admin } = await subscribedCommune();
    const row = await billing(commune);
    expect(row).toMatchObject({
      state: 'active',
      tier: 't2',
      siret: '21770449300014',
      service_code: 'FACTURES',
      commitment_number: 'EJ-2026/042',
    });
    expect(row.stripe_customer_id).toMatch(/^cus_/);
    expect(row.stripe_subscription_id).toMatch(/^sub_/);
    const view = (await admin.rest('GET', '/billing/subscription')).json();
    expect(view).toMatchObject({ state: 'active', tier: { id: 't2' }, siret: '21770449300014' });
    expect(await communeLog(commune)).toEqual(['billing.subscribed']);

    const again = await admin.rest('POST', '/billing/subscription', {
      siret: '21770449300014',
      email: 'comptabilite@mairie.example',
      population: 4200,
    });
    expect(again.json()).toMatchObject({ code: 'BILLING_ALREADY_SUBSCRIBED' });
  });

  it('refuses a bad SIRET, a missing population, and anyone but a mairie admin', async () => {
    const commune = await createTenant(ctx.operatorDb);
    const { browser } = await staffBrowser(ctx.app, ctx.db, commune, 'mairie_admin');
    const bad = await browser.rest('POST', '/billing/subscription', {
      siret: '12345678901234',
      email: 'a@b.fr',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'BILLING_SIRET_INVALID' });
    const noPop = await browser.rest('POST', '/billing/subscription', {
      siret: '21770449300014',
      email: 'a@b.fr',
    });
    expect(noPop.json()).toMatchObject({ code: 'BILLING_POPULATION_REQUIRED' });
    expect(await billing(commune)).toBeUndefined();

    const resident = await createTestAccount(ctx.db, commune.id);
    const b = new Browser(ctx.app, commune.host);
    await b.login(resident.email);
    const res = await b.rest('POST', '/billing/subscription', {
      siret: '21770449300014',
      email: 'a@b.fr',
      population: 10,
    });
    expect(res.statusCode).toBe(403);
  });

  it('cancels at the end of the term in one click, and takes it back', async () => {
    const { commune, admin } = await subscribedCommune();
    const res = await admin.rest('POST', '/billing/subscription/cancel-at-term', { cancelAtTerm: true });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ cancelAtPeriodEnd: true, state: 'active' });
    // Stripe confirms with a subscription update: no second audit entry.
    const row = await billing(commune);
    expect(
      (
        await post(
          signed('customer.subscription.updated', {
            id: row.stripe_subscription_id,
            object: 'subscription',
            customer: row.stripe_customer_id,
            cancel_at_period_end: true,
            status: 'active',
            items: { object: 'list', data: [{ current_period_end: 1_830_000_000 }] },
          }),
        )
      ).statusCode,
    ).toBe(200);
    expect((await billing(commune)).current_period_end).toEqual(new Date(1_830_000_000 * 1000));
    await admin.rest('POST', '/billing/subscription/cancel-at-term', { cancelAtTerm: false });
    expect(await communeLog(commune)).toEqual([
      'billing.subscribed',
      'billing.cancel_scheduled',
      'billing.cancel_withdrawn',
    ]);
  });
});

describe('POST /webhooks/stripe', () => {
  it('refuses a forged signature, a missing one, and a body changed after signing', async () => {
    const { commune, customer } = await subscribedCommune();
    const e = signed('invoice.payment_failed', invoice('in_forged', customer));
    const forged = { payload: e.payload, signature: e.signature.replace(/v1=[0-9a-f]{4}/, 'v1=0000') };
    const r1 = await post(forged);
    expect(r1.statusCode).toBe(403);
    expect(r1.json()).toMatchObject({ code: 'STRIPE_SIGNATURE_INVALID' });
    const other = stripe.webhooks.generateTestHeaderString({
      payload: e.payload,
      secret: 'whsec_someone_else',
    });
    expect((await post({ payload: e.payload, signature: other })).statusCode).toBe(403);
    expect(
      (await post({ payload: e.payload.replace('in_forged', 'in_changed'), signature: e.signature }))
        .statusCode,
    ).toBe(403);
    const none = await ctx.app.inject({
      method: 'POST',
      url: '/webhooks/stripe',
      headers: { 'content-type': 'application/json' },
      payload: e.payload,
    });
    expect(none.statusCode).toBe(403);
    expect((await billing(commune)).state).toBe('active');
  });

  it('refuses an event for a customer that is no commune, keeping nothing', async () => {
    const e = signed('invoice.paid', invoice('in_x', 'cus_nobody'));
    const res = await post(e);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'BILLING_CUSTOMER_UNKNOWN' });
    expect(await ctx.operatorDb('webhook_events').where({ event_id: e.id }).first()).toBeUndefined();
  });

  it('ignores event types it does not act on', async () => {
    const res = await post(signed('customer.created', { id: 'cus_1', object: 'customer' }));
    expect(res.json()).toMatchObject({ ok: true, result: 'ignored' });
  });

  it('failed payment → admins warned → grace period → suspended → invoice paid → reactivated; every step audited', async () => {
    const { commune, adminId, customer, admin } = await subscribedCommune();
    const failed = signed('invoice.payment_failed', invoice('in_unpaid', customer));
    const r1 = await post(failed);
    expect(r1.json()).toMatchObject({ ok: true, result: 'applied', state: 'past_due' });
    expect((await billing(commune)).grace_until).not.toBeNull();
    const notices = await withTenant(ctx.db, commune.id, (trx) =>
      trx('in_app_notifications').where({ account_id: adminId, kind: 'billing' }).pluck('title'),
    );
    expect(notices).toEqual(['Facture Vigie impayée']);

    // A replay of the same event (same id) changes nothing.
    expect((await post(failed)).json()).toMatchObject({ result: 'duplicate' });
    expect(await status(commune)).toBe('active');

    // The grace-period workflow suspends the commune when its timer fires.
    await until(async () => (await status(commune)) === 'suspended');
    expect((await billing(commune)).state).toBe('suspended');
    // Suspended: read-only for the commune, but paying stays possible.
    expect((await admin.rest('GET', '/billing/subscription')).json()).toMatchObject({ state: 'suspended' });

    // Two webhooks for the same paid invoice at once (Stripe's retry and a
    // second endpoint), and the same event delivered twice.
    const paidA = signed('invoice.paid', invoice('in_unpaid', customer));
    const paidB = signed('invoice.paid', invoice('in_unpaid', customer));
    const results = await Promise.all([post(paidA), post(paidB), post(paidA)]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(results.map((r) => r.json().result).sort()).toEqual(['applied', 'duplicate', 'unchanged'].sort());
    expect(await status(commune)).toBe('active');
    expect((await billing(commune)).state).toBe('active');

    expect(await operatorLog(commune)).toEqual([
      'billing.payment_failed',
      'billing.suspended',
      'tenant.suspended',
      'billing.reactivated',
      'tenant.reactivated',
    ]);
    expect(await communeLog(commune)).toEqual([
      'billing.subscribed',
      'billing.payment_failed',
      'billing.suspended',
      'billing.reactivated',
    ]);
    const titles = await withTenant(ctx.db, commune.id, (trx) =>
      trx('in_app_notifications')
        .where({ account_id: adminId, kind: 'billing' })
        .orderBy('created_at')
        .pluck('title'),
    );
    expect(titles).toEqual(['Facture Vigie impayée', 'Portail en lecture seule', 'Paiement reçu']);
  }, 30_000);

  it('a payment that arrives during the grace period ends it: the timer suspends nothing', async () => {
    const { commune, customer } = await subscribedCommune();
    await post(signed('invoice.overdue', invoice('in_late', customer)));
    expect((await billing(commune)).state).toBe('past_due');
    expect((await post(signed('invoice.paid', invoice('in_late', customer)))).json()).toMatchObject({
      state: 'active',
    });
    const handle = ctx.temporal.client.workflow.getHandle(`${commune.slug}/billing-grace/in_late`);
    expect(await handle.result()).toBe('paid');
    expect(await status(commune)).toBe('active');
    expect(await operatorLog(commune)).toEqual(['billing.payment_failed', 'billing.payment_recovered']);
  });

  it('a deleted subscription leaves the commune read-only', async () => {
    const { commune, customer } = await subscribedCommune();
    const row = await billing(commune);
    const res = await post(
      signed('customer.subscription.deleted', {
        id: row.stripe_subscription_id,
        object: 'subscription',
        customer,
        status: 'canceled',
        cancel_at_period_end: false,
      }),
    );
    expect(res.json()).toMatchObject({ state: 'cancelled' });
    expect(await status(commune)).toBe('suspended');
    // Then the deletion workflow plans its date (deletion.test.ts follows it to the end).
    expect((await operatorLog(commune)).slice(0, 2)).toEqual(['billing.cancelled', 'tenant.suspended']);
  });
});

describe('no tacit renewal trap', () => {
  it('tells the mairie admins the renewal date and price 60 days before the term ends, once', async () => {
    const { commune, adminId } = await subscribedCommune();
    const end = new Date(Date.now() + 59 * 86_400_000);
    await ctx
      .operatorDb('billing_accounts')
      .where({ tenant_id: commune.id })
      .update({ current_period_end: end });
    const run = () =>
      ctx.temporal.client.workflow.execute('billingSweep', {
        taskQueue: ctx.taskQueue,
        workflowId: uniqueId('billing-sweep-'),
        args: [{}],
      });
    expect((await run()).renewalNotices).toBeGreaterThanOrEqual(1);
    const bodies = await withTenant(ctx.db, commune.id, (trx) =>
      trx('in_app_notifications').where({ account_id: adminId, kind: 'billing' }).pluck('body'),
    );
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toMatch(/990,00\s€ HT \(1\s188,00\s€ TTC\)/);
    expect(bodies[0]).toMatch(/en un clic/);
    await run();
    const counted = (await withTenant(ctx.db, commune.id, (trx) =>
      trx('in_app_notifications').where({ account_id: adminId, kind: 'billing' }).count({ n: '*' }),
    )) as Array<{ n: string | number }>;
    expect(Number(counted[0]!.n)).toBe(1);
  });
});
