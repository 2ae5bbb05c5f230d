// A span around each provider call (Twilio, SES, the push services), child of
// the activity that sends. Installed only when tracing is on (channels.ts).
// What it records is what a delivery report shows, never what was sent or to
// whom: channel, provider, commune, the provider's message id, the outcome.
// The API alone (prom-client loads it anyway): spans go nowhere unless the SDK is registered.
import { SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import { isChannelError } from './errors.js';
import type { Channel, SendResult } from './ports.js';

interface Sender<M> {
  readonly provider: string;
  send(msg: M): Promise<SendResult>;
}

async function inSpan<T>(
  name: string,
  attributes: Attributes,
  fn: () => Promise<T>,
  onResult: (r: T) => Attributes,
): Promise<T> {
  const tracer = trace.getTracer('@vigie/notifications');
  return tracer.startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    try {
      const result = await fn();
      span.setAttributes(onResult(result));
      return result;
    } catch (err) {
      // The reason code only: a provider's message may quote the number or address it refused.
      span.setAttribute('vigie.failure_reason', isChannelError(err) ? err.reason : 'UNKNOWN');
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw err;
    } finally {
      span.end();
    }
  });
}

const sent = (r: SendResult | undefined): Attributes =>
  r ? { 'vigie.send.status': r.status, 'vigie.provider_message_id': r.providerId } : { 'vigie.found': false };

export function tracedSender<M extends { tenantId: string }, S extends Sender<M>>(
  channel: Channel,
  sender: S,
): S {
  const base = { 'vigie.channel': channel, 'vigie.provider': sender.provider };
  // A copy with every property (push's publicKey getter too), then the two calls replaced.
  const traced = Object.defineProperties({}, Object.getOwnPropertyDescriptors(sender)) as S;
  traced.send = (msg: M) =>
    inSpan(`${channel} send`, { ...base, 'vigie.tenant_id': msg.tenantId }, () => sender.send(msg), sent);
  const withLookup = sender as S & { findSent?: (q: unknown) => Promise<SendResult | undefined> };
  if (typeof withLookup.findSent === 'function') {
    const findSent = withLookup.findSent.bind(sender);
    (traced as typeof withLookup).findSent = (q: unknown) =>
      inSpan(`${channel} find-sent`, base, () => findSent(q), sent);
  }
  return traced;
}
