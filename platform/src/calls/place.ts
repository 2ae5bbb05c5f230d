// Asking for a call: the request is checked, its number sealed, and the row
// written in the asker's transaction; the call's workflow starts once that
// commits (never for a rolled-back request). A start lost after the commit
// (Temporal unreachable) is picked up by the sweep.
import type { Knex } from 'knex';
import { PHONE_CALL_KIND, PHONE_CALL_WORKFLOW, type PhoneCallInput } from '@vigie/workflows/contracts';
import { afterCommit } from '../db/index.js';
import { normalizeVoiceNumber } from '../notifications/index.js';
import type { PhoneCallsExtension } from '../core/phone-calls.js';
import type { PhoneCallRequest, PhoneCallStatus } from '../plugins/index.js';
import type { Temporal } from '../temporal/index.js';
import { tenantWorkflowOptions } from '../temporal/index.js';
import { fail } from './errors.js';

export const NUMBER_PURPOSE = 'phone-call';

export interface PlaceDeps {
  temporal: () => Temporal;
  seal: (tenantId: string, purpose: string, plaintext: string) => string;
  handlers: () => PhoneCallsExtension;
}

// XML 1.0 has no place for control characters: Twilio would refuse the TwiML.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/u;

function sentence(field: string, v: string | undefined, max: number): string | null {
  if (v === undefined) return null;
  const t = v.trim();
  if (t.length === 0 || t.length > max || CONTROL.test(t))
    throw fail('PHONE_CALL_INVALID', undefined, { field });
  return t;
}

/** A call by SMS awaits its reply a day unless the asker says otherwise. */
const DEFAULT_REPLY_WITHIN_S = 86_400;
const MIN_REPLY_WITHIN_S = 1;
const MAX_REPLY_WITHIN_S = 30 * 86_400;

/** A number that takes texts: a French mobile (06, 07), or any E.164 number abroad. */
export function mobileNumber(input: string): string {
  const p = input.replace(/[\s.\-()]/g, '');
  let e164: string;
  if (/^0[67]\d{8}$/.test(p)) e164 = `+33${p.slice(1)}`;
  else if (/^0033[67]\d{8}$/.test(p)) e164 = `+${p.slice(2)}`;
  else if (/^\+[1-9]\d{7,14}$/.test(p)) e164 = p;
  else throw fail('PHONE_CALL_NOT_MOBILE');
  if (e164.startsWith('+33') && !/^\+33[67]\d{8}$/.test(e164)) throw fail('PHONE_CALL_NOT_MOBILE');
  return e164;
}

export async function placePhoneCall(
  trx: Knex.Transaction,
  deps: PlaceDeps,
  r: PhoneCallRequest,
): Promise<{ callId: string; created: boolean }> {
  if (!deps.handlers().handler(r.handler))
    throw new Error(`No phone call handler ${r.handler}: contribute it to coreExtensions.phoneCalls`);
  if (!/^[\w.:/-]{1,200}$/.test(r.key)) throw fail('PHONE_CALL_INVALID', undefined, { field: 'key' });
  const channel = r.channel ?? 'voice';
  if (channel !== 'voice' && channel !== 'sms')
    throw fail('PHONE_CALL_INVALID', undefined, { field: 'channel' });
  const to = channel === 'sms' ? mobileNumber(r.to) : normalizeVoiceNumber(r.to);
  const replyWithin = channel === 'sms' ? (r.replyWithinSeconds ?? DEFAULT_REPLY_WITHIN_S) : null;
  if (
    replyWithin !== null &&
    (!Number.isInteger(replyWithin) || replyWithin < MIN_REPLY_WITHIN_S || replyWithin > MAX_REPLY_WITHIN_S)
  )
    throw fail('PHONE_CALL_INVALID', undefined, { field: 'replyWithinSeconds' });
  if (channel === 'voice' && r.replyWithinSeconds !== undefined)
    throw fail('PHONE_CALL_INVALID', undefined, { field: 'replyWithinSeconds' });
  const message = sentence('message', r.message, channel === 'sms' ? 320 : 1000)!;
  const context = r.context ?? {};
  if (JSON.stringify(context).length > 2048)
    throw fail('PHONE_CALL_INVALID', undefined, { field: 'context' });
  const row = {
    tenant_id: r.tenantId,
    handler: r.handler,
    key: r.key,
    number_sealed: deps.seal(r.tenantId, NUMBER_PURPOSE, to),
    locale: r.locale === 'en' ? 'en' : 'fr',
    message,
    prompt: sentence('prompt', r.prompt, 300),
    confirmed_reply: sentence('replies.confirmed', r.replies?.confirmed, 300),
    other_key_reply: sentence('replies.otherKey', r.replies?.otherKey, 300),
    urgent: r.urgent ?? false,
    context: JSON.stringify(context),
    channel,
    reply_within_seconds: replyWithin,
  };
  const [made] = (await trx('phone_calls')
    .insert(row)
    .onConflict(['tenant_id', 'handler', 'key'])
    .ignore()
    .returning('id')) as Array<{ id: string }>;
  if (!made) {
    const existing = (await trx('phone_calls').where({ handler: r.handler, key: r.key }).first('id')) as {
      id: string;
    };
    return { callId: existing.id, created: false };
  }
  const { slug } = (await trx('tenants').where({ id: r.tenantId }).first('slug')) as { slug: string };
  afterCommit(trx, () => startPhoneCall(deps.temporal(), { id: r.tenantId, slug }, made.id));
  return { callId: made.id, created: true };
}

export async function startPhoneCall(
  t: Temporal,
  tenant: { id: string; slug: string },
  callId: string,
): Promise<void> {
  const input: PhoneCallInput = { tenantId: tenant.id, callId };
  try {
    await t.client.workflow.start(PHONE_CALL_WORKFLOW, {
      ...tenantWorkflowOptions(t, tenant, PHONE_CALL_KIND, callId),
      args: [input],
    });
  } catch (err) {
    // Started already (the sweep, or a retry): the call is on its way.
    if ((err as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw err;
  }
}

export async function phoneCallStatus(
  trx: Knex.Transaction,
  callId: string,
): Promise<PhoneCallStatus | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(callId)) return undefined;
  const r = (await trx('phone_calls')
    .where({ id: callId })
    .first('id', 'status', 'outcome', 'reason', 'attempts', 'not_before', 'settled_at')) as
    | {
        id: string;
        status: PhoneCallStatus['status'];
        outcome: PhoneCallStatus['outcome'];
        reason: string | null;
        attempts: number;
        not_before: Date;
        settled_at: Date | null;
      }
    | undefined;
  return r
    ? {
        id: r.id,
        status: r.status,
        outcome: r.outcome,
        reason: r.reason,
        attempts: r.attempts,
        notBefore: r.not_before,
        settledAt: r.settled_at,
      }
    : undefined;
}

export async function forgetPhoneCalls(
  trx: Knex.Transaction,
  q: { handler: string; keyPrefix: string },
): Promise<number> {
  // A prefix of at least a few characters: an empty one would forget every call of the handler.
  if (q.keyPrefix.length < 3) throw fail('PHONE_CALL_INVALID', undefined, { field: 'keyPrefix' });
  const like = `${q.keyPrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return trx('phone_calls').where({ handler: q.handler }).whereLike('key', like).delete();
}
