// The channel ports. The delivery workflow's activities call these and know
// nothing of Twilio, SES or the dev outbox. Every message names its tenant:
// the dev outbox and the in-app store are tenant data, and provider receipts
// must find their way back to the commune (see receipts.ts).
import { Type, type Static } from '@sinclair/typebox';
import type { ProviderStatus } from './twilio-status.js';

export const CHANNELS = ['sms', 'email', 'push', 'voice', 'in_app'] as const;
export type Channel = (typeof CHANNELS)[number];
export const ChannelSchema = Type.Union(CHANNELS.map((c) => Type.Literal(c)));

/**
 * accepted: the provider took the message; a receipt (webhook) will say whether it was delivered.
 * delivered: final already (dev outbox, in-app): no receipt will follow.
 */
export type SendStatus = 'accepted' | 'delivered';

export interface SendResult {
  /** Twilio SM…, SES message id, dev outbox or in-app row id. */
  providerId: string;
  status: SendStatus;
  /** The provider's own word for it (Twilio: queued, accepted…). */
  providerStatus: string;
  /** Which adapter sent it: 'twilio', 'ses', 'dev-outbox', 'in-app'. */
  provider: string;
}

export interface SmsMessage {
  tenantId: string;
  /** E.164, e.g. +33612345678. */
  to: string;
  /** Already fitted (see fitSms): the adapter sends it as given. */
  body: string;
  /** Where the provider posts delivery receipts; build it with statusCallbackUrl() so it carries the tenant. */
  statusCallbackUrl?: string;
  /** Stable per (delivery, attempt-independent): lets adapters that can deduplicate do so. */
  idempotencyKey: string;
}

export interface EmailMessage {
  tenantId: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** SES message tags (letters, digits, _ and - only). Use receiptTags() so bounces find their commune. */
  tags?: Record<string, string>;
  idempotencyKey?: string;
}

export interface InAppMessage {
  tenantId: string;
  accountId: string;
  /** e.g. 'alert', 'alert_status', 'community'. */
  kind: string;
  title: string;
  body: string;
  /** Relative link in the portal, e.g. /alertes/<id>. */
  link?: string | null;
  meta?: Record<string, unknown>;
  /** A second send with the same key returns the first row instead of a duplicate. */
  idempotencyKey?: string;
}

/** One device: what the browser's PushManager.subscribe() returned. */
export interface PushTarget {
  endpoint: string;
  /** Browser's P-256 ECDH public key (base64url, 65 bytes) and auth secret (base64url, 16 bytes). */
  keys: { p256dh: string; auth: string };
}

/** What the service worker receives (JSON, encrypted aes128gcm on the way). */
export interface PushPayload {
  title: string;
  body: string;
  alertId: string;
  /** Absolute link the notification opens. */
  url: string;
  severity: Severity;
}

export interface PushMessage {
  tenantId: string;
  target: PushTarget;
  payload: PushPayload;
  /** Seconds the push service keeps the message for an offline device. */
  ttlSeconds: number;
  urgency: 'very-low' | 'low' | 'normal' | 'high';
  /** A later message with the same topic replaces an undelivered earlier one on the push service. */
  topic?: string;
}

export interface SentLookup {
  to: string;
  body: string;
  /** When the first attempt started: only messages created since then match. */
  since: Date;
}

export interface SmsSender {
  readonly provider: string;
  send(msg: SmsMessage): Promise<SendResult>;
  /**
   * Reconciliation after an attempt whose outcome is unknown (crash, lost
   * response): the message the provider already accepted for this recipient
   * and body, if any. Twilio has no idempotency key, so this is what keeps a
   * retry from sending twice.
   */
  findSent(q: SentLookup): Promise<SendResult | undefined>;
  /**
   * The status the provider holds for a message, for a receipt that never
   * came (a status callback is not sent twice, and our endpoint may have been
   * down): null while the message is still on its way; absent when the
   * provider cannot say (the dev outbox).
   */
  fetchStatus?(providerMessageId: string): Promise<ProviderStatus | null>;
}

/**
 * A text-to-speech call (Twilio Programmable Voice). The provider fetches what
 * to say from `twimlUrl` when the call is answered, posts the key pressed to
 * the gather action named in that TwiML, and the call's end to
 * `statusCallbackUrl`; all three URLs carry the tenant and the delivery, and
 * every request is signed (webhooks/twilio-voice.ts).
 */
export interface VoiceMessage {
  tenantId: string;
  /** E.164; a landline is fine (French 01–05, 09). */
  to: string;
  twimlUrl: string;
  statusCallbackUrl: string;
  /** The words of the call, for an adapter that places no real call (the dev outbox keeps them). */
  script: string;
  idempotencyKey: string;
}

export interface VoiceSender {
  readonly provider: string;
  call(msg: VoiceMessage): Promise<SendResult>;
  /**
   * What the provider says of a call whose status callback never came: null
   * while it is still ringing or talking; absent when the provider cannot say
   * (the dev outbox, whose calls are final at once).
   */
  fetchStatus?(callId: string): Promise<ProviderStatus | null>;
}

export interface EmailSender {
  readonly provider: string;
  send(msg: EmailMessage): Promise<SendResult>;
}

export interface InAppSender {
  readonly provider: string;
  send(msg: InAppMessage): Promise<SendResult>;
}

/**
 * Web push. Push services give no delivery receipt: a 201 is final. A 404 or
 * 410 means the subscription is gone (SUBSCRIPTION_GONE, non-retryable).
 */
export interface PushSender {
  readonly provider: string;
  /** Base64url public key browsers subscribe with; null: web push is off (production without VAPID keys). */
  readonly publicKey: string | null;
  send(msg: PushMessage): Promise<SendResult>;
}

export interface Channels {
  sms: SmsSender;
  email: EmailSender;
  inApp: InAppSender;
  push: PushSender;
  voice: VoiceSender;
}

export const SEVERITIES = ['info', 'important', 'urgent'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SeveritySchema = Type.Union(SEVERITIES.map((s) => Type.Literal(s)));

export const E164 = /^\+[1-9]\d{6,14}$/;

export const ChannelListSchema = Type.Array(ChannelSchema, { uniqueItems: true, maxItems: CHANNELS.length });
export type ChannelList = Static<typeof ChannelListSchema>;
