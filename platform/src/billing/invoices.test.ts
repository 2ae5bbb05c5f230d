// The commune's invoices end to end: Stripe's signed invoice events (built
// from the SDK's own types, signed with its test helper) recorded in order,
// listed for the mairie admins only, and turned by a Temporal workflow into a
// Factur-X PDF/A-3 whose XML the reference library reads back and checks
// against the EN 16931 schema. Stripe is the real SDK against stripe-mock.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTenant,
  createTestAccount,
  createTestContext,
  staffBrowser,
  signedStripeEvent,
  startStripeMock,
  stripeInvoiceObject,
  uniqueId,
  Browser,
  type StripeMock,
  type TestContext,
  type TestTenant,
} from '../testing/index.js';
import { facturxPath } from './facturx/index.js';

let mock: StripeMock;
let ctx: TestContext;

beforeAll(async () => {
  mock = await startStripeMock(process.cwd().replace(/\/platform$/, ''));
  ctx = await createTestContext({ env: mock.env });
  await ctx.startWorker();
}, 60_000);
afterAll(async () => {
  await ctx?.close();
  await mock?.close();
});

const post = (e: { payload: string; signature: string }) =>
  ctx.app.inject({
    method: 'POST',
    url: '/webhooks/stripe',
    headers: { 'content-type': 'application/json', 'stripe-signature': e.signature },
    payload: e.payload,
  });

async function subscribedCommune() {
  const commune = await createTenant(ctx.operatorDb);
  const { browser } = await staffBrowser(ctx.app, ctx.db, commune, 'mairie_admin');
  const res = await browser.rest('POST', '/billing/subscription', {
    siret: '217 704 493 00014',
    serviceCode: 'FACTURES',
    commitmentNumber: 'EJ-2026/042',
    email: 'comptabilite@mairie.example',
    population: 4200,
  });
  expect(res.statusCode, res.body).toBe(201);
  const row = await ctx.operatorDb('billing_accounts').where({ tenant_id: commune.id }).first();
  return { commune, admin: browser, customer: row.stripe_customer_id as string };
}

async function until<T>(check: () => Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 150));
  }
}
const invoiceRow = (id: string) =>
  ctx.operatorDb('billing_invoices').where({ stripe_invoice_id: id }).first();

/** Reads the Factur-X XML back with the reference library, which checks it against the XSD. */
function facturxXmlOf(pdf: Buffer, pythonPath: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fx-test-'));
  const file = path.join(dir, 'f.pdf');
  writeFileSync(file, pdf);
  return execFileSync(
    'python3',
    [
      '-c',
      [
        'import sys',
        'from facturx import get_xml_from_pdf, get_level, xml_check_xsd',
        'from lxml import etree',
        'name, xml = get_xml_from_pdf(open(sys.argv[1], "rb").read(), check_xsd=True)',
        'assert name == "factur-x.xml", name',
        'assert get_level(etree.fromstring(xml)) == "en16931"',
        'sys.stdout.write(xml.decode())',
      ].join('\n'),
      file,
    ],
    { env: { ...process.env, PYTHONPATH: pythonPath } },
  ).toString();
}

