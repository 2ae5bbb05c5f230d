// The operator console in a real Chromium, on the platform's own host
// (http://localhost:<port>, not a commune's): the demo operator signs in with
// password and TOTP, sees the communes with their figures, onboards Barbizon
// from its INSEE code with the BAN file the repository's data generator
// writes (a bad file first: its lines refused by number), accepts the proposed
// sectors shown on the map, invites the first mairie admin, then suspends the
// new commune and sees the transition in the audit. axe at zero on each page.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTenant } from '@vigie/platform';
import {
  expectAccessible,
  expectClean,
  expectNoHorizontalScroll,
  h1,
  person,
  see,
  totp,
  usePortal,
} from './browser.js';

const run = usePortal();

/** The demo operator that `npm start` prints in development (platform/src/identity/demo-operator.ts). */
const OPERATOR = {
  email: 'operateur@vigie.example',
  password: 'vigie-demo-2026',
  totpSecret: 'VIGIEDEMOOPERATEURTOTP23',
};

const repo = path.resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'vigie-operator-'));

/** Barbizon (77022, ~1,260 inhabitants) as the data generator writes it: `--insee 77022`. */
function generatedBan(): string {
  const out = path.join(tmp, 'barbizon.csv');
  execFileSync(
    process.execPath,
    ['--import', 'tsx', 'bench/data/generate-tenant-data.ts', '--insee', '77022', '--out', out],
    { cwd: repo, stdio: 'pipe' },
  );
  return out;
}

