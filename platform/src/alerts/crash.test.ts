// A worker dies in the middle of a 5,000-recipient fan-out (SIGKILL: no
// graceful shutdown, in-flight provider calls and transactions cut short) and
// a new one takes over. Every recipient must end with exactly one delivered
// record per channel; the SMS stand-in counts what was sent twice.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_DELIVERY_KIND, workflowId, type AlertDeliveryResult } from '@vigie/workflows/contracts';
import { withTenant } from '../db/tenant.js';
import { startWorkerProcess } from './testing/child-process.js';
import {
  deliveryCounts,
  RAISE,
  seedCommune,
  seedMembers,
  startHarness,
  TEST_RATES,
  waitFor,
  type Harness,
  type SeededCommunity,
} from './testing/harness.js';

let h: Harness;
let c: SeededCommunity;
let child: ChildProcess | undefined;
const MEMBERS = 5000;

beforeAll(async () => {
  h = await startHarness();
  c = await seedCommune(h.ctx, { alerts: { retryInitialSeconds: 0.2, receiptWindowMinutes: 5 } });
  // SMS only: the provider channel whose duplicates cost money and annoy.
  await seedMembers(h.ctx.ownerDb, c.tenant.id, c.sectorId, {
    count: MEMBERS,
    emailVerified: false,
    channels: ['sms'],
  });
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await h?.close();
});

describe('a worker killed in the middle of a 5,000-recipient fan-out', () => {
  it('leaves every recipient with exactly one delivered record per channel once a new worker takes over', async () => {
    child = await startWorkerProcess(h, TEST_RATES);
    const r = await c.police.browser.ok<{ raiseAlert: { id: string } }>(RAISE, {
      input: {
        category: 'individu-suspect',
        severity: 'urgent',
        text: 'Deux individus testent les poignées de portes, secteur Centre.',
        target: { kind: 'sectors', sectorIds: [c.sectorId] },
      },
    });
    const alertId = r.raiseAlert.id;
    let lastLog = Date.now();
    await waitFor(
      'a third of the SMS sent',
      async () => {
        if (Date.now() - lastLog > 10_000) {
          lastLog = Date.now();
          console.log(
            `[alerts] ${h.twilio.messages.length} SMS sent so far`,
            JSON.stringify(await deliveryCounts(h.ctx.db, c.tenant.id, alertId)),
          );
        }
        return h.twilio.messages.length >= MEMBERS / 3;
      },
      600_000,
      50,
    );
    child.kill('SIGKILL');
    const sentAtKill = h.twilio.messages.length;
    await new Promise((resolve) => child!.once('exit', resolve));

    const t0 = Date.now();
    await h.startWorkers();
    const result = (await h.ctx.temporal.client.workflow
      .getHandle(workflowId(c.tenant.slug, ALERT_DELIVERY_KIND, alertId))
      .result()) as AlertDeliveryResult;
    const duplicates = h.twilio.duplicateSends();
    console.log(
      `[alerts] worker killed after ${sentAtKill} of ${MEMBERS} SMS; the new worker finished in ${((Date.now() - t0) / 1000).toFixed(1)} s; duplicate SMS at the stand-in: ${duplicates}`,
    );

    expect(result.totals.recipients).toBe(MEMBERS);
    expect(await deliveryCounts(h.ctx.db, c.tenant.id, alertId)).toEqual({ 'sms:delivered': MEMBERS });
    const perRecipient = await withTenant(h.ctx.db, c.tenant.id, (trx) =>
      trx('deliveries')
        .where({ alert_id: alertId, status: 'delivered' })
        .groupBy(['account_id', 'channel'])
        .havingRaw('count(*) <> 1')
        .select('account_id'),
    );
    expect(perRecipient).toEqual([]);
    // Every member's phone received the alert at least once; copies are bounded by the sends in flight at the kill.
    expect(new Set(h.twilio.messages.map((m) => m.to)).size).toBe(MEMBERS);
    expect(duplicates).toBeLessThanOrEqual(TEST_RATES.concurrency);
  }, 900_000);
});
