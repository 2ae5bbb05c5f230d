// "A 50,000-recipient alert must work": one alert to 50,000 residents, in-app
// only so that the figure measures the workflow and the database rather than the
// provider stand-ins (the provider paths are covered at 2,000 and 5,000 by
// delivery.test.ts and crash.test.ts). 500 batches exceed one run's 200, so the
// workflow continues as new on the way; nothing may be lost or doubled across it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../db/tenant.js';
import { deliverAlert, deliveryCounts, RAISE, seedCommune, seedMembers, startHarness, type Harness } from './testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.startWorkers();
}, 120_000);
afterAll(async () => h?.close());

const RECIPIENTS = 50_000;

describe('an alert to 50,000 residents', () => {
  it('reaches every one of them exactly once, across continueAsNew', async () => {
    const c = await seedCommune(h.ctx, { alerts: { receiptWindowMinutes: 1 } });
    await seedMembers(h.ctx.ownerDb, c.tenant.id, c.sectorId, { count: RECIPIENTS, channels: ['in_app'] });
    const t0 = Date.now();
    const { raiseAlert } = await c.police.browser.ok<{ raiseAlert: { id: string } }>(RAISE, {
      input: { category: 'information', severity: 'important', text: 'Coupure d’eau générale demain de 8 h à 12 h.', target: { kind: 'commune' } },
    });
    const result = await deliverAlert(h, c.tenant, raiseAlert.id);
    console.log(`[alerts] ${RECIPIENTS.toLocaleString('en')} recipients (in-app): delivered in ${((Date.now() - t0) / 1000).toFixed(1)} s, ${result.totals.batches} batches, ${result.runs} workflow runs`);

    // The members, and the commune's staff (the police author aside).
    expect(result.totals.recipients).toBeGreaterThanOrEqual(RECIPIENTS);
    expect(result.totals.recipients).toBeLessThan(RECIPIENTS + 10);
    expect(result.runs).toBeGreaterThanOrEqual(3);
    const counts = await deliveryCounts(h.ctx.db, c.tenant.id, raiseAlert.id);
    expect(Object.keys(counts).every((k) => k.endsWith(':delivered'))).toBe(true);
    expect(counts['in_app:delivered']).toBe(result.totals.recipients);
    const notified = await withTenant(h.ctx.db, c.tenant.id, (trx) =>
      trx('in_app_notifications').where({ kind: 'alert' }).countDistinct('account_id as people').count('* as rows').first<{ people: string; rows: string }>(),
    );
    expect(Number(notified!.rows)).toBe(result.totals.recipients);
    expect(Number(notified!.people)).toBe(result.totals.recipients);
  }, 900_000);
});
