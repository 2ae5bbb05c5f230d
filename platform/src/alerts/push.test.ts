// Web push as the fourth delivery channel, on the real harness (PostgreSQL,
// Temporal, the worker's send queues) against the local push endpoint, which
// decrypts every payload with the device's own key and checks the VAPID
// signature: a resident's devices each get the alert, a device the push
// service says is gone is dropped, and a resident whose every device failed
// gets the alert by email instead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_DELIVERY_KIND, DELIVERIES_PENDING_SIGNAL, workflowId } from '@vigie/workflows/contracts';
import { withTenant } from '../db/tenant.js';
import { startPushEndpoint, type BrowserSubscription, type PushEndpoint } from '../testing/push-endpoint.js';
import { Browser } from '../testing/index.js';
import {
  deliverAlert,
  RAISE,
  seedCommune,
  seedResident,
  startHarness,
  waitFor,
  type Harness,
  type SeededCommunity,
} from './testing/harness.js';

let h: Harness;
let endpoint: PushEndpoint;
beforeAll(async () => {
  [h, endpoint] = await Promise.all([startHarness(), startPushEndpoint()]);
  await h.startWorkers();
}, 120_000);
afterAll(async () => {
  await h?.close();
  await endpoint?.close();
});

const FAST = { retryInitialSeconds: 0.2, receiptWindowMinutes: 1 };
const SUBSCRIBE = `mutation($i: PushSubscriptionInput!) { subscribePush(input: $i) { id endpoint label lastSuccessAt } }`;

async function subscribe(b: Browser, label: string): Promise<BrowserSubscription & { id: string }> {
  const device = endpoint.subscribe();
  const r = await b.ok<{ subscribePush: { id: string } }>(SUBSCRIBE, { i: { ...device, label } });
  return { ...device, id: r.subscribePush.id };
}

async function policeAlert(c: SeededCommunity, severity: string, text: string): Promise<string> {
  const r = await c.police.browser.ok<{ raiseAlert: { id: string } }>(RAISE, {
    input: { category: 'incident', severity, text, target: { kind: 'sectors', sectorIds: [c.sectorId] } },
  });
  return r.raiseAlert.id;
}

type Row = {
  id: string;
  account_id: string;
  channel: string;
  status: string;
  reason: string | null;
  provider_code: string | null;
  fallback_of: string | null;
  push_subscription_id: string | null;
  attempts: number;
};
const rowsOf = (c: SeededCommunity, alertId: string, accountId: string) =>
  withTenant(h.ctx.db, c.tenant.id, (trx) =>
    trx('deliveries').where({ alert_id: alertId, account_id: accountId }).select<Row[]>('*'),
  );

