// Twilio's three requests for a call to a number, each signed like every
// Twilio webhook (X-Twilio-Signature over VIGIE_PUBLIC_URL + path + sorted
// form parameters): the TwiML when the call is answered, the key pressed, and
// the call's status. The tenant and the call come from the signed URL only.
// The key and the end are written on the call's row (once per event: a
// replayed callback changes nothing) and wake its workflow, which decides.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Knex } from 'knex';
import { PHONE_CALL_CHANGED_SIGNAL, PHONE_CALL_KIND } from '@vigie/workflows/contracts';
import { afterCommit, withTenant } from '../db/index.js';
import {
  isSignedByTwilio,
  notificationsErrors,
  parseForm,
  recordWebhookEvent,
  type TwilioRequest,
} from '../notifications/index.js';
import type { Temporal } from '../temporal/index.js';
import { tenantWorkflowOptions } from '../temporal/index.js';
import type { PhoneCallRow } from './activities.js';
import { callTwiml, hangupTwiml, keyTwiml, type CallScript } from './twiml.js';
import { CALL_PATHS, callUrl } from './urls.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The ends of a call; ringing, in-progress and answered say nothing of its outcome. */
const ENDS = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

export interface CallWebhookDeps {
  db: Knex;
  authToken: string | undefined;
  publicUrl: string;
  temporal: Temporal | undefined;
}

export interface CallOutcome {
  status: 200 | 400 | 403;
  code?: 'WEBHOOK_SIGNATURE_INVALID' | 'BAD_REQUEST';
  result: 'forged' | 'invalid' | 'duplicate' | 'recorded' | 'ignored' | 'voice';
  twiml?: string;
}

type Verified =
  { ok: true; tenantId: string; callId: string; callSid: string } | { ok: false; outcome: CallOutcome };

async function verify(req: TwilioRequest, deps: CallWebhookDeps): Promise<Verified> {
  if (!(await isSignedByTwilio(req, deps)))
    return { ok: false, outcome: { status: 403, code: 'WEBHOOK_SIGNATURE_INVALID', result: 'forged' } };
  const query = new URLSearchParams(req.url.split('?')[1] ?? '');
  const tenantId = query.get('t');
  const callId = query.get('r');
  const callSid = req.params.CallSid;
  if (!tenantId || !UUID.test(tenantId) || !callId || !UUID.test(callId) || !callSid)
    return { ok: false, outcome: { status: 400, code: 'BAD_REQUEST', result: 'invalid' } };
  return { ok: true, tenantId, callId, callSid };
}

const scriptOf = (r: PhoneCallRow): CallScript => ({
  locale: r.locale,
  message: r.message,
  prompt: r.prompt,
  confirmedReply: r.confirmed_reply,
  otherKeyReply: r.other_key_reply,
});

/** After the commit: the call's workflow looks at the row again (a lost wake-up is caught by its next look). */
function wake(trx: Knex.Transaction, deps: CallWebhookDeps, tenantId: string, callId: string): void {
  const t = deps.temporal;
  if (!t) return;
  afterCommit(trx, async () => {
    const { slug } = (await deps.db('tenants').where({ id: tenantId }).first('slug')) as { slug: string };
    const id = tenantWorkflowOptions(t, { id: tenantId, slug }, PHONE_CALL_KIND, callId).workflowId;
    await t.client.workflow.getHandle(id).signal(PHONE_CALL_CHANGED_SIGNAL);
  });
}

/**
 * The attempt under way: its call id, or none yet (Twilio can call back
 * before the placing step has recorded the id it answered): the webhook
 * adopts it. An earlier attempt's late events find another id and change nothing.
 */
const underWay = (callSid: string) => (q: Knex.QueryBuilder) =>
  q.where('call_sid', callSid).orWhereNull('call_sid');

/** Twilio asks what to say: the call's script, or a hang-up for a call unknown or settled. */
export async function handleCallTwiml(req: TwilioRequest, deps: CallWebhookDeps): Promise<CallOutcome> {
  const v = await verify(req, deps);
  if (!v.ok) return v.outcome;
  const row = (await withTenant(deps.db, v.tenantId, (trx) =>
    trx('phone_calls').where({ id: v.callId }).whereNot('status', 'done').first(),
  )) as PhoneCallRow | undefined;
  if (!row) return { status: 200, result: 'ignored', twiml: await hangupTwiml() };
  const gather = callUrl(deps.publicUrl, 'gather', v.tenantId, v.callId);
  return { status: 200, result: 'voice', twiml: await callTwiml(scriptOf(row), gather) };
}

