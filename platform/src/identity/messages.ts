// Messages about the account itself (verification link, phone code, password
// reset, invitation). Without a provider they go to the dev outbox, in the
// caller's transaction, readable through the API. With Twilio or SES
// configured they go through the notification channels once the transaction
// has committed: a link or code is never sent for an account that was rolled
// back. A lost send is not retried here: the person asks for another code or
// link (resendEmailVerification, sendPhoneCode, requestPasswordReset), which
// is what they would do anyway if the message were late.
import type { Knex } from 'knex';
import type { FastifyBaseLogger } from 'fastify';
import { afterCommit } from '../db/index.js';
import { DEV_OUTBOX } from '../notifications/index.js';
import { renderNotificationEmail } from '../notifications/index.js';
import { isChannelError } from '../notifications/index.js';
import type { Channels } from '../notifications/index.js';

export interface AccountMessage {
  tenantId: string;
  channel: 'email' | 'sms';
  to: string;
  subject?: string;
  body: string;
  kind: string;
  locale?: 'fr' | 'en';
}

export type AccountMessenger = (trx: Knex.Transaction, m: AccountMessage) => Promise<void>;

export const outboxMessenger: AccountMessenger = async (trx, m) => {
  await trx('dev_outbox').insert({
    tenant_id: m.tenantId,
    channel: m.channel,
    recipient: m.to,
    subject: m.subject ?? null,
    body: m.body,
    meta: JSON.stringify({ kind: m.kind }),
  });
};

export interface MessengerDeps {
  channels: Pick<Channels, 'sms' | 'email'>;
  log: Pick<FastifyBaseLogger, 'warn'>;
}

/** The messenger of a process: each channel through its provider, or the dev outbox when it has none. */
export function channelMessenger(deps: MessengerDeps): AccountMessenger {
  return async (trx, m) => {
    const sender = deps.channels[m.channel];
    if (sender.provider === DEV_OUTBOX) return outboxMessenger(trx, m);
    const email =
      m.channel === 'email' ? await accountEmail(m, await communeName(trx, m.tenantId)) : undefined;
    afterCommit(trx, async () => {
      try {
        if (email)
          await deps.channels.email.send({
            tenantId: m.tenantId,
            to: m.to,
            subject: m.subject ?? m.kind,
            ...email,
          });
        else
          await deps.channels.sms.send({
            tenantId: m.tenantId,
            to: m.to,
            body: m.body,
            idempotencyKey: `${m.kind}:${Date.now()}`,
          });
      } catch (err) {
        // The reason, never the recipient: no personal data in logs.
        const reason = isChannelError(err) ? err.reason : 'UNKNOWN';
        deps.log.warn(
          { tenantId: m.tenantId, kind: m.kind, channel: m.channel, reason },
          'account message not sent',
        );
      }
    });
  };
}

async function accountEmail(m: AccountMessage, communeName: string): Promise<{ html: string; text: string }> {
  const [greeting, ...rest] = m.body.split('\n\n');
  return renderNotificationEmail({
    locale: m.locale ?? 'fr',
    communeName,
    heading: m.subject ?? '',
    paragraphs: [greeting ?? '', ...rest],
  });
}

async function communeName(trx: Knex.Transaction, tenantId: string): Promise<string> {
  const t = (await trx('tenants').where({ id: tenantId }).first('name')) as { name: string } | undefined;
  return t?.name ?? 'Vigie';
}
