// A test context whose Twilio is the stand-in: the env that points the real
// twilio SDK at it (SMS and voice calls), and its callbacks and TwiML fetches
// delivered to the context's app with app.inject, signed as Twilio signs them.
// For plugin tests that need calls or SMS through the provider, not the dev outbox.
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import { withTenant } from '../db/index.js';
import { recordOptOut } from '../notifications/index.js';
import { startTwilioStandIn, type TwilioStandIn, type TwilioStandInOptions } from './twilio-standin.js';

export const TWILIO_TEST_PUBLIC_URL = 'https://api.vigie.test';

export async function twilioForTests(
  app: () => FastifyInstance | undefined,
  opts: TwilioStandInOptions = {},
): Promise<{ twilio: TwilioStandIn; env: Record<string, string> }> {
  const request = async (url: string, headers: Record<string, string>, body: string) => {
    const a = app();
    if (!a) return { status: 503, body: '' };
    const u = new URL(url);
    const res = await a.inject({ method: 'POST', url: u.pathname + u.search, headers, payload: body });
    return { status: res.statusCode, body: res.body };
  };
  const twilio = await startTwilioStandIn({
    sink: async (url, headers, body) => (await request(url, headers, body)).status,
    request,
    ...opts,
  });
  return {
    twilio,
    env: {
      VIGIE_PUBLIC_URL: TWILIO_TEST_PUBLIC_URL,
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_MESSAGING_SERVICE_SID: twilio.messagingServiceSid,
      TWILIO_API_BASE_URL: twilio.url,
      TWILIO_VOICE_FROM: twilio.voiceNumber,
    },
  };
}

/** Puts a number on the commune's do-not-call list, as the mairie does (the opt-out list, channel voice). */
export async function putOnDoNotCall(db: Knex, tenantId: string, number: string): Promise<void> {
  await withTenant(db, tenantId, (trx) =>
    recordOptOut(trx, tenantId, {
      channel: 'voice',
      address: number,
      reason: 'do_not_call',
      source: 'mairie',
    }),
  );
}
