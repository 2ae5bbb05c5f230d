// What a resident does with alerts once a member, in a real Chromium against
// `vigie start`: a neighbour offers help on an alert and its author is told;
// the notification centre emptied with "mark all as read", still empty after a
// reload; the daily digest switched on and kept (the server agrees); voice
// calls to a landline chosen with their number (a refused number shown on its
// field); and the hourly limit refused by the server, shown on the form in the
// catalogue's words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { expectAccessible, expectClean, h1, login, person, see, usePortal } from './browser.js';

const run = usePortal();

interface GqlAnswer<T> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/**
 * GraphQL as the page itself sends it: its session cookie and CSRF token (Node
 * would not resolve *.localhost). Stands for "the same resident, in another tab".
 */
async function gql<T>(page: Page, query: string, variables: Record<string, unknown> = {}) {
  return page.evaluate(
    async ({ query, variables }) => {
      const post = async (body: unknown, headers: Record<string, string> = {}) =>
        (await fetch('/graphql', {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
        }).then((r) => r.json())) as Record<string, unknown>;
      // a GET needs no token: it is how the page reads its own
      const session = (await fetch(`/graphql?query=${encodeURIComponent('{ me { csrfToken } }')}`, {
        credentials: 'same-origin',
      }).then((r) => r.json())) as { data?: { me?: { csrfToken?: string } } };
      const token = session.data?.me?.csrfToken ?? '';
      return post({ query, variables }, { 'x-csrf-token': token });
    },
    { query, variables },
  ) as Promise<GqlAnswer<T>>;
}

const RAISE = `mutation ($input: NeighbourAlertInput!) {
  raiseNeighbourAlert(input: $input) { merged alert { id ref } }
}`;
type Raised = { raiseNeighbourAlert: { merged: boolean; alert: { id: string; ref: string } } };

