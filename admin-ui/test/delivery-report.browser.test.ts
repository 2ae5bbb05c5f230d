// The delivery report and the follow-ups of an alert in a real Chromium
// against `vigie start` (real PostgreSQL and Temporal, the demo commune of
// Serris). A resident raises an alert; recipients who could not be reached
// are added to its report (a commune's real failures: invalid numbers, STOP,
// a provider timeout, quiet hours); the chief of police reads the report,
// filters it by state and channel (by keyboard), loads more rows, downloads
// the CSV and checks it holds the whole report with formula-like names
// defused; then posts a follow-up and a « fin d'alerte », which the author
// and a neighbour who received the alert read on its page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createTestAccount } from '@vigie/platform/testing';
import {
  DEMO_PASSWORD,
  expectAccessible,
  expectClean,
  h1,
  login,
  person,
  see,
  totp,
  usePortal,
} from './browser.js';

const run = usePortal();

async function staffFirstLogin(page: Page, email: string): Promise<void> {
  await page.goto(`${run.base}/connexion`);
  await page.getByLabel(/^Adresse électronique/).fill(email);
  await page.getByLabel(/^Mot de passe/).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await h1(page, 'Double authentification');
  await page.getByRole('button', { name: 'Commencer l’activation' }).click();
  const key = (await page.locator('.totp-key').innerText()).trim();
  await page.getByLabel(/^Code de vérification/).fill(totp(key));
  await page.getByRole('button', { name: 'Activer la double authentification' }).click();
  await h1(page, 'Vos codes de secours');
  await page.getByRole('button', { name: 'J’ai noté mes codes de secours' }).click();
  await h1(page, /^Bonjour/);
}

const UNREACHED = 30;
const REASONS = ['INVALID_NUMBER', 'OPTED_OUT', 'TIMEOUT'] as const;

/** Neighbours the alert could not reach, as the delivery records them (SMS failed with a reason; email held for quiet hours). */
async function addUnreached(alertId: string): Promise<void> {
  const db = run.portal.started.app.db;
  const tenant = (await db('tenants').where({ slug: 'serris' }).first('id')) as { id: string };
  const ids: string[] = [];
  for (let i = 0; i < UNREACHED; i++) {
    const name = i === 0 ? '=SOMME(A1:A9)' : `Voisin injoignable ${String(i).padStart(2, '0')}`;
    ids.push((await createTestAccount(db, tenant.id, { displayName: name })).id);
  }
  const now = new Date();
  await db.transaction(async (trx) => {
    await trx.raw(`select set_config('app.tenant_id', ?, true)`, [tenant.id]);
    await trx('deliveries').insert(
      ids.flatMap((accountId, i) => [
        {
          tenant_id: tenant.id,
          alert_id: alertId,
          account_id: accountId,
          purpose: 'alert',
          channel: 'sms',
          status: 'failed',
          reason: REASONS[i % REASONS.length],
          attempts: i % REASONS.length === 2 ? 3 : 1,
          failed_at: now,
        },
        {
          tenant_id: tenant.id,
          alert_id: alertId,
          account_id: accountId,
          purpose: 'alert',
          channel: 'email',
          status: 'held',
          reason: 'QUIET_HOURS',
          not_before: new Date(now.getTime() + 8 * 3600_000),
        },
      ]),
    );
  });
}

type Summary = { total: number; byStatus: Array<{ status: string; count: number }> };

