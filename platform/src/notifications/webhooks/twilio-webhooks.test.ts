import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/tenant.js';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { assemble } from '../../main/assembly.js';
import { createTenant, createTestContext, type TestContext, type TestTenant } from '../../testing/index.js';
import { notificationsModule } from '../module.js';
import { startTwilioStandIn, type TwilioStandIn } from '../../testing/twilio-standin.js';
import { ChannelError } from '../errors.js';
import { isOptedOut } from '../opt-outs.js';
import { statusCallbackUrl, type InboundSms, type Receipt } from '../receipts.js';

const PUBLIC_URL = 'https://api.vigie.test';
let ctx: TestContext;
// The production assembly with the notifications module alone: these tests own the
// receipt and inbound hooks, which the alerts module registers in the full app.
let app: FastifyInstance;
let standIn: TwilioStandIn;
let commune: TestTenant;
const receipts: Receipt[] = [];
const inbound: InboundSms[] = [];
let failNextReceipt = false;

/** Delivers what the stand-in posts to our public URL into the assembled app. */
async function inject(url: string, headers: Record<string, string>, body: string): Promise<number> {
  const u = new URL(url);
  const res = await app.inject({ method: 'POST', url: u.pathname + u.search, headers, payload: body });
  return res.statusCode;
}

