// The web front end's budgets (issue 11): the JavaScript of the first route
// ≤ 200 kB gzipped, and the first page interactive in a headless Chromium
// ≤ 1.5 s against the local server.
//
// The load is measured against a running Vigie (BENCH_PORTAL_URL, default
// http://serris.localhost:3000 when it answers) or one started here with the
// embedded defaults. Baseline from the same run: the same page with its
// scripts refused, i.e. what the server and the HTML cost alone.
import { readFileSync, existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { ensureWebBuilt, webDist } from '@vigie/platform/web';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const JS_BUDGET = 200 * 1024;
const LOAD_BUDGET_MS = 1500;

function firstRouteScripts(): string[] {
  const html = readFileSync(path.join(webDist, 'index.html'), 'utf8');
  const urls = [
    ...html.matchAll(/<script[^>]+src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g),
  ].map((m) => m[1]!);
  return [...new Set(urls)];
}

/** Asks 127.0.0.1 with the commune's Host: Node, unlike browsers, does not resolve *.localhost. */
function reachable(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const req = http.get(
      {
        host: '127.0.0.1',
        port: u.port || 80,
        path: u.pathname,
        headers: { host: u.host, accept: 'text/html' },
        timeout: 2000,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function measure(browser: Browser, url: string, scripts: boolean): Promise<number> {
  const context = await browser.newContext({ locale: 'fr-FR', serviceWorkers: 'block' });
  if (!scripts) await context.route(/\.js$/, (r) => r.abort());
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'commit' });
  // interactive: the page's h1 is rendered by React and the first button responds
  if (scripts) await page.waitForSelector('h1', { timeout: 10_000 });
  else await page.waitForLoadState('domcontentloaded');
  const ms = await page.evaluate<number>('performance.now()');
  await context.close();
  return ms;
}

export default async function bench(): Promise<void> {
  const build = await ensureWebBuilt();
  process.stdout.write(`build: ${build.built ? `rebuilt in ${build.ms} ms` : 'fresh'}\n`);

  // 1. JavaScript of the first route, gzipped as served
  let total = 0;
  let mapInFirst = false;
  for (const u of firstRouteScripts()) {
    const file = path.join(webDist, u);
    if (!existsSync(file)) continue;
    const body = readFileSync(file);
    total += gzipSync(body, { level: 9 }).length;
    if (
      /maplibre/i.test(body.toString('latin1').slice(0, 200_000)) &&
      /maplibregl|Map\.prototype/.test(body.toString('latin1'))
    )
      mapInFirst = true;
  }
  process.stdout.write(
    `first route JS (gzip): ${(total / 1024).toFixed(1)} kB / budget ${JS_BUDGET / 1024} kB → ${(total / JS_BUDGET).toFixed(2)} of the budget${mapInFirst ? ' — the map library is in the first route!' : ''}\n`,
  );

  // 2. First page interactive
  let url = process.env.BENCH_PORTAL_URL ?? 'http://serris.localhost:3000/';
  let stop: (() => Promise<void>) | undefined;
  if (!(await reachable(url))) {
    process.stdout.write(`${url} does not answer: starting Vigie with the embedded defaults…\n`);
    const { start } = await import('@vigie/platform/start');
    const port = 3900 + Math.floor(Math.random() * 90);
    const started = await start({
      env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', VIGIE_DATA_DIR: '.vigie/bench-portal' },
    });
    url = `http://serris.localhost:${port}/`;
    stop = started.stop;
  }
  const browser = await chromium.launch({
    executablePath: process.env.VIGIE_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
  try {
    await measure(browser, url, true); // warm the server's caches once
    const page: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      bare.push(await measure(browser, url, false));
      page.push(await measure(browser, url, true));
    }
    const med = pct(page, 50);
    const p95 = pct(page, 95);
    const base = pct(bare, 50);
    process.stdout.write(
      `first page interactive (${RUNS} cold contexts): median ${med.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms / budget ${LOAD_BUDGET_MS} ms → ${(p95 / LOAD_BUDGET_MS).toFixed(2)} of the budget\n` +
        `baseline (same page, scripts refused): median ${base.toFixed(0)} ms → page/baseline ${(med / base).toFixed(1)}×\n`,
    );
  } finally {
    await browser.close();
    await stop?.();
  }
}
