import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwilioStandIn, type TwilioStandIn } from '../../testing/twilio-standin.js';
import { freePort } from '../../testing/ports.js';
import { ChannelError, toApplicationFailure } from '../errors.js';
import { createTwilioSmsSender } from './twilio-sms.js';
import type { SmsMessage } from '../ports.js';

let standIn: TwilioStandIn;
beforeAll(async () => {
  standIn = await startTwilioStandIn({ seed: 42, sink: async () => 200 });
});
afterAll(async () => standIn?.close());

const TENANT = '00000000-0000-4000-8000-000000000001';
const sender = (over: { timeoutMs?: number; apiBaseUrl?: string; authToken?: string } = {}) =>
  createTwilioSmsSender({
    accountSid: standIn.accountSid,
    authToken: over.authToken ?? standIn.authToken,
    messagingServiceSid: standIn.messagingServiceSid,
    apiBaseUrl: over.apiBaseUrl ?? standIn.url,
    timeoutMs: over.timeoutMs,
  });
const sms = (to: string, over: Partial<SmsMessage> = {}): SmsMessage => ({
  tenantId: TENANT,
  to,
  body: 'Alerte : véhicule en repérage',
  idempotencyKey: `k-${to}`,
  ...over,
});

async function failure(p: Promise<unknown>): Promise<ChannelError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ChannelError);
    return err as ChannelError;
  }
  throw new Error('expected a ChannelError');
}

describe('Twilio SMS adapter (real SDK → stand-in)', () => {
  it('sends through the Messaging Service with the status callback', async () => {
    const r = await sender().send(
      sms('+33612345678', { statusCallbackUrl: 'https://api.vigie.test/webhooks/twilio/status?t=x' }),
    );
    expect(r).toMatchObject({ provider: 'twilio', status: 'accepted', providerStatus: 'accepted' });
    expect(r.providerId).toMatch(/^SM[0-9a-f]{32}$/);
    const m = standIn.messages.find((x) => x.sid === r.providerId)!;
    expect(m).toMatchObject({
      to: '+33612345678',
      body: 'Alerte : véhicule en repérage',
      messagingServiceSid: standIn.messagingServiceSid,
      statusCallback: 'https://api.vigie.test/webhooks/twilio/status?t=x',
    });
  });

  it.each([
    [21211, 'INVALID_NUMBER'],
    [21614, 'INVALID_NUMBER'],
    [21610, 'OPTED_OUT'],
  ])('classifies Twilio error %i as non-retryable %s', async (code, reason) => {
    const to = `+336000${code}`;
    standIn.behaviour.rejections.set(to, code);
    const err = await failure(sender().send(sms(to)));
    expect(err).toMatchObject({ channel: 'sms', reason, retryable: false, providerCode: String(code) });
    const af = toApplicationFailure(err);
    expect(af).toMatchObject({ type: reason, nonRetryable: true });
  });

  it('refuses a number that is not E.164 without calling Twilio', async () => {
    const before = standIn.requests;
    const err = await failure(sender().send(sms('06 12 34 56 78')));
    expect(err).toMatchObject({ reason: 'INVALID_NUMBER', retryable: false });
    expect(standIn.requests).toBe(before);
  });

  it('classifies 500/503 answers as retryable, at the rate the stand-in fails', async () => {
    standIn.behaviour.failureRate = 0.2;
    const reasons: string[] = [];
    let sent = 0;
    try {
      for (let i = 0; i < 60; i++) {
        await sender()
          .send(sms(`+3365${String(i).padStart(7, '0')}`))
          .then(() => (sent += 1))
          .catch((err: ChannelError) => {
            expect(err.retryable).toBe(true);
            reasons.push(err.reason);
          });
      }
    } finally {
      standIn.behaviour.failureRate = 0;
    }
    expect(new Set(reasons)).toEqual(new Set(['PROVIDER_UNAVAILABLE']));
    expect(reasons.length).toBeGreaterThan(3);
    expect(sent + reasons.length).toBe(60);
    expect(toApplicationFailure(new ChannelError('sms', 'PROVIDER_UNAVAILABLE', 'x')).nonRetryable).toBe(
      false,
    );
  });

  it('classifies a wrong auth token as CONFIGURATION (non-retryable: fall back, and an operator must act)', async () => {
    const err = await failure(sender({ authToken: 'nope' }).send(sms('+33612340000')));
    expect(err).toMatchObject({ reason: 'CONFIGURATION', retryable: false, providerCode: '20003' });
  });

  it('classifies an unreachable provider as NETWORK and a slow one as TIMEOUT, both retryable', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    expect(await failure(sender({ apiBaseUrl: closed }).send(sms('+33612340001')))).toMatchObject({
      reason: 'NETWORK',
      retryable: true,
    });
    standIn.behaviour.delayMs = 400;
    try {
      expect(await failure(sender({ timeoutMs: 100 }).send(sms('+33612340002')))).toMatchObject({
        reason: 'TIMEOUT',
        retryable: true,
      });
    } finally {
      standIn.behaviour.delayMs = 0;
    }
  });

  it('finds, after a lost response, the message Twilio did accept, so a retry does not send it twice', async () => {
    const since = new Date();
    const msg = sms('+33612349999', { body: 'Alerte : fenêtre ouverte au 12 rue Basse' });
    standIn.behaviour.lostResponseRate = 1;
    try {
      expect(await failure(sender().send(msg))).toMatchObject({
        reason: 'PROVIDER_UNAVAILABLE',
        retryable: true,
      });
    } finally {
      standIn.behaviour.lostResponseRate = 0;
    }
    const found = await sender().findSent({ to: msg.to, body: msg.body, since });
    expect(found).toMatchObject({
      provider: 'twilio',
      status: 'accepted',
      providerId: standIn.messages.at(-1)!.sid,
    });
    expect(await sender().findSent({ to: msg.to, body: 'un autre texte', since })).toBeUndefined();
    expect(
      await sender().findSent({ to: msg.to, body: msg.body, since: new Date(Date.now() + 60_000) }),
    ).toBeUndefined();
    expect(standIn.sendsTo(msg.to)).toBe(1);
  });
});
