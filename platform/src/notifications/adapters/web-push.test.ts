// The web push adapter against the local push endpoint, which decrypts every
// payload with the device's private key and checks the VAPID signature.
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import webpush from 'web-push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPushEndpoint, type PushEndpoint } from '../../testing/push-endpoint.js';
import { isChannelError, type ChannelError } from '../errors.js';
import type { PushMessage } from '../ports.js';
import { validatePushSubscription, PushSubscriptionInvalid } from '../push/subscriptions.js';
import { createWebPushSender } from './web-push.js';
import { generateVapidKeys, resolveVapid } from '../push/vapid.js';
import { ConfigError, loadConfig } from '../../config/config.js';

let endpoint: PushEndpoint;
// Our own key generation (web-push loads only to send): the stand-in checks every push's VAPID signature against it.
const vapid = { ...generateVapidKeys(), subject: 'mailto:ops@vigie.test' };
const sender = createWebPushSender({ vapid, timeoutMs: 5_000 });

beforeAll(async () => {
  endpoint = await startPushEndpoint();
  endpoint.expectVapidKey = vapid.publicKey;
});
afterAll(async () => endpoint?.close());

const message = (target: PushMessage['target']): PushMessage => ({
  tenantId: '00000000-0000-0000-0000-000000000001',
  target,
  payload: {
    title: 'Serris – Urgent : Incendie',
    body: 'Feu de poubelles rue de la Fontaine, les pompiers sont prévenus. 🚒',
    alertId: 'a1',
    url: 'http://serris.localhost:3000/alertes/a1',
    severity: 'urgent',
  },
  ttlSeconds: 3600,
  urgency: 'high',
  topic: 'a1',
});

async function failure(p: Promise<unknown>): Promise<ChannelError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isChannelError(err)) throw new Error(`expected a ChannelError, got ${String(err)}`);
  return err;
}

describe('web push adapter', () => {
  it('encrypts the payload for the device only (aes128gcm) and signs VAPID for the endpoint origin', async () => {
    const device = endpoint.subscribe();
    const res = await sender.send(message(device));
    expect(res).toMatchObject({ status: 'delivered', provider: 'web-push', providerStatus: '201' });
    expect(res.providerId).toMatch(new RegExp(`^${endpoint.origin}/message/`));
    const [got] = endpoint.receivedBy(device.endpoint);
    expect(got).toMatchObject({
      payload: message(device).payload,
      ttl: 3600,
      urgency: 'high',
      topic: 'a1',
      vapidKey: vapid.publicKey,
      jwt: { aud: endpoint.origin, sub: 'mailto:ops@vigie.test' },
    });

    // The same message addressed with another device's keys cannot be read by this one.
    const other = endpoint.subscribe();
    const mixed = { endpoint: device.endpoint, keys: other.keys };
    expect((await failure(sender.send(message(mixed)))).reason).toBe('REJECTED');
    expect(endpoint.refused.at(-1)).toMatchObject({
      status: 400,
      reason: expect.stringMatching(/not encrypted for this device/),
    });
  });

  it('refuses a push signed with another VAPID key, as the push service would', async () => {
    const device = endpoint.subscribe();
    const stranger = createWebPushSender({
      vapid: { ...webpush.generateVAPIDKeys(), subject: 'mailto:x@y.test' },
    });
    const err = await failure(stranger.send(message(device)));
    expect(err).toMatchObject({ reason: 'CONFIGURATION', retryable: false, providerCode: '401' });
    expect(endpoint.receivedBy(device.endpoint)).toHaveLength(0);
  });

  it('types the push service answers: 404/410 gone for good, 429 and 5xx worth a retry', async () => {
    const gone = endpoint.subscribe();
    endpoint.respond(gone.endpoint, 410);
    expect(await failure(sender.send(message(gone)))).toMatchObject({
      reason: 'SUBSCRIPTION_GONE',
      retryable: false,
      providerCode: '410',
    });
    const unknown = endpoint.subscribe();
    endpoint.respond(unknown.endpoint, 404);
    expect((await failure(sender.send(message(unknown)))).reason).toBe('SUBSCRIPTION_GONE');
    const busy = endpoint.subscribe();
    endpoint.respond(busy.endpoint, [429, 503, 201]);
    expect(await failure(sender.send(message(busy)))).toMatchObject({
      reason: 'RATE_LIMITED',
      retryable: true,
    });
    expect(await failure(sender.send(message(busy)))).toMatchObject({
      reason: 'PROVIDER_UNAVAILABLE',
      retryable: true,
    });
    expect((await sender.send(message(busy))).status).toBe('delivered');
    expect(endpoint.attempts(busy.endpoint)).toBe(3);
  });

  it('says NETWORK when the push service cannot be reached, and CONFIGURATION without VAPID keys', async () => {
    const device = endpoint.subscribe();
    const closed = { ...device, endpoint: 'http://127.0.0.1:9/push/x' };
    expect(await failure(sender.send(message(closed)))).toMatchObject({ reason: 'NETWORK', retryable: true });
    const off = createWebPushSender({ vapid: null });
    expect(off.publicKey).toBeNull();
    expect((await failure(off.send(message(device)))).reason).toBe('CONFIGURATION');
  });
});

