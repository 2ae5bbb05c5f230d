import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { startTwilioStandIn, twilioSignature, type TwilioStandIn } from './twilio-standin.js';
import { createTwilioClient } from '../notifications/adapters/twilio-sms.js';

interface Posted {
  url: string;
  headers: Record<string, string>;
  params: Record<string, string>;
}

let standIn: TwilioStandIn;
const posted: Posted[] = [];
const CALLBACK = 'https://api.vigie.test/webhooks/twilio/status?t=00000000-0000-4000-8000-000000000001&r=d-1';

beforeAll(async () => {
  standIn = await startTwilioStandIn({
    seed: 7,
    sink: async (url, headers, body) => {
      posted.push({ url, headers, params: Object.fromEntries(new URLSearchParams(body)) });
      return 200;
    },
  });
});
afterAll(async () => standIn?.close());

const client = () =>
  createTwilioClient({
    accountSid: standIn.accountSid,
    authToken: standIn.authToken,
    messagingServiceSid: standIn.messagingServiceSid,
    apiBaseUrl: standIn.url,
  });

describe('Twilio stand-in', () => {
  it('speaks the Messages API to the real SDK: create, fetch, list', async () => {
    const c = client();
    const m = await c.messages.create({
      to: '+33612345678',
      body: 'Bonjour',
      messagingServiceSid: standIn.messagingServiceSid,
    });
    expect(m.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(m.status).toBe('accepted');
    expect(m.numSegments).toBe('1');
    expect((await c.messages(m.sid).fetch()).body).toBe('Bonjour');
    expect((await c.messages.list({ to: '+33612345678' })).map((x) => x.sid)).toContain(m.sid);
  });

  it('refuses a wrong auth token with Twilio’s 20003', async () => {
    const bad = twilio(standIn.accountSid, 'wrong-token', { httpClient: client().httpClient });
    bad.api.baseUrl = standIn.url;
    await expect(
      bad.messages.create({
        to: '+33612345678',
        body: 'x',
        messagingServiceSid: standIn.messagingServiceSid,
      }),
    ).rejects.toMatchObject({ status: 401, code: 20003 });
  });

  it('posts queued → sent → delivered, signed exactly as twilio.validateRequest expects', async () => {
    posted.length = 0;
    const m = await client().messages.create({
      to: '+33611111111',
      body: 'Alerte',
      messagingServiceSid: standIn.messagingServiceSid,
      statusCallback: CALLBACK,
    });
    await standIn.drain();
    expect(posted.map((p) => p.params.MessageStatus)).toEqual(['queued', 'sent', 'delivered']);
    for (const p of posted) {
      expect(p.url).toBe(CALLBACK);
      expect(p.params.MessageSid).toBe(m.sid);
      expect(
        twilio.validateRequest(standIn.authToken, p.headers['x-twilio-signature']!, p.url, p.params),
      ).toBe(true);
      expect(twilio.validateRequest('another-token', p.headers['x-twilio-signature']!, p.url, p.params)).toBe(
        false,
      );
      expect(
        twilio.validateRequest(standIn.authToken, p.headers['x-twilio-signature']!, p.url, {
          ...p.params,
          MessageStatus: 'failed',
        }),
      ).toBe(false);
    }
    expect(twilioSignature(standIn.authToken, CALLBACK, posted[0]!.params)).toBe(
      twilio.getExpectedTwilioSignature(standIn.authToken, CALLBACK, posted[0]!.params),
    );
  });

  it('reports undelivered and failed outcomes with their error codes', async () => {
    posted.length = 0;
    standIn.behaviour.outcome = (to) =>
      to.endsWith('0') ? { status: 'undelivered', errorCode: 30003 } : { status: 'failed', errorCode: 30008 };
    try {
      await client().messages.create({
        to: '+33600000000',
        body: 'a',
        messagingServiceSid: standIn.messagingServiceSid,
        statusCallback: CALLBACK,
      });
      await client().messages.create({
        to: '+33600000001',
        body: 'b',
        messagingServiceSid: standIn.messagingServiceSid,
        statusCallback: CALLBACK,
      });
      await standIn.drain();
    } finally {
      standIn.behaviour.outcome = () => ({ status: 'delivered' });
    }
    const last = (to: string) => posted.filter((p) => p.params.To === to).at(-1)!.params;
    expect(last('+33600000000')).toMatchObject({ MessageStatus: 'undelivered', ErrorCode: '30003' });
    expect(last('+33600000001')).toMatchObject({ MessageStatus: 'failed', ErrorCode: '30008' });
  });

  it('signs inbound SMS the same way', () => {
    const url = 'https://api.vigie.test/webhooks/twilio/inbound';
    const req = standIn.inbound(url, { from: '+33622222222', body: 'STOP' });
    expect(req.params).toMatchObject({
      From: '+33622222222',
      To: standIn.senderNumber,
      Body: 'STOP',
      SmsStatus: 'received',
    });
    expect(
      twilio.validateRequest(
        standIn.authToken,
        req.headers['x-twilio-signature']!,
        url,
        Object.fromEntries(new URLSearchParams(req.body)),
      ),
    ).toBe(true);
  });

  it('counts sends per recipient and the duplicates among them, including lost responses', async () => {
    standIn.reset();
    const c = client();
    await c.messages.create({
      to: '+33633333333',
      body: 'un',
      messagingServiceSid: standIn.messagingServiceSid,
    });
    await c.messages.create({
      to: '+33633333333',
      body: 'deux',
      messagingServiceSid: standIn.messagingServiceSid,
    });
    standIn.behaviour.lostResponseRate = 1;
    await expect(
      c.messages.create({
        to: '+33633333333',
        body: 'deux',
        messagingServiceSid: standIn.messagingServiceSid,
      }),
    ).rejects.toMatchObject({ status: 500 });
    standIn.behaviour.lostResponseRate = 0;
    expect(standIn.sendsTo('+33633333333')).toBe(3);
    expect(standIn.duplicateSends()).toBe(1);
  });

  it('fails about the requested fraction of requests, before sending anything', async () => {
    standIn.reset();
    standIn.behaviour.failureRate = 0.3;
    let failed = 0;
    try {
      for (let i = 0; i < 100; i++) {
        await client()
          .messages.create({
            to: `+3364000${String(i).padStart(4, '0')}`,
            body: 'x',
            messagingServiceSid: standIn.messagingServiceSid,
          })
          .catch((err: { status: number }) => {
            expect([500, 503]).toContain(err.status);
            failed += 1;
          });
      }
    } finally {
      standIn.behaviour.failureRate = 0;
    }
    expect(failed).toBeGreaterThan(15);
    expect(failed).toBeLessThan(45);
    expect(standIn.messages.length).toBe(100 - failed);
    expect(standIn.requests).toBe(100);
  });
});
