// SES events, as SNS delivers them: verify the SNS signature, confirm the
// subscription when AWS asks, and turn Bounce / Complaint / Delivery / Reject
// into receipts. Hard bounces and complaints also put the address on the
// commune's opt-out list: sending again would hurt the sender reputation of
// every commune sharing the SES account.
import type { Knex } from 'knex';
import { Value } from '@sinclair/typebox/value';
import { withTenant } from '../../db/index.js';
import { recordOptOut, type OptOutReason } from '../opt-outs.js';
import { REF_TAG, TENANT_TAG, type Receipt, type ReceiptRegistry } from '../receipts.js';
import {
  isTrustedSnsUrl,
  SnsMessageSchema,
  verifySnsSignature,
  type CertStore,
  type SnsMessage,
} from './sns.js';
import { recordWebhookEvent } from './events.js';

export interface SesEvent {
  /** Configuration-set event publishing says eventType; identity notifications say notificationType. */
  eventType?: string;
  notificationType?: string;
  mail: { messageId: string; timestamp?: string; tags?: Record<string, string[]> };
  bounce?: {
    bounceType: string;
    bounceSubType?: string;
    bouncedRecipients: Array<{ emailAddress: string }>;
    timestamp?: string;
  };
  complaint?: {
    complainedRecipients: Array<{ emailAddress: string }>;
    complaintFeedbackType?: string;
    timestamp?: string;
  };
  delivery?: { timestamp?: string; recipients?: string[] };
  reject?: { reason?: string };
}

export interface SnsOutcome {
  status: 200 | 400 | 403;
  code?: 'WEBHOOK_SIGNATURE_INVALID' | 'BAD_REQUEST';
  /** What happened, for the log and the tests (never personal data). */
  result:
    | 'invalid'
    | 'forged'
    | 'stale'
    | 'confirmed'
    | 'confirm-refused'
    | 'duplicate'
    | 'receipt'
    | 'ignored'
    | 'no-tenant';
}

export interface SnsDeps {
  db: Knex;
  certs: CertStore;
  receipts: ReceiptRegistry;
  fetch?: typeof fetch;
}

/**
 * Replays are caught by webhook_events, which the retention sweep empties after
 * 30 days; a signed message older than this is refused, so a replay can never
 * outlive its idempotency record. SNS itself gives up retrying within hours.
 */
export const SNS_MAX_AGE_MS = 7 * 86_400_000;

export async function verifySnsMessage(
  body: unknown,
  certs: CertStore,
  now: Date = new Date(),
): Promise<SnsMessage | SnsOutcome> {
  if (!Value.Check(SnsMessageSchema, body)) return { status: 400, code: 'BAD_REQUEST', result: 'invalid' };
  const msg = body;
  let pem: string;
  try {
    pem = await certs.get(msg.SigningCertURL);
  } catch {
    return { status: 403, code: 'WEBHOOK_SIGNATURE_INVALID', result: 'forged' };
  }
  if (!verifySnsSignature(msg, pem))
    return { status: 403, code: 'WEBHOOK_SIGNATURE_INVALID', result: 'forged' };
  const age = now.getTime() - new Date(msg.Timestamp).getTime();
  if (!(age < SNS_MAX_AGE_MS && age > -3_600_000))
    return { status: 400, code: 'BAD_REQUEST', result: 'stale' };
  return msg;
}

export async function handleSnsMessage(body: unknown, deps: SnsDeps): Promise<SnsOutcome> {
  const verified = await verifySnsMessage(body, deps.certs);
  if ('result' in verified) return verified;
  const msg = verified;
  if (msg.Type === 'SubscriptionConfirmation') return confirmSubscription(msg, deps.fetch ?? fetch);
  if (msg.Type === 'UnsubscribeConfirmation') return { status: 200, result: 'ignored' };
  let event: SesEvent;
  try {
    event = JSON.parse(msg.Message) as SesEvent;
  } catch {
    return { status: 200, result: 'ignored' };
  }
  return handleSesEvent(msg.MessageId, event, deps);
}

