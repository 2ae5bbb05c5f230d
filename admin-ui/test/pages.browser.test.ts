// Every page of the resident portal in a real Chromium, as a visitor, a resident
// and a referent: zero axe violations (WCAG 2.1 A/AA + RGAA), one h1, a title
// that follows the route, no horizontal scroll at 320 px, nothing requested
// outside this machine.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webDist } from '@vigie/platform/web';
import type { Browser } from 'playwright-core';
import {
  expectAccessible,
  expectClean,
  expectNoHorizontalScroll,
  expectPageBasics,
  h1,
  login,
  person,
  usePortal,
} from './browser.js';

const run = usePortal();

/**
 * Opens a page and waits for its h1 and data. `load` asks the server for the
 * address (a deep link); `in-app` follows it inside the running app, as a link
 * does, which is what a resident mostly does and twice as fast.
 */
async function visit(
  p: Awaited<ReturnType<typeof person>>,
  path: string,
  h1: RegExp | string,
  how: 'load' | 'in-app' = 'load',
) {
  if (how === 'load') await p.page.goto(`${run.base}${path}`);
  else
    await p.page.evaluate((to) => {
      // the page being left is marked, so that its h1 is not taken for the next one's
      document.querySelector('h1')?.setAttribute('data-left', '');
      window.history.pushState({}, '', to);
      window.dispatchEvent(new PopStateEvent('popstate'));
    }, path);
  await p.page
    .getByRole('heading', { level: 1, name: h1 })
    .and(p.page.locator('h1:not([data-left])'))
    .waitFor({ timeout: 10_000 })
    .catch(async (err: unknown) => {
      throw new Error(
        `${path}: no h1 ${String(h1)}; the page shows: ${(await p.page.locator('body').innerText()).slice(0, 600)} ${p.errors.join(' ')}`,
        { cause: err },
      );
    });
  // the page's data is in (no spinner left), in either language
  await expect.poll(() => p.page.getByText(/^(Chargement|Loading)…$/).count()).toBe(0);
}

