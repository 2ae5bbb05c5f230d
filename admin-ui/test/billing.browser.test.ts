// The billing pages in a real Chromium: the public price list as a visitor
// (French, English, 320 px), and a mairie admin subscribing and stopping at
// term, with Stripe's SDK talking to stripe-mock. axe at zero on each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startPortal, type Portal } from '@vigie/platform/testing/portal';
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

    await a.getByRole('button', { name: 'Arrêter à l’échéance' }).click();
    await a.getByText('L’abonnement s’arrêtera à l’échéance, sans renouvellement.').waitFor();
    await a.getByRole('button', { name: 'Continuer après l’échéance' }).waitFor();
    await expectAccessible(a, 'subscription stopping at term');
    expectClean(admin);
  });
});