/** Subscribing is the one outgoing call a webhook makes, so it only ever goes to AWS. */
async function confirmSubscription(msg: SnsMessage, doFetch: typeof fetch): Promise<SnsOutcome> {
  if (!msg.SubscribeURL || !isTrustedSnsUrl(msg.SubscribeURL))
    return { status: 400, code: 'BAD_REQUEST', result: 'confirm-refused' };
  const res = await doFetch(msg.SubscribeURL, { redirect: 'error', signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`SNS subscription confirmation answered ${res.status}`);
  return { status: 200, result: 'confirmed' };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Translated {
  receipt: Omit<Receipt, 'tenantId' | 'providerMessageId' | 'ref'>;
  optOut?: { reason: OptOutReason; source: string; addresses: string[] };
}

export function translateSesEvent(e: SesEvent): Translated | undefined {
  const type = e.eventType ?? e.notificationType;
  const base = { provider: 'ses' as const, channel: 'email' as const };
  if (type === 'Delivery') {
    return {
      receipt: {
        ...base,
        status: 'delivered',
        at: dateOr(e.delivery?.timestamp),
        reason: null,
        providerCode: null,
      },
    };
  }
  if (type === 'Bounce' && e.bounce) {
    const hard = e.bounce.bounceType === 'Permanent';
    const transient = e.bounce.bounceType === 'Transient';
    const receipt = {
      ...base,
      status: transient ? ('undelivered' as const) : ('bounced' as const),
      at: dateOr(e.bounce.timestamp),
      reason: hard ? 'HARD_BOUNCE' : transient ? 'SOFT_BOUNCE' : 'BOUNCE',
      providerCode: [e.bounce.bounceType, e.bounce.bounceSubType].filter(Boolean).join('/'),
    };
    if (!hard) return { receipt };
    return {
      receipt,
      optOut: {
        reason: 'hard_bounce',
        source: 'ses-bounce',
        addresses: e.bounce.bouncedRecipients.map((r) => r.emailAddress),
      },
    };
  }
  if (type === 'Complaint' && e.complaint) {
    return {
      receipt: {
        ...base,
        status: 'complaint',
        at: dateOr(e.complaint.timestamp),
        reason: 'COMPLAINT',
        providerCode: e.complaint.complaintFeedbackType ?? null,
      },
      optOut: {
        reason: 'complaint',
        source: 'ses-complaint',
        addresses: e.complaint.complainedRecipients.map((r) => r.emailAddress),
      },
    };
  }
  if (type === 'Reject') {
    return {
      receipt: {
        ...base,
        status: 'undelivered',
        at: new Date(),
        reason: 'REJECTED',
        providerCode: e.reject?.reason ?? null,
      },
    };
  }
  return undefined;
}

function dateOr(s: string | undefined): Date {
  const d = s ? new Date(s) : new Date();
  return Number.isNaN(d.getTime()) ? new Date() : d;
}

async function handleSesEvent(snsMessageId: string, e: SesEvent, deps: SnsDeps): Promise<SnsOutcome> {
  const t = e.mail ? translateSesEvent(e) : undefined;
  if (!t) return { status: 200, result: 'ignored' };
  // Only configuration-set events carry our tags; without a tenant there is no commune to tell.
  const tenantId = e.mail.tags?.[TENANT_TAG]?.[0];
  if (!tenantId || !UUID.test(tenantId)) return { status: 200, result: 'no-tenant' };
  const ref = e.mail.tags?.[REF_TAG]?.[0] ?? null;
  return withTenant(deps.db, tenantId, async (trx) => {
    if (!(await recordWebhookEvent(trx, 'sns', snsMessageId, tenantId)))
      return { status: 200, result: 'duplicate' } as const;
    for (const address of t.optOut?.addresses ?? []) {
      await recordOptOut(trx, tenantId, {
        channel: 'email',
        address,
        reason: t.optOut!.reason,
        source: t.optOut!.source,
      });
    }
    await deps.receipts.dispatch({ ...t.receipt, tenantId, providerMessageId: e.mail.messageId, ref }, trx);
    return { status: 200, result: 'receipt' } as const;
  });
}
