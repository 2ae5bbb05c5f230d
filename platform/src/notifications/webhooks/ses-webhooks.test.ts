import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/tenant.js';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { assemble } from '../../main/assembly.js';
import { createTenant, createTestContext, type TestContext, type TestTenant } from '../../testing/index.js';
import { notificationsModule } from '../module.js';
import { startSesLocal, type SesLocal } from '../../testing/ses-local.js';
import { snsSigner, type SnsSigner } from '../../testing/sns-signing.js';
import { isOptedOut } from '../opt-outs.js';
import { receiptTags, ReceiptRegistry, type Receipt } from '../receipts.js';
import { handleSnsMessage, type SesEvent } from './ses.js';
import { createCertStore } from './sns.js';

let ctx: TestContext;
// The production assembly with the notifications module alone: these tests own the
// receipt and inbound hooks, which the alerts module registers in the full app.
let app: FastifyInstance;
let ses: SesLocal;
let signer: SnsSigner;
let commune: TestTenant;
const receipts: Receipt[] = [];

beforeAll(async () => {
  [ses, signer] = await Promise.all([startSesLocal(), snsSigner()]);
  ctx = await createTestContext({
    env: {
      AWS_REGION: 'eu-west-3',
      SES_FROM: 'Vigie <alertes@vigie.test>',
      SES_CONFIGURATION_SET: 'vigie-events',
      SES_ENDPOINT: ses.endpoint,
      SNS_TRUSTED_CERT_PATH: signer.certPath,
    },
  });
  app = await (
    await assemble({
      config: ctx.config,
      db: ctx.db,
      operatorDb: ctx.operatorDb,
      temporal: ctx.temporal,
      log: pino({ level: 'silent' }),
      plugins: [],
      modules: [notificationsModule],
    })
  ).buildApp({ logger: false });
  await app.ready();
  commune = await createTenant(ctx.operatorDb);
  app.notifications.receipts.on(async (r) => {
    receipts.push(r);
  });
});
afterAll(async () => {
  await app?.close();
  await ctx?.close();
  await ses?.close();
});
beforeEach(() => {
  receipts.length = 0;
});

async function sendEmail(to: string, ref: string): Promise<string> {
  const r = await app.notifications.channels.email.send({
    tenantId: commune.id,
    to,
    subject: 'Alerte',
    html: '<p>Alerte</p>',
    text: 'Alerte',
    tags: receiptTags(commune.id, ref),
  });
  return r.providerId;
}

/** A configuration-set event as SES publishes it to SNS (the tags are the ones we sent). */
function sesEvent(messageId: string, eventType: string, extra: Partial<SesEvent>): SesEvent {
  return {
    eventType,
    mail: {
      messageId,
      timestamp: new Date().toISOString(),
      tags: { 'ses:configuration-set': ['vigie-events'], 'vigie-tenant': [commune.id], 'vigie-ref': ['d-1'] },
    },
    ...extra,
  };
}

const post = (payload: unknown, contentType = 'text/plain; charset=UTF-8') =>
  app.inject({
    method: 'POST',
    url: '/webhooks/ses',
    headers: { 'content-type': contentType, 'x-amz-sns-message-type': 'Notification' },
    payload: JSON.stringify(payload),
  });

