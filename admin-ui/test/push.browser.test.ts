// Web push in a real Chromium against `vigie start` (real PostgreSQL and
// Temporal, the demo commune of Serris). Chromium's own push service is
// Google's (FCM), out of reach here, so it is stood in for at its two ends:
// in the page, PushManager's subscribe/getSubscription hand out a
// subscription of the local push endpoint (its keys a real P-256 pair and auth
// secret whose private half the endpoint keeps); on the way back, the payload
// the endpoint decrypted is handed to the page's real service worker through
// the DevTools protocol, as Chromium does with what FCM brings. Everything in
// between is Vigie's own: the page, the server, the delivery workflow and
// web-push's VAPID signature and aes128gcm encryption, which the endpoint
// checks as a real push service and a real browser would. (Chromium's own
// subscribe answers « AbortError: Registration failed - permission denied »
// here, headless or --headless=new, even with the notifications and push
// permissions granted: it has no push service to register with.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CDPSession } from 'playwright-core';
import { withTenant, type Trx } from '@vigie/platform';
import {
  startPushEndpoint,
  type BrowserSubscription,
  type PushEndpoint,
} from '@vigie/platform/testing/push-endpoint';
import {
  expectAccessible,
  expectClean,
  h1,
  login,
  person,
  raiseUrgentAlert,
  see,
  usePortal,
} from './browser.js';

const run = usePortal();
let pushService: PushEndpoint;
beforeAll(async () => {
  pushService = await startPushEndpoint();
});
afterAll(async () => {
  await pushService?.close();
});

/** A read of Serris's rows, under its tenant (the tables' row-level security binds even their owner). */
async function inSerris<T>(fn: (trx: Trx) => Promise<T>): Promise<T> {
  const db = run.portal.started.app.db;
  const tenant = (await db('tenants').where({ slug: 'serris' }).first('id')) as { id: string };
  return withTenant(db, tenant.id, fn);
}
const devicesAt = (endpoint: string) =>
  inSerris((trx) =>
    trx('push_subscriptions')
      .where({ endpoint })
      .select<Array<{ id: string; p256dh: string; auth: string }>>('id', 'p256dh', 'auth'),
  );

/** What the stood-in PushManager saw, kept in localStorage so it lives through reloads as a browser's subscription does. */
interface StandIn {
  applicationServerKey: string | null;
  userVisibleOnly: boolean | null;
  subscribed: boolean;
  unsubscribed: number;
}
const STAND_IN = 'vigie-test-push-stand-in';

/**
 * Runs in the page before its scripts: PushManager as Chromium's would be with a push
 * service that gave out `devices`, a new one after each unsubscribe (as a real one does).
 */
function standInPushManager([devices, storageKey]: [BrowserSubscription[], string]) {
  const load = (): StandIn =>
    JSON.parse(
      localStorage.getItem(storageKey) ??
        '{"applicationServerKey":null,"userVisibleOnly":null,"subscribed":false,"unsubscribed":0}',
    ) as StandIn;
  const save = (s: StandIn) => localStorage.setItem(storageKey, JSON.stringify(s));
  const b64url = (bytes: Uint8Array) =>
    btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
  const bytesOf = (s: string) =>
    Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  const subscription = () => {
    const device = devices[Math.min(load().unsubscribed, devices.length - 1)]!;
    return {
      endpoint: device.endpoint,
      expirationTime: null,
      getKey: (name: 'p256dh' | 'auth') => bytesOf(device.keys[name]).buffer,
      toJSON: () => ({ endpoint: device.endpoint, expirationTime: null, keys: device.keys }),
      unsubscribe: () => {
        const s = load();
        save({ ...s, subscribed: false, unsubscribed: s.unsubscribed + 1 });
        return Promise.resolve(true);
      },
    };
  };
  PushManager.prototype.subscribe = function (options?: PushSubscriptionOptionsInit) {
    const key = options?.applicationServerKey;
    const raw =
      typeof key === 'string'
        ? key
        : key instanceof ArrayBuffer
          ? b64url(new Uint8Array(key))
          : key
            ? b64url(new Uint8Array(key.buffer, key.byteOffset, key.byteLength))
            : null;
    save({
      ...load(),
      applicationServerKey: raw,
      userVisibleOnly: options?.userVisibleOnly ?? null,
      subscribed: true,
    });
    return Promise.resolve(subscription() as unknown as PushSubscription);
  };
  PushManager.prototype.getSubscription = function () {
    return Promise.resolve(load().subscribed ? (subscription() as unknown as PushSubscription) : null);
  };
}