describe('invoices from Stripe', () => {
  it('records a finalised invoice, lists it for the mairie and makes its Factur-X for Chorus Pro', async () => {
    const { commune, admin, customer } = await subscribedCommune();
    const inv = stripeInvoiceObject(customer, { number: 'VIGIE-2026-0042' });
    const res = await post(await signedStripeEvent('invoice.finalized', inv));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, result: 'applied' });

    const list = await admin.rest('GET', '/billing/invoices');
    expect(list.statusCode).toBe(200);
    expect(list.json().invoices).toEqual([
      expect.objectContaining({
        id: inv.id,
        number: 'VIGIE-2026-0042',
        status: 'open',
        subtotalCents: 99000,
        taxCents: 19800,
        totalCents: 118800,
        amountDueCents: 118800,
        hostedInvoiceUrl: inv.hosted_invoice_url,
      }),
    ]);

    await until(async () => (await invoiceRow(inv.id!))?.facturx_status === 'ready');
    const dl = await admin.rest('GET', `/billing/invoices/${inv.id}/facturx.pdf`);
    expect(dl.statusCode, dl.body.slice(0, 200)).toBe(200);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.headers['content-disposition']).toBe('attachment; filename="facture-VIGIE-2026-0042.pdf"');
    const pdf = dl.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const xml = facturxXmlOf(pdf, await facturxPath());
    expect(xml).toContain('<ram:ID>VIGIE-2026-0042</ram:ID>');
    expect(xml).toContain('<ram:ID schemeID="0009">21770449300014</ram:ID>');
    expect(xml).toContain('<ram:BuyerReference>FACTURES</ram:BuyerReference>');
    expect(xml).toContain('<ram:IssuerAssignedID>EJ-2026/042</ram:IssuerAssignedID>');
    expect(xml).toContain('<ram:TaxBasisTotalAmount>990.00</ram:TaxBasisTotalAmount>');
    expect(xml).toContain('<ram:TaxTotalAmount currencyID="EUR">198.00</ram:TaxTotalAmount>');
    expect(xml).toContain('<ram:GrandTotalAmount>1188.00</ram:GrandTotalAmount>');
    // PDF/A-3: an output intent with its profile, the XMP metadata, the XML as an associated file.
    const text = pdf.toString('latin1');
    expect(text).toContain('/OutputIntents');
    expect(text).toContain('/GTS_PDFA1');
    expect(text).toContain('/AFRelationship /Data');
    expect(text).toMatch(/\/Lang \(fr-FR\)/);

    // Paid later: the same row moves on, the document stays.
    const paid = { ...inv, status: 'paid' as const, amount_paid: 118800, amount_due: 118800 };
    expect((await post(await signedStripeEvent('invoice.paid', paid))).statusCode).toBe(200);
    const after = (await admin.rest('GET', '/billing/invoices')).json().invoices;
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ status: 'paid', amountPaidCents: 118800, facturx: 'ready' });
    expect((await invoiceRow(inv.id!)).tenant_id).toBe(commune.id);
  });

  it('keeps the newest snapshot when Stripe delivers events out of order, and a redelivery changes nothing', async () => {
    const { admin, customer } = await subscribedCommune();
    const inv = stripeInvoiceObject(customer);
    const now = Math.floor(Date.now() / 1000);
    const paidEvent = await signedStripeEvent(
      'invoice.paid',
      { ...inv, status: 'paid', amount_paid: 118800 },
      { created: now },
    );
    expect((await post(paidEvent)).statusCode).toBe(200);
    // The finalisation was sent first but arrives second.
    const late = await post(await signedStripeEvent('invoice.finalized', inv, { created: now - 60 }));
    expect(late.statusCode).toBe(200);
    expect(late.json().result).toBe('unchanged');
    expect((await admin.rest('GET', '/billing/invoices')).json().invoices[0].status).toBe('paid');
    // Stripe retries the very same event: accepted, nothing new.
    expect((await post(paidEvent)).json()).toMatchObject({ ok: true, result: 'duplicate' });
    expect(await ctx.operatorDb('billing_invoices').where({ stripe_invoice_id: inv.id }).count()).toEqual([
      { count: 1 },
    ]);
  });

  it('does not list drafts, nor make a document for them', async () => {
    const { admin, customer } = await subscribedCommune();
    const draft = stripeInvoiceObject(customer, { status: 'draft', number: null });
    expect((await post(await signedStripeEvent('invoice.updated', draft))).statusCode).toBe(200);
    expect((await invoiceRow(draft.id!)).facturx_status).toBe('none');
    expect((await admin.rest('GET', '/billing/invoices')).json().invoices).toEqual([]);
    const dl = await admin.rest('GET', `/billing/invoices/${draft.id}/facturx.pdf`);
    expect(dl.statusCode).toBe(404);
    expect(dl.json().code).toBe('BILLING_INVOICE_NOT_FOUND');
  });

  it('refuses an invoice event for an unknown customer and a forged signature, storing nothing', async () => {
    const stray = stripeInvoiceObject('cus_nobody');
    const res = await post(await signedStripeEvent('invoice.finalized', stray));
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('BILLING_CUSTOMER_UNKNOWN');
    const forged = await signedStripeEvent('invoice.finalized', stripeInvoiceObject('cus_nobody'));
    const bad = await post({ payload: forged.payload.replace('118800', '1'), signature: forged.signature });
    expect(bad.statusCode).toBe(403);
    expect(bad.json().code).toBe('STRIPE_SIGNATURE_INVALID');
    expect(await invoiceRow(stray.id!)).toBeUndefined();
  });

  it("shows a commune's invoices to its own mairie admins only, and says when the document is not ready", async () => {
    const a = await subscribedCommune();
    const inv = stripeInvoiceObject(a.customer);
    expect((await post(await signedStripeEvent('invoice.finalized', inv))).statusCode).toBe(200);

    const other: TestTenant = await createTenant(ctx.operatorDb);
    const { browser: otherAdmin } = await staffBrowser(ctx.app, ctx.db, other, 'mairie_admin');
    expect((await otherAdmin.rest('GET', '/billing/invoices')).json().invoices).toEqual([]);
    const stolen = await otherAdmin.rest('GET', `/billing/invoices/${inv.id}/facturx.pdf`);
    expect(stolen.statusCode).toBe(404);

    const resident = await createTestAccount(ctx.db, a.commune.id);
    const rb = new Browser(ctx.app, a.commune.host);
    await rb.login(resident.email);
    expect((await rb.rest('GET', '/billing/invoices')).statusCode).toBe(403);

    // A document still being made: a clear 409, not an empty file.
    const pendingId = uniqueId('in_').replace(/[^A-Za-z0-9_]/g, '');
    await ctx.operatorDb('billing_invoices').insert({
      stripe_invoice_id: pendingId,
      tenant_id: a.commune.id,
      number: 'VIGIE-PENDING',
      status: 'open',
      currency: 'eur',
      subtotal_cents: 1,
      tax_cents: 0,
      total_cents: 1,
      amount_due_cents: 1,
      amount_paid_cents: 0,
      lines: JSON.stringify([]),
      issued_at: new Date(),
      stripe_updated_at: new Date(),
      facturx_status: 'pending',
    });
    const notYet = await a.admin.rest('GET', `/billing/invoices/${pendingId}/facturx.pdf`);
    expect(notYet.statusCode).toBe(409);
    expect(notYet.json().code).toBe('BILLING_FACTURX_NOT_READY');
    const malformed = await a.admin.rest('GET', '/billing/invoices/not-an-id/facturx.pdf');
    expect(malformed.statusCode).toBe(400);
  });

  it("opens Stripe's customer portal for a subscribed commune, and refuses one without a subscription", async () => {
    const { admin } = await subscribedCommune();
    const res = await admin.rest('POST', '/billing/portal');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().url).toMatch(/^https:\/\//);

    const bare = await createTenant(ctx.operatorDb);
    const { browser } = await staffBrowser(ctx.app, ctx.db, bare, 'mairie_admin');
    const none = await browser.rest('POST', '/billing/portal');
    expect(none.statusCode).toBe(409);
    expect(none.json().code).toBe('BILLING_NOT_SUBSCRIBED');
  });
});