describe('POST /webhooks/ses (SNS)', () => {
  it('turns a signed Delivery event into a delivered receipt (SignatureVersion 1, SHA1)', async () => {
    const id = await sendEmail('livre@example.test', 'd-1');
    const at = '2026-11-27T08:00:00.000Z';
    const res = await post(
      signer.notification(
        sesEvent(id, 'Delivery', { delivery: { timestamp: at, recipients: ['livre@example.test'] } }),
        { version: '1' },
      ),
    );
    expect(res.statusCode).toBe(200);
    expect(receipts).toEqual([
      {
        provider: 'ses',
        channel: 'email',
        providerMessageId: id,
        tenantId: commune.id,
        ref: 'd-1',
        status: 'delivered',
        at: new Date(at),
        reason: null,
        providerCode: null,
      },
    ]);
  });

  it('turns a hard bounce into a bounced receipt and an opt-out; the next email is refused before SES (SignatureVersion 2, SHA256)', async () => {
    const id = await sendEmail('inconnu@example.test', 'd-2');
    const event = sesEvent(id, 'Bounce', {
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'NoEmail',
        bouncedRecipients: [{ emailAddress: 'inconnu@example.test' }],
      },
    });
    const res = await post(signer.notification(event, { version: '2' }), 'application/json');
    expect(res.statusCode).toBe(200);
    expect(receipts[0]).toMatchObject({
      status: 'bounced',
      reason: 'HARD_BOUNCE',
      providerCode: 'Permanent/NoEmail',
      providerMessageId: id,
    });
    expect(
      await withTenant(ctx.db, commune.id, (trx) => isOptedOut(trx, 'email', 'Inconnu@Example.test')),
    ).toBe(true);
    const calls = ses.calls.length;
    await expect(sendEmail('inconnu@example.test', 'd-3')).rejects.toMatchObject({
      reason: 'OPTED_OUT',
      retryable: false,
    });
    expect(ses.calls.length).toBe(calls);
  });

  it('keeps a soft bounce as undelivered, without opting the address out', async () => {
    const id = await sendEmail('pleine@example.test', 'd-4');
    await post(
      signer.notification(
        sesEvent(id, 'Bounce', {
          bounce: {
            bounceType: 'Transient',
            bounceSubType: 'MailboxFull',
            bouncedRecipients: [{ emailAddress: 'pleine@example.test' }],
          },
        }),
      ),
    );
    expect(receipts[0]).toMatchObject({ status: 'undelivered', reason: 'SOFT_BOUNCE' });
    expect(
      await withTenant(ctx.db, commune.id, (trx) => isOptedOut(trx, 'email', 'pleine@example.test')),
    ).toBe(false);
  });

  it('turns a complaint into a complaint receipt and an opt-out (identity notification format)', async () => {
    const id = await sendEmail('fache@example.test', 'd-5');
    const event: SesEvent = {
      ...sesEvent(id, 'Complaint', {
        complaint: {
          complainedRecipients: [{ emailAddress: 'fache@example.test' }],
          complaintFeedbackType: 'abuse',
        },
      }),
      eventType: undefined,
      notificationType: 'Complaint',
    };
    expect((await post(signer.notification(event))).statusCode).toBe(200);
    expect(receipts[0]).toMatchObject({ status: 'complaint', reason: 'COMPLAINT', providerCode: 'abuse' });
    expect(
      await withTenant(ctx.db, commune.id, (trx) => isOptedOut(trx, 'email', 'fache@example.test')),
    ).toBe(true);
  });

  it('processes a replayed notification once', async () => {
    const id = await sendEmail('deux@example.test', 'd-6');
    const n = signer.notification(sesEvent(id, 'Delivery', { delivery: {} }));
    expect((await post(n)).json()).toMatchObject({ result: 'receipt' });
    expect((await post(n)).json()).toMatchObject({ result: 'duplicate' });
    expect(receipts).toHaveLength(1);
  });

  it('answers 403 WEBHOOK_SIGNATURE_INVALID to a forged message, a signature from another key, or an untrusted certificate URL', async () => {
    const id = await sendEmail('cible@example.test', 'd-7');
    const genuine = signer.notification(sesEvent(id, 'Delivery', { delivery: {} }));
    const tampered = { ...genuine, Message: genuine.Message.replace('Delivery', 'Complaint') };
    const other = await (await import('../../testing/sns-signing.js')).createSnsSigner();
    const otherKey = other.notification(sesEvent(id, 'Delivery', { delivery: {} }));
    const attempts = [
      tampered,
      otherKey,
      signer.notification(sesEvent(id, 'Delivery', { delivery: {} }), {
        certUrl: 'http://sns.eu-west-3.amazonaws.com/cert.pem',
      }),
      signer.notification(sesEvent(id, 'Delivery', { delivery: {} }), {
        certUrl: 'https://sns.eu-west-3.amazonaws.com.evil.test/cert.pem',
      }),
      signer.notification(sesEvent(id, 'Delivery', { delivery: {} }), {
        certUrl: 'https://evil.test/SimpleNotificationService.pem',
      }),
    ];
    for (const a of attempts) {
      const res = await post(a);
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('WEBHOOK_SIGNATURE_INVALID');
    }
    expect(receipts).toEqual([]);
  });

  it('refuses a genuine but old message, so a replay cannot outlive its idempotency record', async () => {
    const id = await sendEmail('ancien@example.test', 'd-8');
    const old = signer.notification(sesEvent(id, 'Delivery', { delivery: {} }), {
      timestamp: new Date(Date.now() - 8 * 86_400_000).toISOString(),
    });
    const res = await post(old);
    expect(res.statusCode).toBe(400);
    expect(receipts).toEqual([]);
  });

  it('answers 400 to what is not an SNS message, and ignores events without our tenant tag', async () => {
    expect((await post({ hello: 'world' })).statusCode).toBe(400);
    const untagged: SesEvent = { eventType: 'Delivery', mail: { messageId: 'x' }, delivery: {} };
    expect((await post(signer.notification(untagged))).json()).toMatchObject({ result: 'no-tenant' });
    expect(receipts).toEqual([]);
  });

  it('never fetches a SubscribeURL outside AWS', async () => {
    let hits = 0;
    const trap = http.createServer((_req, res) => {
      hits += 1;
      res.end('ok');
    });
    await new Promise<void>((r) => trap.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(trap.address() as AddressInfo).port}/?Action=ConfirmSubscription`;
      const res = await post(signer.subscriptionConfirmation(url));
      expect(res.statusCode).toBe(400);
      expect(hits).toBe(0);
    } finally {
      trap.close();
    }
  });

  it('confirms a subscription by fetching an AWS SubscribeURL', async () => {
    const fetched: string[] = [];
    const fakeFetch = (async (url: string | URL | Request) => {
      fetched.push(String(url));
      return new Response('<ConfirmSubscriptionResponse/>', { status: 200 });
    }) as typeof fetch;
    const url =
      'https://sns.eu-west-3.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:eu-west-3:123456789012:vigie-ses-events&Token=abc';
    const outcome = await handleSnsMessage(signer.subscriptionConfirmation(url, { version: '2' }), {
      db: ctx.db,
      certs: createCertStore({ trustedCertPem: signer.certPem }),
      receipts: new ReceiptRegistry(),
      fetch: fakeFetch,
    });
    expect(outcome).toEqual({ status: 200, result: 'confirmed' });
    expect(fetched).toEqual([url]);
  });
});

describe('SNS certificate store', () => {
  it('fetches a certificate once per URL, and refuses non-AWS URLs without fetching', async () => {
    let fetches = 0;
    const store = createCertStore({
      fetch: (async () => {
        fetches += 1;
        return new Response(signer.certPem, { status: 200 });
      }) as typeof fetch,
    });
    const url = 'https://sns.eu-west-3.amazonaws.com/SimpleNotificationService-abc.pem';
    expect(await store.get(url)).toBe(signer.certPem);
    expect(await store.get(url)).toBe(signer.certPem);
    expect(fetches).toBe(1);
    await expect(store.get('https://evil.test/SimpleNotificationService-abc.pem')).rejects.toThrow(
      /Untrusted/,
    );
    await expect(store.get('https://sns.eu-west-3.amazonaws.com:8443/x.pem')).rejects.toThrow(/Untrusted/);
    expect(fetches).toBe(1);
  });
});