describe('as a visitor', () => {
  it('every public page is accessible, titled, and reflows at 320 px', async () => {
    const v = await person(run.browser);
    const narrow = await person(run.browser, { width: 320 });
    const pages: Array<[string, RegExp]> = [
      ['/', /Vigie à Ville de Serris/],
      ['/connexion', /^Se connecter$/],
      ['/inscription', /^Créer un compte$/],
      ['/accessibilite', /Déclaration d’accessibilité/],
      ['/confidentialite', /Données personnelles/],
      ['/nulle-part', /Page introuvable/],
    ];
    for (const [path, h1] of pages) {
      await visit(v, path, h1);
      await expectPageBasics(
        v.page,
        new RegExp(`${h1.source.replace(/[\^$]/g, '')}.*Ville de Serris.*Vigie`),
      );
      await expectAccessible(v.page, `visitor ${path}`);
      await visit(narrow, path, h1);
      await expectNoHorizontalScroll(narrow.page, path);
    }
    // the emergency numbers are tel: links on the home page
    await visit(v, '/', /Vigie à/);
    expect(await v.page.locator('a[href="tel:17"]').count()).toBeGreaterThan(0);
    expect(await v.page.locator('a[href="tel:112"]').count()).toBeGreaterThan(0);
    // a page that needs a session asks to log in, and comes back after
    await v.page.goto(`${run.base}/alertes`);
    await v.page.getByRole('heading', { level: 1, name: 'Se connecter' }).waitFor();
    expect(v.page.url()).toContain('suite=%2Falertes');
    // an API path stays JSON for a browser too
    const api = await v.page.goto(`${run.base}/graphql/nope`);
    expect(api?.headers()['content-type']).toMatch(/application\/json/);
    expectClean(v);
    expectClean(narrow);
    await v.context.close();
    await narrow.context.close();
  }, 120_000);

  it('an address no commune answers to says so on an accessible page, not an empty portal', async () => {
    const v = await person(run.browser);
    const narrow = await person(run.browser, { width: 320 });
    const url = run.portal.url('nulle-commune', '/alertes');
    const res = await v.page.goto(url);
    expect(res?.status()).toBe(404);
    await h1(v.page, 'Aucune commune à cette adresse');
    await expectPageBasics(v.page, /^Aucune commune à cette adresse · Vigie$/);
    await expectAccessible(v.page, 'unknown host');
    await narrow.page.goto(url);
    await expectNoHorizontalScroll(narrow.page, 'unknown host');
    // Keyboard: nothing to tab into but the page itself (no trap, no hidden control).
    await v.page.keyboard.press('Tab');
    expect(await v.page.evaluate(() => document.activeElement?.tagName)).toBe('BODY');
    expectClean(v);
    expectClean(narrow);
    await v.context.close();
    await narrow.context.close();
  });

  it('a suspended commune’s portal says it is read-only, in the language of the page', async () => {
    // Magny is not used elsewhere in this file: suspending it disturbs no other test.
    const [before] = await run.portal.sql<{ status: string }>(
      `select status from tenants where slug = 'magny-le-hongre'`,
    );
    await run.portal.sql(`update tenants set status = 'suspended' where slug = 'magny-le-hongre'`);
    const v = await person(run.browser);
    const narrow = await person(run.browser, { width: 320 });
    const magny = run.portal.url('magny-le-hongre', '/');
    const banner = v.page.getByRole('status').filter({ hasText: /lecture seule/ });
    // The host's tenant is cached for a few seconds on every instance.
    await expect
      .poll(
        async () => {
          await v.page.goto(magny);
          return banner.isVisible();
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    expect(await banner.innerText()).toMatch(
      /^Le portail de .+ est temporairement en lecture seule\. Vous pouvez toujours envoyer une alerte à la police municipale\. En cas d’urgence, appelez le 17\.$/,
    );
    await expectAccessible(v.page, 'suspended portal');
    await narrow.page.goto(magny);
    await narrow.page
      .getByRole('status')
      .filter({ hasText: /lecture seule/ })
      .waitFor();
    await expectNoHorizontalScroll(narrow.page, 'suspended portal');
    await v.page.getByRole('button', { name: 'Switch to English' }).click();
    const english = v.page.getByRole('status').filter({ hasText: /temporarily read-only/ });
    await english.waitFor();
    expect(await english.innerText()).toMatch(/In an emergency, call 17\.$/);
    expect(await v.page.getByText(/lecture seule/).count()).toBe(0);
    await expectAccessible(v.page, 'suspended portal (en)');
    // The API's own field follows the request's language too.
    const api = await v.page.evaluate(async () => {
      const r = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-language': 'en' },
        body: JSON.stringify({ query: '{ tenant { status banner } }' }),
      });
      return (await r.json()) as { data: { tenant: { status: string; banner: string } } };
    });
    expect(api.data.tenant).toMatchObject({
      status: 'suspended',
      banner: expect.stringMatching(/read-only/),
    });
    await run.portal.sql(`update tenants set status = $1 where slug = 'magny-le-hongre'`, [before!.status]);
    expectClean(v);
    expectClean(narrow);
    await v.context.close();
    await narrow.context.close();
  });

  it('is installable: a web app manifest, and a service worker that keeps the shell for offline use', async () => {
    const v = await person(run.browser, { serviceWorkers: true });
    await visit(v, '/', /Vigie à/);
    const manifest = await v.page.evaluate(async () => {
      const r = await fetch('/manifest.webmanifest');
      return { type: r.headers.get('content-type') ?? '', body: (await r.json()) as Record<string, unknown> };
    });
    expect(manifest.type).toMatch(/^application\/manifest\+json/);
    expect(manifest.body).toMatchObject({ lang: 'fr', start_url: '/', display: 'standalone' });
    expect(
      await v.page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL),
    ).toMatch(/\/sw\.js$/);
    await expect
      .poll(() => v.page.evaluate(async () => !!(await caches.match('/index.html'))), { timeout: 15_000 })
      .toBe(true);
    expectClean(v);
    await v.context.close();
  });

  it('keeps the first route within its budget: at most 200 kB of JavaScript gzipped, every script it loads counted', async () => {
    const v = await person(run.browser);
    const scripts = new Set<string>();
    v.page.on('response', (r) => {
      const u = new URL(r.url());
      if (u.pathname.endsWith('.js') && u.pathname !== '/sw.js') scripts.add(u.pathname);
    });
    await visit(v, '/', /Vigie à/);
    await v.page.waitForLoadState('networkidle');
    let total = 0;
    for (const s of scripts) total += gzipSync(readFileSync(path.join(webDist, s)), { level: 9 }).length;
    // The map and the drawing tools are not among them; they load where a map is shown.
    expect([...scripts].filter((s) => /maplibre|terra-draw|polygon/.test(s))).toEqual([]);
    expect(
      total,
      `first route: ${(total / 1024).toFixed(1)} kB gzipped in ${[...scripts].join(', ')}`,
    ).toBeLessThanOrEqual(200 * 1024);
    expectClean(v);
    await v.context.close();
  });

  it('English on a switch, remembered by the browser before login', async () => {
    const v = await person(run.browser);
    await visit(v, '/', /Vigie à/);
    await v.page.getByRole('button', { name: 'Switch to English' }).click();
    await v.page.getByRole('heading', { level: 1, name: 'Vigie in Ville de Serris' }).waitFor();
    expect(await v.page.locator('html').getAttribute('lang')).toBe('en');
    await expectAccessible(v.page, 'visitor / (en)');
    await v.page.reload();
    await v.page.getByRole('heading', { level: 1, name: 'Vigie in Ville de Serris' }).waitFor();
    await v.page.goto(`${run.base}/connexion`);
    await v.page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    // the server's error answers in English too
    await v.page.getByLabel(/^Email address/).fill('nobody@serris.example');
    await v.page.getByLabel(/^Password/).fill('wrong-password-123');
    await v.page.getByRole('button', { name: 'Log in' }).click();
    const summary = v.page.getByRole('alert').filter({ hasText: 'The form has errors' });
    await summary.waitFor();
    expect(await summary.innerText()).not.toMatch(/mot de passe|adresse/i);
    expectClean(v);
    await v.context.close();
  });
});