describe('push subscriptions through GraphQL', () => {
  it('gives the VAPID key, registers, lists and forgets the signed-in resident’s devices, and refuses bad ones', async () => {
    const c = await seedCommune(h.ctx, { alerts: FAST });
    const lea = await seedResident(h, c.tenant, c.sectorId);
    const key = await lea.browser.ok<{ vapidPublicKey: string }>('{ vapidPublicKey }');
    expect(Buffer.from(key.vapidPublicKey, 'base64url')).toHaveLength(65);

    const phone = await subscribe(lea.browser, 'Téléphone');
    const laptop = await subscribe(lea.browser, 'Ordinateur');
    const mine = await lea.browser.ok<{ myPushSubscriptions: Array<{ endpoint: string; label: string }> }>(
      '{ myPushSubscriptions { endpoint label lastSuccessAt } }',
    );
    expect(mine.myPushSubscriptions).toEqual([
      { endpoint: phone.endpoint, label: 'Téléphone', lastSuccessAt: null },
      { endpoint: laptop.endpoint, label: 'Ordinateur', lastSuccessAt: null },
    ]);

    // A neighbour sees none of them and cannot remove them.
    const sam = await seedResident(h, c.tenant, c.sectorId);
    expect(
      (await sam.browser.ok<{ myPushSubscriptions: unknown[] }>('{ myPushSubscriptions { id } }'))
        .myPushSubscriptions,
    ).toEqual([]);
    const steal = await sam.browser.ok<{ unsubscribePush: boolean }>(
      'mutation($e: String!) { unsubscribePush(endpoint: $e) }',
      { e: laptop.endpoint },
    );
    expect(steal.unsubscribePush).toBe(false);

    const off = await lea.browser.ok<{ unsubscribePush: boolean }>(
      'mutation($e: String!) { unsubscribePush(endpoint: $e) }',
      { e: laptop.endpoint },
    );
    expect(off.unsubscribePush).toBe(true);
    const left = await lea.browser.ok<{ myPushSubscriptions: Array<{ endpoint: string }> }>(
      '{ myPushSubscriptions { endpoint } }',
    );
    expect(left.myPushSubscriptions.map((s) => s.endpoint)).toEqual([phone.endpoint]);

    const bad = endpoint.subscribe();
    const plain = await lea.browser.gql(SUBSCRIBE, { i: { ...bad, endpoint: 'http://push.example.test/x' } });
    expect(plain.errors?.[0]?.extensions).toMatchObject({
      code: 'PUSH_SUBSCRIPTION_INVALID',
      details: { field: 'endpoint' },
    });
    const shortKey = await lea.browser.gql(SUBSCRIBE, { i: { ...bad, keys: { ...bad.keys, auth: 'AAAA' } } });
    expect(shortKey.errors?.[0]?.extensions).toMatchObject({
      code: 'PUSH_SUBSCRIPTION_INVALID',
      details: { field: 'keys.auth' },
    });
    const anonymous = await new Browser(h.ctx.app, c.tenant.host).gql(SUBSCRIBE, { i: bad });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  }, 60_000);
});

describe('push subscriptions: limits', () => {
  it('keeps the ten devices heard from most recently, and moves a browser to whoever subscribes it last', async () => {
    const c = await seedCommune(h.ctx, { alerts: FAST });
    const lea = await seedResident(h, c.tenant, c.sectorId);
    const devices = [];
    for (let i = 0; i < 11; i++) devices.push(await subscribe(lea.browser, `Appareil ${i}`));
    const mine = await lea.browser.ok<{ myPushSubscriptions: Array<{ endpoint: string }> }>(
      '{ myPushSubscriptions { endpoint } }',
    );
    expect(mine.myPushSubscriptions).toHaveLength(10);
    expect(mine.myPushSubscriptions.map((s) => s.endpoint)).not.toContain(devices[0]!.endpoint);

    // The same browser, another person logged in: the subscription follows them.
    const sam = await seedResident(h, c.tenant, c.sectorId);
    await sam.browser.ok(SUBSCRIBE, { i: { endpoint: devices[10]!.endpoint, keys: devices[10]!.keys } });
    const leaLeft = await lea.browser.ok<{ myPushSubscriptions: Array<{ endpoint: string }> }>(
      '{ myPushSubscriptions { endpoint } }',
    );
    expect(leaLeft.myPushSubscriptions.map((s) => s.endpoint)).not.toContain(devices[10]!.endpoint);
    const samHas = await sam.browser.ok<{ myPushSubscriptions: Array<{ endpoint: string }> }>(
      '{ myPushSubscriptions { endpoint } }',
    );
    expect(samHas.myPushSubscriptions.map((s) => s.endpoint)).toEqual([devices[10]!.endpoint]);
  }, 60_000);
});

