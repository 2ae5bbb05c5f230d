// The dev outbox: where SMS, emails and voice calls go when no provider is configured, so
// that `npm start` works offline and the person running the demo can read
// what would have been sent (GraphQL `devOutbox`). It answers "delivered" at
// once: no provider will ever send a receipt for these.
import type { Knex } from 'knex';
import { withTenant } from '../../db/index.js';
import type {
  EmailMessage,
  EmailSender,
  SendResult,
  SmsMessage,
  SmsSender,
  VoiceMessage,
  VoiceSender,
} from '../ports.js';
import { countSegments } from '../gsm.js';

export const DEV_OUTBOX = 'dev-outbox';

interface OutboxRow {
  id: string;
  channel: string;
  recipient: string;
  subject: string | null;
  body: string;
  meta: Record<string, unknown>;
  created_at: Date;
}

async function insertOnce(
  trx: Knex.Transaction,
  tenantId: string,
  row: Omit<OutboxRow, 'id' | 'created_at'>,
  key: string | undefined,
): Promise<string> {
  if (key) {
    const existing = (await trx('dev_outbox')
      .where({ channel: row.channel })
      .whereRaw('meta @> ?::jsonb', [JSON.stringify({ idempotencyKey: key })])
      .first('id')) as { id: string } | undefined;
    if (existing) return existing.id;
  }
  const [inserted] = (await trx('dev_outbox')
    .insert({ ...row, tenant_id: tenantId, meta: JSON.stringify(row.meta) })
    .returning('id')) as Array<{ id: string }>;
  return inserted!.id;
}

function delivered(id: string): SendResult {
  return { providerId: `dev-${id}`, status: 'delivered', providerStatus: 'stored', provider: DEV_OUTBOX };
}

export function createDevOutboxSms(db: Knex): SmsSender {
  return {
    provider: DEV_OUTBOX,
    async send(msg: SmsMessage) {
      const seg = countSegments(msg.body);
      const meta = { idempotencyKey: msg.idempotencyKey, segments: seg.segments, encoding: seg.encoding };
      const id = await withTenant(db, msg.tenantId, (trx) =>
        insertOnce(
          trx,
          msg.tenantId,
          { channel: 'sms', recipient: msg.to, subject: null, body: msg.body, meta },
          msg.idempotencyKey,
        ),
      );
      return delivered(id);
    },
    // The outbox deduplicates by idempotency key at insert: nothing is ever in doubt.
    async findSent() {
      return undefined;
    },
  };
}

/** A call that is not placed: its words are kept, as an SMS's are, and it counts as heard. */
export function createDevOutboxVoice(db: Knex): VoiceSender {
  return {
    provider: DEV_OUTBOX,
    async call(msg: VoiceMessage) {
      const id = await withTenant(db, msg.tenantId, (trx) =>
        insertOnce(
          trx,
          msg.tenantId,
          {
            channel: 'voice',
            recipient: msg.to,
            subject: null,
            body: msg.script,
            meta: { idempotencyKey: msg.idempotencyKey },
          },
          msg.idempotencyKey,
        ),
      );
      return delivered(id);
    },
  };
}

export function createDevOutboxEmail(db: Knex): EmailSender {
  return {
    provider: DEV_OUTBOX,
    async send(msg: EmailMessage) {
      const meta = { idempotencyKey: msg.idempotencyKey, html: msg.html, tags: msg.tags ?? {} };
      const id = await withTenant(db, msg.tenantId, (trx) =>
        insertOnce(
          trx,
          msg.tenantId,
          { channel: 'email', recipient: msg.to, subject: msg.subject, body: msg.text, meta },
          msg.idempotencyKey,
        ),
      );
      return delivered(id);
    },
  };
}

export interface DevOutboxEntry {
  id: string;
  channel: string;
  recipient: string;
  subject: string | null;
  body: string;
  html: string | null;
  createdAt: string;
}

export interface DevOutboxQuery {
  channel?: 'sms' | 'email' | 'voice' | undefined;
  recipient?: string | undefined;
  limit?: number | undefined;
}

/** Newest first. Runs in the caller's tenant transaction. */
export async function listDevOutbox(
  trx: Knex.Transaction,
  q: DevOutboxQuery = {},
): Promise<DevOutboxEntry[]> {
  const query = trx('dev_outbox')
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(Math.min(Math.max(q.limit ?? 50, 1), 200));
  if (q.channel) query.where('channel', q.channel);
  if (q.recipient) query.whereRaw('lower(recipient) = lower(?)', [q.recipient]);
  const rows = (await query.select(
    'id',
    'channel',
    'recipient',
    'subject',
    'body',
    'meta',
    'created_at',
  )) as OutboxRow[];
  return rows.map((r) => ({
    id: r.id,
    channel: r.channel,
    recipient: r.recipient,
    subject: r.subject,
    body: r.body,
    html: typeof r.meta.html === 'string' ? r.meta.html : null,
    createdAt: r.created_at.toISOString(),
  }));
}
