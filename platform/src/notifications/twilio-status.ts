// What a Twilio message or call status means for a delivery: the same reading
// for a status callback (webhooks/twilio.ts, webhooks/twilio-voice.ts) and for
// a status fetched from the API when the callback never came (the adapters'
// `fetchStatus`).
import type { ReceiptStatus } from './receipts.js';

// Twilio's message statuses; queued, accepting, sending… are steps, not receipts.
export const TWILIO_STATUS: Record<string, ReceiptStatus> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'delivered',
  undelivered: 'undelivered',
  failed: 'undelivered',
  canceled: 'undelivered',
};

// Delivery error codes (30xxx) and the API codes Twilio also reports in callbacks.
export const TWILIO_ERROR_REASONS: Record<string, string> = {
  '30003': 'UNREACHABLE',
  '30004': 'BLOCKED',
  '30005': 'INVALID_NUMBER',
  '30006': 'INVALID_NUMBER',
  '30007': 'CARRIER_FILTERED',
  '30008': 'PROVIDER_ERROR',
  '21211': 'INVALID_NUMBER',
  '21614': 'INVALID_NUMBER',
  '21610': 'OPTED_OUT',
};

export interface ProviderStatus {
  status: ReceiptStatus;
  reason: string | null;
  providerCode: string | null;
}

/** A Twilio status and error code as a receipt; null for a step (queued, sending…) that is not one. */
export function twilioReceiptOf(twilioStatus: string, errorCode: string | null): ProviderStatus | null {
  const status = TWILIO_STATUS[twilioStatus];
  if (!status) return null;
  return {
    status,
    reason: errorCode
      ? (TWILIO_ERROR_REASONS[errorCode] ?? 'PROVIDER_ERROR')
      : status === 'undelivered'
        ? 'PROVIDER_ERROR'
        : null,
    providerCode: errorCode,
  };
}

/** The call's status as a receipt; null for a step (queued, ringing, in-progress, answered). */
export function voiceReceiptOf(
  callStatus: string,
  errorCode: string | null,
): { status: ReceiptStatus; reason: string | null } | null {
  switch (callStatus) {
    case 'completed':
      return { status: 'delivered', reason: null };
    case 'busy':
      return { status: 'unanswered', reason: 'BUSY' };
    case 'no-answer':
      return { status: 'unanswered', reason: 'NO_ANSWER' };
    case 'failed':
      // 13224/13223: not a valid number; 21215: geo permissions; anything else is Twilio's trouble.
      return {
        status: 'undelivered',
        reason:
          errorCode === '13224' || errorCode === '13223' || errorCode === '21211'
            ? 'INVALID_NUMBER'
            : errorCode === '21215'
              ? 'CONFIGURATION'
              : 'PROVIDER_ERROR',
      };
    case 'canceled':
      return { status: 'undelivered', reason: 'CANCELED' };
    default:
      return null;
  }
}
