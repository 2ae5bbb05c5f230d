// Issue 12 in a real Chromium against `vigie start` (real PostgreSQL, real
// Temporal, the demo commune of Serris): the mairie agent opens « Inscription
// au guichet » from the menu, is told what is missing next to each field and
// in the summary, then has a landline refused by the server next to its
// field, and registers Mme Germaine Dupuis with her mobile and email: the
// page says what was done (account, SMS alerts to her mobile, the invitation
// sent). Every state of the page at zero axe violations, and no horizontal
// scroll at 320 px.
import { expect, it } from 'vitest';
import { withTenant } from '@vigie/platform/plugin';
import {
  expectAccessible,
  expectClean,
  expectNoHorizontalScroll,
  expectPageBasics,
  h1,
  person,
  see,
  staffSignIn,
  usePortal,
} from './browser.js';

const run = usePortal();

async function serris(): Promise<string> {
  const t = (await run.portal.started.runtime.db('tenants').where({ slug: 'serris' }).first('id')) as {
    id: string;
  };
  return t.id;
}

/** An address of one of Serris's sectors, as the address field offers it. */
async function someAddress(): Promise<{ street: string; label: RegExp }> {
  return withTenant(run.portal.started.runtime.db, await serris(), async (trx) => {
    const a = (await trx('addresses')
      .whereNotNull('sector_id')
      .whereNull('rep')
      .orderBy(['nom_voie', 'numero'])
      .first('numero', 'nom_voie')) as { numero: number; nom_voie: string };
    return { street: `${a.numero} ${a.nom_voie}`, label: new RegExp(`^${a.numero} ${a.nom_voie}`) };
  });
}

it('a mairie agent registers a resident without internet at the counter', async () => {
  const mairie = await person(run.browser);
  const m = mairie.page;
  await staffSignIn(m, run.base, 'mairie@serris.example');
  await m.getByRole('link', { name: 'Inscription au guichet' }).first().click();
  await h1(m, 'Inscrire un résident au guichet');
  await expectPageBasics(m, /Inscrire un résident au guichet/);
  await expectAccessible(m, 'counter form');

  // Nothing filled in: each missing answer next to its field and in the summary.
  await m.getByRole('button', { name: 'Inscrire la personne' }).click();
  const summary = m.getByRole('alert').filter({ hasText: 'Le formulaire contient des erreurs' });
  await see(m, summary);
  await expect.poll(() => summary.getByRole('link').count()).toBe(4);
  await see(m, m.getByText(/Indiquez un téléphone mobile ou un téléphone fixe/).first());
  await expectAccessible(m, 'counter form with its errors');

  await m.getByLabel(/^Nom affiché/).fill('Germaine Dupuis');
  const a = await someAddress();
  await m.getByLabel(/^Adresse \*/).fill(a.street);
  await m.getByRole('option', { name: a.label }).first().click();
  await m.getByRole('radio', { name: 'Quittance de loyer' }).check({ force: true });
  await m.getByLabel(/^Téléphone mobile/).fill('07 00 12 12 12');
  await m.getByLabel(/^Adresse e-mail/).fill('germaine.dupuis@exemple.test');
  // A special-rate number is no home's: refused by the server, shown next to the landline.
  await m.getByLabel(/^Téléphone fixe/).fill('08 92 00 00 00');
  await m.getByRole('button', { name: 'Inscrire la personne' }).click();
  const landline = m.getByRole('textbox', { name: /^Téléphone fixe/ });
  await expect.poll(() => landline.getAttribute('aria-invalid')).toBe('true');
  await see(m, m.getByText(/Numéro de téléphone invalide pour les appels vocaux/).first());

  await landline.fill('');
  await m.getByRole('button', { name: 'Inscrire la personne' }).click();
  const done = m.getByRole('heading', { level: 2, name: 'Germaine Dupuis est inscrit·e' });
  await see(m, done);
  await expect.poll(() => m.evaluate(() => document.activeElement?.textContent)).toMatch(/Germaine Dupuis/);
  await see(m, m.getByText('Alertes importantes et urgentes par SMS au 07 00 12 12 12.'));
  await see(m, m.getByText(/Invitation envoyée à germaine\.dupuis@exemple\.test/));
  await see(m, m.getByText(/Le justificatif n’a pas été conservé/));
  await expectAccessible(m, 'counter registration done');
  // Reflow (RGAA 10.11): the form and its outcome fit a 320 px screen.
  await m.setViewportSize({ width: 320, height: 900 });
  await expectNoHorizontalScroll(m, 'counter page at 320 px');

  // What the server kept: the residence the agent verified, the invitation in the dev outbox.
  const kept = await withTenant(run.portal.started.runtime.db, await serris(), async (trx) => ({
    residence: await trx('residences as r')
      .join('accounts as a', 'a.id', 'r.account_id')
      .where('a.email', 'germaine.dupuis@exemple.test')
      .first('r.status', 'r.source'),
    invitation: await trx('dev_outbox').where({ recipient: 'germaine.dupuis@exemple.test' }).first('body'),
  }));
  expect(kept.residence).toEqual({ status: 'active', source: 'counter' });
  expect(kept.invitation?.body).toMatch(/nouveau-mot-de-passe\?token=/);
  expectClean(mairie);
}, 180_000);