describe('as a resident', () => {
  it('every page of the portal is accessible and reflows at 320 px', async () => {
    const r = await person(run.browser);
    const narrow = await person(run.browser, { width: 320 });
    await login(r, run.base, 'alice@serris.example');
    await login(narrow, run.base, 'alice@serris.example');
    // the seeded community: an alert, a thread, a neighbour to write to
    await visit(r, '/communaute', 'Centre Urbain');
    const alertHref = await r.page.locator('a[href^="/alertes/"]').first().getAttribute('href');
    await visit(r, '/communaute/discussions', 'Discussions');
    const threadHref = await r.page
      .locator('a[href^="/communaute/discussions/"]')
      .first()
      .getAttribute('href');
    await visit(r, '/messages', 'Messages');
    const neighbourHref = await r.page.locator('a[href^="/messages/"]').first().getAttribute('href');
    expect(alertHref && threadHref && neighbourHref).toBeTruthy();
    const pages: Array<[string, RegExp | string]> = [
      ['/', /^Bonjour Alice/],
      ['/communaute', 'Centre Urbain'],
      ['/communaute/discussions', 'Discussions'],
      [threadHref!, /./],
      ['/communaute/evenements', 'Événements'],
      ['/messages', 'Messages'],
      [neighbourHref!, /^Conversation avec/],
      ['/alerter', 'Donner l’alerte'],
      ['/alertes', 'Mes alertes'],
      [alertHref!, /./],
      ['/notifications', 'Notifications'],
      ['/preferences', /^Mes alertes : canaux/],
      ['/mon-adresse', 'Mon adresse'],
      ['/compte', 'Mon compte'],
      ['/compte/verification', 'Vérifier mon compte'],
      ['/mes-donnees', 'Mes données'],
    ];
    for (const [path, h1] of pages) {
      await visit(r, path, h1, 'in-app');
      await expectPageBasics(r.page, /Ville de Serris – Vigie$/);
      await expectAccessible(r.page, `resident ${path}`);
      // text zoomed to 200 % (WCAG 1.4.4): still no horizontal scroll
      const zoom = await r.page.addStyleTag({ content: 'html { font-size: 200% !important; }' });
      await expectNoHorizontalScroll(r.page, `${path} at 200 % text`);
      await zoom.evaluate((el) => (el as Element).remove());
      // each address also opens on its own (the narrow phone loads it from the server)
      await visit(narrow, path, h1);
      await expectNoHorizontalScroll(narrow.page, path);
    }
    // a resident does not see the referent's desk, in the menu or by URL
    expect(await r.page.getByRole('link', { name: 'Espace référent' }).count()).toBe(0);
    await visit(r, '/referent', 'Page introuvable');
    expectClean(r);
    expectClean(narrow);
    await r.context.close();
    await narrow.context.close();
  }, 240_000);
});

