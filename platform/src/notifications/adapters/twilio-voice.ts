// Voice calls through Twilio Programmable Voice, with the real SDK: one call
// per delivery, from the commune's caller number (TWILIO_VOICE_FROM; a
// Messaging Service cannot place calls). Twilio fetches the TwiML from our
// signed webhook when the call is answered, and posts the call's progress to
// the status callback. As for SMS, the SDK retries nothing: the delivery
// workflow owns retries (and a call nobody answered is retried by the
// delivery layer after its delay, not here).
import type twilio from 'twilio';
import { ChannelError, type ChannelErrorReason } from '../errors.js';
import { E164, type SendResult, type VoiceMessage, type VoiceSender } from '../ports.js';
import { voiceReceiptOf, type ProviderStatus } from '../twilio-status.js';
import { classifyTwilioError, createTwilioClient, TWILIO, type TwilioSmsOptions } from './twilio-sms.js';

export interface TwilioVoiceOptions extends TwilioSmsOptions {
  /** Seconds the phone rings before Twilio reports no-answer. */
  ringSeconds?: number;
}

// Call-specific Twilio codes; the SMS ones (21211, 20003, 20429…) apply too.
const VOICE_CODES: Record<number, ChannelErrorReason> = {
  13224: 'INVALID_NUMBER', // the number is not a valid phone number
  13223: 'INVALID_NUMBER', // the number is incorrectly formatted
  21215: 'CONFIGURATION', // geo permissions forbid calling this country
  21210: 'CONFIGURATION', // 'From' is not a verified caller ID of the account
  21205: 'CONFIGURATION', // the TwiML URL is not valid
};

function classify(err: unknown): ChannelError {
  const base = classifyTwilioError(err);
  const code = Number(base.providerCode);
  const reason = VOICE_CODES[code] ?? base.reason;
  return new ChannelError('voice', reason, base.message.replace('message', 'call'), {
    ...(base.providerCode ? { providerCode: base.providerCode } : {}),
    cause: err,
  });
}

export function createTwilioVoiceSender(
  o: TwilioVoiceOptions,
  client: twilio.Twilio = createTwilioClient(o),
): VoiceSender {
  return {
    provider: TWILIO,
    async call(msg: VoiceMessage): Promise<SendResult> {
      if (!E164.test(msg.to)) throw new ChannelError('voice', 'INVALID_NUMBER', 'Not an E.164 phone number');
      if (!o.voiceFrom)
        throw new ChannelError(
          'voice',
          'CONFIGURATION',
          'TWILIO_VOICE_FROM is not set: no number to call from',
        );
      try {
        const c = await client.calls.create({
          to: msg.to,
          from: o.voiceFrom,
          url: msg.twimlUrl,
          method: 'POST',
          statusCallback: msg.statusCallbackUrl,
          statusCallbackMethod: 'POST',
          // Only the end says something about the delivery; answered helps the report's timings.
          statusCallbackEvent: ['answered', 'completed'],
          timeout: o.ringSeconds ?? 30,
        });
        return { providerId: c.sid, status: 'accepted', providerStatus: c.status, provider: TWILIO };
      } catch (err) {
        throw classify(err);
      }
    },
    async fetchStatus(callId: string): Promise<ProviderStatus | null> {
      try {
        const c = await client.calls(callId).fetch();
        const read = voiceReceiptOf(c.status, null);
        return read ? { ...read, providerCode: read.status === 'unanswered' ? c.status : null } : null;
      } catch (err) {
        throw classify(err);
      }
    },
  };
}
