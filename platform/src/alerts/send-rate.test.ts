// The provider's rate across workers: two worker instances (each its own
// pool and rate gate, as two worker processes have) send one alert's SMS
// together, and the stand-in sees no more than the rate allows over any
// second, nor a total faster than the rate, while both did part of the work
// (600 SMS make three batches of up to 250, shared by whichever polls first).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkOf, TOKEN_TTL_MS } from './send-rate.js';
import {
  deliverAlert,
  deliveryCounts,
  RAISE,
  seedCommune,
  seedMembers,
  startHarness,
  type Harness,
} from './testing/harness.js';
import type { Metrics } from '../lib/metrics.js';

const RATE = 60;
const SMS = 600;
let h: Harness;
let workers: Array<{ metrics: Metrics }>;

beforeAll(async () => {
  // One batch at a time per worker: the three batches cannot all go to one of them.
  h = await startHarness({ rates: { smsPerSecond: RATE }, queueConcurrency: 1 });
  workers = [await h.startWorkers(), await h.startWorkers({ separate: true })];
}, 120_000);
afterAll(async () => h?.close());

async function accepted(m: Metrics): Promise<number> {
  const v = (await m.sends.get()).values.find(
    (x) => x.labels.channel === 'sms' && x.labels.outcome === 'accepted',
  );
  return v?.value ?? 0;
}

describe('the shared token bucket', () => {
  it('holds the SMS rate of all workers together, each worker sending its share', async () => {
    const c = await seedCommune(h.ctx, { alerts: { receiptWindowMinutes: 1 } });
    await seedMembers(h.ctx.ownerDb, c.tenant.id, c.sectorId, {
      count: SMS,
      channels: ['sms'],
      emailVerified: false,
    });
    const { raiseAlert } = await c.police.browser.ok<{ raiseAlert: { id: string } }>(RAISE, {
      input: {
        category: 'individu-suspect',
        severity: 'urgent',
        text: 'Individu suspect rue des Lilas.',
        target: { kind: 'sectors', sectorIds: [c.sectorId] },
      },
    });
    await deliverAlert(h, c.tenant, raiseAlert.id);
    expect(await deliveryCounts(h.ctx.db, c.tenant.id, raiseAlert.id)).toMatchObject({
      'sms:delivered': SMS,
    });
    const at = h.twilio.messages.map((m) => m.dateCreated.getTime()).sort((a, b) => a - b);
    expect(at).toHaveLength(SMS);
    // The bucket starts with one chunk and refills at the rate: the rest takes (SMS - chunk) / rate.
    const chunk = chunkOf(RATE);
    const spanS = (at[at.length - 1]! - at[0]!) / 1000;
    expect(spanS).toBeGreaterThanOrEqual(((SMS - chunk) / RATE) * 0.9);
    // Over any five seconds, at most the rate plus one chunk (bought at the end of
    // the window) and the tokens' lifetime, with a tenth for the requests' own
    // latency between the token and the stand-in's clock (a busy test process
    // handles requests in bunches: the longer window keeps that jitter small).
    const WINDOW_MS = 5000;
    let worst = 0;
    for (let i = 0, j = 0; i < at.length; i++) {
      while (at[i]! - at[j]! >= WINDOW_MS) j++;
      worst = Math.max(worst, i - j + 1);
    }
    expect(worst).toBeLessThanOrEqual(
      Math.ceil(RATE * (WINDOW_MS / 1000 + TOKEN_TTL_MS / 1000) * 1.1) + chunk,
    );
    // Both workers took part (the batches went to whichever polled first).
    const shares = await Promise.all(workers.map((w) => accepted(w.metrics)));
    expect(shares.reduce((a, b) => a + b, 0)).toBe(SMS);
    expect(Math.min(...shares)).toBeGreaterThan(0);
    console.log(
      `[alerts] ${SMS} SMS at ${RATE}/s by two workers (${shares.join(' + ')}): ${spanS.toFixed(2)} s, worst 5 s ${worst}`,
    );
  }, 120_000);
});
