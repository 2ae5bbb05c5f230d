// A cancelled commune keeps read access for its data export, then its data is
// deleted by a workflow that can be watched: the real workflow on the Temporal
// dev server (the 90 days shortened to about 3 s through
// VIGIE_BILLING_DELETION_DAYS), real PostgreSQL and file store, Stripe events
// signed with the SDK's own helper, the real SDK against stripe-mock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestAccount,
  createTenant,
  createTestContext,
  signedStripeEvent,
  staffBrowser,
  startStripeMock,
  uniqueId,
  type StripeMock,
  type TestContext,
  type TestTenant,
} from '../testing/index.js';
import { withTenant } from '../db/index.js';
import { tenantFiles } from '../files/index.js';
import { communesOverview } from '../tenants/overview.js';
import { tenantTables } from './deletion.js';

const DELETION_DAYS = 0.00004; // 3.5 seconds
let mock: StripeMock;
let ctx: TestContext;

beforeAll(async () => {
  mock = await startStripeMock(process.cwd().replace(/\/platform$/, ''));
  ctx = await createTestContext({ env: { ...mock.env, VIGIE_BILLING_DELETION_DAYS: String(DELETION_DAYS) } });
  await ctx.startWorker();
}, 60_000);
afterAll(async () => {
  await ctx?.close();
  await mock?.close();
});

const post = async (type: string, object: object) => {
  const e = await signedStripeEvent(type, object);
  return ctx.app.inject({
    method: 'POST',
    url: '/webhooks/stripe',
    headers: { 'content-type': 'application/json', 'stripe-signature': e.signature },
    payload: e.payload,
  });
};

const billing = (t: TestTenant) => ctx.operatorDb('billing_accounts').where({ tenant_id: t.id }).first();
const operatorLog = (t: TestTenant): Promise<string[]> =>
  ctx.operatorDb('operator_audit_log').where({ tenant_id: t.id }).orderBy('id').pluck('action');
const handle = (t: TestTenant) =>
  ctx.temporal.client.workflow.getHandle(`${t.slug}/billing-deletion/${t.id}`);

/** A subscribed commune with a resident, an alert with a photo in the store, and its admin. */
async function communeWithData() {
  const commune = await createTenant(ctx.operatorDb);
  const { browser, accountId: adminId } = await staffBrowser(ctx.app, ctx.db, commune, 'mairie_admin');
  const res = await browser.rest('POST', '/billing/subscription', {
    siret: '21770449300014',
    email: 'comptabilite@mairie.example',
    population: 4200,
  });
  expect(res.statusCode, res.body).toBe(201);
  const resident = await createTestAccount(ctx.db, commune.id, { email: `${uniqueId('r')}@example.fr` });
  const store = tenantFiles(ctx.vigie.files.store, ctx.vigie.files.secret, commune.id);
  const photoKey = `alert-photos/${uniqueId('p')}`;
  await store.put(photoKey, Buffer.from('a photo of the street'));
  await withTenant(ctx.ownerDb, commune.id, async (trx) => {
    const [cat] = await trx('alert_categories')
      .insert({ tenant_id: commune.id, slug: 'vol', label_fr: 'Vol', label_en: 'Theft' })
      .returning('id');
    await trx('alerts').insert({
      tenant_id: commune.id,
      author_account_id: resident.id,
      author_kind: 'resident',
      origin: 'web',
      category_id: cat.id,
      severity: 'important',
      body: 'Une voiture fouille les boîtes aux lettres',
      target_kind: 'commune',
      photo_key: photoKey,
    });
  });
  const row = await billing(commune);
  return { commune, admin: browser, adminId, store, photoKey, row, residentId: resident.id as string };
}

const cancelled = (row: { stripe_subscription_id: string; stripe_customer_id: string }) =>
  post('customer.subscription.deleted', {
    id: row.stripe_subscription_id,
    object: 'subscription',
    customer: row.stripe_customer_id,
    status: 'canceled',
    cancel_at_period_end: false,
  });