describe('alert delivery by web push', () => {
  it('reaches each of a resident’s two devices, encrypted for each, with a delivery row per device', async () => {
    const c = await seedCommune(h.ctx, { alerts: FAST });
    const lea = await seedResident(h, c.tenant, c.sectorId);
    const phone = await subscribe(lea.browser, 'Téléphone');
    const laptop = await subscribe(lea.browser, 'Ordinateur');
    const key = (await lea.browser.ok<{ vapidPublicKey: string }>('{ vapidPublicKey }')).vapidPublicKey;

    const alertId = await policeAlert(c, 'urgent', 'Fuite de gaz avenue de la Gare : restez chez vous.');
    await deliverAlert(h, c.tenant, alertId);

    for (const device of [phone, laptop]) {
      const got = endpoint.receivedBy(device.endpoint);
      expect(got).toHaveLength(1);
      expect(got[0]).toMatchObject({
        vapidKey: key,
        urgency: 'high',
        ttl: 86_400,
        payload: {
          alertId,
          body: 'Fuite de gaz avenue de la Gare : restez chez vous.',
        },
      });
      const payload = got[0]!.payload as { title: string; url: string };
      expect(payload.title).toMatch(/^Commune \w+ – URGENT : Incident$/);
      expect(payload.url).toMatch(new RegExp(`/alertes/${alertId}$`));
    }
    const push = (await rowsOf(c, alertId, lea.id)).filter((r) => r.channel === 'push');
    expect(push).toHaveLength(2);
    expect(new Set(push.map((r) => r.push_subscription_id))).toEqual(new Set([phone.id, laptop.id]));
    expect(push.every((r) => r.status === 'delivered')).toBe(true);
    const seen = await lea.browser.ok<{ myPushSubscriptions: Array<{ lastSuccessAt: string | null }> }>(
      '{ myPushSubscriptions { lastSuccessAt } }',
    );
    expect(seen.myPushSubscriptions.every((s) => s.lastSuccessAt !== null)).toBe(true);
  }, 90_000);

  it('drops a device the push service answers 410 for, records its delivery failed, and retries a 429', async () => {
    const c = await seedCommune(h.ctx, { alerts: FAST });
    const lea = await seedResident(h, c.tenant, c.sectorId, { channels: ['push', 'in_app'] });
    const old = await subscribe(lea.browser, 'Ancien téléphone');
    const busy = await subscribe(lea.browser, 'Tablette');
    endpoint.respond(old.endpoint, 410);
    endpoint.respond(busy.endpoint, [429, 201]);

    const alertId = await policeAlert(c, 'important', 'Travaux rue du Moulin : circulation alternée.');
    await deliverAlert(h, c.tenant, alertId);

    const rows = await rowsOf(c, alertId, lea.id);
    const of = (id: string) => rows.find((r) => r.push_subscription_id === id);
    expect(of(old.id)).toMatchObject({
      status: 'failed',
      reason: 'SUBSCRIPTION_GONE',
      provider_code: '410',
      attempts: 1,
    });
    expect(of(busy.id)).toMatchObject({ status: 'delivered', reason: null, attempts: 2 });
    expect(endpoint.attempts(busy.endpoint)).toBe(2);
    // The police see each device's outcome.
    const report = await c.police.browser.ok<{
      alertDeliveryReport: {
        items: Array<{ channel: string; status: string; reason: string | null; device: string | null }>;
      };
    }>(
      'query($a: ID!) { alertDeliveryReport(alertId: $a, channel: push) { items { channel status reason device } } }',
      {
        a: alertId,
      },
    );
    expect(report.alertDeliveryReport.items).toEqual(
      expect.arrayContaining([
        { channel: 'push', status: 'delivered', reason: null, device: 'Tablette' },
        { channel: 'push', status: 'failed', reason: 'SUBSCRIPTION_GONE', device: null },
      ]),
    );
    // One device still works: no fallback.
    expect(rows.filter((r) => r.channel === 'email' || r.channel === 'sms')).toEqual([]);
    const left = await lea.browser.ok<{ myPushSubscriptions: Array<{ endpoint: string }> }>(
      '{ myPushSubscriptions { endpoint } }',
    );
    expect(left.myPushSubscriptions.map((s) => s.endpoint)).toEqual([busy.endpoint]);

    // The next alert does not try the dropped device again.
    const next = await policeAlert(c, 'important', 'Travaux terminés rue du Moulin.');
    await deliverAlert(h, c.tenant, next);
    expect(endpoint.attempts(old.endpoint)).toBe(1);
    expect((await rowsOf(c, next, lea.id)).filter((r) => r.channel === 'push')).toHaveLength(1);
  }, 90_000);

  it('falls back to email when every device of the resident failed, and to SMS without an email', async () => {
    const c = await seedCommune(h.ctx, { alerts: FAST });
    const lea = await seedResident(h, c.tenant, c.sectorId, { channels: ['push', 'in_app'] });
    const a = await subscribe(lea.browser, 'Téléphone');
    const b = await subscribe(lea.browser, 'Ordinateur');
    endpoint.respond(a.endpoint, 410);
    endpoint.respond(b.endpoint, 404);
    const tom = await seedResident(h, c.tenant, c.sectorId, {
      channels: ['push', 'in_app'],
      phone: '+33600000777',
    });
    await withTenant(h.ctx.ownerDb, c.tenant.id, (trx) =>
      trx('accounts').where({ id: tom.id }).update({ email_verified_at: null }),
    );
    const t = await subscribe(tom.browser, 'Téléphone');
    endpoint.respond(t.endpoint, 410);

    const alertId = await policeAlert(c, 'important', 'Coupure d’électricité quartier du Parc ce soir.');
    await deliverAlert(h, c.tenant, alertId);

    const rows = await rowsOf(c, alertId, lea.id);
    const pushRows = rows.filter((r) => r.channel === 'push');
    expect(pushRows.map((r) => r.status)).toEqual(['failed', 'failed']);
    const email = rows.filter((r) => r.channel === 'email');
    expect(email).toHaveLength(1);
    expect(email[0]).toMatchObject({ status: 'delivered' });
    expect(pushRows.map((r) => r.id)).toContain(email[0]!.fallback_of);

    const tomRows = await rowsOf(c, alertId, tom.id);
    expect(tomRows.find((r) => r.channel === 'sms')).toMatchObject({
      status: 'delivered',
      fallback_of: tomRows.find((r) => r.channel === 'push')!.id,
    });
    expect(h.twilio.sendsTo('+33600000777')).toBe(1);
  }, 90_000);
});

