// Messages about the account itself (verification link, phone code, password
// reset). They go to the dev outbox, readable through the API, until a real
// channel is configured by the notifications module.
import type { Knex } from 'knex';

export interface AccountMessage {
  tenantId: string;
  channel: 'email' | 'sms';
  to: string;
  subject?: string;
  body: string;
  kind: string;
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
