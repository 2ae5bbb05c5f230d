// Twilio webhooks: status callbacks (receipts) and inbound SMS. Both are
// authenticated by X-Twilio-Signature, an HMAC of the public URL Twilio called
// and the form parameters, checked with the SDK's own validateRequest against
// VIGIE_PUBLIC_URL (the Host header is the caller's to choose, so it is not used).
import type { Knex } from 'knex';
import { withTenant } from '../../db/index.js';
import { recordOptOut } from '../opt-outs.js';
import { parseKeyword, type InboundRegistry, type Receipt, type ReceiptRegistry } from '../receipts.js';
import { recordWebhookEvent, recordWebhookEvents } from './events.js';
import { createGroupCommit, retryOnConflict, type GroupCommit } from '../../lib/group-commit.js';
import { twilioReceiptOf } from '../twilio-status.js';
import { twilioSdk } from '../../lib/load-once.js';

export interface TwilioRequest {
  /** Path and query exactly as received, e.g. /webhooks/twilio/status?t=…&r=… */
  url: string;
  signature: string | undefined;
  params: Record<string, string>;
}

export interface TwilioWebhookDeps {
  db: Knex;
  authToken: string | undefined;
  publicUrl: string;
}

export interface TwilioOutcome {
  status: 200 | 400 | 403;
  code?: 'WEBHOOK_SIGNATURE_INVALID' | 'BAD_REQUEST';
  result: 'forged' | 'invalid' | 'duplicate' | 'receipt' | 'ignored' | 'inbound' | 'voice';
  twiml?: string;
}

export function parseForm(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(raw)) out[k] = v;
  return out;
}

export async function isSignedByTwilio(
  req: TwilioRequest,
  deps: Pick<TwilioWebhookDeps, 'authToken' | 'publicUrl'>,
): Promise<boolean> {
  if (!deps.authToken || !req.signature) return false;
  // The SDK loads with the first signed callback: a process that never gets one never needs it.
  const twilio = await twilioSdk();
  return twilio.validateRequest(deps.authToken, req.signature, deps.publicUrl + req.url, req.params);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface PendingReceipt {
  eventId: string;
  receipt: Receipt;
}

/**
 * Successful receipts in group commits: each flush records the events and
 * applies the receipts, one transaction per commune, and answers each caller
 * whether its event was new (true) or a replay.
 */
export function twilioReceiptCommits(
  db: Knex,
  receipts: ReceiptRegistry,
): GroupCommit<PendingReceipt, boolean> {
  return createGroupCommit<PendingReceipt, boolean>(
    async (items) => {
      const fresh = new Array<boolean>(items.length).fill(false);
      const byTenant = new Map<string, number[]>();
      items.forEach((it, i) => {
        const list = byTenant.get(it.receipt.tenantId) ?? [];
        list.push(i);
        byTenant.set(it.receipt.tenantId, list);
      });
      for (const [tenantId, idx] of byTenant) {
        await retryOnConflict(() =>
          withTenant(db, tenantId, async (trx) => {
            const seen = await recordWebhookEvents(
              trx,
              'twilio',
              idx.map((i) => items[i]!.eventId),
              tenantId,
            );
            const taken = new Set<string>();
            const todo: Receipt[] = [];
            for (const i of idx) {
              const it = items[i]!;
              // A replay inside the same group counts once, like one a day later.
              if (!seen.has(it.eventId) || taken.has(it.eventId)) continue;
              taken.add(it.eventId);
              fresh[i] = true;
              todo.push(it.receipt);
            }
            await receipts.dispatchMany(todo, trx);
          }),
        );
      }
      return fresh;
    },
    { maxItems: 500, maxDelayMs: 25 },
  );
}

export async function handleTwilioStatus(
  req: TwilioRequest,
  deps: TwilioWebhookDeps & {
    receipts: ReceiptRegistry;
    /** The process's group commit of successful receipts (absent: each in its own transaction). */
    successes?: GroupCommit<PendingReceipt, boolean>;
  },
): Promise<TwilioOutcome> {
  if (!(await isSignedByTwilio(req, deps)))
    return { status: 403, code: 'WEBHOOK_SIGNATURE_INVALID', result: 'forged' };
  const query = new URLSearchParams(req.url.split('?')[1] ?? '');
  const tenantId = query.get('t');
  const sid = req.params.MessageSid ?? req.params.SmsSid;
  const twilioStatus = req.params.MessageStatus ?? req.params.SmsStatus;
  if (!tenantId || !UUID.test(tenantId) || !sid || !twilioStatus)
    return { status: 400, code: 'BAD_REQUEST', result: 'invalid' };
  const errorCode = req.params.ErrorCode || null;
  const read = twilioReceiptOf(twilioStatus, errorCode);
  if (!read) return { status: 200, result: 'ignored' };
  const { status } = read;
  const receipt: Receipt = {
    provider: 'twilio',
    channel: 'sms',
    providerMessageId: sid,
    tenantId,
    ref: query.get('r'),
    status,
    at: new Date(),
    reason: read.reason,
    providerCode: errorCode,
  };
  const eventId = `${sid}:${twilioStatus}`;
  // Most of the traffic (two per SMS): written in group commits, answered once committed.
  if (deps.successes && (status === 'sent' || status === 'delivered') && !errorCode) {
    const fresh = await deps.successes.add({ eventId, receipt });
    return { status: 200, result: fresh ? 'receipt' : 'duplicate' };
  }
  return withTenant(deps.db, tenantId, async (trx) => {
    // One receipt per (message, status): Twilio may repeat a callback, and a replay must change nothing.
    if (!(await recordWebhookEvent(trx, 'twilio', eventId, tenantId)))
      return { status: 200, result: 'duplicate' } as const;
    if (errorCode === '21610' && req.params.To) {
      await recordOptOut(trx, tenantId, {
        channel: 'sms',
        address: req.params.To,
        reason: 'provider_unsubscribed',
        source: 'twilio-status',
      });
    }
    await deps.receipts.dispatch(receipt, trx);
    return { status: 200, result: 'receipt' } as const;
  });
}

export async function twimlReply(text?: string): Promise<string> {
  const twilio = await twilioSdk();
  const r = new twilio.twiml.MessagingResponse();
  if (text) r.message(text);
  return r.toString();
}

export async function handleTwilioInbound(
  req: TwilioRequest,
  deps: TwilioWebhookDeps & { inbound: InboundRegistry },
): Promise<TwilioOutcome> {
  if (!(await isSignedByTwilio(req, deps)))
    return { status: 403, code: 'WEBHOOK_SIGNATURE_INVALID', result: 'forged' };
  const { MessageSid: sid, From: from, To: to, Body: body } = req.params;
  if (!sid || !from || !to || body === undefined)
    return { status: 400, code: 'BAD_REQUEST', result: 'invalid' };
  // The event row is held (uncommitted) while the handler runs: a concurrent
  // replay waits, then finds it; a failed handler releases it for Twilio's retry.
  return deps.db.transaction(async (trx) => {
    if (!(await recordWebhookEvent(trx, 'twilio-inbound', sid, null)))
      return { status: 200, result: 'duplicate', twiml: await twimlReply() } as const;
    const { reply } = await deps.inbound.dispatch({
      messageSid: sid,
      from,
      to,
      body,
      keyword: parseKeyword(body),
    });
    return { status: 200, result: 'inbound', twiml: await twimlReply(reply) } as const;
  });
}
