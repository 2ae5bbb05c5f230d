// The referent redraws their community's boundary (issue 11) in a real Chromium:
// the map renders offline (background-only style, WebGL through SwiftShader),
// axe passes with the map shown, a point is moved with the keyboard through the
// table of points and saved; an outline that overlaps the neighbouring community
// is refused with a message naming it, and saved once confirmed. The same
// editor draws the zone of an alert down on the console (issue 12).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { expectAccessible, expectClean, h1, login, person, see, staffSignIn, usePortal } from './browser.js';

const run = usePortal();

describe('the community boundary', () => {
  it('is redrawn from the table of points, with the overlap safeguard', async () => {
    const ref = await person(run.browser);
    const { page } = ref;
    await login(ref, run.base, 'referent@serris.example');
    await page.goto(`${run.base}/referent`);
    await page.getByRole('heading', { level: 2, name: 'Limite de la communauté' }).waitFor();
    const map = page.getByRole('region', { name: /^Carte de la limite de « Centre Urbain »$/ });
    await map.locator('canvas').waitFor({ timeout: 20_000 });
    // terra-draw is in: its layers are added once the map's style has loaded
    await expect
      .poll(() => page.evaluate(() => document.querySelector('.boundary-map.maplibregl-map') !== null))
      .toBe(true);
    await expectAccessible(page, 'referent /referent with the boundary map');

    // The easternmost point borders « Les Coteaux ».
    const lons = page.getByLabel(/^Longitude du point \d+$/);
    await expect.poll(() => lons.count()).toBeGreaterThanOrEqual(3);
    const values = (await lons.evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).map(
      Number,
    );
    const east = values.indexOf(Math.max(...values));
    const n = east + 1;
    const lon = page.getByLabel(`Longitude du point ${n}`, { exact: true });
    const save = page.getByRole('button', { name: 'Enregistrer la limite' });

    // A wrong value is flagged next to its field and blocks saving.
    await lon.focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('deux');
    await expect.poll(() => lon.getAttribute('aria-invalid')).toBe('true');
    await page.getByText('Saisissez une longitude entre -180 et 180').waitFor();
    await save.focus();
    await page.keyboard.press('Enter');
    await page.getByText('Corrigez les coordonnées signalées').waitFor();

    // Moved a little inwards, with the keyboard: saved.
    await lon.focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(String(Math.round((values[east]! - 0.0007) * 1e6) / 1e6));
    expect(await lon.getAttribute('aria-invalid')).toBeNull();
    await save.focus();
    await page.keyboard.press('Enter');
    await page.getByText(/^La limite est enregistrée\. Surface : [\d,]+ km²\.$/).waitFor();
    await page.getByText(/(adresse a changé|adresses ont changé) de communauté/).waitFor();
    expect(await page.getByText(/chevauche/).count()).toBe(0);

    // Moved into « Les Coteaux »: refused, named, then saved once confirmed.
    await lon.focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(String(Math.round((values[east]! + 0.004) * 1e6) / 1e6));
    await save.focus();
    await page.keyboard.press('Enter');
    await page.getByText(/ce contour chevauche « Les Coteaux »/).waitFor();
    await expectAccessible(page, 'referent /referent with the overlap message');
    await page.getByRole('button', { name: 'Enregistrer quand même' }).click();
    await page.getByText(/^La limite est enregistrée\./).waitFor();
    await page.getByText(/Elle chevauche « Les Coteaux », comme vous l’avez confirmé\./).waitFor();

    // Points are added and removed from the table too.
    const before = await lons.count();
    await page.getByRole('button', { name: `Ajouter un point après le point ${n}` }).click();
    await expect.poll(() => lons.count()).toBe(before + 1);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('id') ?? ''))
      .toMatch(new RegExp(`lon-${n}$`));
    await page.getByRole('button', { name: `Supprimer le point ${n + 1}` }).click();
    await expect.poll(() => lons.count()).toBe(before);
    await page.getByRole('button', { name: 'Réinitialiser' }).click();
    expect(await lon.inputValue()).toBe(String(Math.round((values[east]! + 0.004) * 1e6) / 1e6));

    // A new outline drawn on the map with terra-draw replaces the table's points.
    await page.getByRole('button', { name: 'Dessiner un nouveau contour' }).click();
    await map.scrollIntoViewIfNeeded();
    const box = (await map.boundingBox())!;
    const at = (x: number, y: number) => page.mouse.click(box.x + box.width * x, box.y + box.height * y);
    await at(0.35, 0.3);
    await at(0.65, 0.3);
    await at(0.5, 0.7);
    await at(0.35, 0.3);
    await expect.poll(() => lons.count()).toBe(3);
    expect(await page.getByRole('button', { name: 'Déplacer les points' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    await page.getByRole('button', { name: 'Réinitialiser' }).click();
    await expect.poll(() => lons.count()).toBe(before);

    expectClean(ref);
    await ref.context.close();
  }, 120_000);
});

describe('an alert to a zone drawn on the map', () => {
  it('the mairie draws the zone (table and map), an empty zone is refused, and the deliveries match the preview', async () => {
    const mairie = await person(run.browser);
    const { page } = mairie;
    await staffSignIn(page, run.base, 'mairie@serris.example');
    await page.goto(`${run.base}/console/alerter`);
    await h1(page, 'Alerter la population');
    // One current item in the menu: this page's, not the console's it sits under.
    expect(await page.locator('nav a[aria-current="page"]').allInnerTexts()).toEqual([
      'Alerter la population',
    ]);
    await page.locator('label.radio', { hasText: 'Une zone dessinée sur la carte' }).click();
    const map = page.getByRole('region', { name: 'Carte de la commune, pour dessiner la zone de l’alerte' });
    await map.locator('canvas').waitFor({ timeout: 20_000 });
    await expectAccessible(page, 'compose with the zone map');

    await page.getByRole('button', { name: /Choisir une catégorie/ }).click();
    await page.getByRole('option').nth(1).click();
    await page.locator('#field-severity label.radio', { hasText: 'Information' }).click();
    await page
      .getByLabel(/^Message/)
      .fill('Travaux de voirie dans votre rue demain, stationnement interdit.');

    // Without a zone: the form says so next to the field and in the summary.
    await page.getByRole('button', { name: 'Prévisualiser' }).click();
    await see(page, page.locator('#field-area-error', { hasText: 'Dessinez la zone' }));

    // Typed with the keyboard, far from the commune: the server finds nobody there.
    for (const [lon, lat] of [
      ['0.1', '0.1'],
      ['0.2', '0.1'],
      ['0.15', '0.2'],
    ]) {
      await page.getByRole('button', { name: 'Ajouter un point', exact: true }).focus();
      await page.keyboard.press('Enter');
      await page.keyboard.type(lon!);
      await page.keyboard.press('Tab');
      await page.keyboard.type(lat!);
    }
    expect(await page.getByLabel(/^Longitude du point \d+$/).count()).toBe(3);
    await page.getByRole('button', { name: 'Prévisualiser' }).click();
    await see(page, page.getByText(/ne contient aucune adresse de la commune/));

    // Drawn on the map, over the middle of the commune: previewed, sent, and delivered as previewed.
    await page.getByRole('button', { name: 'Dessiner un nouveau contour' }).click();
    await map.scrollIntoViewIfNeeded();
    const box = (await map.boundingBox())!;
    const at = (x: number, y: number) => page.mouse.click(box.x + box.width * x, box.y + box.height * y);
    await at(0.2, 0.2);
    await at(0.8, 0.2);
    await at(0.8, 0.8);
    await at(0.2, 0.8);
    await at(0.2, 0.2);
    await expect.poll(() => page.getByLabel(/^Longitude du point \d+$/).count()).toBe(4);
    await page.getByRole('button', { name: 'Prévisualiser' }).click();
    const reach = page.getByText(/^\d+ destinataires, \d+ foyers\.$/);
    await see(page, reach);
    await expectAccessible(page, 'compose with a zone previewed');
    const perChannel = await page
      .locator('table', { hasText: 'Destinataires par canal' })
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) => [...r.querySelectorAll('td')].map((td) => Number(td.textContent))),
      );
    const expectedRows = perChannel.reduce((n, [now, held, skipped]) => n + now! + held! + skipped!, 0);
    expect(expectedRows).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Envoyer l’alerte' }).click();
    await page.getByRole('button', { name: 'Oui, envoyer' }).click();
    await h1(page, 'Alerte envoyée');
    const ref = /L’alerte (\w+)/.exec(await page.locator('main').innerText())![1]!;
    await expect
      .poll(
        () =>
          page.evaluate(async (ref) => {
            const q = (query: string) =>
              fetch(`/graphql?query=${encodeURIComponent(query)}`, { credentials: 'same-origin' }).then(
                (r) => r.json() as Promise<{ data: Record<string, unknown> }>,
              );
            const list = await q('{ alerts(limit: 20) { items { id ref targetKind } } }');
            const alert = (
              list.data.alerts as { items: Array<{ id: string; ref: string; targetKind: string }> }
            ).items.find((a) => a.ref === ref);
            if (!alert || alert.targetKind !== 'area') return -1;
            const rep = await q(
              `{ alertDeliveryReport(alertId: "${alert.id}") { summary { byChannel { channel status count } } } }`,
            );
            const summary = (
              rep.data.alertDeliveryReport as { summary: { byChannel: Array<{ count: number }> } }
            ).summary;
            return summary.byChannel.reduce((n, c) => n + c.count, 0);
          }, ref),
        { timeout: 20_000 },
      )
      .toBe(expectedRows);
    expectClean(mairie);
    await mairie.context.close();
  }, 120_000);
});