describe('an alert’s delivery report and its follow-ups', () => {
  it('the chief reads, filters, pages and exports the report, then follows up and ends the alert; residents see both', async () => {
    const resident = await person(run.browser);
    const neighbour = await person(run.browser);
    const chief = await person(run.browser);
    const r = resident.page;
    const n = neighbour.page;
    const c = chief.page;

    // Alice raises an alert to her community.
    await login(resident, run.base, 'alice@serris.example');
    await r.goto(`${run.base}/alerter`);
    await h1(r, 'Donner l’alerte');
    const text = `Deux personnes essaient les poignées des voitures, allée des Tilleuls (${Date.now()})`;
    await r.locator('label.radio', { hasText: 'Individu suspect' }).click();
    await r.getByLabel(/^Ce que vous avez vu/).fill(text);
    await r.getByLabel(/^Où \?/).fill('Allée des Tilleuls');
    await r.locator('#field-severity label.radio', { hasText: 'Urgent' }).click();
    await r.getByText('J’ai appelé le 17 ou je vais le faire').click();
    await r.getByRole('button', { name: 'Envoyer l’alerte' }).click();
    await h1(r, 'Alerte envoyée');

    // The chief finds it in the console.
    await staffFirstLogin(c, 'chef.police@serris.example');
    await c.goto(`${run.base}/console`);
    await h1(c, 'Console en direct');
    const item = c.locator('.mv-list li', { hasText: text });
    await see(c, item);
    const alertId = (await item.getAttribute('data-alert-id'))!;
    await addUnreached(alertId);
    await item.getByRole('button').click();
    const panel = c.locator('.mv-panel');
    await see(c, panel.getByRole('heading', { name: /^Alerte / }));

    // The report: counts per channel and state, then each recipient.
    await panel.getByRole('link', { name: 'Rapport de diffusion détaillé' }).click();
    await h1(c, /^Diffusion de l’alerte /);
    const table = c.getByTestId('report-table');
    await see(c, table.locator('tbody tr'));
    await see(c, c.getByRole('table', { name: 'Messages par canal et par état' }));
    await expectAccessible(c, 'delivery report');
    const summary = await c.evaluate(async (id) => {
      const q = `{ alertDeliveryReport(alertId: "${id}", limit: 1) { summary { total byStatus { status count } } } }`;
      const res = await fetch(`/graphql?query=${encodeURIComponent(q)}`, { credentials: 'same-origin' });
      return ((await res.json()) as { data: { alertDeliveryReport: { summary: unknown } } }).data
        .alertDeliveryReport.summary;
    }, alertId);
    const total = (summary as Summary).total;
    expect(total).toBeGreaterThan(2 * UNREACHED);
    const failedCount = (summary as Summary).byStatus.find((s) => s.status === 'failed')!.count;
    expect(failedCount).toBeGreaterThanOrEqual(UNREACHED);
    await see(c, c.getByTestId('report-totals').filter({ hasText: `${total} messages` }));

    // 25 rows a page; « Charger plus » until everything is shown.
    await expect.poll(() => table.locator('tbody tr').count()).toBe(25);
    let pages = 1;
    while (await c.getByRole('button', { name: 'Charger plus' }).count()) {
      await c.getByRole('button', { name: 'Charger plus' }).click();
      pages++;
      await expect.poll(() => table.locator('tbody tr').count()).toBe(Math.min(25 * pages, total));
    }
    expect(await table.locator('tbody tr').count()).toBe(total);
    await see(c, c.getByTestId('report-shown').filter({ hasText: `${total} messages affichés` }));

    // Filtered by state, by keyboard: the failures only, each with its reason in words.
    await c.getByRole('button', { name: /État/ }).focus();
    await c.keyboard.press('Enter');
    await see(c, c.getByRole('option', { name: 'En échec' }));
    await c.getByRole('option', { name: 'En échec' }).focus();
    await c.keyboard.press('Enter');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(Math.min(25, failedCount));
    const states = await table
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((x) => x.getAttribute('data-status')));
    expect(new Set(states)).toEqual(new Set(['failed']));
    for (const words of [
      'Numéro invalide',
      'Désinscrit de ce canal (STOP)',
      'Pas de réponse du prestataire à temps',
    ])
      await see(c, table.getByText(words));
    // And by channel: no email failed (the unreached neighbours' emails wait for the morning).
    await c.getByRole('button', { name: /Canal/ }).click();
    await c.getByRole('option', { name: 'E-mail' }).click();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(0);
    await see(c, c.getByText('Aucun message ne correspond à ces filtres.'));
    // Held emails, with the reason and until when.
    await c.getByRole('button', { name: /État/ }).click();
    await c.getByRole('option', { name: 'Différé' }).click();
    await expect.poll(() => table.locator('tbody tr').count()).toBeGreaterThanOrEqual(25);
    await see(c, table.getByText('Retenu pendant les heures calmes'));
    await see(c, table.getByText(/^Différé jusqu’au /));
    await expectAccessible(c, 'delivery report, filtered');

    // The CSV: the whole report, reasons in words, the formula-like name defused, no email address.
    const csv = await c.evaluate(async () => {
      const a = document.querySelector<HTMLAnchorElement>('.mv-downloads a')!;
      const res = await fetch(a.href, { credentials: 'same-origin' });
      return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
    });
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/^text\/csv/);
    const lines = csv.body
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toMatch(/^destinataire;objet;canal;statut;code motif;motif;tentatives/);
    expect(lines.length - 1).toBe(total);
    expect(lines.filter((l) => l.includes(';INVALID_NUMBER;Numéro invalide;')).length).toBe(UNREACHED / 3);
    const formula = lines.filter((l) => l.includes('SOMME(A1:A9)'));
    expect(formula).toHaveLength(2);
    for (const l of formula) expect(l.startsWith("'=SOMME(A1:A9);")).toBe(true);
    expect(csv.body).not.toMatch(/@serris\.example|@example\.test/);
    // A resident is refused the export.
    const refused = await r.evaluate(
      async (id) => (await fetch(`/alerts/${id}/deliveries.csv`)).status,
      alertId,
    );
    expect(refused).toBe(403);

    // A follow-up, then « fin d'alerte », from the alert's panel.
    await c.getByRole('link', { name: 'Retour à la console' }).click();
    await h1(c, 'Console en direct');
    await c.locator('.mv-list li', { hasText: text }).getByRole('button').click();
    await see(c, panel.getByRole('heading', { name: 'Suites et fin d’alerte' }));
    await panel.getByLabel(/^Message de suite/).fill('Une patrouille est sur place. Fermez vos véhicules.');
    await panel.getByRole('button', { name: 'Envoyer la suite' }).click();
    await see(c, panel.getByText('Suite envoyée aux destinataires de l’alerte.'));
    await see(
      c,
      panel
        .getByRole('list', { name: 'Suites et fin d’alerte' })
        .getByText('Une patrouille est sur place.', { exact: false }),
    );
    await panel.locator('label.radio', { hasText: 'Non fondée : rien à signaler' }).click();
    await panel
      .getByLabel(/^Message de fin d’alerte/)
      .fill('Les deux personnes ont été interpellées. Merci de votre vigilance.');
    await panel.getByRole('button', { name: 'Envoyer la fin d’alerte' }).click();
    await see(c, panel.getByText('Fin d’alerte envoyée : l’alerte est clôturée.'));
    await see(c, panel.getByText(/Clôturée · Sans suite \(non fondée\)/));
    expect(await panel.getByRole('button', { name: 'Envoyer la suite' }).count()).toBe(0);
    await expectAccessible(c, 'console, alert ended');
    // Each follow-up has its own delivery report.
    const followUpReport = await panel
      .getByRole('link', { name: 'Diffusion de ce message' })
      .last()
      .getAttribute('href');
    const endId = /\/console\/alertes\/([^/]+)\/diffusion/.exec(followUpReport ?? '')![1]!;

    // Alice, the author, reads both on her alert's page, and the closure.
    await r.goto(`${run.base}/alertes/${alertId}`);
    const story = r.getByRole('list', { name: 'Suites et fin d’alerte' });
    await see(r, story.getByText('Une patrouille est sur place. Fermez vos véhicules.'));
    await see(r, story.getByText('Les deux personnes ont été interpellées. Merci de votre vigilance.'));
    await see(r, r.getByText('Fin d’alerte : la situation est terminée.'));
    expect(await r.locator('.badge.status').innerText()).toBe('Clôturée');
    await expectAccessible(r, 'alert page with its follow-ups');

    // Bruno, a neighbour the alert reached, opens the « fin d'alerte » link he was sent: its alert's page.
    await login(neighbour, run.base, 'bruno@serris.example');
    await expect
      .poll(
        async () => {
          await n.goto(`${run.base}/alertes/${endId}`);
          await n.getByRole('heading', { level: 1 }).waitFor();
          return n.url();
        },
        { timeout: 20_000 },
      )
      .toBe(`${run.base}/alertes/${alertId}`);
    await see(n, n.getByRole('list', { name: 'Suites et fin d’alerte' }).getByText(/interpellées/));
    await expectAccessible(n, 'alert page, a recipient');

    for (const x of [resident, neighbour, chief]) {
      expectClean(x);
      await x.context.close();
    }
  });
});
