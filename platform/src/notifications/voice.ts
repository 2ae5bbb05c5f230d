// Voice calls to landlines: the number a resident gives for them, the signed
// URLs Twilio calls back on, and the TwiML of a call. What the call says is
// the delivery layer's (it registers a VoiceScriptProvider); this file only
// shapes it: the message read twice, then « appuyez sur 1 » in a <Gather>.
import type { Knex } from 'knex';
import { fail } from './errors.js';
import { twilioSdk } from '../lib/load-once.js';

/**
 * French numbers a call can reach: landlines 01–05 and 09 (box lines) and
 * mobiles 06–07. 08 numbers are special-rate services, never a home. Other
 * countries' numbers are kept in E.164. The account's phone stays mobile-only
 * (identity's normalizePhone): an SMS cannot reach a landline.
 */
export function normalizeVoiceNumber(input: string): string {
  const p = input.replace(/[\s.\-()]/g, '');
  let e164: string;
  if (/^0[1-79]\d{8}$/.test(p)) e164 = `+33${p.slice(1)}`;
  else if (/^0033[1-79]\d{8}$/.test(p)) e164 = `+${p.slice(2)}`;
  else if (/^\+[1-9]\d{7,14}$/.test(p)) e164 = p;
  else throw fail('VOICE_NUMBER_INVALID');
  if (e164.startsWith('+33') && !/^\+33[1-79]\d{8}$/.test(e164)) throw fail('VOICE_NUMBER_INVALID');
  return e164;
}

export type VoiceHook = 'twiml' | 'gather' | 'status';
const PATHS: Record<VoiceHook, string> = {
  twiml: '/webhooks/twilio/voice',
  gather: '/webhooks/twilio/voice/gather',
  status: '/webhooks/twilio/voice/status',
};
const REF = /^[\w-]{1,64}$/;

/** Where Twilio calls back for one call: the tenant and the delivery travel in the signed URL. */
export function voiceWebhookUrl(publicUrl: string, hook: VoiceHook, tenantId: string, ref: string): string {
  if (!REF.test(ref)) throw new Error('A voice ref is 1 to 64 letters, digits, _ or -');
  const u = new URL(PATHS[hook], publicUrl);
  u.searchParams.set('t', tenantId);
  u.searchParams.set('r', ref);
  return u.toString();
}

/** What one call says, in the recipient's language; every sentence is the delivery layer's. */
export interface VoiceScript {
  /** BCP 47 tag for <Say>. */
  language: 'fr-FR' | 'en-GB';
  /** The message, read twice. */
  message: string;
  /** Between the two readings: « Je répète. » */
  repeat: string;
  /** « Pour confirmer que vous avez entendu ce message, appuyez sur 1. … sur 9 … » */
  prompt: string;
  /** Said after a 1. */
  thanks: string;
  /** Said after a 9: the number is on the do-not-call list now. */
  optedOut: string;
  /** Said when no key was pressed. */
  goodbye: string;
}

/** The delivery layer's answer to « what does this call say? »; null: no such delivery (any more). */
export type VoiceScriptProvider = (
  q: { tenantId: string; ref: string },
  trx: Knex.Transaction,
) => Promise<VoiceScript | null>;

/** One provider, as for inbound SMS: a call has one script. */
export class VoiceScriptRegistry {
  private provider: VoiceScriptProvider | undefined;

  provide(p: VoiceScriptProvider): void {
    if (this.provider) throw new Error('A voice script provider is already registered');
    this.provider = p;
  }

  async scriptOf(q: { tenantId: string; ref: string }, trx: Knex.Transaction): Promise<VoiceScript | null> {
    return (await this.provider?.(q, trx)) ?? null;
  }
}

async function voiceResponse() {
  // The SDK loads with the first call answered, as for the other webhooks.
  const twilio = await twilioSdk();
  return new twilio.twiml.VoiceResponse();
}

/** The call: the message twice and the prompt inside a one-digit <Gather>, then goodbye if nothing was pressed. */
export async function callTwiml(s: VoiceScript, gatherUrl: string): Promise<string> {
  const r = await voiceResponse();
  const say = { language: s.language };
  const g = r.gather({ numDigits: 1, action: gatherUrl, method: 'POST', timeout: 8 });
  g.say(say, s.message);
  g.pause({ length: 1 });
  g.say(say, `${s.repeat} ${s.message}`);
  g.say(say, s.prompt);
  r.say(say, s.goodbye);
  r.hangup();
  return r.toString();
}

/** What follows a key press: thanks (1), the do-not-call confirmation (9), or the prompt again. */
export async function gatherTwiml(s: VoiceScript | null, digits: string, gatherUrl: string): Promise<string> {
  const r = await voiceResponse();
  if (!s) {
    r.hangup();
    return r.toString();
  }
  const say = { language: s.language };
  if (digits === '1') r.say(say, s.thanks);
  else if (digits === '9') r.say(say, s.optedOut);
  else {
    r.gather({ numDigits: 1, action: gatherUrl, method: 'POST', timeout: 8 }).say(say, s.prompt);
    r.say(say, s.goodbye);
  }
  r.hangup();
  return r.toString();
}

/** A call whose delivery is unknown (erased, or a stale URL): say nothing, hang up. */
export async function hangupTwiml(): Promise<string> {
  const r = await voiceResponse();
  r.hangup();
  return r.toString();
}
