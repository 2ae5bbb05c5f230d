import { chromium } from 'playwright-core';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const ctx = await b.newContext({ locale: 'fr-FR', serviceWorkers: 'block' });
const p = await ctx.newPage();
const base='http://serris.localhost:3000';
await p.goto(`${base}/connexion`);
await p.getByLabel(/^Adresse électronique/).fill('alice@serris.example');
await p.getByLabel(/^Mot de passe/).fill('vigie-demo-2026');
await p.getByRole('button', { name: 'Se connecter' }).click();
await p.getByRole('heading', { name: /Bonjour/ }).waitFor();
await p.goto(`${base}/alerter`);
await p.getByRole('heading', { level: 1, name: 'Donner l’alerte' }).waitFor();
await p.waitForTimeout(800);
for (let i = 0; i < 24; i++) {
  await p.keyboard.press('Tab');
  console.log(i, await p.evaluate(() => { const e = document.activeElement; return e.tagName + ' ' + (e.getAttribute('type')||'') + ' ' + (e.closest('label')?.textContent || e.textContent || '').slice(0,40) + ' outline=' + getComputedStyle(e).outlineStyle+ ' ' + getComputedStyle(e).outlineWidth + ' shadow=' + getComputedStyle(e).boxShadow; }));
}
await b.close();