describe('the operator console on the platform host', () => {
  it('onboards a commune from its INSEE code to its invited admin', async () => {
    const platform = `http://localhost:${run.portal.port}`;
    const op = await person(run.browser);
    const page = op.page;

    // Sign in: password and TOTP, as an authenticator app computes it from the printed key.
    // The platform's own home leads to the console.
    await page.goto(`${platform}/`);
    await page.getByRole('link', { name: 'Opérateurs de la plateforme : la console opérateur' }).click();
    await h1(page, 'Connexion des opérateurs');
    await expectAccessible(page, 'operator sign-in');
    await page.getByLabel(/^Adresse électronique/).fill(OPERATOR.email);
    await page.getByLabel(/^Mot de passe/).fill(OPERATOR.password);
    await page.getByLabel(/^Code à 6 chiffres/).fill(totp(OPERATOR.totpSecret));
    await page.getByRole('button', { name: 'Se connecter' }).click();

    await h1(page, 'Communes');
    const communes = page.getByRole('table', { name: /Les communes de la plateforme/ });
    await see(page, communes.getByRole('row', { name: /Serris/ }));
    await expect.poll(() => communes.getByRole('row', { name: /Serris/ }).innerText()).toMatch(/Active/);
    await expect
      .poll(() => communes.getByRole('row', { name: /Serris/ }).innerText())
      .toMatch(/3000 adresses, 8 secteurs/);
    await expectAccessible(page, 'operator communes');

    // Onboarding: the INSEE code first.
    const t0 = Date.now();
    await page.getByRole('link', { name: 'Accueillir une nouvelle commune' }).click();
    await h1(page, 'Accueillir une commune');
    await page.getByLabel(/^Code INSEE/).fill('77999');
    await page.getByRole('button', { name: 'Chercher' }).click();
    await see(page, page.getByRole('alert').getByText('Aucune commune ne porte ce code INSEE.'));
    await page.getByLabel(/^Code INSEE/).fill('77022');
    await page.getByRole('button', { name: 'Chercher' }).click();
    await see(page, page.getByTestId('commune-info').getByText('Barbizon'));
    await expect.poll(() => page.getByTestId('commune-info').innerText()).toMatch(/77630/);
    await page.getByLabel(/^Téléphone de la police municipale/).fill('01 99 00 22 00');
    await page.getByLabel(/^Adresse électronique de la police municipale/).fill('police@barbizon.example');
    await page.getByLabel(/^Adresse du poste de police municipale/).fill('1 place de la Mairie');

    // A BAN file with a BOM, CRLF, an empty latitude and a broken row: refused whole, lines named.
    const good = generatedBan();
    const lines = readFileSync(good, 'utf8').trimEnd().split('\n');
    const cells = lines[5]!.split(';');
    cells[13] = '';
    const bad = [...lines];
    bad[5] = cells.join(';');
    bad[9] = 'pas;une;adresse';
    const badFile = path.join(tmp, 'barbizon-bad.csv');
    writeFileSync(badFile, `\uFEFF${bad.join('\r\n')}\r\n`);
    await page.getByLabel(/^Fichier des adresses/).setInputFiles(badFile);
    await page.getByRole('button', { name: 'Vérifier le fichier et proposer des secteurs' }).click();
    const refused = page.getByRole('table', { name: 'Lignes refusées (2)' });
    await see(page, refused);
    await expect.poll(() => refused.innerText()).toMatch(/6\s+Coordonnées manquantes ou invalides/);
    await expect.poll(() => refused.innerText()).toMatch(/10\s+Nombre de colonnes incorrect/);
    await expectAccessible(page, 'onboarding, refused lines');

    // The same addresses as the commune's own Base Adresse Locale, one row without coordinates: the validator's report, row by row.
    const h = lines[0]!.split(';');
    const col = (r: string[], name: string) => r[h.indexOf(name)]!;
    const balRows = lines.slice(1).map((l) => {
      const r = l.split(';');
      return [
        '',
        col(r, 'id').toLowerCase(),
        '77022',
        'Barbizon',
        '',
        '',
        col(r, 'nom_voie'),
        '',
        col(r, 'numero'),
        col(r, 'rep'),
        'entrée',
        col(r, 'x'),
        col(r, 'y'),
        col(r, 'lon'),
        col(r, 'lat'),
        '',
        'Mairie de Barbizon',
        '2026-11-02',
        '1',
      ];
    });
    balRows[2]![13] = '';
    balRows[2]![14] = '';
    const balFile = path.join(tmp, 'barbizon-bal.csv');
    writeFileSync(
      balFile,
      `${['uid_adresse;cle_interop;commune_insee;commune_nom;commune_deleguee_insee;commune_deleguee_nom;voie_nom;lieudit_complement_nom;numero;suffixe;position;x;y;long;lat;cad_parcelles;source;date_der_maj;certification_commune', ...balRows.map((r) => r.join(';'))].join('\r\n')}\r\n`,
    );
    await page.getByLabel(/^Fichier des adresses/).setInputFiles(balFile);
    await page.getByRole('button', { name: 'Vérifier le fichier et proposer des secteurs' }).click();
    const report = page.getByRole('table', { name: /Rapport du validateur BAL 1.4 \(erreurs : 1\)/ });
    await see(page, report);
    await expect
      .poll(() => report.getByRole('row').nth(1).innerText())
      .toMatch(/^4\s+Erreur\s+Les coordonnées long\/lat ne sont pas renseignées/);
    await expectAccessible(page, 'onboarding, BAL report');

    // The generator's file as it is.
    await page.getByLabel(/^Fichier des adresses/).setInputFiles(good);
    await page.getByRole('button', { name: 'Vérifier le fichier et proposer des secteurs' }).click();
    await h1(page, 'Accueillir une commune');
    const sectors = page.getByRole('table', { name: 'Secteurs proposés' });
    await see(page, sectors);
    const rows = sectors.getByRole('row');
    await expect.poll(() => rows.count()).toBeGreaterThan(2);
    // The map holds the same sectors as the table.
    const map = page.getByRole('region', { name: /Carte des secteurs proposés \(/ });
    await expect.poll(() => map.getAttribute('data-sectors')).toMatch(/^secteur-1 secteur-2/);
    await expect.poll(() => page.locator('.map canvas').count()).toBe(1);
    const total = await sectors.locator('tbody td:nth-child(2)').allInnerTexts();
    expect(total.map(Number).reduce((a, b) => a + b, 0)).toBe(lines.length - 1);
    await expectAccessible(page, 'onboarding, proposed sectors');
    // The operator renames the first sector before saving.
    await page.getByLabel('Nom du secteur 1').fill('Le Bas-Bréau');

    await page.getByRole('button', { name: 'Accepter ces secteurs et créer la commune' }).click();
    await see(page, page.getByText(/^Barbizon est créée avec \d+ adresses et \d+ secteurs/), 60_000);
    await page.getByLabel(/^Adresse électronique du premier administrateur/).fill('dgs@barbizon.example');
    await page.getByRole('button', { name: 'Inviter' }).click();
    await see(
      page,
      page.getByText('Invitation envoyée à dgs@barbizon.example : un lien pour choisir son mot de passe.'),
    );
    const seconds = (Date.now() - t0) / 1000;
    process.stdout.write(
      `operator console: INSEE code to invited admin in ${seconds.toFixed(1)} s (a test's clicks)\n`,
    );
    await expectAccessible(page, 'onboarding, admin invited');
    await page.setViewportSize({ width: 320, height: 800 });
    await expectNoHorizontalScroll(page, 'onboarding at 320 px');
    await page.setViewportSize({ width: 1280, height: 900 });

    // The invited admin opens the link of the invitation (the dev outbox: no email provider here) and chooses a password.
    const { db, operatorDb } = run.portal.started.runtime;
    const tenant = (await operatorDb('tenants').where({ slug: 'barbizon' }).first('id')) as { id: string };
    const mail = (await withTenant(db, tenant.id, (trx) =>
      trx('dev_outbox')
        .where({ recipient: 'dgs@barbizon.example' })
        .orderBy('created_at', 'desc')
        .first('body'),
    )) as { body: string };
    const link = /https?:\/\/\S+nouveau-mot-de-passe\S+/.exec(mail.body)![0];
    expect(new URL(link).hostname).toBe('barbizon.localhost');
    const admin = await person(run.browser);
    await admin.page.goto(link);
    await h1(admin.page, 'Bienvenue : choisissez votre mot de passe');
    await expectAccessible(admin.page, 'invitation: choose a password');
    await admin.page.getByLabel(/^Mot de passe/).fill('le pont de Barbizon');
    await admin.page.getByLabel(/^Le même mot de passe/).fill('le pont de Barbizon');
    await admin.page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
    await see(
      admin.page,
      admin.page.getByText('Votre mot de passe est enregistré. Vous pouvez vous connecter.'),
    );
    await admin.page.getByRole('link', { name: 'Se connecter' }).first().click();
    await admin.page.getByLabel(/^Adresse électronique/).fill('dgs@barbizon.example');
    await admin.page.getByLabel(/^Mot de passe/).fill('le pont de Barbizon');
    await admin.page.getByRole('button', { name: 'Se connecter' }).click();
    // A mairie admin is staff: two-factor authentication comes first.
    await h1(admin.page, 'Double authentification');
    expectClean(admin);

    // Back to the list: the new commune, in trial; suspended, and the transition audited.
    await page.getByRole('link', { name: 'Retour aux communes' }).click();
    await h1(page, 'Communes');
    expect(
      await withTenant(db, tenant.id, (trx) =>
        trx('sectors').where({ name: 'Le Bas-Bréau' }).count({ n: '*' }),
      ),
    ).toEqual([{ n: 1 }]);
    const barbizon = communes.getByRole('row', { name: /Barbizon/ });
    await see(page, barbizon);
    await expect.poll(() => barbizon.innerText()).toMatch(/Essai/);
    await page.getByRole('button', { name: 'Suspendre Barbizon' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Suspendre' }).click();
    await see(page, page.getByText('Barbizon : Suspendue.'));
    const audit = page.getByRole('table', { name: /Les 100 dernières transitions/ });
    await expect
      .poll(() => audit.getByRole('row').nth(1).innerText())
      .toMatch(/barbizon\s+Commune suspendue\s+operateur@vigie.example/);
    await expectAccessible(page, 'operator communes after suspension');
    expectClean(op);
  }, 240_000);

  it('shows refused webhooks in the health column and a cancelled commune’s pending deletion', async () => {
    const platform = `http://localhost:${run.portal.port}`;
    const { operatorDb } = run.portal.started.runtime;
    const serris = (await operatorDb('tenants').where({ slug: 'serris' }).first('id')) as { id: string };
    // A callback naming Serris with a wrong signature, and a Stripe event nobody signed.
    const forged = await fetch(`${platform}/webhooks/twilio/status?t=${serris.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'AAAA' },
      body: 'MessageSid=SM1&MessageStatus=delivered',
    });
    expect(forged.status).toBe(403);
    const stripe = await fetch(`${platform}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' },
      body: '{"id":"evt_1"}',
    });
    expect(stripe.status).toBe(403);
    // A commune whose subscription ended: read-only, its data deleted on a date unless it comes back.
    const [moret] = await operatorDb('tenants')
      .insert({
        slug: 'moret',
        name: 'Moret-Loing-et-Orvanne',
        insee_code: '77316',
        postal_codes: ['77250'],
        status: 'suspended',
      })
      .returning('id');
    await operatorDb('billing_accounts').insert({
      tenant_id: moret.id,
      state: 'cancelled',
      tier: 't3',
      deletion_due_at: new Date('2027-03-07T10:00:00Z'),
    });

    const op = await person(run.browser);
    const page = op.page;
    await page.goto(`${platform}/operateur`);
    await h1(page, 'Connexion des opérateurs');
    await page.getByLabel(/^Adresse électronique/).fill(OPERATOR.email);
    await page.getByLabel(/^Mot de passe/).fill(OPERATOR.password);
    // A code is taken once: the first test may have used this window's, the next one is still accepted.
    await page.getByLabel(/^Code à 6 chiffres/).fill(totp(OPERATOR.totpSecret, Date.now() + 30_000));
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await h1(page, 'Communes');
    const communes = page.getByRole('table', { name: /Les communes de la plateforme/ });
    const serrisRow = communes.getByRole('row', { name: /Serris/ });
    await see(page, serrisRow);
    await expect.poll(() => serrisRow.innerText()).toMatch(/1 webhooks refusés/);
    const moretRow = communes.getByRole('row', { name: /Moret-Loing-et-Orvanne/ });
    await expect
      .poll(() => moretRow.innerText())
      .toMatch(/Données supprimées le 7 mars 2027 si la commune ne se réabonne pas/);
    await expect.poll(() => moretRow.locator('code').innerText()).toBe(`moret/billing-deletion/${moret.id}`);
    const platformWide = page.getByRole('region', { name: /Webhooks refusés sans commune connue/ });
    await expect.poll(() => platformWide.innerText()).toMatch(/stripe — STRIPE_SIGNATURE_INVALID : 1/);
    await expectAccessible(page, 'operator communes with health and a pending deletion');
    expectClean(op);
  }, 120_000);

  it('is not served on a commune host', async () => {
    const v = await person(run.browser);
    await v.page.goto(`${run.base}/operateur`);
    await h1(v.page, 'Console opérateur');
    await see(v.page, v.page.getByText('La console opérateur est sur l’adresse de la plateforme'));
    expectClean(v);
  });
});
