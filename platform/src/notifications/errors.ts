// Every adapter failure becomes a ChannelError: retryable (the provider or the
// network had a bad moment, Temporal retries with backoff) or not (the number
// is invalid, the recipient opted out…: retrying would only cost money and
// delay the fallback to another channel). The workflow reads `reason`.
import { ApplicationFailure } from '@temporalio/common';
import type { Channel } from './ports.js';
import { defineErrors } from '../lib/errors.js';

/** The module's codes for callers (webhooks, preferences); ChannelError reasons below are for the workflow. */
export const notificationsErrors = defineErrors({
  WEBHOOK_SIGNATURE_INVALID: {
    status: 403,
    fr: 'La signature du webhook est invalide.',
    en: "The webhook's signature is invalid.",
  },
  PUSH_SUBSCRIPTION_INVALID: {
    status: 400,
    fr: "L'abonnement aux notifications de cet appareil est invalide.",
    en: "This device's notification subscription is invalid.",
  },
  PUSH_NOT_CONFIGURED: {
    status: 503,
    fr: "Les notifications sur l'appareil ne sont pas disponibles sur cette plateforme.",
    en: 'Device notifications are not available on this platform.',
  },
  VOICE_NUMBER_INVALID: {
    status: 400,
    fr: 'Numéro de téléphone invalide pour les appels vocaux (un fixe 01 à 05 ou 09, ou un mobile 06 ou 07).',
    en: 'Invalid phone number for voice calls (a French landline 01 to 05 or 09, or a mobile 06 or 07).',
  },
  VOICE_NUMBER_REQUIRED: {
    status: 400,
    fr: 'Indiquez le numéro à appeler pour recevoir les alertes par appel vocal.',
    en: 'Give the number to call to receive alerts by voice call.',
  },
  NOTIFICATION_PREFERENCES_INVALID: {
    status: 400,
    fr: 'Les préférences de notification sont invalides.',
    en: 'The notification preferences are invalid.',
  },
} as const);

export const { fail } = notificationsErrors;

export const NON_RETRYABLE_REASONS = [
  'INVALID_NUMBER', // Twilio 21211, 21614, 21612; not an E.164 mobile number
  'OPTED_OUT', // Twilio 21610 (STOP), our opt_outs table, SES suppression
  'UNVERIFIED_ADDRESS', // SES MessageRejected "Email address is not verified" (sandbox)
  'INVALID_ADDRESS', // malformed email address
  'REJECTED', // any other 4xx the provider gave with a reason: retrying sends the same bad request
  'CONFIGURATION', // credentials, sender, configuration set: an operator must act; fall back meanwhile
  'SUBSCRIPTION_GONE', // web push 404/410: the browser unsubscribed or the subscription expired
  'DO_NOT_CALL', // voice: the number is on the commune's do-not-call list (the mairie's, or the person pressed 9)
  'OUTSIDE_CALL_HOURS', // voice: outside the commune's calling hours (alerts.voiceCallStart–voiceCallEnd)
] as const;

export const RETRYABLE_REASONS = [
  'RATE_LIMITED', // 429, SES Throttling
  'PROVIDER_UNAVAILABLE', // 5xx
  'NETWORK', // connection refused/reset, DNS
  'TIMEOUT',
  'UNKNOWN',
] as const;

export type ChannelErrorReason = (typeof NON_RETRYABLE_REASONS)[number] | (typeof RETRYABLE_REASONS)[number];

const nonRetryable: ReadonlySet<string> = new Set(NON_RETRYABLE_REASONS);

export function isRetryableReason(reason: ChannelErrorReason): boolean {
  return !nonRetryable.has(reason);
}

export class ChannelError extends Error {
  readonly channel: Channel;
  readonly reason: ChannelErrorReason;
  readonly retryable: boolean;
  /** The provider's own code (Twilio 21211, SES MessageRejected, HTTP 503), for the delivery report. */
  readonly providerCode: string | undefined;

  constructor(
    channel: Channel,
    reason: ChannelErrorReason,
    message: string,
    opts: { providerCode?: string | number; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'ChannelError';
    this.channel = channel;
    this.reason = reason;
    this.retryable = isRetryableReason(reason);
    this.providerCode = opts.providerCode === undefined ? undefined : String(opts.providerCode);
  }
}

export function isChannelError(err: unknown): err is ChannelError {
  return err instanceof ChannelError;
}

export interface ChannelFailureDetails {
  channel: Channel;
  reason: ChannelErrorReason;
  providerCode: string | null;
}

/**
 * What an activity throws to Temporal: the failure type is the reason, so the
 * workflow can branch on `err.cause.type` ('INVALID_NUMBER', …) and the retry
 * policy stops at once for non-retryable reasons.
 */
export function toApplicationFailure(err: ChannelError): ApplicationFailure {
  const details: ChannelFailureDetails = {
    channel: err.channel,
    reason: err.reason,
    providerCode: err.providerCode ?? null,
  };
  return ApplicationFailure.create({
    type: err.reason,
    message: err.message,
    nonRetryable: !err.retryable,
    details: [details],
    cause: err,
  });
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'UND_ERR_SOCKET',
]);
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'ECONNABORTED',
  'ESOCKETTIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'TimeoutError',
]);

/** Network-level failures, whatever the HTTP stack (axios for Twilio, node:http for the AWS SDK). */
export function networkReason(err: unknown): 'NETWORK' | 'TIMEOUT' | undefined {
  const e = err as { code?: unknown; name?: unknown; cause?: unknown } | null;
  if (!e || typeof e !== 'object') return undefined;
  const code = typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : '';
  if (TIMEOUT_CODES.has(code)) return 'TIMEOUT';
  if (NETWORK_CODES.has(code)) return 'NETWORK';
  return e.cause ? networkReason(e.cause) : undefined;
}

export function reasonFromHttpStatus(status: number): ChannelErrorReason {
  if (status === 429) return 'RATE_LIMITED';
  if (status === 408) return 'TIMEOUT';
  if (status >= 500) return 'PROVIDER_UNAVAILABLE';
  if (status === 401 || status === 403) return 'CONFIGURATION';
  return 'REJECTED';
}
