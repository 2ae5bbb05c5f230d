// Solidarité in a real Chromium against `vigie start` (real PostgreSQL, real
// Temporal, the demo commune of Serris): Bruno volunteers; the mairie agent
// enters an elderly neighbour at the counter with her consent (refused first
// without it); the CCAS agent pairs her with Bruno; with the commune's
// register "day" shortened to 3 seconds, the CCAS console shows the missed
// news climb to the CCAS and the police; Bruno's « Nouvelles reçues » stops
// it. Then a plan canicule: the console's counts follow, without a reload,
// what Bruno and the CCAS record. Every page at zero axe violations.
import { expect, it } from 'vitest';
import { withTenant } from '@vigie/platform/plugin';
import {
  expectAccessible,
  expectClean,
  expectPageBasics,
  h1,
  login,
  person,
  see,
  staffSignIn,
  usePortal,
} from './browser.js';

const run = usePortal();

async function shortenDays(dayMinutes: number) {
  const db = run.portal.started.runtime.operatorDb;
  const tenant = (await db('tenants').where({ slug: 'serris' }).first('id')) as { id: string };
  await withTenant(db, tenant.id, (trx) =>
    trx('tenant_plugins')
      .where({ plugin_id: 'solidarite' })
      .update({ settings: JSON.stringify({ dayMinutes, ccasDelayHours: 8, policeDelayHours: 8 }) }),
  );
}

/** An address of Bruno's community (the demo's first sector), as the address field offers it. */
async function addressNearBruno(): Promise<{ street: string; label: RegExp }> {
  const db = run.portal.started.runtime.db;
  const tenant = (await db('tenants').where({ slug: 'serris' }).first('id')) as { id: string };
  return withTenant(db, tenant.id, async (trx) => {
    const a = (await trx('addresses as a')
      .join('residences as r', 'r.sector_id', 'a.sector_id')
      .join('accounts as u', 'u.id', 'r.account_id')
      .where({ 'u.email': 'bruno@serris.example', 'r.status': 'active' })
      .whereNull('a.rep')
      .orderBy(['a.nom_voie', 'a.numero'])
      .first('a.numero', 'a.nom_voie')) as { numero: number; nom_voie: string };
    return { street: `${a.numero} ${a.nom_voie}`, label: new RegExp(`^${a.numero} ${a.nom_voie}`) };
  });
}