/** The key pressed: recorded once per call, for the call being placed only. */
export async function handleCallGather(req: TwilioRequest, deps: CallWebhookDeps): Promise<CallOutcome> {
  const v = await verify(req, deps);
  if (!v.ok) return v.outcome;
  const digits = (req.params.Digits ?? '').slice(0, 1);
  if (!/^[0-9*#]$/.test(digits)) return { status: 200, result: 'ignored', twiml: await hangupTwiml() };
  return withTenant(deps.db, v.tenantId, async (trx): Promise<CallOutcome> => {
    const row = (await trx('phone_calls').where({ id: v.callId }).first()) as PhoneCallRow | undefined;
    if (!row) return { status: 200, result: 'ignored', twiml: await hangupTwiml() };
    const twiml = await keyTwiml(scriptOf(row), digits);
    if (!(await recordWebhookEvent(trx, 'twilio-call', `${v.callSid}:gather`, v.tenantId)))
      return { status: 200, result: 'duplicate', twiml };
    // Only the attempt under way, and only its first key: a stale call's request changes nothing.
    const n = await trx('phone_calls')
      .where({ id: v.callId, status: 'calling' })
      .where(underWay(v.callSid))
      .whereNull('digits')
      .update({ digits, call_sid: v.callSid, updated_at: new Date() });
    if (n === 0) return { status: 200, result: 'ignored', twiml };
    wake(trx, deps, v.tenantId, v.callId);
    return { status: 200, result: 'recorded', twiml };
  });
}

/** The call's progress; only its end is recorded. */
export async function handleCallStatus(req: TwilioRequest, deps: CallWebhookDeps): Promise<CallOutcome> {
  const v = await verify(req, deps);
  if (!v.ok) return v.outcome;
  const callStatus = req.params.CallStatus;
  if (!callStatus) return { status: 400, code: 'BAD_REQUEST', result: 'invalid' };
  if (!ENDS.has(callStatus)) return { status: 200, result: 'ignored' };
  return withTenant(deps.db, v.tenantId, async (trx): Promise<CallOutcome> => {
    if (!(await recordWebhookEvent(trx, 'twilio-call', `${v.callSid}:${callStatus}`, v.tenantId)))
      return { status: 200, result: 'duplicate' };
    const n = await trx('phone_calls')
      .where({ id: v.callId, status: 'calling' })
      .where(underWay(v.callSid))
      .whereNull('call_status')
      .update({ call_status: callStatus, call_sid: v.callSid, updated_at: new Date() });
    if (n === 0) return { status: 200, result: 'ignored' };
    wake(trx, deps, v.tenantId, v.callId);
    return { status: 200, result: 'recorded' };
  });
}

const WEBHOOK = { tenant: false, csrf: false } as const;
const FORM = 'application/x-www-form-urlencoded';

/** The three routes, in their own scope: the signature covers the form as sent, so it is parsed here. */
export async function callWebhookRoutes(app: FastifyInstance): Promise<void> {
  app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) =>
    done(null, body),
  );
  const deps: CallWebhookDeps = {
    db: app.db,
    authToken: app.config.twilio?.authToken,
    publicUrl: app.config.publicUrl,
    temporal: app.temporal,
  };
  const routes = [
    [CALL_PATHS.twiml, handleCallTwiml, 'Twilio call to a number answered: TwiML (signed)'],
    [CALL_PATHS.gather, handleCallGather, 'Twilio call to a number: key pressed (signed)'],
    [CALL_PATHS.status, handleCallStatus, 'Twilio call to a number: status callback (signed)'],
  ] as const;
  for (const [path, handle, summary] of routes)
    app.post(path, { config: WEBHOOK, schema: { tags: ['webhooks'], summary } }, async (req, reply) => {
      const o = await handle(
        {
          url: req.url,
          signature:
            typeof req.headers['x-twilio-signature'] === 'string'
              ? req.headers['x-twilio-signature']
              : undefined,
          params: parseForm(typeof req.body === 'string' ? req.body : ''),
        },
        deps,
      );
      if (o.result === 'forged') req.log.warn({ path }, 'twilio call webhook with an invalid signature');
      return answer(reply, o);
    });
}

function answer(reply: FastifyReply, o: CallOutcome): FastifyReply {
  // Outcomes are a fixed set: safe as a label.
  (reply.server as FastifyInstance).vigie.metrics.webhooks.inc({ provider: 'twilio', result: o.result });
  if (o.code) throw notificationsErrors.fail(o.code);
  if (o.twiml !== undefined) return reply.type('text/xml').send(o.twiml);
  return reply.status(200).send({ ok: true, result: o.result });
}
