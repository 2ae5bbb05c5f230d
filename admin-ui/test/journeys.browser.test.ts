// The resident's journeys in a real Chromium against `vigie start` (real
// PostgreSQL, real Temporal, the demo commune): a newcomer joins and is
// approved by the referent in another browser, raises an alert that a
// neighbour's open page shows live, the neighbour answers "j'ai vu aussi" and
// the author sees it; and raising an alert from login with the keyboard only.
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { expectAccessible, expectClean, h1, login, person, see, usePortal } from './browser.js';

const run = usePortal();

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

/**
 * Runs in the page: a 40×20 JPEG (left half dark, right half light) with an
 * EXIF APP1 block saying "orientation 6", as phones store portrait photos.
 */
async function sidewaysJpeg(): Promise<number[]> {
  const canvas = document.createElement('canvas');
  canvas.width = 40;
  canvas.height = 20;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#222';
  ctx.fillRect(0, 0, 20, 20);
  ctx.fillStyle = '#ddd';
  ctx.fillRect(20, 0, 20, 20);
  const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/jpeg', 0.95));
  const jpeg = new Uint8Array(await blob.arrayBuffer());
  // APP1: "Exif\0\0", big-endian TIFF header, one IFD entry: Orientation (0x0112), SHORT, 1, value 6
  const app1 = [
    0xff, 0xe1, 0x00, 0x22, 0x45, 0x78, 0x69, 0x66, 0x00, 0x00, 0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00,
    0x08, 0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00,
  ];
  return [jpeg[0]!, jpeg[1]!, ...app1, ...jpeg.slice(2)];
}