/** Service worker registrations as DevTools reports them: scope by id, and those whose worker is activated. */
async function watchServiceWorkers(cdp: CDPSession) {
  const scopes = new Map<string, string>();
  const active = new Set<string>();
  cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
    for (const r of registrations) scopes.set(r.registrationId, r.scopeURL);
  });
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const v of versions) if (v.status === 'activated') active.add(v.registrationId);
  });
  await cdp.send('ServiceWorker.enable');
  return {
    /** The id of the activated registration of `scope`, once there is one. */
    async registrationOf(scope: string): Promise<string> {
      const find = () => [...scopes].find(([id, s]) => s === scope && active.has(id))?.[0];
      await expect.poll(find, { timeout: 15_000 }).toBeDefined();
      return find()!;
    },
  };
}

describe('web push on a resident’s browser', () => {
  it('a resident allows notifications, an alert reaches the device encrypted and its service worker shows it once; a device the push service drops can be allowed again; turned off, it is forgotten', async () => {
    const bruno = await person(run.browser, { serviceWorkers: true });
    const alice = await person(run.browser);
    const referent = await person(run.browser);
    const b = bruno.page;
    const device = pushService.subscribe();
    // What the push service gives this browser once the first one is gone.
    const next = pushService.subscribe();
    const vapidKey = run.portal.started.app.notifications.channels.push.publicKey!;
    pushService.expectVapidKey = vapidKey;
    await bruno.context.grantPermissions(['notifications'], { origin: run.base });
    await bruno.context.addInitScript(standInPushManager, [[device, next], STAND_IN] as [
      BrowserSubscription[],
      string,
    ]);

    // Bruno allows notifications on this browser.
    await login(bruno, run.base, 'bruno@serris.example');
    const cdp = await bruno.context.newCDPSession(b);
    const workers = await watchServiceWorkers(cdp);
    await b.goto(`${run.base}/preferences`);
    await h1(b, 'Mes alertes : canaux et horaires');
    const section = b.locator('section[aria-labelledby="push-title"]');
    await section.getByRole('button', { name: 'Autoriser les notifications' }).click();
    await see(b, section.getByRole('status').filter({ hasText: 'Cet appareil reçoit les notifications.' }));
    await see(b, section.getByRole('listitem').filter({ hasText: 'cet appareil' }));
    const standIn = await b.evaluate((k) => JSON.parse(localStorage.getItem(k)!) as StandIn, STAND_IN);
    expect(standIn).toMatchObject({
      applicationServerKey: vapidKey,
      userVisibleOnly: true,
      subscribed: true,
    });
    const [sub] = await devicesAt(device.endpoint);
    expect(sub).toMatchObject(device.keys);
    await expectAccessible(b, 'preferences, notifications allowed');

    // Alice raises an urgent alert: the push service gets it for Bruno's device, signed and encrypted for it.
    await login(alice, run.base, 'alice@serris.example');
    const text = `Une voiture tourne au ralenti depuis une heure, rue de la Fontaine (${Date.now()})`;
    await raiseUrgentAlert(alice.page, run.base, text, 'Rue de la Fontaine');
    await expect.poll(() => pushService.receivedBy(device.endpoint).length, { timeout: 30_000 }).toBe(1);
    expect(pushService.refused).toEqual([]);
    const push = pushService.receivedBy(device.endpoint)[0]!;
    expect(push).toMatchObject({ vapidKey, jwt: { aud: pushService.origin }, urgency: 'high', status: 201 });
    const payload = push.payload as { title: string; body: string; alertId: string; url: string };
    expect(payload.url).toBe(`${run.base}/alertes/${payload.alertId}`);
    expect(payload.body.split('\n').slice(0, 2)).toEqual([text, 'Où : Rue de la Fontaine']);
    expect(payload.title).toMatch(/^Serris – /);
    await expect
      .poll(async () =>
        inSerris((trx) =>
          trx('deliveries')
            .where({ alert_id: payload.alertId, channel: 'push', push_subscription_id: sub!.id })
            .select('status'),
        ),
      )
      .toEqual([{ status: 'delivered' }]);

    // What the push service brings, Chromium hands to the service worker: it shows the notification,
    // once however many times the push service delivers it (a retry after a lost answer).
    const shown = () =>
      b.evaluate(async () =>
        (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({
          title: n.title,
          body: n.body,
          data: n.data as unknown,
        })),
      );
    expect(await shown()).toEqual([]);
    const registrationId = await workers.registrationOf(`${run.base}/`);
    for (let i = 0; i < 2; i++)
      await cdp.send('ServiceWorker.deliverPushMessage', {
        origin: run.base,
        registrationId,
        data: JSON.stringify(payload),
      });
    await expect
      .poll(shown)
      .toEqual([{ title: payload.title, body: payload.body, data: { url: payload.url } }]);

    // Bruno clicks the notification: the tab he has open goes to the alert's page.
    // (Chromium gives no way to click a notification from DevTools: the click is the
    // event the service worker would get, dispatched in it.)
    const [worker] = bruno.context.serviceWorkers();
    await worker!.evaluate(`(async () => {
      const [n] = await self.registration.getNotifications();
      self.dispatchEvent(new NotificationEvent('notificationclick', { notification: n }));
    })()`);
    await expect.poll(() => b.url(), { timeout: 10_000 }).toBe(payload.url);
    await see(b, b.getByText(text).first());
    await b.goto(`${run.base}/preferences`);
    await h1(b, 'Mes alertes : canaux et horaires');

    // The push service says the device is gone (410): Vigie drops it, and the page offers to allow notifications again.
    // (Another resident raises it: a second alert of Alice's so soon would be added to her first.)
    pushService.respond(device.endpoint, 410);
    await login(referent, run.base, 'referent@serris.example');
    await raiseUrgentAlert(
      referent.page,
      run.base,
      `Vitre brisée sur la même voiture (${Date.now()})`,
      'Rue de la Fontaine',
    );
    await expect.poll(() => devicesAt(device.endpoint), { timeout: 30_000 }).toEqual([]);
    await b.reload();
    await see(b, section.getByRole('button', { name: 'Autoriser les notifications' }));
    // The list follows the server's answer, a moment after the button.
    await expect.poll(() => section.getByRole('listitem').count(), { timeout: 5_000 }).toBe(0);
    // Allowed again: the browser lets go of the dead subscription and registers a new one, not the same gone endpoint.
    await section.getByRole('button', { name: 'Autoriser les notifications' }).click();
    await see(b, section.getByRole('listitem').filter({ hasText: 'cet appareil' }));
    expect(await devicesAt(next.endpoint)).toHaveLength(1);
    expect(await devicesAt(device.endpoint)).toEqual([]);

    // Bruno turns notifications off here: the server forgets the device, the browser unsubscribes.
    await b.reload();
    await section
      .getByRole('button', { name: 'Ne plus recevoir les notifications sur cet appareil' })
      .click();
    await see(
      b,
      section.getByRole('status').filter({ hasText: 'Cet appareil ne reçoit plus les notifications.' }),
    );
    await see(b, section.getByRole('button', { name: 'Autoriser les notifications' }));
    // The list follows the server's answer, a moment after the button.
    await expect.poll(() => section.getByRole('listitem').count(), { timeout: 5_000 }).toBe(0);
    expect(await devicesAt(next.endpoint)).toEqual([]);
    expect(await b.evaluate((k) => JSON.parse(localStorage.getItem(k)!) as StandIn, STAND_IN)).toMatchObject({
      subscribed: false,
      unsubscribed: 2,
    });
    await expectAccessible(b, 'preferences, notifications turned off');
    for (const p of [bruno, alice, referent]) {
      expectClean(p);
      await p.context.close();
    }
  }, 90_000);
});
