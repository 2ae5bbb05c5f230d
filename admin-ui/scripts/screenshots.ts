// `npm run screenshots`: pictures of the main pages for the README, taken from
// the running app (`npm start` first; SCREENSHOTS_URL for another host) with
// Debian's Chromium. Writes docs/screenshots/*.jpg.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';

const base = (process.env.SCREENSHOTS_URL ?? 'http://serris.localhost:3000').replace(/\/$/, '');
const out = path.resolve(import.meta.dirname, '../../docs/screenshots');
const PASSWORD = process.env.SCREENSHOTS_PASSWORD ?? 'vigie-demo-2026';

async function shot(page: Page, name: string, url: string, heading: RegExp | string): Promise<void> {
  await page.goto(`${base}${url}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor({ timeout: 15_000 });
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(out, `${name}.jpg`), type: 'jpeg', quality: 70 });
  process.stdout.write(`  ${name}.jpg  ${url}\n`);
}

async function login(page: Page, email: string): Promise<void> {
  await page.goto(`${base}/connexion`);
  await page.getByLabel(/^Adresse électronique/).fill(email);
  await page.getByLabel(/^Mot de passe/).fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { level: 1, name: /^Bonjour/ }).waitFor();
}

mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: process.env.VIGIE_CHROMIUM ?? '/usr/bin/chromium' });
try {
  const visitor = await browser.newPage({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
  await shot(visitor, 'home-visitor', '/', /^Vigie à/);
  const resident = await browser.newPage({ locale: 'fr-FR', viewport: { width: 1280, height: 1000 } });
  await login(resident, 'alice@serris.example');
  await shot(resident, 'community', '/communaute', /./);
  await shot(resident, 'raise-alert', '/alerter', 'Donner l’alerte');
  await shot(resident, 'my-alerts', '/alertes', 'Mes alertes');
  const first = await resident.locator('a[href^="/alertes/"]').first().getAttribute('href');
  if (first) await shot(resident, 'alert', first, /./);
  await shot(resident, 'discussions', '/communaute/discussions', 'Discussions');
  await shot(resident, 'preferences', '/preferences', /^Mes alertes : canaux/);
  const mobile = await browser.newPage({ locale: 'fr-FR', viewport: { width: 375, height: 740 } });
  await login(mobile, 'bruno@serris.example');
  await shot(mobile, 'community-mobile', '/communaute', /./);
  const referent = await browser.newPage({ locale: 'fr-FR', viewport: { width: 1280, height: 1000 } });
  await login(referent, 'referent@serris.example');
  await shot(referent, 'referent-desk', '/referent', 'Espace référent');
} finally {
  await browser.close();
}
process.stdout.write(`written to ${path.relative(process.cwd(), out)}\n`);