describe('joining, raising an alert and seeing it live', () => {
  it('a newcomer is approved, alerts, a neighbour sees it live and answers, the author sees the answer', async () => {
    const tag = Date.now().toString(36);
    const email = `chloe.${tag}@serris.example`;
    const phone = `06 ${String(Date.now() % 100).padStart(2, '0')} ${String(Math.floor(Math.random() * 100)).padStart(2, '0')} 45 67`;
    const newcomer = await person(run.browser);
    const referent = await person(run.browser);
    const neighbour = await person(run.browser);
    const p = newcomer.page;

    // Register
    await p.goto(`${run.base}/`);
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
    // withdrawn (the proof goes with it), then sent again
    await p.getByRole('button', { name: 'Retirer ma demande' }).click();
    await see(p, p.getByText('Votre demande est retirée et votre justificatif supprimé.'));
    await see(p, p.getByText('Demande retirée'));
    await address.fill('Allée Pierre Brossolette');
    await option.waitFor();
    await option.click();
    // this time a phone photo stored sideways: 40×20 pixels with EXIF orientation 6 (turn right)
    const sideways = Buffer.from(await p.evaluate(sidewaysJpeg));
    await p
      .locator('#field-proof')
      .setInputFiles({ name: 'facture.jpg', mimeType: 'image/jpeg', buffer: sideways });
    await p.getByRole('button', { name: 'Envoyer le justificatif' }).click();
    await see(p, p.getByText('Justificatif en cours de vérification'));

    // The referent, in another browser, approves it
    await login(referent, run.base, 'referent@serris.example');
    await referent.page.getByRole('link', { name: 'Espace référent' }).click();
    await h1(referent.page, 'Espace référent');
    const approve = referent.page.getByRole('button', { name: `Valider l’adresse de Chloé ${tag}` });
    await approve.waitFor();
    await expectAccessible(referent.page, 'referent desk with a proof to check');
    // the proof arrived upright (rotated in the browser) and without its EXIF block (GPS and all)
    const popup = referent.page.waitForEvent('popup');
    await referent.page.getByRole('button', { name: `Voir le justificatif de Chloé ${tag}` }).click();
    const proofUrl = (await popup).url();
    const stored = await referent.page.evaluate(async (url) => {
      const blob = await (await fetch(url, { credentials: 'same-origin' })).blob();
      const bitmap = await createImageBitmap(blob, { imageOrientation: 'none' });
      const head = new TextDecoder('latin1').decode(new Uint8Array(await blob.arrayBuffer()).slice(0, 4096));
      return { type: blob.type, width: bitmap.width, height: bitmap.height, exif: head.includes('Exif') };
    }, proofUrl);
    expect(stored).toEqual({ type: 'image/jpeg', width: 20, height: 40, exif: false });
    await approve.click();
    await see(referent.page, referent.page.getByText(`L’adresse de Chloé ${tag} est validée.`));
    // once checked, the proof is deleted: its link leads nowhere
    const after = await referent.page.evaluate(
      async (url) => (await fetch(url, { credentials: 'same-origin' })).status,
      proofUrl,
    );
    expect(after).toBeGreaterThanOrEqual(400);

    // The newcomer is now a member; the charter first
    await p.reload();
    await see(p, p.getByText('Adresse vérifiée'));
    // « Souhaitez-vous devenir le référent de la communauté ? » — yes, remembered
    await p.locator('label.radio', { hasText: /^Oui$/ }).click();
    // Saved before the page is reloaded: a reload at once would cancel the request on a busy machine.
    await see(p, p.getByRole('status').filter({ hasText: 'Oui, je suis volontaire' }));
    await expect
      .poll(
        async () => {
          await p.reload();
          await h1(p, 'Mon adresse');
          return p.getByRole('radio', { name: 'Oui' }).isChecked();
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    await p.getByRole('link', { name: 'Voir ma communauté' }).click();
    await h1(p, 'Centre Urbain');
    const accept = p.getByRole('button', { name: 'J’accepte la charte' });
    if (await accept.count()) {
      await accept.click();
      await see(p, p.getByText(/acceptée le/));
    }

    // A neighbour has the community page open
    await login(neighbour, run.base, 'bruno@serris.example');
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
    await p
      .locator('#field-photo')
      .setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: png(48) });
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
    // the photo reaches the recipients, through a link for their session only
    const photoHref = await neighbour.page.getByRole('link', { name: 'Voir la photo' }).getAttribute('href');
    // fetched by the page itself (its session cookie; Node would not resolve *.localhost)
    const photo = await neighbour.page.evaluate(async (href) => {
      const r = await fetch(href, { credentials: 'same-origin' });
      return { status: r.status, type: r.headers.get('content-type') ?? '' };
    }, photoHref!);
    expect(photo.status).toBe(200);
    expect(photo.type).toMatch(/^image\//);

    // The author sees the reaction on the alert, in "Mes alertes"
    await p.getByRole('link', { name: 'Mes alertes' }).first().click();
    await h1(p, 'Mes alertes');
    await p
      .getByRole('link', { name: /Individu suspect/ })
      .first()
      .click();
    await h1(p, /Individu suspect/);
    await expect
      .poll(() => p.getByTestId('reaction-counts').innerText(), { timeout: 15_000 })
      .toMatch(/^J’ai vu aussi : 1/);
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
    const r = await person(run.browser);
    const p = r.page;
    await p.goto(`${run.base}/`);
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

describe('community life, control over alerts and my data', () => {
  it('a discussion with a comment, a report the referent moderates, an RSVP and a private message', async () => {
    const alice = await person(run.browser);
    const bruno = await person(run.browser);
    const referent = await person(run.browser);
    const tag = Date.now().toString(36);
    await login(alice, run.base, 'alice@serris.example');
    await login(bruno, run.base, 'bruno@serris.example');
    const p = alice.page;

    // A new discussion, then a comment on it
    await p.goto(`${run.base}/communaute/discussions`);
    await h1(p, 'Discussions');
    await p.getByRole('button', { name: 'Publier' }).click();
    await see(p, p.getByRole('alert').filter({ hasText: 'Choisissez une catégorie' }));
    await p.locator('label.radio', { hasText: /^Prêts/ }).click();
    await p.getByLabel(/^Titre/).fill(`Quelqu’un a une tondeuse ? (${tag})`);
    await p.getByLabel(/^Message/).fill('La mienne est en panne, je la rends dimanche soir.');
    await p.getByRole('button', { name: 'Publier' }).click();
    await see(p, p.getByText('Votre discussion est publiée.'));
    await p.getByRole('link', { name: `Quelqu’un a une tondeuse ? (${tag})` }).click();
    await h1(p, `Quelqu’un a une tondeuse ? (${tag})`);
    await p.getByLabel(/^Votre commentaire/).fill('Je demande à mon voisin du 4.');
    await p.getByRole('button', { name: 'Commenter' }).click();
    await see(p, p.getByText('Je demande à mon voisin du 4.'));
    const threadUrl = p.url();

    // Bruno reports it; the referent hides it from the moderation queue
    await bruno.page.goto(threadUrl);
    await h1(bruno.page, `Quelqu’un a une tondeuse ? (${tag})`);
    await bruno.page.getByRole('button', { name: 'Signaler' }).first().click();
    await bruno.page
      .locator('label.radio', { hasText: /hors sujet/i })
      .first()
      .click();
    await bruno.page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await see(bruno.page, bruno.page.getByText('Merci, les référents vont examiner ce contenu.'));
    await login(referent, run.base, 'referent@serris.example');
    await referent.page.goto(`${run.base}/referent`);
    await h1(referent.page, 'Espace référent');
    const item = referent.page.locator('li', { hasText: `Quelqu’un a une tondeuse ? (${tag})` });
    await see(referent.page, item);
    await item.getByRole('button', { name: 'Masquer le contenu' }).click();
    await see(referent.page, item.getByText('Écrivez le motif de votre décision.'));
    await item.getByLabel(/^Motif de votre décision/).fill('Hors sujet pour la communauté, voir la charte.');
    await item.getByRole('button', { name: 'Masquer le contenu' }).click();
    await see(referent.page, referent.page.getByText('Le contenu est masqué.'));

    // An answer to the coming event
    await p.goto(`${run.base}/communaute/evenements`);
    await h1(p, 'Événements');
    // an answer other than the one the demo gave
    const answer = (await p.getByRole('radio', { name: 'Je viens' }).first().isChecked())
      ? 'Peut-être'
      : 'Je viens';
    await p.locator('label.radio', { hasText: answer }).first().click();
    await see(p, p.getByText('Votre réponse est enregistrée.'));

    // A private message to a neighbour of the same community, who sees it
    await p.goto(`${run.base}/messages`);
    await h1(p, 'Messages');
    await p.getByRole('link', { name: /^Écrire à Bruno/ }).click();
    await h1(p, /^Conversation avec Bruno/);
    await p.getByLabel(/^Votre message/).fill(`Merci pour le coup de main (${tag})`);
    await p.getByRole('button', { name: 'Envoyer' }).click();
    await see(p, p.getByText(`Merci pour le coup de main (${tag})`));
    await bruno.page.goto(`${run.base}/messages`);
    await h1(bruno.page, 'Messages');
    await bruno.page.getByRole('link', { name: /Alice/ }).first().click();
    await see(bruno.page, bruno.page.getByText(`Merci pour le coup de main (${tag})`));

    for (const x of [alice, bruno, referent]) {
      expectClean(x);
      await x.context.close();
    }
  });

  it('channels per severity, quiet hours checked, the language remembered by the account', async () => {
    const a = await person(run.browser);
    await login(a, run.base, 'alice@serris.example');
    const p = a.page;
    await p.goto(`${run.base}/preferences`);
    await h1(p, /^Mes alertes : canaux/);
    await see(p, p.getByText(/Répondez STOP/));
    const start = p.getByLabel(/^Début/);
    await start.fill('25:99');
    await p.getByRole('button', { name: 'Enregistrer' }).click();
    await see(p, p.getByRole('alert').filter({ hasText: 'Saisissez une heure au format HH:MM' }));
    await start.fill('22:30');
    await p.getByLabel(/^Fin/).fill('07:00');
    await p.getByRole('button', { name: 'Enregistrer' }).click();
    await see(p, p.getByText('Vos préférences sont enregistrées.'));
    await p.reload();
    await h1(p, /^Mes alertes : canaux/);
    await expect.poll(() => p.getByLabel(/^Début/).inputValue()).toBe('22:30');

    // English, remembered by the account in another browser
    await p.getByRole('button', { name: 'Switch to English' }).click();
    await h1(p, /^My alerts: channels/);
    const other = await person(run.browser);
    // the login page is in French (a new browser), the account's English follows the login
    await login(other, run.base, 'alice@serris.example', undefined, /^Hello/);
    await other.page.getByRole('button', { name: 'Passer en français' }).click();
    await other.page.getByRole('heading', { level: 1, name: /^Bonjour/ }).waitFor();
    for (const x of [a, other]) {
      expectClean(x);
      await x.context.close();
    }
  });

  it('my data: the export downloads, the account is deleted with the password asked again', async () => {
    // Magny-le-Hongre's portal: the other demo commune, and no other test needs its Alice.
    const magny = run.portal.url('magny-le-hongre', '');
    const a = await person(run.browser);
    await login(a, magny, 'alice@magny-le-hongre.example');
    const p = a.page;
    await p.goto(`${magny}/mes-donnees`);
    await h1(p, 'Mes données');
    await see(p, p.getByText(/signées « ancien membre »/));
    const download = p.waitForEvent('download');
    await p.getByRole('button', { name: 'Télécharger mes données' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^vigie-mes-donnees-.*\.(json|html)$/);
    await p.getByRole('button', { name: 'Supprimer mon compte' }).click();
    await see(
      p,
      p.getByRole('alert').filter({ hasText: 'Saisissez votre mot de passe pour supprimer votre compte.' }),
    );
    await p.getByLabel(/^Mot de passe/).fill('pas-le-bon-mot-de-passe');
    await p.getByRole('button', { name: 'Supprimer mon compte' }).click();
    await p.getByRole('alertdialog').getByRole('button', { name: 'Oui, supprimer' }).click();
    await see(p, p.getByRole('alert').filter({ hasText: 'Le formulaire contient des erreurs' }));
    await p.getByLabel(/^Mot de passe/).fill('vigie-demo-2026');
    await p.getByRole('button', { name: 'Supprimer mon compte' }).click();
    await p.getByRole('alertdialog').getByRole('button', { name: 'Oui, supprimer' }).click();
    await see(p, p.getByText('Votre compte est supprimé.', { exact: false }));
    // and the account is gone: its password no longer opens a session
    await p.goto(`${magny}/connexion`);
    await p.getByLabel(/^Adresse électronique/).fill('alice@magny-le-hongre.example');
    await p.getByLabel(/^Mot de passe/).fill('vigie-demo-2026');
    await p.getByRole('button', { name: 'Se connecter' }).click();
    await see(p, p.getByRole('alert').filter({ hasText: 'Le formulaire contient des erreurs' }));
    expectClean(a);
    await a.context.close();
  });
});