describe('paying by card or SEPA', () => {
  it('sends the mairie to Stripe Checkout, and the commune is subscribed once Checkout says it is done', async () => {
    const commune = await createTenant(ctx.operatorDb);
    const { browser: admin } = await staffBrowser(ctx.app, ctx.db, commune, 'mairie_admin');
    const res = await admin.rest('POST', '/billing/subscription', {
      siret: '217 704 493 00014',
      email: 'comptabilite@mairie.example',
      population: 800,
      payment: 'card_or_sepa',
    });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ state: 'none', checkoutUrl: expect.stringMatching(/^https:\/\//) });
    const before = await ctx.operatorDb('billing_accounts').where({ tenant_id: commune.id }).first();
    expect(before).toMatchObject({ state: 'none', tier: 't1', stripe_subscription_id: null });

    const session = {
      id: 'cs_test_1',
      object: 'checkout.session',
      mode: 'subscription',
      status: 'complete',
      customer: before.stripe_customer_id,
      subscription: 'sub_from_checkout',
      client_reference_id: commune.id,
    };
    const done = await signedStripeEvent('checkout.session.completed', session);
    const r = await post(done);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ result: 'applied', state: 'active' });
    expect(await ctx.operatorDb('billing_accounts').where({ tenant_id: commune.id }).first()).toMatchObject({
      state: 'active',
      stripe_subscription_id: 'sub_from_checkout',
    });
    expect((await post(done)).json().result).toBe('duplicate');
    // A one-off payment session is not a subscription: ignored.
    const oneOff = await signedStripeEvent('checkout.session.completed', { ...session, mode: 'payment' });
    expect((await post(oneOff)).json().result).toBe('ignored');
    // And a bad payment choice is refused by the schema.
    const bad = await admin.rest('POST', '/billing/subscription', {
      siret: '217 704 493 00014',
      email: 'comptabilite@mairie.example',
      payment: 'cheque',
    });
    expect(bad.statusCode).toBe(400);
  });
});
