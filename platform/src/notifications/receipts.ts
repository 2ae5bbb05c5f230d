// Provider receipts and inbound SMS, as hooks the delivery layer registers.
// The webhooks verify, deduplicate and translate; what a receipt means for a
// delivery (update its row, signal its workflow) is the delivery layer's call.
import type { Knex } from 'knex';

/**
 * `acknowledged`: a call's listener pressed 1. `unanswered`: nobody picked up
 * (no-answer, busy); the delivery layer decides whether to call again.
 */
export type ReceiptStatus =
  'sent' | 'delivered' | 'undelivered' | 'bounced' | 'complaint' | 'acknowledged' | 'unanswered';

export interface Receipt {
  provider: 'twilio' | 'ses';
  channel: 'sms' | 'email' | 'voice';
  providerMessageId: string;
  /** From the signed payload: the status callback URL (Twilio) or the message tags (SES). */
  tenantId: string;
  /** The `ref` given at send time (e.g. the delivery id), when the provider echoes it back. */
  ref: string | null;
  status: ReceiptStatus;
  at: Date;
  /** Typed: INVALID_NUMBER, OPTED_OUT, UNREACHABLE, CARRIER_FILTERED, HARD_BOUNCE, SOFT_BOUNCE, COMPLAINT, REJECTED, PROVIDER_ERROR. */
  reason: string | null;
  /** The provider's own code (Twilio 30003, SES bounce sub-type). */
  providerCode: string | null;
}

/**
 * Runs inside the webhook's tenant transaction, after the event was recorded
 * as seen: if the handler throws, both roll back and the provider's retry is
 * processed again, so a receipt is never marked seen without being handled.
 */
export type ReceiptHandler = (receipt: Receipt, trx: Knex.Transaction) => Promise<void>;

/** Many receipts of one commune in one transaction (the webhooks' group commit); same contract as ReceiptHandler. */
export type BulkReceiptHandler = (receipts: Receipt[], trx: Knex.Transaction) => Promise<void>;

export class ReceiptRegistry {
  private readonly handlers = new Map<ReceiptHandler, BulkReceiptHandler | undefined>();

  /** Returns the function that unregisters the handler. `bulk`, when given, takes a group of receipts at once. */
  on(handler: ReceiptHandler, bulk?: BulkReceiptHandler): () => void {
    this.handlers.set(handler, bulk);
    return () => this.handlers.delete(handler);
  }

  async dispatch(receipt: Receipt, trx: Knex.Transaction): Promise<void> {
    for (const h of this.handlers.keys()) await h(receipt, trx);
  }

  async dispatchMany(receipts: Receipt[], trx: Knex.Transaction): Promise<void> {
    if (receipts.length === 0) return;
    for (const [h, bulk] of this.handlers) {
      if (bulk) await bulk(receipts, trx);
      else for (const r of receipts) await h(r, trx);
    }
  }
}

export interface InboundSms {
  messageSid: string;
  from: string;
  to: string;
  body: string;
  /** STOP / ARRET / START / AIDE…, recognised the way Twilio and French operators do. */
  keyword: SmsKeyword | null;
}

export type SmsKeyword = 'STOP' | 'START' | 'HELP';

/** What the handler answers: an SMS reply to the sender, or nothing. */
export interface InboundReply {
  reply?: string;
}

export type InboundSmsHandler = (sms: InboundSms) => Promise<InboundReply | void>;

export class InboundRegistry {
  private handler: InboundSmsHandler | undefined;

  /** One handler: an inbound SMS must not create two alerts because two modules listened. */
  handle(handler: InboundSmsHandler): void {
    if (this.handler) throw new Error('An inbound SMS handler is already registered');
    this.handler = handler;
  }

  async dispatch(sms: InboundSms): Promise<InboundReply> {
    return (await this.handler?.(sms)) ?? {};
  }
}

// Twilio's default opt-out keywords plus the French ones (ARRET is what
// French operators and the 36xxx short-code rules expect).
const KEYWORDS: Record<string, SmsKeyword> = {
  STOP: 'STOP',
  STOPALL: 'STOP',
  ARRET: 'STOP',
  ARRÊT: 'STOP',
  UNSUBSCRIBE: 'STOP',
  CANCEL: 'STOP',
  END: 'STOP',
  QUIT: 'STOP',
  DESABONNER: 'STOP',
  START: 'START',
  UNSTOP: 'START',
  YES: 'START',
  DEMARRER: 'START',
  DÉMARRER: 'START',
  HELP: 'HELP',
  INFO: 'HELP',
  AIDE: 'HELP',
};

/** A keyword is the whole message (one word, any case, trailing punctuation ignored), never a word inside an alert. */
export function parseKeyword(body: string): SmsKeyword | null {
  const word = body
    .trim()
    .replace(/[.!\s]+$/u, '')
    .toUpperCase();
  return KEYWORDS[word] ?? null;
}

const REF = /^[\w-]{1,64}$/;

/** The status callback for a message: the tenant (and our reference) travel in the signed URL. */
export function statusCallbackUrl(publicUrl: string, tenantId: string, ref?: string): string {
  const u = new URL('/webhooks/twilio/status', publicUrl);
  u.searchParams.set('t', tenantId);
  if (ref) {
    if (!REF.test(ref)) throw new Error('A receipt ref is 1 to 64 letters, digits, _ or -');
    u.searchParams.set('r', ref);
  }
  return u.toString();
}

export const TENANT_TAG = 'vigie-tenant';
export const REF_TAG = 'vigie-ref';

/** SES message tags that come back in the configuration set's events (signed by SNS). */
export function receiptTags(tenantId: string, ref?: string): Record<string, string> {
  if (ref !== undefined && !REF.test(ref))
    throw new Error('A receipt ref is 1 to 64 letters, digits, _ or -');
  return ref ? { [TENANT_TAG]: tenantId, [REF_TAG]: ref } : { [TENANT_TAG]: tenantId };
}
