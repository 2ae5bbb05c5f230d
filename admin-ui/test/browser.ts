// Browser test helpers: Debian's Chromium driven by playwright-core (never a
// downloaded browser), one context per person, every request outside
// 127.0.0.1 (and *.localhost, which Chromium resolves to it) refused and
// recorded so a test fails on it, axe with WCAG 2.1 A/AA and RGAA tags.
import { createHmac } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, expect } from 'vitest';
import { startPortal, type Portal } from '@vigie/platform/testing/portal';

export const CHROMIUM = process.env.VIGIE_CHROMIUM ?? '/usr/bin/chromium';
export const DEMO_PASSWORD = 'vigie-demo-2026';

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

/** What a browser test file runs against: its own `vigie start`, Chromium, and Serris's portal URL. */
export interface PortalRun {
  portal: Portal;
  browser: Browser;
  /** http://serris.localhost:<port> */
  base: string;
}

/**
 * Starts the file's portal and browser before its tests and stops them after;
 * the returned object is filled in once `beforeAll` has run.
 */
export function usePortal(): PortalRun {
  const run = {} as PortalRun;
  beforeAll(async () => {
    [run.portal, run.browser] = await Promise.all([startPortal(), launch()]);
    run.base = run.portal.url('serris', '');
  }, 240_000);
  afterAll(async () => {
    await run.browser?.close();
    await run.portal?.stop();
  });
  return run;
}

export interface Person {
  context: BrowserContext;
  page: Page;
  /** Requests the page tried outside this machine (refused). */
  outside: string[];
  /** Errors thrown in the page or logged to its console. */
  errors: string[];
}

function local(url: string): boolean {
  const u = new URL(url);
  if (u.protocol === 'data:' || u.protocol === 'blob:') return true;
  return u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname.endsWith('.localhost');
}

export async function person(
  browser: Browser,
  opts: { width?: number; locale?: string; serviceWorkers?: boolean } = {},
): Promise<Person> {
  const context = await browser.newContext({
    locale: opts.locale ?? 'fr-FR',
    viewport: { width: opts.width ?? 1280, height: 900 },
    serviceWorkers: opts.serviceWorkers ? 'allow' : 'block',
  });
  const outside: string[] = [];
  const errors: string[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (local(url)) return route.continue();
    outside.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    // A refused request or an expected 4xx answer is logged by Chromium; not a page error.
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text());
  });
  return { context, page, outside, errors };
}

export async function login(
  p: Person,
  base: string,
  email: string,
  password = DEMO_PASSWORD,
  welcome: RegExp = /^Bonjour/,
): Promise<void> {
  await p.page.goto(`${base}/connexion`);
  await p.page.getByLabel(/^Adresse électronique/).fill(email);
  await p.page.getByLabel(/^Mot de passe/).fill(password);
  await p.page.getByRole('button', { name: 'Se connecter' }).click();
  await p.page.getByRole('heading', { level: 1, name: welcome }).waitFor();
}

/** Zero axe violations (WCAG 2.1 A and AA, RGAA 4), with what failed when not. */
export async function expectAccessible(page: Page, what: string): Promise<number> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'RGAAv4'])
    .analyze();
  const problems = results.violations.map(
    (v) =>
      `${what}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(' | ')}`,
  );
  expect(problems).toEqual([]);
  return results.passes.length;
}

/** One h1, a title naming the page and the commune, lang set, no horizontal scroll. */
export async function expectPageBasics(page: Page, title: RegExp): Promise<void> {
  await expect.poll(() => page.title()).toMatch(title);
  expect(await page.locator('h1').count()).toBe(1);
  expect(await page.locator('html').getAttribute('lang')).toMatch(/^(fr|en)$/);
}

export async function expectNoHorizontalScroll(page: Page, what: string): Promise<void> {
  const { scroll, client } = await page.evaluate<{ scroll: number; client: number }>(
    '({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })',
  );
  expect(scroll, `${what} scrolls horizontally at ${client}px`).toBeLessThanOrEqual(client);
}

export function expectClean(p: Person): void {
  expect(p.outside, 'requests outside 127.0.0.1').toEqual([]);
  expect(p.errors, 'errors in the page').toEqual([]);
}

/** RFC 6238, as an authenticator app computes it from the key the page shows. */
export function totp(base32: string, at = Date.now()): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32.replace(/\s/g, '').toUpperCase())
    bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30_000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const o = mac[mac.length - 1]! & 0xf;
  const n = (mac.readUInt32BE(o) & 0x7fffffff) % 1_000_000;
  return String(n).padStart(6, '0');
}

/** Waits for what the page should show; on failure, says what it shows instead. */
export async function see(page: Page, what: Locator, timeout = 15_000): Promise<void> {
  await what
    .first()
    .waitFor({ timeout })
    .catch(async (err: unknown) => {
      const shown = (
        await page
          .locator('main')
          .innerText()
          .catch(() => '')
      ).slice(0, 1500);
      throw new Error(`${String(what)} not shown at ${page.url()}; the page shows:\n${shown}`, {
        cause: err,
      });
    });
}

/** Waits for the page's title (its one h1). */
export async function h1(page: Page, name: string | RegExp, timeout = 15_000): Promise<void> {
  await see(page, page.getByRole('heading', { level: 1, name }), timeout);
}

/**
 * A staff member signed in with two-factor verified. The set-up pages are the
 * console tests' subject: elsewhere the member enrols through the API, in the
 * browser's own session (its cookies), as an authenticator app would answer.
 */
export async function staffSignIn(page: Page, base: string, email: string): Promise<void> {
  await page.goto(`${base}/connexion`);
  const gql = async (query: string, variables: Record<string, unknown> = {}, csrf?: string) => {
    const body = await page.evaluate(
      async ([q, v, c]) => {
        const res = await fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(c ? { 'x-csrf-token': c } : {}) },
          body: JSON.stringify({ query: q, variables: v }),
        });
        return res.json();
      },
      [query, variables, csrf] as const,
    );
    const r = body as { data: Record<string, Record<string, string>>; errors?: unknown };
    expect(r.errors).toBeUndefined();
    return r.data;
  };
  const { login: session } = await gql(
    'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { csrfToken } }',
    { e: email, p: DEMO_PASSWORD },
  );
  const csrf = session!.csrfToken!;
  const { setupTotp } = await gql('mutation { setupTotp { secret } }', {}, csrf);
  await gql('mutation($c: String!) { enableTotp(code: $c) }', { c: totp(setupTotp!.secret!) }, csrf);
  await page.goto(`${base}/`);
  await h1(page, /^Bonjour/);
}

/** A signed-in resident raises an urgent alert to their neighbours on the « Donner l’alerte » page. */
export async function raiseUrgentAlert(page: Page, base: string, text: string, where: string): Promise<void> {
  await page.goto(`${base}/alerter`);
  await h1(page, 'Donner l’alerte');
  await page.locator('label.radio', { hasText: 'Individu suspect' }).click();
  await page.getByLabel(/^Ce que vous avez vu/).fill(text);
  await page.getByLabel(/^Où \?/).fill(where);
  await page.locator('#field-severity label.radio', { hasText: 'Urgent' }).click();
  await page.getByText('J’ai appelé le 17 ou je vais le faire').click();
  await page.getByRole('button', { name: 'Envoyer l’alerte' }).click();
  await h1(page, 'Alerte envoyée');
}
