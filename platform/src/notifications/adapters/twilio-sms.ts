// SMS through Twilio: the real SDK, a Messaging Service (it picks the sender
// number and handles STOP at the carrier level), and a status callback per
// message. The SDK retries nothing (autoRetry off): retries belong to the
// delivery workflow alone, so that one policy decides and the attempts show in
// Temporal's history.
import twilio from 'twilio';
import type { TwilioConfig } from '../../config/config.js';
import { ChannelError, networkReason, reasonFromHttpStatus, type ChannelErrorReason } from '../errors.js';
import { twilioReceiptOf, type ProviderStatus } from '../twilio-status.js';
import { E164, type SendResult, type SentLookup, type SmsMessage, type SmsSender } from '../ports.js';

export const TWILIO = 'twilio';
const TWILIO_API = 'https://api.twilio.com';

/**
 * Twilio's documented way to reach another host is a custom httpClient (their
 * advanced example "custom-http-client.md"; maintainers point to it in
 * twilio-node#326). This one keeps the SDK's own RequestClient and only
 * rewrites the origin, so tests exercise the real serialisation and parsing.
 */
class RebasedRequestClient extends twilio.RequestClient {
  constructor(
    private readonly base: string,
    opts: ConstructorParameters<typeof twilio.RequestClient>[0],
  ) {
    super(opts);
  }

  override request<T>(opts: Parameters<typeof twilio.RequestClient.prototype.request<T>>[0]) {
    const uri = opts.uri.startsWith(TWILIO_API) ? this.base + opts.uri.slice(TWILIO_API.length) : opts.uri;
    return super.request<T>({ ...opts, uri });
  }
}

export interface TwilioSmsOptions extends TwilioConfig {
  /** Per request; a provider that hangs must not hold an activity slot for long. */
  timeoutMs?: number;
}

export function createTwilioClient(o: TwilioSmsOptions): twilio.Twilio {
  const http = { timeout: o.timeoutMs ?? 15_000, keepAlive: true, autoRetry: false };
  return twilio(o.accountSid, o.authToken, {
    ...http,
    httpClient: o.apiBaseUrl ? new RebasedRequestClient(o.apiBaseUrl, http) : undefined,
  });
}

// Twilio error codes that no retry will fix.
const TWILIO_CODES: Record<number, ChannelErrorReason> = {
  21211: 'INVALID_NUMBER', // invalid 'To' phone number
  21614: 'INVALID_NUMBER', // 'To' is not a mobile number
  21612: 'INVALID_NUMBER', // 'To' is not reachable by SMS from this sender
  21217: 'INVALID_NUMBER', // phone number does not appear to be valid
  21610: 'OPTED_OUT', // the recipient replied STOP
  21408: 'CONFIGURATION', // region not enabled for this account
  21606: 'CONFIGURATION', // 'From' not a valid SMS-capable number
  21703: 'CONFIGURATION', // Messaging Service has no sender
  20003: 'CONFIGURATION', // authentication failed
  20429: 'RATE_LIMITED',
};

export function classifyTwilioError(err: unknown): ChannelError {
  if (err instanceof ChannelError) return err;
  const e = err as { status?: unknown; code?: unknown; message?: unknown };
  if (err instanceof twilio.RestException || (typeof e?.status === 'number' && typeof e?.code === 'number')) {
    const status = Number(e.status);
    const code = typeof e.code === 'number' ? e.code : undefined;
    const reason = (code !== undefined ? TWILIO_CODES[code] : undefined) ?? reasonFromHttpStatus(status);
    return new ChannelError(
      'sms',
      reason,
      `Twilio refused the message (HTTP ${status}${code ? `, code ${code}` : ''})`,
      { providerCode: code ?? status, cause: err },
    );
  }
  const net = networkReason(err);
  if (net) return new ChannelError('sms', net, `Twilio unreachable (${net.toLowerCase()})`, { cause: err });
  // axios answers with a response for any status because the SDK accepts all of them;
  // anything else unknown is retried: the workflow's retry policy bounds it.
  return new ChannelError('sms', 'UNKNOWN', 'Twilio call failed', { cause: err });
}

export function createTwilioSmsSender(
  o: TwilioSmsOptions,
  client: twilio.Twilio = createTwilioClient(o),
): SmsSender {
  return {
    provider: TWILIO,
    async send(msg: SmsMessage): Promise<SendResult> {
      if (!E164.test(msg.to)) throw new ChannelError('sms', 'INVALID_NUMBER', 'Not an E.164 phone number');
      try {
        const m = await client.messages.create({
          to: msg.to,
          body: msg.body,
          messagingServiceSid: o.messagingServiceSid,
          ...(msg.statusCallbackUrl ? { statusCallback: msg.statusCallbackUrl } : {}),
        });
        return { providerId: m.sid, status: 'accepted', providerStatus: m.status, provider: TWILIO };
      } catch (err) {
        throw classifyTwilioError(err);
      }
    },
    async fetchStatus(providerMessageId: string): Promise<ProviderStatus | null> {
      try {
        const m = await client.messages(providerMessageId).fetch();
        return twilioReceiptOf(m.status, m.errorCode ? String(m.errorCode) : null);
      } catch (err) {
        throw classifyTwilioError(err);
      }
    },
    async findSent(q: SentLookup): Promise<SendResult | undefined> {
      try {
        // Newest first; DateSent is empty until the carrier takes the message, so filter on creation here.
        const recent = await client.messages.list({ to: q.to, limit: 20, pageSize: 20 });
        const m = recent.find(
          (x) => x.body === q.body && x.dateCreated.getTime() >= q.since.getTime() - 1_000,
        );
        return m
          ? { providerId: m.sid, status: 'accepted', providerStatus: m.status, provider: TWILIO }
          : undefined;
      } catch (err) {
        throw classifyTwilioError(err);
      }
    },
  };
}
