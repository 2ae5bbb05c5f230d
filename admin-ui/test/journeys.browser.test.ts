// The resident's journeys in a real Chromium against `vigie start` (real
// PostgreSQL, real Temporal, the demo commune): a newcomer joins and is
// approved by the referent in another browser, raises an alert that a
// neighbour's open page shows live, the neighbour answers "j'ai vu aussi" and
// the author sees it; and raising an alert from login with the keyboard only.
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { startPortal, type Portal } from '@vigie/platform/testing/portal';
import { expectAccessible, expectClean, launch, login, person } from './browser.js';

let portal: Portal;
let browser: Browser;
let base: string;

beforeAll(async () => {
  [portal, browser] = await Promise.all([startPortal(), launch()]);
  base = portal.url('serris', '');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

/** A small valid PNG (a grey square): what a phone photo of a bill stands for here. */
function png(size = 64): Buffer {
  const crc = (buf: Buffer) => {
    let c = ~0;
    for (const b of buf) {
      c ^= b;
      for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
    }
    return ~c >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const raw = Buffer.alloc((size + 1) * size, 0x99);
  for (let y = 0; y < size; y++) raw[y * (size + 1)] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Waits for what the page should show; on failure, says what it shows instead. */
async function see(page: Page, what: Locator, timeout = 15_000): Promise<void> {
  await what
    .first()
    .waitFor({ timeout })
    .catch(async (err: unknown) => {
      const shown = (
        await page
          .locator('main')
          .innerText()
          .catch(() => '')
      ).slice(0, 1200);
      throw new Error(`${String(what)} not shown at ${page.url()}; the page shows:\n${shown}`, {
        cause: err,
      });
    });
}

async function h1(page: Page, name: string | RegExp, timeout = 15_000) {
  await see(page, page.getByRole('heading', { level: 1, name }), timeout);
}

describe('joining, raising an alert and seeing it live', () => {
  it('a newcomer is approved, alerts, a neighbour sees it live and answers, the author sees the answer', async () => {
    const tag = Date.now().toString(36);
    const email = `chloe.${tag}@serris.example`;
    const phone = `06 ${String(Date.now() % 100).padStart(2, '0')} ${String(Math.floor(Math.random() * 100)).padStart(2, '0')} 45 67`;
    const newcomer = await person(browser);
    const referent = await person(browser);
    const neighbour = await person(browser);
    const p = newcomer.page;

    // Register
    await p.goto(`${base}/`);
    await p.getByRole('link', { name: 'Rejoindre mes voisins' }).click();
    await h1(p, 'Créer un compte');
    // a bad input first: the errors name the field, in a summary and next to it
    await p.getByRole('button', { name: 'Créer mon compte' }).click();
    const summary = p.getByRole('alert').filter({ hasText: 'Le formulaire contient des erreurs' });
    await summary.waitFor();
    expect(await summary.innerText()).toContain('Saisissez une adresse électronique valide');
    await p.getByLabel(/^Nom affiché/).fill(`Chloé ${tag}`);
    await p.getByLabel(/^Adresse électronique/).fill(email);
    await p.getByLabel(/^Téléphone mobile/).fill(phone);
    await p.getByLabel(/^Mot de passe/).fill('une-phrase-de-passe-solide');
    await p.getByText(/^J’accepte que la commune traite mes données/).click();
    await p.getByRole('button', { name: 'Créer mon compte' }).click();
    await h1(p, 'Vérifier mon compte');

    // Verify the email (the link from the dev outbox) and the phone (the SMS code)
    const mailLink = p.locator('section', { hasText: email }).getByRole('link', { name: /verifier-email/ });
    await expect
      .poll(
        async () => {
          if ((await mailLink.count()) === 0)
            await p.getByRole('button', { name: 'Actualiser' }).first().click();
          return mailLink.count();
        },
        { timeout: 20_000 },
      )
      .toBeGreaterThan(0);
    await mailLink.first().click();
    await see(p, p.getByText('Votre adresse électronique est vérifiée'));
    await p.getByRole('link', { name: 'Retour à la vérification du compte' }).click();
    await h1(p, 'Vérifier mon compte');
    // the code sent by SMS at registration, read from the dev outbox
    let code = '';
    await expect
      .poll(
        async () => {
          await p.getByRole('button', { name: 'Actualiser' }).last().click();
          const codes = [
            ...(await p.locator('body').innerText()).matchAll(/votre code de vérification est (\d{6})/g),
          ];
          code = codes.length === 1 ? codes[0]![1]! : '';
          return code;
        },
        { timeout: 20_000 },
      )
      .toMatch(/^\d{6}$/);
    await p.getByLabel(/^Code reçu par SMS/).fill(code);
    await p.getByRole('button', { name: 'Vérifier le code' }).click();
    await see(p, p.getByText(/Votre téléphone est vérifié|est vérifié\./));

    // Choose the address (live search in the commune's BAN addresses) and send a proof
    await p.getByRole('link', { name: 'Étape suivante : mon adresse' }).click();
    await h1(p, 'Mon adresse');
    const address = p.getByRole('combobox', { name: /^Adresse/ });
    await address.fill('Allée Pierre Brossolette');
    const option = p.getByRole('option', { name: /Allée Pierre Brossolette/ }).first();
    await option.waitFor();
    await option.click();
    await p
      .locator('#field-proof')
      .setInputFiles({ name: 'facture.png', mimeType: 'image/png', buffer: png() });
    await p.getByRole('button', { name: 'Envoyer le justificatif' }).click();
    await see(p, p.getByText('Justificatif en cours de vérification'));

    // The referent, in another browser, approves it
    await login(referent, base, 'referent@serris.example');
    await referent.page.getByRole('link', { name: 'Espace référent' }).click();
    await h1(referent.page, 'Espace référent');
    const approve = referent.page.getByRole('button', { name: `Valider l’adresse de Chloé ${tag}` });
    await approve.waitFor();
    await expectAccessible(referent.page, 'referent desk with a proof to check');
    await approve.click();
    await see(referent.page, referent.page.getByText(`L’adresse de Chloé ${tag} est validée.`));

    // The newcomer is now a member; the charter first
    await p.reload();
    await see(p, p.getByText('Adresse vérifiée'));
    await p.getByRole('link', { name: 'Voir ma communauté' }).click();
    await h1(p, 'Centre Urbain');
    const accept = p.getByRole('button', { name: 'J’accepte la charte' });
    if (await accept.count()) {
      await accept.click();
      await see(p, p.getByText(/acceptée le/));
    }

    // A neighbour has the community page open
    await login(neighbour, base, 'bruno@serris.example');
    await neighbour.page.getByRole('link', { name: 'Ma communauté' }).first().click();
    await h1(neighbour.page, 'Centre Urbain');
    await neighbour.page.getByTestId('live-feed').waitFor();
    await neighbour.page.waitForTimeout(500); // the subscription is open

    // The newcomer raises an alert
    await p.getByRole('link', { name: 'Donner l’alerte' }).first().click();
    await h1(p, 'Donner l’alerte');
    expect(await p.locator('a[href="tel:17"]').count()).toBe(1);
    const text = `Deux personnes essaient les poignées des voitures garées (${tag})`;
    await p.locator('label.radio', { hasText: 'Individu suspect' }).click();
    await p.getByLabel(/^Ce que vous avez vu/).fill(text);
    await p.getByLabel(/^Où \?/).fill('Parking de l’allée Pierre Brossolette');
    await p.getByRole('button', { name: 'Envoyer l’alerte' }).click();
    await h1(p, 'Alerte envoyée');

    // The neighbour's open page shows it without reloading, and announces it
    await neighbour.page.getByTestId('live-feed').getByText(text).waitFor({ timeout: 20_000 });
    await expect.poll(() => neighbour.page.getByTestId('live-announcer').innerText()).toContain(text);
    await neighbour.page.getByTestId('live-feed').locator('li', { hasText: text }).getByRole('link').click();
    await neighbour.page.getByRole('button', { name: 'J’ai vu aussi' }).click();
    await see(
      neighbour.page,
      neighbour.page.getByText('Merci : l’auteur et la police savent que vous avez vu aussi.'),
    );

    // The author sees the reaction on the alert, in "Mes alertes"
    await p.getByRole('link', { name: 'Suivre mes alertes' }).click();
    await h1(p, 'Mes alertes');
    await p
      .getByRole('link', { name: /Individu suspect/ })
      .first()
      .click();
    await expect
      .poll(() => p.getByTestId('reaction-counts').innerText(), { timeout: 15_000 })
      .toMatch(/^1 ont vu aussi/);
    await p
      .getByRole('list')
      .getByText(/Bruno.*J’ai vu aussi/)
      .waitFor();
    await p.getByRole('list', { name: 'Historique' }).getByText('Reçue').waitFor();

    for (const x of [newcomer, referent, neighbour]) {
      expectClean(x);
      await x.context.close();
    }
  });
});

describe('with the keyboard only', () => {
  /** Presses Tab until the target has the focus, checking the focus is visible at each stop. */
  async function tabTo(page: Page, target: Locator, max = 60): Promise<void> {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      const visible = await page.evaluate<boolean>(
        `(() => { const el = document.activeElement; if (!el || el === document.body) return true;
          const s = getComputedStyle(el); return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none'; })()`,
      );
      const focusedName = await page.evaluate<string>(
        'document.activeElement?.outerHTML.slice(0, 120) ?? ""',
      );
      expect(visible, `focus not visible on ${focusedName}`).toBe(true);
      if (await target.evaluate((el) => el === el.ownerDocument.activeElement)) return;
    }
    throw new Error(`could not reach ${String(target)} with Tab`);
  }

  it('raises an alert from the login page to the confirmation, without a mouse', async () => {
    const r = await person(browser);
    const p = r.page;
    await p.goto(`${base}/`);
    await h1(p, /Vigie à/);
    // the skip link comes first
    await p.keyboard.press('Tab');
    expect(await p.evaluate<string>('document.activeElement?.textContent ?? ""')).toBe('Aller au contenu');
    await tabTo(p, p.getByRole('banner').getByRole('link', { name: 'Se connecter' }));
    await p.keyboard.press('Enter');
    await h1(p, 'Se connecter');
    await tabTo(p, p.getByLabel(/^Adresse électronique/));
    await p.keyboard.type('alice@serris.example');
    await p.keyboard.press('Tab');
    await p.keyboard.type('vigie-demo-2026');
    await p.keyboard.press('Enter');
    await h1(p, /^Bonjour/);
    await tabTo(p, p.getByRole('main').getByRole('link', { name: 'Donner l’alerte' }));
    await p.keyboard.press('Enter');
    await h1(p, 'Donner l’alerte');
    // the category: a radio group, chosen with the arrow keys
    await tabTo(p, p.getByRole('radio', { name: 'Véhicule en repérage' }));
    await p.keyboard.press('ArrowDown');
    expect(await p.getByRole('radio', { name: 'Individu suspect' }).isChecked()).toBe(true);
    await tabTo(p, p.getByLabel(/^Ce que vous avez vu/));
    await p.keyboard.type('Un homme regarde par-dessus les clôtures des jardins, rue par rue.');
    await p.keyboard.press('Tab');
    await p.keyboard.type('Rue de la Fontaine, côté école');
    await tabTo(p, p.getByRole('button', { name: 'Envoyer l’alerte' }));
    await p.keyboard.press('Enter');
    await h1(p, 'Alerte envoyée');
    expect(
      await p.getByText(/Votre alerte .* est envoyée|votre signalement est ajouté/).count(),
    ).toBeGreaterThan(0);
    expectClean(r);
    await r.context.close();
  });
});