/** Rows the commune still has, table by table (the billing records kept aside). */
async function rowsLeft(t: TestTenant): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of await tenantTables(ctx.ownerDb)) {
    const r = await withTenant(ctx.ownerDb, t.id, (trx) => trx(table).count({ n: '*' }).first());
    const n = Number(r?.n ?? 0);
    if (n > 0) out[table] = n;
  }
  return out;
}

describe('a cancelled commune', () => {
  it('stays readable for its export, then a watched workflow deletes its data and keeps a tombstone', async () => {
    const { commune, store, photoKey, row, adminId } = await communeWithData();
    const res = await cancelled(row);
    expect(res.json()).toMatchObject({ state: 'cancelled' });
    // Read-only, not gone: the export is still possible during the period.
    expect((await ctx.operatorDb('tenants').where({ id: commune.id }).first()).status).toBe('suspended');
    expect(Object.keys(await rowsLeft(commune))).toContain('accounts');

    // The workflow records its date first; the operator console shows it with the workflow's id.
    await until(async () => (await billing(commune)).deletion_due_at !== null);
    const overview = (await communesOverview(ctx.vigie)).find((c) => c.slug === commune.slug)!;
    expect(overview.plan.deletion).toMatchObject({
      workflowId: `${commune.slug}/billing-deletion/${commune.id}`,
      deletedAt: null,
    });
    const due = new Date(overview.plan.deletion!.dueAt!).getTime();
    expect(due - Date.now()).toBeLessThan(DELETION_DAYS * 86_400_000 + 1000);
    // The mairie admins are told the date, to export what they want to keep before it.
    const notices = () =>
      withTenant(ctx.db, commune.id, (trx) =>
        trx('in_app_notifications').where({ account_id: adminId, kind: 'billing' }).pluck('title'),
      );
    await until(async () => (await notices()).includes('Suppression des données prévue'));
    expect((await handle(commune).describe()).status.name).toBe('RUNNING');

    expect(await handle(commune).result()).toBe('deleted');
    // Nothing of the commune is left but its billing records (counts, no person's data).
    expect(Object.keys(await rowsLeft(commune)).sort()).toEqual([]);
    expect(await store.exists(photoKey)).toBe(false);
    const tomb = await billing(commune);
    expect(tomb).toMatchObject({ state: 'cancelled', siret: '21770449300014' });
    expect(tomb.data_deleted_at).not.toBeNull();
    expect((await ctx.operatorDb('tenants').where({ id: commune.id }).first()).status).toBe('suspended');
    expect(await operatorLog(commune)).toEqual([
      'billing.cancelled',
      'tenant.suspended',
      'billing.deletion_planned',
      'billing.data_deleted',
    ]);
    const after = (await communesOverview(ctx.vigie)).find((c) => c.slug === commune.slug)!;
    expect(after.plan.deletion?.deletedAt).not.toBeNull();
    expect(after.members).toBe(0);

    // Its portal is closed, not an empty portal: a resident's old link says why, the API answers 410.
    ctx.app.tenants.invalidate();
    const page = await ctx.app.inject({
      url: '/communaute',
      headers: { host: commune.host, accept: 'text/html' },
    });
    expect(page.statusCode).toBe(410);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<html lang="fr">');
    expect(page.body).toContain(`<h1>Le portail de Commune ${commune.slug} est fermé</h1>`);
    const api = await ctx.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { host: commune.host, 'content-type': 'application/json' },
      payload: { query: '{ tenant { slug } }' },
    });
    expect(api.statusCode).toBe(410);
    expect(api.json().errors[0].extensions.code).toBe('TENANT_CLOSED');
    // Reactivated by an operator (a fresh start), the host is a portal again.
    await ctx.operatorDb('tenants').where({ id: commune.id }).update({ status: 'active' });
    ctx.app.tenants.invalidate();
    const open = await ctx.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { host: commune.host, 'content-type': 'application/json' },
      payload: { query: '{ tenant { slug } }' },
    });
    expect(open.json()).toEqual({ data: { tenant: { slug: commune.slug } } });
  }, 30_000);

  it('coming back through Checkout cancels the workflow: nothing is deleted', async () => {
    const { commune, row, residentId } = await communeWithData();
    await cancelled(row);
    await until(async () => (await billing(commune)).deletion_due_at !== null);
    const back = await post('checkout.session.completed', {
      id: uniqueId('cs_'),
      object: 'checkout.session',
      mode: 'subscription',
      customer: row.stripe_customer_id,
      subscription: uniqueId('sub_'),
    });
    expect(back.json()).toMatchObject({ state: 'active' });
    await expect(handle(commune).result()).rejects.toThrow();
    expect((await handle(commune).describe()).status.name).toBe('CANCELLED');
    expect((await billing(commune)).deletion_due_at).toBeNull();
    const still = await withTenant(ctx.db, commune.id, (trx) =>
      trx('accounts').where({ id: residentId }).first(),
    );
    expect(still.status).toBe('active');
    expect(await operatorLog(commune)).toContain('billing.deletion_withdrawn');
    expect(
      (await communesOverview(ctx.vigie)).find((c) => c.slug === commune.slug)!.plan.deletion,
    ).toBeNull();
  }, 30_000);

  it('subscribing again by invoice keeps the data too: the database decides when the timer fires', async () => {
    const { commune, admin, row, residentId } = await communeWithData();
    await cancelled(row);
    const res = await admin.rest('POST', '/billing/subscription', {
      siret: '21770449300014',
      email: 'comptabilite@mairie.example',
      population: 4200,
    });
    // A suspended commune's admin may still subscribe (paying is how it comes back).
    expect(res.statusCode, res.body).toBe(201);
    expect(await handle(commune).result()).toBe('kept');
    const still = await withTenant(ctx.db, commune.id, (trx) =>
      trx('accounts').where({ id: residentId }).first(),
    );
    expect(still.status).toBe('active');
    expect((await billing(commune)).data_deleted_at).toBeNull();
  }, 30_000);

  it('cancelled again after coming back by invoice: a new read-only period, never the earlier date', async () => {
    const { commune, admin, row } = await communeWithData();
    await cancelled(row);
    await until(async () => (await billing(commune)).deletion_due_at !== null);
    const first = await handle(commune).describe();
    const firstDue = new Date((await billing(commune)).deletion_due_at).getTime();
    const again = await admin.rest('POST', '/billing/subscription', {
      siret: '21770449300014',
      email: 'comptabilite@mairie.example',
      population: 4200,
    });
    expect(again.statusCode, again.body).toBe(201);
    await new Promise((r) => setTimeout(r, 1500));
    await cancelled(await billing(commune));
    await until(async () => {
      const due = (await billing(commune)).deletion_due_at;
      return due !== null && new Date(due).getTime() > firstDue + 1000;
    });
    // The earlier run gave way to this cancellation's own.
    expect((await handle(commune).describe()).runId).not.toBe(first.runId);
    expect(
      (await ctx.temporal.client.workflow.getHandle(first.workflowId, first.runId).describe()).status.name,
    ).toBe('TERMINATED');
    expect(await handle(commune).result()).toBe('deleted');
  }, 30_000);

  it('the daily sweep starts a deletion whose workflow never started', async () => {
    const commune = await createTenant(ctx.operatorDb);
    await ctx.operatorDb('billing_accounts').insert({
      tenant_id: commune.id,
      state: 'cancelled',
      tier: 't1',
      stripe_customer_id: uniqueId('cus_'),
      updated_at: new Date(Date.now() - 2 * 3_600_000),
    });
    const result = await ctx.temporal.client.workflow.execute('billingSweep', {
      taskQueue: ctx.taskQueue,
      workflowId: uniqueId('billing-sweep-'),
      args: [{}],
    });
    expect(result.deletionsStarted).toBeGreaterThanOrEqual(1);
    expect(await handle(commune).result()).toBe('deleted');
  }, 30_000);
});

async function until(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
