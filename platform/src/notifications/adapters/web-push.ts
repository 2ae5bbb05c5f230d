// Web push: the `web-push` library encrypts the payload for the device
// (aes128gcm, RFC 8291) and signs the VAPID header (RFC 8292); the request
// itself goes through fetch, which reaches an http:// push endpoint on
// 127.0.0.1 in tests as well as the browsers' https push services, with one
// timeout and one error mapping. Nothing is retried here: retries belong to
// the delivery workflow, as for SMS and email.
import { randomUUID } from 'node:crypto';
import type webpushModule from 'web-push';
import { loadOnce } from '../../lib/load-once.js';
import type { VapidConfig } from '../../config/config.js';
import { ChannelError, networkReason, reasonFromHttpStatus } from '../errors.js';
import type { PushMessage, PushSender, SendResult } from '../ports.js';

export const WEB_PUSH = 'web-push';

// Loaded with the first push sent: the API process, which sends none, never holds it.
const webPushSdk = loadOnce(async () => (await import('web-push')).default);

export interface WebPushOptions {
  /** The keys, or how to get them: read (or generated) on first need only, not when the channels are built. */
  vapid: VapidConfig | null | (() => VapidConfig | null);
  /** Per request; a push service that hangs must not hold an activity slot for long. */
  timeoutMs?: number;
}

/** 404 and 410: the push service no longer knows this subscription; it will never come back. */
function reasonOf(status: number) {
  if (status === 404 || status === 410) return 'SUBSCRIPTION_GONE' as const;
  return reasonFromHttpStatus(status);
}

export function createWebPushSender(o: WebPushOptions): PushSender {
  let resolved: { keys: VapidConfig | null } | undefined;
  const keys = () => (resolved ??= { keys: typeof o.vapid === 'function' ? o.vapid() : o.vapid }).keys;
  const timeoutMs = o.timeoutMs ?? 15_000;
  return {
    provider: WEB_PUSH,
    get publicKey() {
      return keys()?.publicKey ?? null;
    },
    async send(msg: PushMessage): Promise<SendResult> {
      const vapid = keys();
      if (!vapid) throw new ChannelError('push', 'CONFIGURATION', 'Web push has no VAPID keys');
      const webpush = await webPushSdk();
      let details: ReturnType<typeof webpushModule.generateRequestDetails>;
      try {
        details = webpush.generateRequestDetails(msg.target, JSON.stringify(msg.payload), {
          vapidDetails: vapid,
          contentEncoding: 'aes128gcm',
          TTL: msg.ttlSeconds,
          urgency: msg.urgency,
          ...(msg.topic ? { topic: msg.topic } : {}),
        });
      } catch (err) {
        // Keys that do not decode to a P-256 point: this subscription can never receive anything.
        throw new ChannelError('push', 'REJECTED', 'The subscription keys are invalid', { cause: err });
      }
      let res: Response;
      try {
        res = await fetch(details.endpoint, {
          method: details.method,
          headers: details.headers as Record<string, string>,
          body: details.body ? new Uint8Array(details.body) : null,
          signal: AbortSignal.timeout(timeoutMs),
          redirect: 'error',
        });
      } catch (err) {
        throw new ChannelError(
          'push',
          networkReason(err) ?? 'NETWORK',
          'The push service could not be reached',
          {
            cause: err,
          },
        );
      }
      await res.arrayBuffer().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) {
        return {
          // The push service's id for the message (its Location), when it gives one.
          providerId: res.headers.get('location') ?? `push:${randomUUID()}`,
          // No receipt will follow: a push service that took the message is as far as anyone can see.
          status: 'delivered',
          providerStatus: String(res.status),
          provider: WEB_PUSH,
        };
      }
      throw new ChannelError('push', reasonOf(res.status), `The push service answered ${res.status}`, {
        providerCode: res.status,
      });
    },
  };
}