describe('web push, quiet hours and the digest', () => {
  const hhmm = (d: Date) => d.toISOString().slice(11, 16);

  it('holds an `info` push during quiet hours and sends it when they end; sends none for an alert waiting for the digest', async () => {
    const c = await seedCommune(h.ctx, { alerts: FAST });
    const now = Date.now();
    const night = await seedResident(h, c.tenant, c.sectorId, {
      channels: ['push', 'in_app'],
      prefs: {
        quiet_hours_start: hhmm(new Date(now - 3_600_000)),
        quiet_hours_end: hhmm(new Date(now + 3_600_000)),
        timezone: 'UTC',
      },
    });
    const digest = await seedResident(h, c.tenant, c.sectorId, {
      channels: ['push', 'email', 'in_app'],
      prefs: { digest_info: true },
    });
    const sleeping = await subscribe(night.browser, 'Téléphone');
    const digested = await subscribe(digest.browser, 'Téléphone');
    const alertId = await policeAlert(c, 'info', 'Marché de nuit samedi sur la place.');
    const handle = h.ctx.temporal.client.workflow.getHandle(
      workflowId(c.tenant.slug, ALERT_DELIVERY_KIND, alertId),
    );
    const held = await waitFor('the held push', async () =>
      (await rowsOf(c, alertId, night.id)).find((r) => r.channel === 'push' && r.status === 'held'),
    );
    expect(held.reason).toBe('QUIET_HOURS');
    expect(endpoint.attempts(sleeping.endpoint)).toBe(0);
    expect((await rowsOf(c, alertId, digest.id)).map((r) => [r.channel, r.status, r.reason]).sort()).toEqual([
      ['email', 'held', 'DIGEST'],
      ['in_app', 'delivered', null],
    ]);

    // The morning comes (moved forward here instead of waiting an hour).
    await withTenant(h.ctx.ownerDb, c.tenant.id, (trx) =>
      trx('deliveries')
        .where({ id: held.id })
        .update({ not_before: new Date(Date.now() - 1000) }),
    );
    await handle.signal(DELIVERIES_PENDING_SIGNAL);
    await deliverAlert(h, c.tenant, alertId);
    expect(endpoint.receivedBy(sleeping.endpoint)).toHaveLength(1);
    expect(endpoint.receivedBy(sleeping.endpoint)[0]).toMatchObject({ urgency: 'low', ttl: 6 * 3600 });
    expect(endpoint.attempts(digested.endpoint)).toBe(0);
  }, 120_000);
});
