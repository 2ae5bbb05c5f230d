// Fan-out at scale against the provider stand-ins: communities of 2,000
// members, SMS (Twilio stand-in, signed status callbacks) and email
// (aws-ses-v2-local, SES events signed as SNS would), on the real Temporal dev
// server and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_DELIVERY_KIND, workflowId, type AlertDeliveryResult } from '@vigie/workflows/contracts';
import { withTenant } from '../db/tenant.js';
import {
  createSectorRow,
  deliveryCounts,
  RAISE,
  seedCommune,
  seedMembers,
  startHarness,
  type Harness,
  type SeededCommunity,
} from './testing/harness.js';

let h: Harness;
let c: SeededCommunity;
let smsOnlySector: string;
let firstAlert: string;
const MEMBERS = 2000;

beforeAll(async () => {
  h = await startHarness();
  await h.startWorkers();
  c = await seedCommune(h.ctx, { alerts: { retryInitialSeconds: 0.2, receiptWindowMinutes: 5 } });
  // SMS and email: the two provider channels (in-app is covered by the smaller tests).
  await seedMembers(h.ctx.ownerDb, c.tenant.id, c.sectorId, { count: MEMBERS, channels: ['sms', 'email'] });
  smsOnlySector = await createSectorRow(h.ctx.ownerDb, c.tenant.id, 'Gare');
  await seedMembers(h.ctx.ownerDb, c.tenant.id, smsOnlySector, {
    count: MEMBERS,
    phoneOffset: 100_000,
    channels: ['sms'],
  });
}, 300_000);
afterAll(async () => h?.close());

async function raiseUrgent(sectorId: string, text: string): Promise<string> {
  const r = await c.police.browser.ok<{ raiseAlert: { id: string } }>(RAISE, {
    input: {
      category: 'vehicule-reperage',
      severity: 'urgent',
      text,
      target: { kind: 'sectors', sectorIds: [sectorId] },
    },
  });
  return r.raiseAlert.id;
}

/** Waits for the workflow while relaying SES events, as SES and SNS would, until it completes. */
async function deliver(alertId: string): Promise<{ result: AlertDeliveryResult; ms: number }> {
  const t0 = Date.now();
  const handle = h.ctx.temporal.client.workflow.getHandle(
    workflowId(c.tenant.slug, ALERT_DELIVERY_KIND, alertId),
  );
  let done = false;
  const result = handle.result().finally(() => (done = true));
  while (!done) {
    await h.relaySesDeliveries();
    await new Promise((r) => setTimeout(r, 300));
  }
  return { result: (await result) as AlertDeliveryResult, ms: Date.now() - t0 };
}