describe('as a referent', () => {
  it('the referent desk is accessible and in the menu, in French and in English', async () => {
    const ref = await person(run.browser);
    await login(ref, run.base, 'referent@serris.example');
    await ref.page.getByRole('link', { name: 'Espace référent' }).click();
    await ref.page.getByRole('heading', { level: 1, name: 'Espace référent' }).waitFor();
    await ref.page.getByRole('heading', { level: 2, name: /justificatif/ }).waitFor();
    await expectPageBasics(ref.page, /^Espace référent – Ville de Serris – Vigie$/);
    await expectAccessible(ref.page, 'referent /referent');
    await ref.page.getByRole('button', { name: 'Switch to English' }).click();
    await ref.page.getByRole('heading', { level: 1, name: 'Referent desk' }).waitFor();
    await ref.page.getByRole('heading', { level: 2, name: /proof/i }).waitFor();
    await expectPageBasics(ref.page, /^Referent desk – Ville de Serris – Vigie$/);
    expect(await ref.page.locator('main').innerText()).not.toMatch(/justificatif|adhésion|référent/i);
    await expectAccessible(ref.page, 'referent /referent (en)');
    // the account keeps its language: back to French for whoever logs in next
    await ref.page.getByRole('button', { name: 'Passer en français' }).click();
    await ref.page.getByRole('heading', { level: 1, name: 'Espace référent' }).waitFor();
    expectClean(ref);
    await ref.context.close();
  });
});

describe('in English', () => {
  it('every page of the resident portal is accessible in English', async () => {
    // Bruno: no other test of this file logs in as him, and his account keeps the language.
    const r = await person(run.browser);
    await login(r, run.base, 'bruno@serris.example');
    await r.page.getByRole('button', { name: 'Switch to English' }).click();
    await r.page.getByRole('heading', { level: 1, name: /^Hello Bruno/ }).waitFor();
    await visit(r, '/communaute', 'Centre Urbain');
    const alertHref = await r.page.locator('a[href^="/alertes/"]').first().getAttribute('href');
    await visit(r, '/communaute/discussions', 'Discussions');
    const threadHref = await r.page
      .locator('a[href^="/communaute/discussions/"]')
      .first()
      .getAttribute('href');
    await visit(r, '/messages', 'Messages');
    const neighbourHref = await r.page.locator('a[href^="/messages/"]').first().getAttribute('href');
    expect(alertHref && threadHref && neighbourHref).toBeTruthy();
    const pages: Array<[string, RegExp | string]> = [
      ['/', /^Hello Bruno/],
      ['/communaute', 'Centre Urbain'],
      ['/communaute/discussions', 'Discussions'],
      [threadHref!, /./],
      ['/communaute/evenements', 'Events'],
      ['/messages', 'Messages'],
      [neighbourHref!, /^Conversation with/],
      ['/alerter', 'Raise an alert'],
      ['/alertes', 'My alerts'],
      [alertHref!, /./],
      ['/notifications', 'Notifications'],
      ['/preferences', /^My alerts: channels/],
      ['/mon-adresse', 'My address'],
      ['/compte', 'My account'],
      ['/compte/verification', 'Verify my account'],
      ['/mes-donnees', 'My data'],
      ['/accessibilite', 'Accessibility statement'],
      ['/confidentialite', 'Personal data'],
    ];
    for (const [path, h1] of pages) {
      await visit(r, path, h1, 'in-app');
      expect(await r.page.locator('html').getAttribute('lang'), path).toBe('en');
      await expectPageBasics(r.page, /Ville de Serris – Vigie$/);
      await expectAccessible(r.page, `resident ${path} (en)`);
    }
    expectClean(r);
    await r.context.close();
  }, 120_000);
});