beforeAll(async () => {
  standIn = await startTwilioStandIn({ sink: (url, headers, body) => inject(url, headers, body) });
  ctx = await createTestContext({
    env: {
      VIGIE_PUBLIC_URL: PUBLIC_URL,
      TWILIO_ACCOUNT_SID: standIn.accountSid,
      TWILIO_AUTH_TOKEN: standIn.authToken,
      TWILIO_MESSAGING_SERVICE_SID: standIn.messagingServiceSid,
      TWILIO_API_BASE_URL: standIn.url,
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
    if (failNextReceipt) {
      failNextReceipt = false;
      throw new Error('delivery layer down');
    }
    receipts.push(r);
  });
  app.notifications.inbound.handle(async (sms) => {
    inbound.push(sms);
    return {
      reply: sms.keyword === 'STOP' ? 'Vous ne recevrez plus de SMS de Vigie.' : 'Alerte reçue, merci.',
    };
  });
});
afterAll(async () => {
  await app?.close();
  await ctx?.close();
  await standIn?.close();
});
beforeEach(() => {
  receipts.length = 0;
  inbound.length = 0;
  failNextReceipt = false;
});

const send = (to: string, ref: string) =>
  app.notifications.channels.sms.send({
    tenantId: commune.id,
    to,
    body: 'Alerte : individu suspect rue des Lilas',
    statusCallbackUrl: statusCallbackUrl(PUBLIC_URL, commune.id, ref),
    idempotencyKey: ref,
  });

describe('POST /webhooks/twilio/status', () => {
  it('turns signed status callbacks into receipts for the commune named in the signed URL', async () => {
    const sent = await send('+33612345678', 'delivery-1');
    await standIn.drain();
    expect(standIn.callbacks.slice(-3).map((c) => c.status)).toEqual([200, 200, 200]);
    expect(receipts.map((r) => r.status)).toEqual(['sent', 'delivered']);
    expect(receipts[1]).toMatchObject({
      provider: 'twilio',
      channel: 'sms',
      providerMessageId: sent.providerId,
      tenantId: commune.id,
      ref: 'delivery-1',
      reason: null,
    });
  });

  it('ignores a replayed callback: same MessageSid and status, nothing twice', async () => {
    await send('+33612345679', 'delivery-2');
    await standIn.drain();
    const delivered = standIn.callbacks.at(-1)!;
    receipts.length = 0;
    const res = await app.inject({
      method: 'POST',
      url: new URL(delivered.url).pathname + new URL(delivered.url).search,
      headers: delivered.headers,
      payload: delivered.body,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ result: 'duplicate' });
    expect(receipts).toEqual([]);
  });

  it('answers 403 WEBHOOK_SIGNATURE_INVALID to forged callbacks', async () => {
    await send('+33612345680', 'delivery-3');
    await standIn.drain();
    const genuine = standIn.callbacks.at(-1)!;
    const u = new URL(genuine.url);
    receipts.length = 0;
    const attempts = [
      // the body changed after signing
      {
        url: u.pathname + u.search,
        headers: genuine.headers,
        payload: genuine.body.replace('MessageStatus=delivered', 'MessageStatus=undelivered'),
      },
      // another commune in the URL
      {
        url: u.pathname + u.search.replace(commune.id, '00000000-0000-4000-8000-000000000009'),
        headers: genuine.headers,
        payload: genuine.body,
      },
      // no signature at all
      {
        url: u.pathname + u.search,
        headers: { 'content-type': genuine.headers['content-type']! },
        payload: genuine.body,
      },
    ];
    for (const a of attempts) {
      const res = await app.inject({ method: 'POST', ...a });
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('WEBHOOK_SIGNATURE_INVALID');
    }
    expect(receipts).toEqual([]);
  });

  it('keeps a callback whose handler failed unseen, so Twilio’s retry is processed', async () => {
    failNextReceipt = true;
    const sent = await send('+33612345681', 'delivery-4');
    await standIn.drain();
    const [queued, first, delivered] = standIn.callbacks.slice(-3);
    expect([queued!.status, first!.status, delivered!.status]).toEqual([200, 500, 200]);
    expect(receipts.map((r) => r.status)).toEqual(['delivered']);
    // Twilio retries the callback that failed: now it is handled, once.
    const u = new URL(first!.url);
    const retry = await app.inject({
      method: 'POST',
      url: u.pathname + u.search,
      headers: first!.headers,
      payload: first!.body,
    });
    expect(retry.json()).toMatchObject({ result: 'receipt' });
    expect(receipts.map((r) => [r.status, r.providerMessageId])).toEqual([
      ['delivered', sent.providerId],
      ['sent', sent.providerId],
    ]);
  });

  it('records an unsubscribed number (21610) as opted out and refuses the next send before calling Twilio', async () => {
    standIn.behaviour.outcome = () => ({ status: 'failed', errorCode: 21610 });
    try {
      await send('+33612345690', 'delivery-6');
      await standIn.drain();
    } finally {
      standIn.behaviour.outcome = () => ({ status: 'delivered' });
    }
    expect(receipts.at(-1)).toMatchObject({
      status: 'undelivered',
      reason: 'OPTED_OUT',
      providerCode: '21610',
    });
    expect(await withTenant(ctx.db, commune.id, (trx) => isOptedOut(trx, 'sms', '+33612345690'))).toBe(true);
    const before = standIn.requests;
    await expect(send('+33612345690', 'delivery-7')).rejects.toMatchObject({
      reason: 'OPTED_OUT',
      retryable: false,
    });
    await expect(send('+33612345690', 'delivery-7')).rejects.toBeInstanceOf(ChannelError);
    expect(standIn.requests).toBe(before);
  });
});

describe('POST /webhooks/twilio/inbound', () => {
  const url = `${PUBLIC_URL}/webhooks/twilio/inbound`;

  it('hands a signed inbound SMS to the registered handler and answers its reply in TwiML', async () => {
    const req = standIn.inbound(url, {
      from: '+33677777777',
      body: 'Un homme essaie d’ouvrir les portails rue Verte',
    });
    const res = await app.inject({
      method: 'POST',
      url: '/webhooks/twilio/inbound',
      headers: req.headers,
      payload: req.body,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/xml/);
    expect(res.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Alerte reçue, merci.</Message></Response>',
    );
    expect(inbound).toEqual([
      {
        messageSid: req.params.MessageSid,
        from: '+33677777777',
        to: standIn.senderNumber,
        body: 'Un homme essaie d’ouvrir les portails rue Verte',
        keyword: null,
      },
    ]);
  });

  it('recognises STOP, ARRET and START keywords', async () => {
    for (const [body, keyword] of [
      ['STOP', 'STOP'],
      ['arret', 'STOP'],
      ['Arrêt.', 'STOP'],
      ['START', 'START'],
      ['stop les cambriolages', null],
    ] as const) {
      const req = standIn.inbound(url, { from: '+33677777778', body });
      await app.inject({
        method: 'POST',
        url: '/webhooks/twilio/inbound',
        headers: req.headers,
        payload: req.body,
      });
      expect(inbound.at(-1)?.keyword).toBe(keyword);
    }
  });

  it('processes a replayed inbound SMS once', async () => {
    const req = standIn.inbound(url, { from: '+33677777779', body: 'Chien perdu' });
    const a = await app.inject({
      method: 'POST',
      url: '/webhooks/twilio/inbound',
      headers: req.headers,
      payload: req.body,
    });
    const b = await app.inject({
      method: 'POST',
      url: '/webhooks/twilio/inbound',
      headers: req.headers,
      payload: req.body,
    });
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(b.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(inbound).toHaveLength(1);
  });

  it('answers 403 to a forged inbound SMS and calls no handler', async () => {
    const req = standIn.inbound(url, { from: '+33677777780', body: 'Faux' });
    const res = await app.inject({
      method: 'POST',
      url: '/webhooks/twilio/inbound',
      headers: req.headers,
      payload: req.body.replace('Faux', 'Vrai'),
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('WEBHOOK_SIGNATURE_INVALID');
    expect(inbound).toEqual([]);
  });
});
