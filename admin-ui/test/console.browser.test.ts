// The mairie-vigilante console in a real Chromium against `vigie start` (real
// PostgreSQL, real Temporal, the demo commune of Serris): the police agent
// sets up two-factor authentication in the browser (QR code and text key),
// a resident raises an urgent alert in another context and the console shows
// it on the map and in the list within 2 seconds of the mutation (measured and
// printed), the agent takes it in charge and closes it, and the resident's
// « Mes alertes » shows the closure. Then the next login asks for the code.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
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

async function signIn(page: Page, email: string) {
  await page.goto(`${run.base}/connexion`);
  await page.getByLabel(/^Adresse électronique/).fill(email);
  await page.getByLabel(/^Mot de passe/).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

/** A staff member's first login: two-factor set-up on the way, as a person does it with an app. */
async function staffFirstLogin(page: Page, email: string): Promise<string> {
  await signIn(page, email);
  await h1(page, 'Double authentification');
  await page.getByRole('button', { name: 'Commencer l’activation' }).click();
  const key = (await page.locator('.totp-key').innerText()).trim();
  await page.getByLabel(/^Code de vérification/).fill(totp(key));
  await page.getByRole('button', { name: 'Activer la double authentification' }).click();
  await h1(page, 'Vos codes de secours');
  await page.getByRole('button', { name: 'J’ai noté mes codes de secours' }).click();
  await h1(page, /^Bonjour/);
  return key;
}

describe('the live console', () => {
  it('TOTP set up in the browser, an urgent alert arrives live, is taken in charge and closed, the resident sees it', async () => {
    const agent = await person(run.browser);
    const resident = await person(run.browser);
    const a = agent.page;
    const r = resident.page;

    // The agent's first login leads to two-factor set-up: QR code and text key.
    await signIn(a, 'agent.police@serris.example');
    await h1(a, 'Double authentification');
    await a.getByRole('button', { name: 'Commencer l’activation' }).click();
    const qr = a.getByRole('img', { name: /QR code/ });
    await see(a, qr);
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    const key = (await a.locator('.totp-key').innerText()).trim();
    expect(key).toMatch(/^[A-Z2-7 ]{16,}$/);
    await expectAccessible(a, 'TOTP set-up');
    // A wrong code is refused, next to the field.
    await a.getByLabel(/^Code de vérification/).fill('000000');
    await a.getByRole('button', { name: 'Activer la double authentification' }).click();
    await see(a, a.locator('.field-error'));
    await a.getByLabel(/^Code de vérification/).fill(totp(key));
    await a.getByRole('button', { name: 'Activer la double authentification' }).click();
    // Recovery codes, shown once.
    await h1(a, 'Vos codes de secours');
    const codes = await a.getByRole('list', { name: 'Vos codes de secours' }).locator('code').allInnerTexts();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    await expectAccessible(a, 'recovery codes');
    await a.getByRole('button', { name: 'J’ai noté mes codes de secours' }).click();
    await h1(a, /^Bonjour/);

    // The console: the menu leads there, the page passes axe with the map drawn.
    await a.getByRole('link', { name: 'Console en direct' }).first().click();
    await h1(a, 'Console en direct');
    await see(a, a.locator('.mv-map canvas'));
    await see(a, a.getByRole('list', { name: 'Alertes' }));
    await expectAccessible(a, 'console');
    await a.getByText('Son à l’arrivée d’une alerte').click(); // a gesture: the chime may play (then off)
    await a.getByText('Son à l’arrivée d’une alerte').click();
    await a.waitForTimeout(500); // the subscription is open

    // The resident raises an urgent alert in another browser.
    await login(resident, run.base, 'alice@serris.example');
    await r.goto(`${run.base}/alerter`);
    await h1(r, 'Donner l’alerte');
    const text = `Fumée qui sort d’un garage fermé, rue des Lilas (${Date.now()})`;
    await r.locator('label.radio', { hasText: 'Individu suspect' }).click();
    await r.getByLabel(/^Ce que vous avez vu/).fill(text);
    await r.getByLabel(/^Où \?/).fill('Rue des Lilas');
    await r.locator('#field-severity label.radio', { hasText: 'Urgent' }).click();
    await r.getByText('J’ai appelé le 17 ou je vais le faire').click();
    const raised = r.waitForResponse(
      (res) =>
        res.url().endsWith('/graphql') && (res.request().postData() ?? '').includes('raiseNeighbourAlert'),
    );
    await r.getByRole('button', { name: 'Envoyer l’alerte' }).click();
    await raised;
    const t0 = Date.now();

    // The console shows it in the list and on the map, announced, within 2 s.
    const item = a.locator('.mv-list li', { hasText: text });
    await item.waitFor({ timeout: 5_000 });
    const inList = Date.now() - t0;
    const id = (await item.getAttribute('data-alert-id'))!;
    await expect.poll(() => a.locator('.mv-map').getAttribute('data-pins'), { timeout: 5_000 }).toContain(id);
    const onMap = Date.now() - t0;
    console.log(
      `[console] urgent alert shown in the list ${inList} ms and on the map ${onMap} ms after the mutation`,
    );
    expect(inList).toBeLessThan(2_000);
    expect(onMap).toBeLessThan(2_000);
    await expect.poll(() => a.getByRole('status').filter({ hasText: 'URGENTE' }).count()).toBeGreaterThan(0);
    // Urgent by icon and word, escalated with the time since it arrived.
    expect(await item.locator('.badge.urgent').count()).toBe(1);
    expect(await item.innerText()).toMatch(/Urgent/);
    expect(await item.innerText()).toMatch(/Non prise en charge depuis 0 minute/);
    await see(a, a.getByText('1 alerte urgente non prise en charge'));

    // Triage: take in charge, assign, a note, close with an outcome.
    await item.getByRole('button').click();
    const panel = a.locator('.mv-panel');
    await see(a, panel.getByRole('heading', { name: /^Alerte / }));
    await see(a, panel.getByText('Rue des Lilas'));
    await panel.getByRole('button', { name: 'Prendre en charge' }).click();
    await see(a, panel.getByText('Alerte prise en charge'));
    await expect.poll(() => item.innerText()).not.toMatch(/Non prise en charge depuis/);
    await panel.getByRole('button', { name: /Choisir un agent/ }).click();
    await a.getByRole('option', { name: 'Agent PM (démo)' }).click();
    await panel.getByRole('button', { name: 'Attribuer' }).click();
    await see(a, panel.getByText('Alerte attribuée.'));
    await see(a, panel.getByText('Agent PM (démo)'));
    await panel.getByLabel(/^Note de suivi/).fill('Patrouille envoyée sur place.');
    await panel.getByRole('button', { name: 'Ajouter la note' }).click();
    await see(
      a,
      panel.getByRole('list', { name: /Notes de suivi/ }).getByText('Patrouille envoyée sur place.'),
    );
    await expectAccessible(a, 'console with an alert open');
    await panel.locator('label.radio', { hasText: 'Résolue' }).click();
    await panel.getByRole('button', { name: 'Clôturer' }).click();
    await see(a, panel.getByText('Alerte clôturée'));

    // The resident sees the closure in « Mes alertes ».
    await r.goto(`${run.base}/alertes`);
    await h1(r, 'Mes alertes');
    const mine = r.locator('li', { hasText: text }).first();
    await expect.poll(() => mine.innerText(), { timeout: 10_000 }).toMatch(/Clôturée/);
    expect(await mine.innerText()).toMatch(/résolue/);
    // Staff notes stay with the staff.
    expect(await mine.innerText()).not.toMatch(/Patrouille envoyée/);

    // Paused, a new alert waits without being announced; resumed, it joins the list.
    await a.getByRole('button', { name: 'Mettre en pause le direct' }).click();
    await r.goto(`${run.base}/alerter`);
    await h1(r, 'Donner l’alerte');
    const second = `Un portail laissé ouvert sur le parking de l’école (${Date.now()})`;
    await r.locator('label.radio', { hasText: 'Individu suspect' }).click();
    await r.getByLabel(/^Ce que vous avez vu/).fill(second);
    await r.getByLabel(/^Où \?/).fill('Parking de l’école');
    await r.locator('#field-severity label.radio', { hasText: 'Information' }).click();
    await r.getByRole('button', { name: 'Envoyer l’alerte' }).click();
    await h1(r, 'Alerte envoyée');
    await see(a, a.getByText('En pause : 1 nouvelle alerte en attente.'));
    expect(await a.locator('.mv-list li', { hasText: second }).count()).toBe(0);
    await a.getByRole('button', { name: 'Reprendre le direct' }).click();
    await see(a, a.locator('.mv-list li', { hasText: second }));

    // The next login asks for the code from the app.
    await a.getByRole('button', { name: 'Se déconnecter' }).click();
    // Signed out for good (the header offers to sign in) before the next login: leaving
    // earlier would cancel the logout request and keep the session.
    await see(a, a.locator('header a[href="/connexion"]'));
    await signIn(a, 'agent.police@serris.example');
    await see(a, a.getByLabel(/^Code de vérification/));
    // A recovery code stands in for the app's code (the phone was left at the station).
    await a.getByLabel(/^Code de vérification/).fill(codes[0]!);
    await a.getByRole('button', { name: 'Se connecter' }).click();
    await h1(a, /^Bonjour/);
    await a.goto(`${run.base}/console`);
    await h1(a, 'Console en direct');

    for (const x of [agent, resident]) {
      expectClean(x);
      await x.context.close();
    }
  });

  it('the chief reads the statistics, with the report as HTML, CSV and PDF', async () => {
    const chief = await person(run.browser);
    const c = chief.page;
    await staffFirstLogin(c, 'chef.police@serris.example');

    // The chief sets who is on duty from the console; every officer sees it.
    await c.getByRole('link', { name: 'Console en direct' }).first().click();
    await h1(c, 'Console en direct');
    await see(c, c.getByRole('heading', { level: 2, name: 'Permanence' }));
    await c.getByRole('button', { name: /Agent de permanence/ }).click();
    // The agents come from their own query: until it answers, the list holds
    // only the hint and « Personne », and the second option would be that.
    await expect.poll(() => c.getByRole('option').count()).toBeGreaterThan(2);
    const option = c.getByRole('option').nth(1);
    const officer = (await option.innerText()).trim();
    await option.click();
    await c.getByRole('button', { name: 'Enregistrer la permanence' }).click();
    await see(c, c.getByText('Permanence enregistrée.'));
    await expect
      .poll(() => c.locator('.mv-on-duty p').first().innerText())
      .toContain(`De permanence : ${officer}, depuis le`);
    await expectAccessible(c, 'console with the officer on duty');

    await c.getByRole('link', { name: 'Statistiques' }).first().click();
    await h1(c, 'Statistiques et rapport annuel');
    await see(c, c.getByRole('heading', { level: 2, name: /^Rapport annuel / }));
    await see(c, c.locator('table caption').first());
    await expectAccessible(c, 'statistics');
    const downloads = await c.evaluate(async () => {
      const links = [...document.querySelectorAll<HTMLAnchorElement>('.mv-downloads a')].map((a) => a.href);
      return Promise.all(
        links.map(async (href) => {
          const res = await fetch(href, { credentials: 'same-origin' });
          const body = new Uint8Array(await res.arrayBuffer());
          return {
            status: res.status,
            type: res.headers.get('content-type') ?? '',
            head: String.fromCharCode(...body.slice(0, 15)),
          };
        }),
      );
    });
    expect(downloads.map((d) => d.status)).toEqual([200, 200, 200]);
    expect(downloads[0]!.head).toMatch(/^<!doctype html>/);
    expect(downloads[1]!.type).toMatch(/^text\/csv/);
    expect(downloads[2]!.head).toMatch(/^%PDF-/);
    const reportHref = await c
      .locator('.mv-downloads a')
      .first()
      .evaluate((a: HTMLAnchorElement) => a.href);

    // Alerting down: the preview, then the deliveries the workflow creates match it.
    await c.getByRole('link', { name: 'Alerter la population' }).first().click();
    await h1(c, 'Alerter la population');
    await expectAccessible(c, 'compose');
    const sector = (await c.locator('#field-sectors label').first().innerText()).trim();
    await c.locator('#field-sectors label').first().click();
    await c.getByRole('button', { name: /Choisir une catégorie/ }).click();
    await c.getByRole('option').nth(1).click();
    await c.locator('#field-severity label.radio', { hasText: 'Urgent' }).click();
    const costOf = async (text: string) => {
      await c.getByLabel(/^Message/).fill(text);
      await c.getByRole('button', { name: 'Prévisualiser' }).click();
      const cost = c.getByTestId('sms-cost');
      await see(c, cost);
      const m = /^(\d+) SMS × (\d+) segment\(s\) × ([\d,]+) € = ([\d,]+) €$/.exec(
        (await cost.innerText()).replace(/\u202f|\u00a0/g, ' '),
      );
      expect(m, await cost.innerText()).not.toBeNull();
      const [messages, segments, price, total] = [
        Number(m![1]),
        Number(m![2]),
        Number(m![3]!.replace(',', '.')),
        Number(m![4]!.replace(',', '.')),
      ];
      // The SMS shown, counted here: GSM-7, 160 characters in one segment, 153 per segment beyond.
      const sms = await c.locator('.mv-facts dd.mv-suggestion').innerText();
      expect(segments).toBe(sms.length <= 160 ? 1 : Math.ceil(sms.length / 153));
      expect(total).toBeCloseTo(messages * segments * price, 2);
      return { messages, segments, total };
    };
    const plain = await costOf(
      'Coupure d eau rue des Lilas demain matin de 8h a 12h, pensez a faire des reserves. Merci de prevenir vos voisins ages qui n ont pas internet.',
    );
    const accented = await costOf(
      'Coupure d’eau rue des Lilas demain matin de 8h à 12h : pensez à faire des réserves. Prévenez vos voisins âgés.',
    );
    expect(plain.messages).toBeGreaterThan(0);
    expect(accented.messages).toBe(plain.messages);
    // The typographic apostrophe and « â » force UCS-2 as typed: shown, with a replacement offered.
    await see(c, c.getByText(/Ces caractères obligent un SMS en UCS-2/));
    expect(await c.locator('.mv-marked mark').allInnerTexts()).toEqual(expect.arrayContaining(['’', 'â']));
    const perChannel = await c
      .locator('table', { hasText: 'Destinataires par canal' })
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) => [...r.querySelectorAll('td')].map((td) => Number(td.textContent))),
      );
    const expectedRows = perChannel.reduce((n, [now, held, skipped]) => n + now! + held! + skipped!, 0);
    await c.getByRole('button', { name: 'Envoyer l’alerte' }).click();
    await see(c, c.getByRole('alertdialog'));
    expect(await c.getByRole('alertdialog').innerText()).toMatch(/destinataires/);
    await c.getByRole('button', { name: 'Oui, envoyer' }).click();
    await h1(c, 'Alerte envoyée');
    const ref = /L’alerte (\w+)/.exec(await c.locator('main').innerText())![1]!;
    // The workflow's deliveries, as the delivery report counts them, equal the preview.
    await expect
      .poll(
        async () =>
          c.evaluate(async (ref) => {
            const q = (query: string) =>
              fetch(`/graphql?query=${encodeURIComponent(query)}`, { credentials: 'same-origin' }).then(
                (r) => r.json() as Promise<{ data: Record<string, unknown> }>,
              );
            const list = await q('{ alerts(limit: 20) { items { id ref } } }');
            const id = (list.data.alerts as { items: Array<{ id: string; ref: string }> }).items.find(
              (a) => a.ref === ref,
            )?.id;
            if (!id) return -1;
            const rep = await q(
              `{ alertDeliveryReport(alertId: "${id}") { summary { total byChannel { channel status count } } } }`,
            );
            const summary = (
              rep.data.alertDeliveryReport as {
                summary: { byChannel: Array<{ channel: string; count: number }> };
              }
            ).summary;
            // Escalation rows (urgent, unacknowledged) come later and are not the alert's own.
            return summary.byChannel.reduce((n, c) => n + c.count, 0);
          }, ref),
        { timeout: 20_000 },
      )
      .toBe(expectedRows);
    expect(sector).not.toBe('');

    // The report page itself passes axe.
    await c.goto(reportHref);
    await expectAccessible(c, 'annual report (HTML)');
    expectClean(chief);
    await chief.context.close();
  });

  it('the mairie governs the communities: coverage, referent rounds, addresses in no sector, appeals, moderation log', async () => {
    const mairie = await person(run.browser);
    const m = mairie.page;
    await staffFirstLogin(m, 'mairie@serris.example');
    await m.getByRole('link', { name: 'Gouvernance des communautés' }).first().click();
    await h1(m, 'Gouvernance des communautés');
    const rows = m.locator('table', { hasText: 'Chaque communauté' }).locator('tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    // Members, coverage « households / addresses (pct) », referents and the round, per community.
    await expect.poll(() => rows.first().innerText()).toMatch(/\d+[\s\S]*\d+ \/ \d+ \(/);
    await see(m, m.getByRole('heading', { level: 2, name: 'Adresses hors de tout secteur' }));
    await see(m, m.getByRole('heading', { level: 2, name: 'Recours contre des exclusions' }));
    await see(m, m.getByRole('heading', { level: 2, name: 'Journal de modération' }));
    const first = rows.first().getByRole('button');
    const name = (await rows.first().locator('th').innerText()).trim();
    await first.click();
    await see(m, m.getByRole('heading', { level: 2, name: `Tournée des référents : ${name}` }));
    await expectAccessible(m, 'governance');
    expectClean(mairie);
  });

  it('a resident sees neither the console nor its menu item; a commune without the plugin has none', async () => {
    const resident = await person(run.browser);
    await login(resident, run.base, 'bruno@serris.example');
    expect(await resident.page.getByRole('link', { name: 'Console en direct' }).count()).toBe(0);
    const answer = await resident.page.evaluate(async () => {
      const res = await fetch(`/graphql?query=${encodeURIComponent('{ consoleAgents { id } }')}`);
      return (await res.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
    });
    expect(answer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expectClean(resident);
    await resident.context.close();

    // Magny-le-Hongre has not enabled the plugin: no console page, its fields refused as disabled.
    const visitor = await person(run.browser);
    await visitor.page.goto(run.portal.url('magny-le-hongre', '/console'));
    await h1(visitor.page, 'Page introuvable');
    const disabled = await visitor.page.evaluate(async () => {
      const res = await fetch(`/graphql?query=${encodeURIComponent('{ consoleAgents { id } }')}`);
      return (await res.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
    });
    expect(disabled.errors?.[0]?.extensions?.code).toBe('PLUGIN_DISABLED');
    // Where it is enabled, a visitor is asked to sign in first.
    await visitor.page.goto(`${run.base}/console`);
    await h1(visitor.page, 'Se connecter');
    expectClean(visitor);
    await visitor.context.close();
  });
});
