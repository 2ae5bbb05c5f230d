// Email through Amazon SES (v1 SendEmail): SES builds the multipart/alternative
// message from our HTML and text parts, and the configuration set routes
// bounce, complaint and delivery events to SNS, then to /webhooks/ses. The SDK
// retries nothing (maxAttempts 1): retries belong to the delivery workflow.
import { SESClient, SendEmailCommand, SESServiceException, type SESClientConfig } from '@aws-sdk/client-ses';
import type { SesConfig } from '../../config/config.js';
import { ChannelError, networkReason, reasonFromHttpStatus, type ChannelErrorReason } from '../errors.js';
import type { EmailMessage, EmailSender, SendResult } from '../ports.js';

export const SES = 'ses';

export interface SesEmailOptions extends SesConfig {
  credentials?: SESClientConfig['credentials'];
  timeoutMs?: number;
}

export function createSesClient(o: SesEmailOptions): SESClient {
  return new SESClient({
    region: o.region,
    maxAttempts: 1,
    requestHandler: { requestTimeout: o.timeoutMs ?? 15_000, connectionTimeout: 5_000 },
    ...(o.endpoint ? { endpoint: o.endpoint } : {}),
    ...(o.credentials ? { credentials: o.credentials } : {}),
  });
}

const SES_ERRORS: Record<string, ChannelErrorReason> = {
  MailFromDomainNotVerifiedException: 'CONFIGURATION',
  ConfigurationSetDoesNotExistException: 'CONFIGURATION',
  ConfigurationSetSendingPausedException: 'CONFIGURATION',
  AccountSendingPausedException: 'CONFIGURATION',
  InvalidClientTokenId: 'CONFIGURATION',
  SignatureDoesNotMatch: 'CONFIGURATION',
  AccessDenied: 'CONFIGURATION',
  AccessDeniedException: 'CONFIGURATION',
  InvalidParameterValue: 'INVALID_ADDRESS',
  Throttling: 'RATE_LIMITED',
  ThrottlingException: 'RATE_LIMITED',
  ServiceUnavailable: 'PROVIDER_UNAVAILABLE',
};

export function classifySesError(err: unknown): ChannelError {
  if (err instanceof ChannelError) return err;
  // The SDK puts $metadata on every error, network ones included: only an HTTP status means SES answered.
  const status = (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  const net = status ? undefined : networkReason(err);
  if (net) return new ChannelError('email', net, `SES unreachable (${net.toLowerCase()})`, { cause: err });
  if (err instanceof SESServiceException || status) {
    const e = err as SESServiceException;
    let reason = SES_ERRORS[e.name];
    if (e.name === 'MessageRejected') {
      // SES uses one error for every refusal; the sandbox's unverified recipient is the one a workflow must tell apart.
      reason = /not verified/i.test(e.message) ? 'UNVERIFIED_ADDRESS' : 'REJECTED';
    }
    reason ??= status ? reasonFromHttpStatus(status) : 'UNKNOWN';
    return new ChannelError(
      'email',
      reason,
      `SES refused the message (${e.name}${status ? `, HTTP ${status}` : ''})`,
      { providerCode: e.name, cause: err },
    );
  }
  return new ChannelError('email', 'UNKNOWN', 'SES call failed', { cause: err });
}

const TAG_SAFE = /[^A-Za-z0-9_-]/g;

export function createSesEmailSender(
  o: SesEmailOptions,
  client: SESClient = createSesClient(o),
): EmailSender {
  return {
    provider: SES,
    async send(msg: EmailMessage): Promise<SendResult> {
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(msg.to))
        throw new ChannelError('email', 'INVALID_ADDRESS', 'Not an email address');
      const tags = Object.entries(msg.tags ?? {}).map(([Name, Value]) => ({
        Name: Name.replace(TAG_SAFE, '_'),
        Value: Value.replace(TAG_SAFE, '_'),
      }));
      try {
        const out = await client.send(
          new SendEmailCommand({
            Source: o.from,
            Destination: { ToAddresses: [msg.to] },
            Message: {
              Subject: { Data: msg.subject, Charset: 'UTF-8' },
              Body: {
                Html: { Data: msg.html, Charset: 'UTF-8' },
                Text: { Data: msg.text, Charset: 'UTF-8' },
              },
            },
            ...(o.configurationSet ? { ConfigurationSetName: o.configurationSet } : {}),
            ...(tags.length ? { Tags: tags } : {}),
          }),
        );
        if (!out.MessageId) throw new ChannelError('email', 'UNKNOWN', 'SES answered without a message id');
        return { providerId: out.MessageId, status: 'accepted', providerStatus: 'accepted', provider: SES };
      } catch (err) {
        throw classifySesError(err);
      }
    },
  };
}
