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

  it('places a call for the real SDK: fetches the TwiML, posts the key to the Gather action, then the status, all signed', async () => {
    const fetched: Posted[] = [];
    const voice = await startTwilioStandIn({
      sink: async (url, headers, body) => {
        posted.push({ url, headers, params: Object.fromEntries(new URLSearchParams(body)) });
        return 200;
      },
      request: async (url, headers, body) => {
        fetched.push({ url, headers, params: Object.fromEntries(new URLSearchParams(body)) });
        const twiml = url.includes('/gather')
          ? '<Response><Say language="fr-FR">Merci.</Say><Hangup/></Response>'
          : '<Response><Gather numDigits="1" action="https://api.vigie.test/webhooks/twilio/voice/gather?t=x&amp;r=y"><Say language="fr-FR">Alerte : l&apos;eau monte.</Say></Gather></Response>';
        return { status: 200, body: twiml };
      },
      callScript: (to, attempt) =>
        attempt === 1 ? { answer: 'no-answer' } : { answer: 'answered', digits: '1' },
    });
    try {
      const c = createTwilioClient({
        accountSid: voice.accountSid,
        authToken: voice.authToken,
        messagingServiceSid: voice.messagingServiceSid,
        apiBaseUrl: voice.url,
      });
      const status = 'https://api.vigie.test/webhooks/twilio/voice/status?t=x&r=y';
      const create = () =>
        c.calls.create({
          to: '+33164000001',
          from: voice.voiceNumber,
          url: 'https://api.vigie.test/webhooks/twilio/voice?t=x&r=y',
          statusCallback: status,
          statusCallbackEvent: ['answered', 'completed'],
        });
      const first = await create();
      expect(first.sid).toMatch(/^CA[0-9a-f]{32}$/);
      expect(first.status).toBe('queued');
      await voice.drain();
      expect((await c.calls(first.sid).fetch()).status).toBe('no-answer');
      expect(fetched).toEqual([]);
      const second = await create();
      await voice.drain();
      expect((await c.calls(second.sid).fetch()).status).toBe('completed');
      expect(fetched.map((f) => f.url)).toEqual([
        'https://api.vigie.test/webhooks/twilio/voice?t=x&r=y',
        'https://api.vigie.test/webhooks/twilio/voice/gather?t=x&r=y',
      ]);
      expect(fetched[1]!.params).toMatchObject({ CallSid: second.sid, Digits: '1', To: '+33164000001' });
      const call = voice.calls[1]!;
      expect(call.said).toEqual([{ language: 'fr-FR', text: "Alerte : l'eau monte." }]);
      const statuses = posted
        .filter((p) => p.url === status)
        .map((p) => [p.params.CallSid, p.params.CallStatus]);
      expect(statuses).toEqual([
        [first.sid, 'no-answer'],
        [second.sid, 'in-progress'],
        [second.sid, 'completed'],
      ]);
      // Every request is signed as Twilio signs them: the SDK's own check accepts each.
      for (const p of [...fetched, ...posted.filter((x) => x.url === status)])
        expect(
          twilio.validateRequest(voice.authToken, p.headers['x-twilio-signature']!, p.url, p.params),
        ).toBe(true);
    } finally {
      await voice.close();
    }
  });
});
