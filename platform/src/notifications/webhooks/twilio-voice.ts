// Twilio's three requests for a voice call, each signed like every Twilio
// webhook (X-Twilio-Signature over VIGIE_PUBLIC_URL + path + sorted form
// parameters, checked by isSignedByTwilio): the TwiML when the call is
// answered, the key pressed (the <Gather> action), and the call's status.
// The tenant and the delivery come from the signed URL only.
//
//   answered → TwiML: the message twice, « appuyez sur 1 »
//   Digits=1 → receipt `acknowledged`; Digits=9 → the number goes on the
//              do-not-call list (and the message counts as heard)
//   completed → `delivered` (heard, no key); busy / no-answer → `unanswered`
//              (the delivery layer calls again after its delay, or gives up);
//   failed / canceled → `undelivered` with a reason, then the fallback
import { withTenant } from '../../db/index.js';
import { recordOptOut } from '../opt-outs.js';
import type { Receipt, ReceiptRegistry } from '../receipts.js';
import { voiceReceiptOf } from '../twilio-status.js';
import { callTwiml, gatherTwiml, hangupTwiml, voiceWebhookUrl, type VoiceScriptRegistry } from '../voice.js';
import { recordWebhookEvent } from './events.js';
import {
  isSignedByTwilio,
  type TwilioOutcome,
  type TwilioRequest,
  type TwilioWebhookDeps,
} from './twilio.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface VoiceWebhookDeps extends TwilioWebhookDeps {
  receipts: ReceiptRegistry;
  scripts: VoiceScriptRegistry;
}

type Verified =
  { ok: true; tenantId: string; ref: string; callSid: string } | { ok: false; outcome: TwilioOutcome };

async function verify(req: TwilioRequest, deps: TwilioWebhookDeps): Promise<Verified> {
  if (!(await isSignedByTwilio(req, deps)))
    return { ok: false, outcome: { status: 403, code: 'WEBHOOK_SIGNATURE_INVALID', result: 'forged' } };
  const query = new URLSearchParams(req.url.split('?')[1] ?? '');
  const tenantId = query.get('t');
  const ref = query.get('r');
  const callSid = req.params.CallSid;
  if (!tenantId || !UUID.test(tenantId) || !ref || !UUID.test(ref) || !callSid)
    return { ok: false, outcome: { status: 400, code: 'BAD_REQUEST', result: 'invalid' } };
  return { ok: true, tenantId, ref, callSid };
}

/** Twilio asks what to say: the script of the delivery, or a hang-up for one that is gone. */
export async function handleVoiceTwiml(req: TwilioRequest, deps: VoiceWebhookDeps): Promise<TwilioOutcome> {
  const v = await verify(req, deps);
  if (!v.ok) return v.outcome;
  const script = await withTenant(deps.db, v.tenantId, (trx) =>
    deps.scripts.scriptOf({ tenantId: v.tenantId, ref: v.ref }, trx),
  );
  const twiml = script
    ? await callTwiml(script, voiceWebhookUrl(deps.publicUrl, 'gather', v.tenantId, v.ref))
    : await hangupTwiml();
  return { status: 200, result: script ? 'voice' : 'ignored', twiml };
}

/** The key pressed. A replay (same call, same key) changes nothing but still gets its TwiML. */
export async function handleVoiceGather(req: TwilioRequest, deps: VoiceWebhookDeps): Promise<TwilioOutcome> {
  const v = await verify(req, deps);
  if (!v.ok) return v.outcome;
  const digits = (req.params.Digits ?? '').slice(0, 1);
  return withTenant(deps.db, v.tenantId, async (trx) => {
    const script = await deps.scripts.scriptOf({ tenantId: v.tenantId, ref: v.ref }, trx);
    const twiml = await gatherTwiml(
      script,
      digits,
      voiceWebhookUrl(deps.publicUrl, 'gather', v.tenantId, v.ref),
    );
    if (digits !== '1' && digits !== '9') return { status: 200, result: 'ignored', twiml } as const;
    if (!(await recordWebhookEvent(trx, 'twilio-voice', `${v.callSid}:gather:${digits}`, v.tenantId)))
      return { status: 200, result: 'duplicate', twiml } as const;
    if (digits === '9' && req.params.To)
      await recordOptOut(trx, v.tenantId, {
        channel: 'voice',
        address: req.params.To,
        reason: 'keypress',
        source: 'twilio-voice',
      });
    const receipt: Receipt = {
      provider: 'twilio',
      channel: 'voice',
      providerMessageId: v.callSid,
      tenantId: v.tenantId,
      ref: v.ref,
      // 9 still means the message was heard: the alert reached the person.
      status: digits === '1' ? 'acknowledged' : 'delivered',
      at: new Date(),
      reason: null,
      providerCode: null,
    };
    await deps.receipts.dispatch(receipt, trx);
    return { status: 200, result: 'receipt', twiml } as const;
  });
}

/** The call's progress; only its end is a receipt. One transaction each: calls are few. */
export async function handleVoiceStatus(req: TwilioRequest, deps: VoiceWebhookDeps): Promise<TwilioOutcome> {
  const v = await verify(req, deps);
  if (!v.ok) return v.outcome;
  const callStatus = req.params.CallStatus;
  if (!callStatus) return { status: 400, code: 'BAD_REQUEST', result: 'invalid' };
  const errorCode = req.params.ErrorCode || null;
  const read = voiceReceiptOf(callStatus, errorCode);
  if (!read) return { status: 200, result: 'ignored' };
  return withTenant(deps.db, v.tenantId, async (trx) => {
    if (!(await recordWebhookEvent(trx, 'twilio-voice', `${v.callSid}:${callStatus}`, v.tenantId)))
      return { status: 200, result: 'duplicate' } as const;
    await deps.receipts.dispatch(
      {
        provider: 'twilio',
        channel: 'voice',
        providerMessageId: v.callSid,
        tenantId: v.tenantId,
        ref: v.ref,
        status: read.status,
        at: new Date(),
        reason: read.reason,
        providerCode: errorCode ?? (read.status === 'unanswered' ? callStatus : null),
      },
      trx,
    );
    return { status: 200, result: 'receipt' } as const;
  });
}
