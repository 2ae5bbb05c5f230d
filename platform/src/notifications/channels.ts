// The composition of the channel adapters: real providers when configured,
// the dev outbox otherwise. API and worker processes both build theirs here.
import type { Knex } from 'knex';
import type { Config } from '../config/config.js';
import { withTenant } from '../db/index.js';
import { ChannelError } from './errors.js';
import { optedOutAmong, type OptOutChannel } from './opt-outs.js';
import type { Channels, EmailSender, SmsSender, VoiceSender } from './ports.js';
import { createDevOutboxEmail, createDevOutboxSms, createDevOutboxVoice } from './adapters/dev-outbox.js';
import { createInAppSender } from './adapters/in-app.js';
import type { TwilioSmsOptions } from './adapters/twilio-sms.js';
import type { SesEmailOptions } from './adapters/ses-email.js';
import { createWebPushSender } from './adapters/web-push.js';
import { resolveVapid } from './push/vapid.js';
import { tracedSender } from './tracing.js';

export interface ChannelDeps {
  /** Application pool (RLS): dev outbox, in-app rows, opt-out checks. */
  db: Knex;
  /** AWS credentials; by default the SDK's chain (environment, instance role). */
  awsCredentials?: SesEmailOptions['credentials'];
  timeoutMs?: number;
}

type Sender = SmsSender | EmailSender;

type OptOutCheck = (tenantId: string, channel: OptOutChannel, address: string) => Promise<boolean>;

/**
 * Opt-out lookups of concurrent sends, grouped: the checks that arrive while
 * a commune's lookup runs wait for the next one, which asks for all of them in
 * one transaction. Idle, a check goes alone at once; under a fan-out of
 * hundreds of sends a second, a transaction checks dozens of numbers instead
 * of one per message. Each check still runs right before its provider call.
 */
export function groupedOptOutCheck(db: Knex): OptOutCheck {
  interface Waiting {
    address: string;
    resolve: (out: boolean) => void;
    reject: (err: unknown) => void;
  }
  const queues = new Map<string, Waiting[]>();
  const drain = async (key: string, tenantId: string, channel: OptOutChannel, waiting: Waiting[]) => {
    while (waiting.length > 0) {
      const group = waiting.splice(0, 1000);
      try {
        const out = await withTenant(db, tenantId, (trx) =>
          optedOutAmong(
            trx,
            channel,
            group.map((w) => w.address),
          ),
        );
        for (const w of group) w.resolve(out.has(w.address));
      } catch (err) {
        for (const w of group) w.reject(err);
      }
    }
    // Nothing awaited between the empty queue and its removal: no check can slip in between.
    queues.delete(key);
  };
  return (tenantId, channel, address) =>
    new Promise<boolean>((resolve, reject) => {
      const key = `${tenantId}:${channel}`;
      const running = queues.get(key);
      if (running) {
        running.push({ address, resolve, reject });
        return;
      }
      const waiting: Waiting[] = [{ address, resolve, reject }];
      queues.set(key, waiting);
      // The checks of this same turn of the event loop join the first lookup.
      setImmediate(() => void drain(key, tenantId, channel, waiting));
    });
}

/**
 * Refuses, before any provider call, an address on the commune's opt-out list:
 * a STOP or a complaint is honoured whichever code path sends, and the
 * refusal is the typed, non-retryable OPTED_OUT the workflow expects.
 */
function honourOptOuts<S extends Sender>(channel: OptOutChannel, sender: S, optedOut: OptOutCheck): S {
  return {
    ...sender,
    provider: sender.provider,
    async send(msg: Parameters<S['send']>[0]) {
      if (await optedOut(msg.tenantId, channel, msg.to))
        throw new ChannelError(channel, 'OPTED_OUT', 'The recipient opted out of this channel');
      return sender.send(msg as never);
    },
  } as S;
}

// aws-ses-v2-local wants a signed request but checks no key: outside
// production, a stand-in endpoint gets placeholder credentials when none are set.
const STAND_IN_CREDENTIALS = { accessKeyId: 'stand-in', secretAccessKey: 'stand-in' };