describe('push subscription input', () => {
  const device = () => ({
    endpoint: 'https://updates.push.services.mozilla.com/wpush/v2/abc',
    keys: {
      p256dh: Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 7)]).toString('base64url'),
      auth: Buffer.alloc(16, 1).toString('base64url'),
    },
  });
  const refusal = (input: unknown, env = 'production') => {
    try {
      validatePushSubscription(input, env);
    } catch (err) {
      if (err instanceof PushSubscriptionInvalid) return err.field;
      throw err;
    }
    return null;
  };

  it('takes an https endpoint with a P-256 key and a 16-byte secret, and trims the label', () => {
    expect(validatePushSubscription({ ...device(), label: '  Téléphone ' }, 'production').label).toBe(
      'Téléphone',
    );
    expect(refusal(device())).toBeNull();
  });

  it('refuses plain http except on the loopback outside production, and wrong key sizes', () => {
    expect(refusal({ ...device(), endpoint: 'http://push.example.test/x' }, 'development')).toBe('endpoint');
    expect(refusal({ ...device(), endpoint: 'http://127.0.0.1:8080/push/x' }, 'production')).toBe('endpoint');
    expect(refusal({ ...device(), endpoint: 'http://127.0.0.1:8080/push/x' }, 'development')).toBeNull();
    expect(refusal({ ...device(), endpoint: 'http://localhost:8080/push/x' }, 'test')).toBeNull();
    expect(refusal({ ...device(), endpoint: 'ftp://push.example.test/x' })).toBe('endpoint');
    expect(refusal({ ...device(), endpoint: 'https://10.0.0.7/push/x' })).toBe('endpoint');
    expect(refusal({ ...device(), endpoint: 'https://[::1]/push/x' })).toBe('endpoint');
    expect(refusal({ ...device(), endpoint: 'https://localhost/push/x' })).toBe('endpoint');
    expect(refusal({ ...device(), endpoint: 'pas une url' })).toBe('endpoint');
    expect(refusal({ ...device(), endpoint: 'https://u:p@push.example.test/x' })).toBe('endpoint');
    const d = device();
    expect(
      refusal({ ...d, keys: { ...d.keys, p256dh: Buffer.alloc(65, 4).subarray(1).toString('base64url') } }),
    ).toBe('keys.p256dh');
    expect(refusal({ ...d, keys: { ...d.keys, auth: Buffer.alloc(8).toString('base64url') } })).toBe(
      'keys.auth',
    );
    expect(refusal({ ...d, keys: { ...d.keys, auth: 'pas+base64/url' } })).toBe('keys/auth');
  });
});

describe('VAPID keys', () => {
  it('are generated once into the data dir outside production, kept across restarts, and configuration in production', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'vigie-vapid-'));
    const first = resolveVapid({ env: 'development', dataDir, vapid: undefined });
    expect(first).not.toBeNull();
    expect(Buffer.from(first!.publicKey, 'base64url')).toHaveLength(65);
    expect(statSync(path.join(dataDir, 'vapid.json')).mode & 0o777).toBe(0o600);
    expect(resolveVapid({ env: 'development', dataDir, vapid: undefined })).toEqual(first);
    expect(resolveVapid({ env: 'production', dataDir, vapid: undefined })).toBeNull();
    const env = { VAPID_PUBLIC_KEY: vapid.publicKey, VAPID_PRIVATE_KEY: vapid.privateKey };
    expect(loadConfig(env).vapid).toEqual({ ...vapid, subject: 'mailto:contact@vigie.localhost' });
    expect(resolveVapid({ env: 'production', dataDir, vapid: loadConfig(env).vapid })!.publicKey).toBe(
      vapid.publicKey,
    );
  });

  it('refuse a half or malformed configuration by name', () => {
    expect(() => loadConfig({ VAPID_PUBLIC_KEY: vapid.publicKey })).toThrow(/VAPID_PRIVATE_KEY/);
    expect(() => loadConfig({ VAPID_PUBLIC_KEY: 'abc', VAPID_PRIVATE_KEY: vapid.privateKey })).toThrow(
      /VAPID_PUBLIC_KEY/,
    );
    expect(() =>
      loadConfig({
        VAPID_PUBLIC_KEY: vapid.publicKey,
        VAPID_PRIVATE_KEY: vapid.privateKey,
        VAPID_SUBJECT: 'ops',
      }),
    ).toThrow(ConfigError);
  });
});
