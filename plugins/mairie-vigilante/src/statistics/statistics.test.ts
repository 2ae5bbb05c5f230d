// Statistics and the annual report against the assembled app (real
// PostgreSQL): a source contributed to the core's extension point, as
// tranquillite-vacances or the core's alerts do, shows in the page's figures
// and in the report's HTML, CSV and PDF, per month in Paris time, counts below
// 5 masked; only those with the permission may read it; a commune without the
// plugin has neither the field nor the downloads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreExtensions, withTenant } from '@vigie/platform/plugin';
import {
  Browser,
  createTenant,
  createTestAccount,
  createTestContext,
  staffBrowser,
  type TestContext,
  type TestTenant,
} from '@vigie/platform/testing';
import { parisMonthStart, reportCsv, mask } from './report.js';

let ctx: TestContext;
let tenant: TestTenant;
const YEAR = new Date().getUTCFullYear();

/** When each counted event happened (UTC), chosen around the edges of months in Paris. */
const EVENTS = [
  `${YEAR - 1}-12-31T22:30:00Z`, // 23:30 in Paris: still last year
  `${YEAR - 1}-12-31T23:30:00Z`, // 00:30 on 1 January in Paris: this year
  ...Array.from({ length: 6 }, (_, i) => `${YEAR}-01-${String(10 + i).padStart(2, '0')}T12:00:00Z`),
  `${YEAR}-01-31T23:30:00Z`, // 00:30 on 1 February in Paris (winter time, UTC+1)
  `${YEAR}-02-10T12:00:00Z`,
  `${YEAR}-03-31T22:30:00Z`, // 00:30 on 1 April in Paris (summer time, UTC+2)
];

beforeAll(async () => {
  ctx = await createTestContext();
  tenant = await createTenant(ctx.operatorDb, { plugins: { 'mairie-vigilante': {} } });
  // A contributor as any plugin is: it counts its own rows (here, audit entries of a test action).
  ctx.vigie.services.get(coreExtensions.statistics).contribute({
    id: 'test-counts',
    label: { fr: 'Événements de test', en: 'Test events' },
    async compute(trx, { from, to }) {
      const r = (await trx('audit_log')
        .where('action', 'test.counted')
        .where('at', '>=', from)
        .where('at', '<', to)
        .count('* as n')
        .first()) as { n: string };
      return [
        { key: 'events', label: { fr: 'Événements', en: 'Events' }, value: Number(r.n) },
        { key: 'delayMinutes', label: { fr: 'Délai médian', en: 'Median delay' }, value: 3 },
      ];
    },
  });
  await withTenant(ctx.ownerDb, tenant.id, async (trx) => {
    for (const at of EVENTS)
      await trx('audit_log').insert({
        tenant_id: tenant.id,
        at,
        actor_type: 'system',
        action: 'test.counted',
      });
  });
}, 120_000);

afterAll(async () => {
  await ctx?.close();
});

/** Counted here without the plugin's code: events in [from, to). */
function countBetween(from: Date, to: Date): number {
  return EVENTS.filter((e) => Date.parse(e) >= from.getTime() && Date.parse(e) < to.getTime()).length;
}

