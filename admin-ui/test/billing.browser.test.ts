// The billing pages in a real Chromium: the public price list as a visitor
// (French, English, 320 px), and a mairie admin subscribing and stopping at
// term, with Stripe's SDK talking to stripe-mock. axe at zero on each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startPortal, type Portal } from '@vigie/platform/testing/portal';
import { signedStripeEvent, stripeInvoiceObject } from '@vigie/platform/testing';
import {
  expectAccessible,
  expectClean,
  expectNoHorizontalScroll,
  expectPageBasics,
  launch,
  person,
  staffSignIn,
} from './browser.js';

let portal: Portal;
let browser: Browser;
let base: string;

beforeAll(async () => {
  [portal, browser] = await Promise.all([startPortal({ stripe: true }), launch()]);
  base = portal.url('serris', '');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

const h1 = (page: Page, name: string | RegExp) =>
  page.getByRole('heading', { level: 1, name }).waitFor({ timeout: 15_000 });

describe('the public price list', () => {
  it('shows every tier with and without VAT, without signing in, in French and in English', async () => {
    const v = await person(browser);
    await v.page.goto(`${base}/tarifs`);
    await h1(v.page, 'Tarifs de Vigie pour les communes');
    const rows = v.page.getByRole('table').getByRole('row');
    await expect.poll(() => rows.count()).toBe(7);
    await expect
      .poll(() => v.page.getByRole('row', { name: /Moins de 2\s000 habitants/ }).innerText())
      .toMatch(/490,00\s€.*588,00\s€.*1\s000/s);
    await expect.poll(() => v.page.getByRole('row', { name: /50\s000 habitants et plus/ }).count()).toBe(1);
    await expectPageBasics(v.page, /Tarifs/);
    await expectAccessible(v.page, 'price list');
    expectClean(v);

    const en = await person(browser, { locale: 'en-GB' });
    await en.page.goto(`${base}/tarifs`);
    await en.page.evaluate(() => window.localStorage.setItem('vigie.locale', 'en'));
    await en.page.reload();
    await h1(en.page, 'Vigie prices for communes');
    await expect
      .poll(() => en.page.getByRole('columnheader', { name: 'Yearly price incl. VAT' }).count())
      .toBe(1);
    await expectAccessible(en.page, 'price list (en)');

    const narrow = await person(browser, { width: 320 });
    await narrow.page.goto(`${base}/tarifs`);
    await h1(narrow.page, 'Tarifs de Vigie pour les communes');
    await expect.poll(() => narrow.page.getByRole('row').count()).toBe(7);
    await expectNoHorizontalScroll(narrow.page, 'price list');
  });
});

describe("the commune's subscription", () => {
  it('the mairie admin subscribes with the Chorus Pro identifiers, then stops at term in one click', async () => {
    const admin = await person(browser);
    const a = admin.page;
    await staffSignIn(a, base, 'mairie@serris.example');
    await a.goto(`${base}/mairie/abonnement`);
    await h1(a, 'Abonnement de la commune');
    await a.getByText(/pas encore d’abonnement/).waitFor();
    await expectAccessible(a, 'subscription form');

    await a.getByLabel(/^SIRET de la mairie/).fill('217 704 493 00015');
    await a.getByLabel(/^Adresse e-mail qui reçoit les factures/).fill('comptabilite@serris.example');
    await a.getByRole('button', { name: 'Souscrire l’abonnement annuel' }).click();
    await a.getByText('Le numéro SIRET doit compter 14 chiffres et être valide.').first().waitFor();
    await expectAccessible(a, 'subscription form with an error');

    await a.getByLabel(/^SIRET de la mairie/).fill('217 704 493 00014');
    await a.getByLabel(/^Code service Chorus Pro/).fill('FACTURES');
    await a.getByLabel(/^Numéro d’engagement/).fill('EJ-2026/042');
    // The way public bodies pay is the default; card or SEPA goes through Stripe Checkout.
    expect(await a.getByRole('radio', { name: /Facture à 30 jours/ }).isChecked()).toBe(true);
    expect(await a.getByRole('radio', { name: /Carte bancaire ou prélèvement SEPA/ }).isChecked()).toBe(
      false,
    );
    await a.getByRole('button', { name: 'Souscrire l’abonnement annuel' }).click();
    await a.getByText('C’est enregistré.').waitFor();
    // Serris has 10,326 inhabitants (INSEE): the 10,000–20,000 tier.
    await expect
      .poll(() => a.locator('main dl').innerText())
      .toMatch(/Actif[\s\S]*3\s490,00\s€ HT \(4\s188,00\s€ TTC\)/);
    await expect
      .poll(() => a.locator('main dl').innerText())
      .toMatch(/21770449300014 · FACTURES · EJ-2026\/042/);
    await expectAccessible(a, 'subscription');

    // Stripe finalises the first invoice and says so: it is listed, then its
    // Factur-X is made by a workflow and offered for download.
    await a.getByText('Aucune facture pour l’instant.', { exact: false }).waitFor();
    const [acct] = await portal.sql<{ stripe_customer_id: string }>(
      "select b.stripe_customer_id from billing_accounts b join tenants t on t.id = b.tenant_id where t.slug = 'serris'",
    );
    const inv = stripeInvoiceObject(acct!.stripe_customer_id, {
      number: 'VIGIE-2026-0007',
      subtotalCents: 349000,
      description: '1 × Vigie, abonnement annuel (10 000 à 19 999 habitants)',
    });
    const webhook = async (type: string, object: object) => {
      const e = await signedStripeEvent(type, object);
      const res = await fetch(`http://127.0.0.1:${portal.port}/webhooks/stripe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': e.signature },
        body: e.payload,
      });
      expect(res.status, await res.text()).toBe(200);
    };
    await webhook('invoice.finalized', inv);
    await a.reload();
    await h1(a, 'Abonnement de la commune');
    const row = a.getByRole('row', { name: /VIGIE-2026-0007/ });
    await expect.poll(() => row.innerText()).toMatch(/4\s188,00\s€[\s\S]*À payer/);
    const download = a.getByRole('link', {
      name: 'Factur-X de la facture VIGIE-2026-0007 (PDF, pour Chorus Pro)',
    });
    await download.waitFor({ timeout: 30_000 });
    await expectAccessible(a, 'subscription with an invoice');
    const [file] = await Promise.all([a.waitForEvent('download'), download.click()]);
    expect(file.suggestedFilename()).toBe('facture-VIGIE-2026-0007.pdf');
    await webhook('invoice.paid', { ...inv, status: 'paid', amount_paid: inv.total });
    await a.reload();
    await expect.poll(() => row.innerText()).toMatch(/Payée/);

    await a.getByRole('button', { name: 'Arrêter à l’échéance' }).click();
    await a.getByText('L’abonnement s’arrêtera à l’échéance, sans renouvellement.').waitFor();
    await a.getByRole('button', { name: 'Continuer après l’échéance' }).waitFor();
    await expectAccessible(a, 'subscription stopping at term');
    // Stripe's customer portal: the button leads to the session Stripe opened
    // (the harness lets no request leave the machine: seeing it asked for is the proof).
    await a.getByRole('button', { name: 'Ouvrir le portail de facturation' }).click();
    await expect.poll(() => admin.outside.filter((u) => u.startsWith('https://')).length).toBe(1);
    // That one request out was asked for; expectClean still guards every other.
    admin.outside.splice(
      admin.outside.findIndex((u) => u.startsWith('https://')),
      1,
    );
    expectClean(admin);
  });
});