describe('an urgent alert to a community of 2,000 members', () => {
  it('reaches `delivered` for every recipient on SMS and email', async () => {
    const alertId = await raiseUrgent(
      c.sectorId,
      'Camionnette blanche sans plaque qui tourne dans le quartier depuis une heure.',
    );
    firstAlert = alertId;
    const { result, ms } = await deliver(alertId);
    console.log(
      `[alerts] 2,000 members × (SMS + email): every delivery delivered in ${(ms / 1000).toFixed(1)} s (${result.totals.batches} batches)`,
    );

    expect(result.totals.recipients).toBe(MEMBERS);
    expect(result.byStatus).toEqual({ delivered: 2 * MEMBERS });
    expect(await deliveryCounts(h.ctx.db, c.tenant.id, alertId)).toEqual({
      'sms:delivered': MEMBERS,
      'email:delivered': MEMBERS,
    });
    // Each member got exactly one SMS, and one email at the SES stand-in.
    expect(h.twilio.messages.length).toBe(MEMBERS);
    expect(new Set(h.twilio.messages.map((m) => m.to)).size).toBe(MEMBERS);
    expect(h.ses.calls.filter((x) => x.action === 'SendEmail' && x.status === 200).length).toBe(MEMBERS);
    // Every timestamp of the report is there and in order.
    const rows = await withTenant(h.ctx.db, c.tenant.id, (trx) =>
      trx('deliveries')
        .where({ alert_id: alertId, channel: 'sms' })
        .select('queued_at', 'sending_at', 'sent_at', 'delivered_at'),
    );
    for (const r of rows)
      expect(r.queued_at <= r.sending_at && r.sending_at <= r.sent_at && r.sent_at <= r.delivered_at).toBe(
        true,
      );
  }, 400_000);

  it('ends `delivered`, or failed with a reason, for every delivery when 20 % of SMS requests fail', async () => {
    h.twilio.reset();
    h.twilio.behaviour.failureRate = 0.2;
    try {
      const alertId = await raiseUrgent(
        smsOnlySector,
        'Démarcheurs se présentant comme agents des eaux, rue des Lilas.',
      );
      const { result, ms } = await deliver(alertId);
      const refused = h.twilio.requests - h.twilio.messages.length;
      console.log(
        `[alerts] 20 % of SMS requests refused (${refused} refusals, each retried): ${result.totals.recipients} recipients settled in ${(ms / 1000).toFixed(1)} s, ${JSON.stringify(result.byStatus)}`,
      );
      // Twilio does not call back twice: every status callback must have been taken.
      const lost = h.twilio.callbacks.filter((x) => x.status !== 200);
      if (lost.length)
        console.log(
          '[alerts] callbacks not taken:',
          lost.slice(0, 5).map((x) => [x.status, x.error, x.body.slice(0, 200)]),
        );
      expect(refused).toBeGreaterThan(MEMBERS * 0.15);
      expect(result.totals.recipients).toBe(MEMBERS);
      const rows = await withTenant(h.ctx.db, c.tenant.id, (trx) =>
        trx('deliveries').where({ alert_id: alertId }).select('channel', 'status', 'reason', 'attempts'),
      );
      expect(rows.filter((r) => r.channel === 'sms')).toHaveLength(MEMBERS);
      expect(rows.filter((r) => r.status !== 'delivered' && !r.reason)).toEqual([]);
      // Six attempts at 20 % failure leave about one SMS in 15,000 failed (then sent by email): in practice, none.
      expect(
        rows.filter((r) => r.channel === 'sms' && r.status === 'delivered').length,
      ).toBeGreaterThanOrEqual(MEMBERS - 2);
      expect(rows.some((r) => r.attempts > 1)).toBe(true);
      expect(h.twilio.duplicateSends()).toBe(0);
    } finally {
      h.twilio.behaviour.failureRate = 0;
    }
  }, 400_000);
});

describe('the delivery report', () => {
  it('shows staff each recipient and channel, and the author counts only', async () => {
    const report = await c.police.browser.ok<{
      alertDeliveryReport: {
        summary: { recipients: number; total: number; byStatus: Array<{ status: string; count: number }> };
        items: Array<Record<string, unknown>>;
        nextCursor: string | null;
      };
    }>(
      `query ($id: ID!) { alertDeliveryReport(alertId: $id, channel: sms, limit: 3) {
          summary { recipients total byStatus { status count } }
          items { recipientName channel status attempts queuedAt sendingAt sentAt deliveredAt failedAt }
          nextCursor } }`,
      { id: firstAlert },
    );
    expect(report.alertDeliveryReport.summary).toMatchObject({
      recipients: MEMBERS,
      total: 2 * MEMBERS,
      byStatus: [{ status: 'delivered', count: 2 * MEMBERS }],
    });
    expect(report.alertDeliveryReport.items).toHaveLength(3);
    expect(report.alertDeliveryReport.items[0]).toMatchObject({
      channel: 'sms',
      status: 'delivered',
      attempts: 1,
      failedAt: null,
    });
    expect(report.alertDeliveryReport.items[0]!.recipientName).toMatch(/^Voisin /);
    expect(report.alertDeliveryReport.items[0]!.deliveredAt).toEqual(expect.any(String));
    expect(report.alertDeliveryReport.nextCursor).toEqual(expect.any(String));

    const mine = await c.police.browser.ok<{
      alert: { deliverySummary: { byChannel: Array<{ channel: string; status: string; count: number }> } };
    }>(`query ($id: ID!) { alert(id: $id) { deliverySummary { byChannel { channel status count } } } }`, {
      id: firstAlert,
    });
    expect(mine.alert.deliverySummary.byChannel).toEqual(
      expect.arrayContaining([
        { channel: 'sms', status: 'delivered', count: MEMBERS },
        { channel: 'email', status: 'delivered', count: MEMBERS },
      ]),
    );
  });
});