describe('answering an alert and reading the notifications', () => {
  it('« je peux aider » reaches the author; "mark all as read" empties the centre for good', async () => {
    const tag = Date.now().toString(36);
    const [alice, bruno] = await Promise.all([person(run.browser), person(run.browser)]);
    await Promise.all([
      login(alice, run.base, 'alice@serris.example'),
      login(bruno, run.base, 'bruno@serris.example'),
    ]);
    const text = `Un portail de jardin ouvert et personne dans la maison (${tag})`;
    const raised = await gql<Raised>(alice.page, RAISE, {
      input: { category: 'ouverture-absence', severity: 'important', what: text, place: 'Rue Jean Monnet' },
    });
    expect(raised.errors).toBeUndefined();
    const { id, ref } = raised.data!.raiseNeighbourAlert.alert;

    // Bruno is told in the app (the delivery workflow), and follows the notification to the alert
    const b = bruno.page;
    await b.goto(`${run.base}/notifications`);
    await h1(b, 'Notifications');
    const notice = b.getByRole('listitem').filter({ hasText: text });
    await expect
      .poll(
        async () => {
          if ((await notice.count()) === 0) await b.reload();
          return notice.count();
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBeGreaterThan(0);
    await notice.getByRole('link', { name: /^Ouvrir/ }).click();
    await h1(b, new RegExp(`· ${ref}$`));
    await b.getByRole('button', { name: 'Je peux aider' }).click();
    await see(b, b.getByRole('status').filter({ hasText: 'Merci : l’auteur sait que vous pouvez aider.' }));
    // once is enough: the button says so and cannot be pressed again
    const done = b.getByRole('button', { name: 'Vous pouvez aider' });
    await see(b, done);
    expect(await done.isDisabled()).toBe(true);
    await expect.poll(() => b.getByTestId('reaction-counts').innerText()).toMatch(/Je peux aider : 1$/);
    await expectAccessible(b, 'alert after « je peux aider »');

    // Alice, the author, sees who can help on her alert, and was told in the app
    const a = alice.page;
    await a.goto(`${run.base}/alertes/${id}`);
    await h1(a, new RegExp(`· ${ref}$`));
    await expect.poll(() => a.getByTestId('reaction-counts').innerText()).toMatch(/Je peux aider : 1$/);
    await see(a, a.getByRole('listitem').filter({ hasText: /^Bruno.* : Je peux aider$/ }));
    // no reaction buttons on her own alert
    expect(await a.getByRole('button', { name: 'Je peux aider' }).count()).toBe(0);
    await a.goto(`${run.base}/alertes`);
    await h1(a, 'Mes alertes');
    await see(
      a,
      a
        .getByRole('listitem')
        .filter({ hasText: text })
        .getByText(/J’ai vu aussi : 0 · Je peux aider : 1/),
    );
    await a.goto(`${run.base}/notifications`);
    await h1(a, 'Notifications');
    await expect
      .poll(
        async () => {
          const n = await a.getByRole('heading', { level: 2, name: /Un voisin peut aider/ }).count();
          if (n === 0) await a.reload();
          return n;
        },
        { timeout: 15_000, interval: 500 },
      )
      .toBeGreaterThan(0);
    await see(a, a.getByText(new RegExp(`Bruno.* propose son aide pour votre alerte ${ref}`)));

    // "Mark all as read": the count in the page and in the header go to zero…
    const status = a.getByRole('main').getByRole('status').first();
    await expect.poll(() => status.innerText()).toMatch(/^[1-9]\d* notifications? non lues?$/);
    const badge = a.getByTestId('notifications-link');
    await expect.poll(() => badge.innerText()).toMatch(/\d/);
    await a.getByRole('button', { name: 'Tout marquer comme lu' }).click();
    await expect.poll(() => status.innerText()).toBe('0 notification non lue');
    expect(await a.getByRole('button', { name: 'Tout marquer comme lu' }).count()).toBe(0);
    expect(await a.getByRole('main').getByText('Nouveau', { exact: true }).count()).toBe(0);
    await expect.poll(() => badge.innerText()).toBe('Notifications');
    // the button is gone; the keyboard's focus is on the count, not lost to the page's top
    expect(await status.evaluate((el) => el === document.activeElement)).toBe(true);
    await expectAccessible(a, 'notifications, all read');
    // …and stay there after a reload, as the server says
    await a.reload();
    await h1(a, 'Notifications');
    await expect.poll(() => status.innerText()).toBe('0 notification non lue');
    expect(await badge.innerText()).toBe('Notifications');
    const unread = await gql<{ myUnreadNotificationCount: number }>(a, '{ myUnreadNotificationCount }');
    expect(unread.data?.myUnreadNotificationCount).toBe(0);

    for (const x of [alice, bruno]) {
      expectClean(x);
      await x.context.close();
    }
  });
});

describe('my alert preferences', () => {
  it('the daily digest switched on is saved, still on after a reload, and the server agrees', async () => {
    const r = await person(run.browser);
    await login(r, run.base, 'bruno@serris.example');
    const p = r.page;
    await p.goto(`${run.base}/preferences`);
    await h1(p, /^Mes alertes : canaux/);
    const digest = p.getByRole('checkbox', {
      name: 'Recevoir les informations en un seul courriel par jour',
    });
    await see(p, digest);
    // off until the resident asks for it
    expect(await digest.isChecked()).toBe(false);
    await p.getByText('Recevoir les informations en un seul courriel par jour').click();
    expect(await digest.isChecked()).toBe(true);
    await p.getByRole('button', { name: 'Enregistrer' }).click();
    await see(p, p.getByRole('status').filter({ hasText: 'Vos préférences sont enregistrées.' }));
    await p.reload();
    await h1(p, /^Mes alertes : canaux/);
    await expect.poll(() => digest.isChecked()).toBe(true);
    const prefs = await gql<{ myNotificationPreferences: { digestInfo: boolean } }>(
      p,
      '{ myNotificationPreferences { digestInfo } }',
    );
    expect(prefs.data?.myNotificationPreferences.digestInfo).toBe(true);
    expectClean(r);
    await r.context.close();
  });
});

describe('voice calls to a landline', () => {
  it('a resident without a mobile chooses voice for urgent alerts with a landline; a number no call reaches is refused on its field', async () => {
    const r = await person(run.browser);
    await login(r, run.base, 'alice@serris.example');
    const p = r.page;
    await p.goto(`${run.base}/preferences`);
    await h1(p, /^Mes alertes : canaux/);
    const urgent = p.getByRole('group', { name: 'Alertes urgentes' });
    await urgent.getByText('Appel vocal (téléphone fixe)').click();
    expect(await urgent.getByRole('checkbox', { name: 'Appel vocal (téléphone fixe)' }).isChecked()).toBe(
      true,
    );
    const save = p.getByRole('button', { name: 'Enregistrer' });
    // voice without a number: said on the field before anything is sent
    await save.click();
    const number = p.getByRole('textbox', { name: 'Numéro à appeler' });
    await see(
      p,
      p.getByText('Indiquez le numéro à appeler pour recevoir les alertes par appel vocal.').first(),
    );
    // a special-rate number: the server refuses it, and the page says so on the field
    await number.fill('08 92 00 00 00');
    await save.click();
    await see(p, p.getByText(/Numéro de téléphone invalide pour les appels vocaux/).first());
    expect(await number.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(p, 'preferences with a refused voice number');
    await number.fill('01 64 00 00 91');
    await save.click();
    await see(p, p.getByRole('status').filter({ hasText: 'Vos préférences sont enregistrées.' }));
    await p.reload();
    await h1(p, /^Mes alertes : canaux/);
    await expect.poll(() => number.inputValue()).toBe('+33164000091');
    const prefs = await gql<{ myNotificationPreferences: { urgent: string[]; voicePhone: string } }>(
      p,
      '{ myNotificationPreferences { urgent voicePhone } }',
    );
    expect(prefs.data?.myNotificationPreferences.urgent).toContain('voice');
    expect(prefs.data?.myNotificationPreferences.voicePhone).toBe('+33164000091');
    expectClean(r);
    await r.context.close();
  });
});

describe('the hourly limit', () => {
  it('refused by the server while the form was open: the form says why, in the catalogue’s words', async () => {
    const tag = Date.now().toString(36);
    // Claire, the referent, is a member too; no other test here raises an alert as her.
    const r = await person(run.browser);
    await login(r, run.base, 'referent@serris.example');
    const p = r.page;
    const form = await gql<{ neighbourAlertForm: { alertsPerHour: number; alertsLeftThisHour: number } }>(
      p,
      '{ neighbourAlertForm { alertsPerHour alertsLeftThisHour } }',
    );
    const { alertsPerHour: perHour, alertsLeftThisHour: left } = form.data!.neighbourAlertForm;
    expect(left).toBe(perHour);
    const raise = (n: number) =>
      gql<Raised>(p, RAISE, {
        input: {
          category: 'information',
          severity: 'info',
          what: `Lampadaire éteint devant le numéro ${n} (${tag})`,
          place: `Rue de la Fontaine ${n}`,
        },
      });
    const first = await raise(1);
    expect(first.errors).toBeUndefined();
    // the same thing again from the form, within the merge window: added to her own first
    // alert (the server merges an author's duplicates, not a neighbour's), and counted
    await p.goto(`${run.base}/alerter`);
    await h1(p, 'Donner l’alerte');
    await see(p, p.getByText('Si vous signalez de nouveau la même chose', { exact: false }));
    await p
      .locator('label.radio', { hasText: /^Information$/ })
      .first()
      .click();
    await p.getByLabel(/^Ce que vous avez vu/).fill(`Le lampadaire clignote encore (${tag})`);
    await p.getByLabel(/^Où \?/).fill('Rue de la Fontaine 1');
    await p.getByRole('button', { name: 'Envoyer l’alerte' }).click();
    await h1(p, 'Alerte envoyée');
    const firstRef = first.data!.raiseNeighbourAlert.alert.ref;
    await see(p, p.getByText(`votre signalement est ajouté à votre alerte ${firstRef}`, { exact: false }));
    // all but one of the hour's alerts, from "another tab"
    for (let n = 3; n < perHour; n++) expect((await raise(n)).errors).toBeUndefined();

    await p.goto(`${run.base}/alerter`);
    await h1(p, 'Donner l’alerte');
    await see(p, p.getByText(`encore 1 cette heure-ci`, { exact: false }));
    await p
      .locator('label.radio', { hasText: /^Information$/ })
      .first()
      .click();
    await p.getByLabel(/^Ce que vous avez vu/).fill(`Un camion bloque la sortie du parking (${tag})`);
    await p.getByLabel(/^Où \?/).fill('Parking de la mairie');
    // meanwhile the last one goes from the other tab; one more is refused with the limit's code
    expect((await raise(perHour)).errors).toBeUndefined();
    const refused = await raise(perHour + 1);
    expect(refused.errors?.[0]?.extensions?.code).toBe('NEIGHBOUR_ALERT_RATE_LIMITED');

    await p.getByRole('button', { name: 'Envoyer l’alerte' }).click();
    const message = `Vous avez envoyé ${perHour} alertes dans l’heure : c’est le maximum, pour éviter les envois en rafale. Réessayez plus tard ou appelez le 17 en cas de danger.`;
    const summary = p.getByRole('alert').filter({ hasText: 'Le formulaire contient des erreurs' });
    await see(p, summary);
    expect(await summary.getByRole('listitem').allInnerTexts()).toEqual([message]);
    // the summary has the focus, so a screen reader reads it at once
    expect(await summary.evaluate((el) => el === document.activeElement)).toBe(true);
    // the form now knows: nothing left this hour, the send button off, what was typed kept
    await see(p, p.getByText('encore 0 cette heure-ci', { exact: false }));
    // said once: no second alert repeating the summary
    expect(await p.getByRole('alert').filter({ hasText: message }).count()).toBe(1);
    expect(await p.getByRole('button', { name: 'Envoyer l’alerte' }).isDisabled()).toBe(true);
    expect(await p.getByLabel(/^Ce que vous avez vu/).inputValue()).toContain(tag);
    await see(p, p.locator('a[href="tel:17"]'));
    await expectAccessible(p, 'alert form, hourly limit reached');
    // the limit stands after a reload
    await p.reload();
    await h1(p, 'Donner l’alerte');
    await see(p, p.getByRole('alert').filter({ hasText: message }));
    expect(await p.getByRole('button', { name: 'Envoyer l’alerte' }).isDisabled()).toBe(true);
    expectClean(r);
    await r.context.close();
  });
});