it('a neighbour is entered with consent, paired, watched over, and reached in a plan canicule', async () => {
  // Bruno volunteers from his page.
  const bruno = await person(run.browser);
  const b = bruno.page;
  await login(bruno, run.base, 'bruno@serris.example');
  await b.getByRole('link', { name: 'Solidarité' }).first().click();
  await h1(b, 'Solidarité entre voisins');
  await expectPageBasics(b, /Solidarité entre voisins/);
  await expectAccessible(b, 'resident page');
  await b.getByLabel(/^Vos disponibilités/).fill('Le soir après 18 h');
  await b.getByRole('button', { name: 'Je me propose comme bénévole' }).click();
  await see(b, b.getByText('Le CCAS ne vous a encore associé à personne.'));

  // The mairie agent enters Mme Lucienne Garnier at the counter.
  const mairie = await person(run.browser);
  const m = mairie.page;
  await staffSignIn(m, run.base, 'mairie@serris.example');
  await m.goto(`${run.base}/ccas`);
  await h1(m, 'Registre du CCAS');
  await m.getByRole('link', { name: 'Inscrire une personne' }).click();
  await h1(m, 'Inscription au registre');
  await expectAccessible(m, 'enrolment form');
  await m.getByLabel(/^Prénom/).fill('Lucienne');
  await m.getByLabel(/^Nom/).fill('Garnier');
  const near = await addressNearBruno();
  await m.getByLabel(/^Adresse de la personne/).fill(near.street);
  await m.getByRole('option', { name: near.label }).first().click();
  await m.getByRole('radio', { name: 'Appel sur une ligne fixe' }).check({ force: true });
  await m.getByLabel(/^Numéro de téléphone/).fill('01 60 43 12 34');
  await m.getByLabel('Fréquence des nouvelles').selectOption('1');
  // She has no account: her automatic calls may be in English (French unless chosen).
  await m.getByRole('radio', { name: 'Anglais' }).check({ force: true });
  await m.getByText('Prévenir la police municipale si personne').click();
  await m.getByLabel(/^Qui a donné son consentement/).fill('Mme Garnier elle-même, au guichet');
  await m.getByLabel(/^Notes de santé/).fill('Malentendante : laisser sonner longtemps.');
  // Without the consent box: refused, said in the summary and next to the box.
  await m.getByRole('button', { name: 'Inscrire au registre' }).click();
  await see(m, m.locator('.field-error', { hasText: 'Le consentement explicite est requis.' }));
  await expectAccessible(m, 'enrolment form with an error');
  await m.getByText('La personne a donné son consentement explicite').click();
  await m.getByRole('button', { name: 'Inscrire au registre' }).click();
  await h1(m, 'Lucienne Garnier');
  const db = run.portal.started.runtime.db;
  const serris = (await db('tenants').where({ slug: 'serris' }).first('id')) as { id: string };
  const stored = await withTenant(db, serris.id, (trx) =>
    trx('sol_people').where({ first_name: 'Lucienne' }).first('locale'),
  );
  expect(stored).toEqual({ locale: 'en' });
  // The mairie agent does not read health notes: the CCAS does.
  await see(m, m.getByText('Des notes de santé existent (lisibles par le CCAS seul).'));
  await expectAccessible(m, 'an entry as the mairie sees it');

  // The CCAS agent pairs her with Bruno.
  const ccas = await person(run.browser);
  const c = ccas.page;
  await staffSignIn(c, run.base, 'ccas@serris.example');
  // Her home page leads to the register, with its count.
  await see(c, c.getByText('1 personne inscrite.'));
  await expectAccessible(c, 'the CCAS agent’s home page');
  await c.getByRole('link', { name: 'Ouvrir le registre' }).click();
  await h1(c, 'Registre du CCAS');
  await c.getByRole('link', { name: 'Ouvrir la fiche de Lucienne Garnier' }).click();
  await h1(c, 'Lucienne Garnier');
  expect(await c.getByRole('textbox', { name: /^Notes de santé/ }).inputValue()).toBe(
    'Malentendante : laisser sonner longtemps.',
  );
  await c.getByLabel('Bénévole', { exact: true }).selectOption({ index: 1 });
  await c.getByRole('button', { name: 'Associer' }).click();
  await see(c, c.getByRole('button', { name: /Retirer Bruno/ }));
  await expectAccessible(c, 'an entry as the CCAS sees it');

  // Bruno sees her first name and the number to call.
  await b.reload();
  await see(b, b.getByRole('heading', { name: 'Lucienne' }));
  await see(b, b.getByText('Contact : 01 60 43 12 34'));
  expect(await b.getByText('Garnier').count()).toBe(0);

  // A register "day" of 3 seconds: her daily news are soon missed, and the console says how far it went.
  await shortenDays(0.05);
  await c.goto(`${run.base}/ccas`);
  await h1(c, 'Registre du CCAS');
  const row = c.locator('tr', { hasText: 'Garnier' });
  // The CCAS has news of her today: her workflow reads the entry (and the shorter day) again.
  await row.getByRole('button', { name: /^Nouvelles reçues/ }).click();
  await see(c, c.getByText('C’est enregistré.'));
  for (let k = 0; k < 40; k++) {
    if (await row.getByText('Sans nouvelles : police municipale prévenue').count()) break;
    await c.waitForTimeout(500);
    await c.reload();
  }
  await see(c, row.getByText('Sans nouvelles : police municipale prévenue'));
  await expectAccessible(c, 'the register with an escalation');
  // Bruno has been reminded; his « Nouvelles reçues » stops it.
  await b.reload();
  await b.getByRole('button', { name: 'Nouvelles reçues' }).click();
  await see(b, b.getByText('Merci, les nouvelles de Lucienne sont notées.'));
  await shortenDays(2);
  await c.reload();
  await see(c, c.locator('tr', { hasText: 'Garnier' }).getByText('Nouvelles à jour'));

  // Plan canicule: the counts follow, live, what is recorded elsewhere.
  await c.getByRole('radio', { name: 'Plan canicule' }).check({ force: true });
  await c.getByLabel(/^Niveau de la préfecture/).fill('Vigilance orange');
  await c.getByRole('button', { name: 'Activer le plan' }).click();
  const count = (k: string, n: number, timeout?: number) =>
    see(c, c.locator(`[data-count="${k}"]`, { hasText: new RegExp(`^${n}$`) }), timeout);
  await see(c, c.getByText(/Plan canicule activé le/));
  await count('pending', 1, 15_000);
  await expectAccessible(c, 'the console with a plan on');
  await b.reload();
  await b.getByRole('button', { name: 'Jointe (plan)' }).click();
  await see(b, b.getByText('Merci, les nouvelles de Lucienne sont notées.'));
  // No reload on the console: it reads the round again by itself.
  await count('answered', 1, 10_000);
  await count('pending', 0);
  c.once('dialog', (d) => void d.accept());
  await c.getByRole('button', { name: 'Désactiver le plan' }).click();
  await see(c, c.getByText(/Plan canicule du .* : réponses 1, visites 0, sans réponse 0/));

  // Consent withdrawn from the CCAS console: the entry is gone.
  await c.getByRole('link', { name: 'Ouvrir la fiche de Lucienne Garnier' }).click();
  await h1(c, 'Lucienne Garnier');
  c.once('dialog', (d) => void d.accept());
  await c.getByRole('button', { name: 'Retirer le consentement (supprimer la fiche)' }).click();
  await h1(c, 'Registre du CCAS');
  await see(c, c.getByText('Personne n’est inscrit au registre.'));
  for (const p of [bruno, mairie, ccas]) expectClean(p);
}, 240_000);