describe('statistics and the annual report', () => {
  it('a month starts at midnight in Paris, winter and summer', () => {
    expect(parisMonthStart(2026, 0).toISOString()).toBe('2025-12-31T23:00:00.000Z');
    expect(parisMonthStart(2026, 6).toISOString()).toBe('2026-06-30T22:00:00.000Z');
    expect(parisMonthStart(2026, 12).toISOString()).toBe('2026-12-31T23:00:00.000Z');
    expect(mask('events', 4)).toEqual({ value: null, display: '< 5' });
    expect(mask('events', 0)).toEqual({ value: null, display: '< 5' });
    expect(mask('events', 5)).toEqual({ value: 5, display: '5' });
    expect(mask('delayMinutes', 2)).toEqual({ value: 2, display: '2' });
  });

  it('the page’s figures equal counts done independently, below 5 masked', async () => {
    const { browser } = await staffBrowser(ctx.app, ctx.db, tenant, 'police_chief');
    const r = await browser.ok<{
      consoleStatistics: {
        sections: Array<{
          id: string;
          figures: Array<{
            key: string;
            value: number | null;
            display: string;
            monthly: Array<{ display: string }>;
          }>;
        }>;
        csvUrl: string;
      };
    }>(
      `query($y: Int!) { consoleStatistics(year: $y) { csvUrl sections { id figures { key value display monthly { display } } } } }`,
      { y: YEAR },
    );
    const section = r.consoleStatistics.sections.find((s) => s.id === 'test-counts')!;
    const events = section.figures.find((f) => f.key === 'events')!;
    const year = countBetween(parisMonthStart(YEAR, 0), parisMonthStart(YEAR, 12));
    expect(year).toBe(10);
    expect(events.value).toBe(year);
    const expected = Array.from({ length: 12 }, (_, m) => {
      const n = countBetween(parisMonthStart(YEAR, m), parisMonthStart(YEAR, m + 1));
      return n < 5 ? '< 5' : String(n);
    });
    expect(events.monthly.map((m) => m.display)).toEqual(expected);
    expect(expected.slice(0, 4)).toEqual(['7', '< 5', '< 5', '< 5']);
    expect(section.figures.find((f) => f.key === 'delayMinutes')!.display).toBe('3');

    // The downloads say the same.
    const csv = await browser.rest('GET', r.consoleStatistics.csvUrl);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const line = csv.body.split('\r\n').find((l) => l.includes('test-counts.events'))!;
    expect(line.split(';').slice(3, 8)).toEqual([String(year), '7', '< 5', '< 5', '< 5']);
    const html = await browser.rest('GET', `/p/mairie-vigilante/annual-report/${YEAR}/html`);
    expect(html.statusCode).toBe(200);
    expect(html.body).toMatch(/<html lang="fr">/);
    expect(html.body).toMatch(/<caption>Événements de test/);
    expect(html.body).toMatch(/<th scope="row">Événements<\/th><td>10<\/td><td>7<\/td><td>&#60; 5<\/td>/);
    expect(html.body).toMatch(/<svg role="img" aria-labelledby=/);
  });

  it('the PDF is printed by headless Chromium', async () => {
    const { browser } = await staffBrowser(ctx.app, ctx.db, tenant, 'mairie_admin');
    const pdf = await browser.rest('GET', `/p/mairie-vigilante/annual-report/${YEAR}/pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.headers['content-disposition']).toMatch(/rapport-annuel-.*\.pdf/);
  }, 60_000);

  it('refuses those without the permission, and a year out of range', async () => {
    const { browser: agent } = await staffBrowser(ctx.app, ctx.db, tenant, 'police_agent');
    const q = `query($y: Int!) { consoleStatistics(year: $y) { year } }`;
    expect((await agent.gql(q, { y: YEAR })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await agent.rest('GET', `/p/mairie-vigilante/annual-report/${YEAR}/csv`)).statusCode).toBe(403);
    const { browser: chief } = await staffBrowser(ctx.app, ctx.db, tenant, 'police_chief');
    expect((await chief.gql(q, { y: 2019 })).errors?.[0]?.extensions?.code).toBe('STATISTICS_YEAR_INVALID');
    expect((await chief.gql(q, { y: YEAR + 1 })).errors?.[0]?.extensions?.code).toBe(
      'STATISTICS_YEAR_INVALID',
    );
    const resident = await createTestAccount(ctx.db, tenant.id, { roles: [{ role: 'resident' }] });
    const b = new Browser(ctx.app, tenant.host);
    await b.login(resident.email);
    expect((await b.gql(q, { y: YEAR })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('a commune without the plugin has neither the field nor the downloads', async () => {
    const other = await createTenant(ctx.operatorDb, {});
    const { browser } = await staffBrowser(ctx.app, ctx.db, other, 'police_chief');
    const r = await browser.gql(`query($y: Int!) { consoleStatistics(year: $y) { year } }`, { y: YEAR });
    expect(r.errors?.[0]?.extensions?.code).toBe('PLUGIN_DISABLED');
    expect((await browser.rest('GET', `/p/mairie-vigilante/annual-report/${YEAR}/csv`)).statusCode).toBe(404);
    // The core's alerts still answer.
    const alerts = await browser.gql(`{ alerts { items { id } } }`);
    expect(alerts.errors).toBeUndefined();
  });

  it('CSV cells with a separator are quoted', () => {
    const csv = reportCsv({
      year: 2026,
      from: new Date(),
      to: new Date(),
      sections: [
        {
          id: 's',
          label: { fr: 'A; B', en: '' },
          figures: [{ key: 'k', label: { fr: 'dit "x"', en: '' }, value: 7, display: '7', monthly: [] }],
        },
      ],
    });
    expect(csv.split('\r\n')[1]).toBe('"A; B";"dit ""x""";s.k;7');
  });
});
