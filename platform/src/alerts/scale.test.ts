// A delivery too big for one run: the workflow continues as new every few
// batches (the commune's `batchesPerRun`, lowered here from 200 so that a small
// alert shows what a 50,000-recipient one does, see bench/alert-scale.bench.ts),
// carrying its recipient cursor and its queue of batches across. Nobody may be
// lost or reached twice on the way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../db/tenant.js';
import {
  createSectorRow,
  deliverAlert,
  deliveryCounts,
  RAISE,
  seedCommune,
  seedMembers,
  startHarness,
  type Harness,
} from './testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.startWorkers();
}, 120_000);
afterAll(async () => h?.close());

describe('a delivery that outgrows one workflow run', () => {
  it('continues as new mid-fan-out and reaches every recipient exactly once per channel', async () => {
    const c = await seedCommune(h.ctx, {
      alerts: { receiptWindowMinutes: 1, batchesPerRun: 2, retryInitialSeconds: 0.2 },
    });
    const IN_APP = 1_200;
    const SMS = 1_500;
    await seedMembers(h.ctx.ownerDb, c.tenant.id, c.sectorId, { count: IN_APP, channels: ['in_app'] });
    const other = await createSectorRow(h.ctx.ownerDb, c.tenant.id, 'Gare');
    await seedMembers(h.ctx.ownerDb, c.tenant.id, other, {
      count: SMS,
      channels: ['sms', 'in_app'],
      emailVerified: false,
      phoneOffset: 500_000,
    });
    const { raiseAlert } = await c.police.browser.ok<{ raiseAlert: { id: string } }>(RAISE, {
      input: {
        category: 'information',
        severity: 'important',
        text: 'Coupure d’eau générale demain de 8 h à 12 h.',
        target: { kind: 'commune' },
      },
    });
    const result = await deliverAlert(h, c.tenant, raiseAlert.id, 400_000);

    // In-app rows are stored with their pages and take no batch; the 1,500 SMS make 6 batches of 250, 2 a run.
    expect(result.totals.recipients).toBeGreaterThanOrEqual(IN_APP + SMS);
    expect(result.runs).toBeGreaterThanOrEqual(3);
    const counts = await deliveryCounts(h.ctx.db, c.tenant.id, raiseAlert.id);
    expect(counts).toMatchObject({ 'in_app:delivered': result.totals.recipients, 'sms:delivered': SMS });
    expect(Object.keys(counts).every((k) => k.endsWith(':delivered'))).toBe(true);
    const doubled = await withTenant(h.ctx.db, c.tenant.id, (trx) =>
      trx('in_app_notifications')
        .where({ kind: 'alert' })
        .groupBy('account_id')
        .havingRaw('count(*) > 1')
        .select('account_id'),
    );
    expect(doubled).toEqual([]);
    expect(h.twilio.messages).toHaveLength(SMS);
    expect(h.twilio.duplicateSends()).toBe(0);
  }, 300_000);
});
