// Opération Tranquillité Vacances in a real Chromium against `vigie start`
// (real PostgreSQL, real Temporal, the demo commune of Serris): Alice declares
// an absence starting now, the police agent validates it in the console, finds
// the home on today's patrol list on a phone-sized screen and logs a visit,
// and Alice's notice arrives in her portal; an anomaly then tops the console
// with the call to the person to contact. Every page at zero axe violations.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withTenant } from '@vigie/platform/plugin';
import type { Browser, Locator, Page } from 'playwright-core';
import {
  expectAccessible,
  expectClean,
  expectNoHorizontalScroll,
  expectPageBasics,
  h1,
  login,
  person,
  see,
  staffSignIn,
  usePortal,
} from './browser.js';

const run = usePortal();

/** A `datetime-local` value in the browser's (and this process's) time zone. */
function local(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

it('a resident declares, the police validate and log a visit from a phone, the notice arrives', async () => {
  const resident = await person(run.browser);
  const r = resident.page;
  await login(resident, run.base, 'alice@serris.example');
  await r.goto(`${run.base}/tranquillite-vacances`);
  await h1(r, 'Opération Tranquillité Vacances');
  await expectPageBasics(r, /Opération Tranquillité Vacances/);
  await expectAccessible(r, 'my absences');

  await r.getByRole('link', { name: 'Déclarer une absence' }).click();
  await h1(r, 'Déclarer une absence');
  await expectAccessible(r, 'declaration form');
  // A refused rule is said next to its field: the return before the departure.
  await r.getByLabel(/^Départ/).fill(local(new Date()));
  await r.getByLabel(/^Retour/).fill(local(new Date(Date.now() - 86_400_000)));
  await r.getByRole('button', { name: 'Envoyer la déclaration' }).click();
  await see(r, r.locator('.field-error', { hasText: 'le retour doit suivre le départ' }));
  await expectAccessible(r, 'declaration form with an error');
  await r.getByLabel(/^Retour/).fill(local(new Date(Date.now() + 5 * 86_400_000)));
  await r.getByLabel(/^Téléphone pendant l’absence/).fill('06 12 34 56 78');
  await r.getByLabel(/^Personne à prévenir \(nom\)/).fill('Mme Martin');
  await r.getByLabel(/^Personne à prévenir \(téléphone\)/).fill('01 60 43 12 34');
  // With a number to call, the language of the automatic call after an anomaly (French unless chosen).
  await r.getByRole('radio', { name: 'Anglais' }).check({ force: true });
  await expectAccessible(r, 'declaration form with the contact’s language');
  await r.getByLabel(/^Code d’accès/).fill('A4521');
  await r.getByLabel(/^Remarques/).fill('Volets fermés, courrier relevé par Mme Martin.');
  await r.getByRole('button', { name: 'Envoyer la déclaration' }).click();
  await h1(r, 'Opération Tranquillité Vacances');
  await see(r, r.getByText('Déclaration envoyée'));
  await see(r, r.getByText('En attente de validation'));
  const db = run.portal.started.runtime.db;
  const serris = (await db('tenants').where({ slug: 'serris' }).first('id')) as { id: string };
  const details = await withTenant(db, serris.id, (trx) =>
    trx('tv_absences').whereRaw("details->>'contactName' = ?", ['Mme Martin']).pluck('details'),
  );
  expect(details.map((d: { contactLocale?: string }) => d.contactLocale)).toEqual(['en']);

  // The police agent: two-factor set-up, then the console.
  const agent = await person(run.browser, { width: 375 });
  const a = agent.page;
  await staffSignIn(a, run.base, 'agent.police@serris.example');

  await a.goto(`${run.base}/police/tranquillite-vacances`);
  await h1(a, 'Tranquillité Vacances — police');
  const pending = a
    .locator('li', { hasText: 'Alice' })
    .filter({ has: a.getByRole('button', { name: 'Valider' }) });
  await see(a, pending);
  await expectAccessible(a, 'police console');
  await expectNoHorizontalScroll(a, 'police console');
  // The declaration itself (an audited view): the door code is there for the police.
  await pending.first().getByRole('link', { name: 'Voir la déclaration' }).click();
  await h1(a, /^Déclaration d’absence/);
  await see(a, a.getByText('A4521'));
  await expectAccessible(a, 'one declaration');
  await expectNoHorizontalScroll(a, 'one declaration');
  await a.goBack();
  await h1(a, 'Tranquillité Vacances — police');
  await pending.first().getByRole('button', { name: 'Valider' }).click();
  await see(a, a.getByText('l’habitant est prévenu'));
  // The calendar of the coming weeks counts the home from today; today's cell opens today's patrol.
  const todayCell = a.locator('table.tv-calendar td[aria-current="date"]');
  await see(a, todayCell.getByText('1 logement'));
  await expectAccessible(a, 'police console with its calendar');

  // Today's patrol list on the phone: the home is there, the visit is logged from its card.
  await a.getByRole('link', { name: 'Tournée du jour' }).first().click();
  await h1(a, /^Tournée du/);
  const stop = a.locator('li.tv-stop', { hasText: 'A4521' });
  await see(a, stop);
  await expectAccessible(a, 'patrol list');
  await expectNoHorizontalScroll(a, 'patrol list');
  await stop.locator('label.radio', { hasText: 'Rien à signaler' }).click();
  await stop.getByLabel(/^Note/).fill('Tout est fermé');
  await stop.getByRole('button', { name: 'Enregistrer le passage' }).click();
  await see(a, a.getByText('Passage enregistré, l’habitant reçoit son avis de passage.'));
  await see(a, stop.getByText('Passage enregistré aujourd’hui'));
  // On paper: the forms go, each home takes at most a twentieth of an A4 page.
  await a.emulateMedia({ media: 'print' });
  expect(await stop.locator('form').isVisible()).toBe(false);
  const box = await stop.boundingBox();
  expect(box!.height).toBeLessThanOrEqual((277 / 20) * (96 / 25.4));
  await a.emulateMedia({ media: 'screen' });

  // Alice's notice arrives in her portal, without the agent's name.
  await r.goto(`${run.base}/notifications`);
  const notice = r.locator('li', { hasText: 'Avis de passage' });
  await see(r, notice);
  expect(await notice.first().innerText()).toMatch(/rien à signaler/);
  expect(await notice.first().innerText()).not.toMatch(/Agent PM/);
  await r.goto(`${run.base}/tranquillite-vacances`);
  await see(r, r.getByText('Sous surveillance'));
  await see(r, r.getByText(/— Rien à signaler/));
  await expectAccessible(r, 'my absences with a visit');

  // In English too, the resident's pages.
  await r.getByRole('button', { name: 'Switch to English' }).click();
  await h1(r, 'Holiday home watch (Opération Tranquillité Vacances)');
  await see(r, r.getByText(/— Nothing to report/));
  await expectAccessible(r, 'my absences in English');
  await r.getByRole('link', { name: 'Declare an absence' }).click();
  await h1(r, 'Declare an absence');
  expect(await r.locator('html').getAttribute('lang')).toBe('en');
  await expectAccessible(r, 'declaration form in English');

  // An anomaly on a second round: first on the police console, with the automatic call to the
  // person to contact (the dev outbox takes it here) and how it went.
  await a.goto(`${run.base}/police/tranquillite-vacances`);
  await a.getByRole('link', { name: 'Tournée du jour' }).first().click();
  await h1(a, /^Tournée du/);
  const again = a.locator('li.tv-stop', { hasText: 'A4521' });
  await again.locator('label.radio', { hasText: 'Fenêtre ou porte ouverte' }).click();
  await again.getByLabel(/^Note/).fill('Fenêtre de la cuisine entrouverte');
  await again.getByRole('button', { name: 'Enregistrer le passage' }).click();
  await see(a, a.getByText('Passage enregistré, l’habitant reçoit son avis de passage.'));
  await a.goto(`${run.base}/police/tranquillite-vacances`);
  const anomaly = a.locator('li', { hasText: 'Fenêtre de la cuisine entrouverte' });
  await see(a, anomaly.getByText(/Personne à prévenir : /));
  await expectAccessible(a, 'police console with an anomaly');
  expectClean(resident);
  expectClean(agent);
}, 120_000);

it('a mairie agent at the counter finds the resident and declares for them', async () => {
  const mairie = await person(run.browser);
  const m = mairie.page;
  await staffSignIn(m, run.base, 'mairie@serris.example');
  await m.getByRole('link', { name: 'Tranquillité Vacances (guichet)' }).first().click();
  await h1(m, 'Déclarer une absence');
  await m.getByLabel(/^Adresse électronique de l’habitant/).fill('bruno@serris.example');
  await m.getByRole('button', { name: 'Chercher l’habitant' }).click();
  await see(m, m.getByText(/^Déclaration pour Bruno/));
  await expectAccessible(m, 'declaration at the counter');
  await m.getByLabel(/^Départ/).fill(local(new Date(Date.now() + 4 * 86_400_000)));
  await m.getByLabel(/^Retour/).fill(local(new Date(Date.now() + 9 * 86_400_000)));
  await m.getByRole('button', { name: 'Envoyer la déclaration' }).click();
  await h1(m, 'Tranquillité Vacances — police');
  await see(m, m.locator('li', { hasText: 'Bruno' }));
  // The mairie reads the declarations; deciding is the police's.
  expect(await m.getByRole('button', { name: 'Valider' }).count()).toBe(0);
  await expectAccessible(m, 'console as the mairie');
  expectClean(mairie);
}, 60_000);

it('a resident declares a secondary home, chosen among the commune’s addresses', async () => {
  // Serris watches secondary homes too (a setting of the commune).
  const db = run.portal.started.runtime.operatorDb;
  const tenant = (await db('tenants').where({ slug: 'serris' }).first('id')) as { id: string };
  await withTenant(db, tenant.id, (trx) =>
    trx('tenant_plugins')
      .where({ plugin_id: 'tranquillite-vacances' })
      .update({ settings: JSON.stringify({ minNoticeDays: 0, secondaryHomes: true }) }),
  );
  const resident = await person(run.browser);
  const r = resident.page;
  await login(resident, run.base, 'bruno@serris.example');
  // The commune's settings are cached for a few seconds.
  await r.waitForTimeout(3_500);
  await r.goto(`${run.base}/tranquillite-vacances/declarer`);
  await h1(r, 'Déclarer une absence');
  await r.getByRole('radio', { name: 'Une résidence secondaire dans la commune' }).check({ force: true });
  await r.getByLabel(/^Adresse de la résidence secondaire/).fill('rue');
  const option = r.getByRole('option', { name: /^\d+ / }).first();
  await see(r, option);
  const label = (await option.innerText()).trim();
  await option.click();
  await expectAccessible(r, 'declaration for a secondary home');
  await r.getByLabel(/^Départ/).fill(local(new Date(Date.now() + 2 * 86_400_000)));
  await r.getByLabel(/^Retour/).fill(local(new Date(Date.now() + 6 * 86_400_000)));
  await r.getByRole('button', { name: 'Envoyer la déclaration' }).click();
  await h1(r, 'Opération Tranquillité Vacances');
  await see(r, r.getByText('Déclaration envoyée'));
  await see(r, r.getByText(label.replace(/,? \d{5}.*$/, ''), { exact: true }));
  expectClean(resident);
}, 60_000);