/**
 * A provider's sender, made with its first message. Every process builds
 * channels (the API sends account messages), but few send through Twilio or
 * SES: their SDKs load then, not at start-up. The provider's name is known
 * before, for the delivery rows and the spans.
 */
function onFirstSms(provider: string, make: () => Promise<SmsSender>): SmsSender {
  let sender: Promise<SmsSender> | undefined;
  const get = () => (sender ??= make());
  return {
    provider,
    send: async (msg) => (await get()).send(msg),
    findSent: async (q) => (await get()).findSent(q),
    fetchStatus: async (id) => {
      const s = await get();
      if (!s.fetchStatus) throw new Error(`${provider} cannot say a message's status`);
      return s.fetchStatus(id);
    },
  };
}

/**
 * Refuses a call to a number on the commune's do-not-call list before any
 * provider call: the refusal is final (DO_NOT_CALL), with its fallback.
 */
function honourDoNotCall(sender: VoiceSender, optedOut: OptOutCheck): VoiceSender {
  return {
    provider: sender.provider,
    ...(sender.fetchStatus ? { fetchStatus: sender.fetchStatus.bind(sender) } : {}),
    async call(msg) {
      if (await optedOut(msg.tenantId, 'voice', msg.to))
        throw new ChannelError('voice', 'DO_NOT_CALL', 'The number is on the do-not-call list');
      return sender.call(msg);
    },
  };
}

function onFirstCall(provider: string, make: () => Promise<VoiceSender>): VoiceSender {
  let sender: Promise<VoiceSender> | undefined;
  const get = () => (sender ??= make());
  return {
    provider,
    call: async (msg) => (await get()).call(msg),
    fetchStatus: async (id) => {
      const s = await get();
      if (!s.fetchStatus) throw new Error(`${provider} cannot say a call's status`);
      return s.fetchStatus(id);
    },
  };
}

function onFirstEmail(provider: string, make: () => Promise<EmailSender>): EmailSender {
  let sender: Promise<EmailSender> | undefined;
  const get = () => (sender ??= make());
  return { provider, send: async (msg) => (await get()).send(msg) };
}

export function createChannels(config: Config, deps: ChannelDeps): Channels {
  const twilio = config.twilio;
  const sms = twilio
    ? onFirstSms('twilio', async () =>
        (await import('./adapters/twilio-sms.js')).createTwilioSmsSender({
          ...twilio,
          ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}),
        } satisfies TwilioSmsOptions),
      )
    : createDevOutboxSms(deps.db);
  const credentials =
    deps.awsCredentials ??
    (config.ses?.endpoint && config.env !== 'production' && !process.env.AWS_ACCESS_KEY_ID
      ? STAND_IN_CREDENTIALS
      : undefined);
  const ses = config.ses;
  const email = ses
    ? onFirstEmail('ses', async () =>
        (await import('./adapters/ses-email.js')).createSesEmailSender({
          ...ses,
          ...(credentials ? { credentials } : {}),
          ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}),
        }),
      )
    : createDevOutboxEmail(deps.db);
  const push = createWebPushSender({
    vapid: () => resolveVapid(config),
    ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}),
  });
  const voice = twilio
    ? onFirstCall('twilio', async () =>
        (await import('./adapters/twilio-voice.js')).createTwilioVoiceSender({
          ...twilio,
          ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}),
        }),
      )
    : createDevOutboxVoice(deps.db);
  // Tracing off: the senders as they are, not even a no-op span per message.
  const traced = config.tracing ? tracedSender : <S>(_: unknown, s: S) => s;
  const optedOut = groupedOptOutCheck(deps.db);
  return {
    sms: honourOptOuts('sms', traced('sms', sms), optedOut),
    email: honourOptOuts('email', traced('email', email), optedOut),
    inApp: createInAppSender(deps.db),
    push: traced('push', push),
    voice: honourDoNotCall(voice, optedOut),
  };
}
