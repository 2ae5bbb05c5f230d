// Delivery records: one row per (alert, recipient, channel, purpose). Every
// change is a guarded update (the status may only move forward), so that a
// retried activity, a receipt arriving before the activity's own commit, and
// a replayed webhook all leave the same row behind.
import type { Knex } from 'knex';
import type { Channel } from '../notifications/index.js';
import type { SendChannel } from '@vigie/workflows/contracts';
import { optedOutAmong } from '../notifications/index.js';

type Trx = Knex.Transaction;

export const DELIVERY_STATUSES = [
  'pending',
  'held',
  'sending',
  'sent',
  'delivered',
  'undelivered',
  'bounced',
  'failed',
  'skipped',
  'acknowledged',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const FINAL_STATUSES: readonly DeliveryStatus[] = [
  'delivered',
  'undelivered',
  'bounced',
  'failed',
  'skipped',
  'acknowledged',
];
/** Held rows the workflow releases itself when their time comes (a digest is the housekeeping's). */
export const RELEASED_HELD_REASONS = ['QUIET_HOURS', 'NO_ANSWER', 'BUSY'] as const;
export type Purpose = 'alert' | 'escalation';

/** Provider deliveries per child workflow (each channel of a batch is one send activity). */
export const BATCH_SIZE = 250;

export interface DeliveryRow {
  id: string;
  tenant_id: string;
  alert_id: string;
  account_id: string | null;
  purpose: Purpose;
  channel: Channel;
  status: DeliveryStatus;
  reason: string | null;
  provider: string | null;
  provider_message_id: string | null;
  provider_code: string | null;
  attempts: number;
  segments: number | null;
  batch_no: number | null;
  not_before: Date | null;
  fallback_of: string | null;
  /** Push only: the device (push_subscriptions.id; kept after the subscription is dropped). */
  push_subscription_id: string | null;
  queued_at: Date;
  sending_at: Date | null;
  sent_at: Date | null;
  delivered_at: Date | null;
  failed_at: Date | null;
}

export interface NewDelivery {
  tenant_id: string;
  alert_id: string;
  account_id: string | null;
  purpose: Purpose;
  channel: Channel;
  /** `delivered` only for in-app rows stored in the same transaction (a page's). */
  status: 'pending' | 'held' | 'skipped' | 'delivered';
  reason?: string | null;
  provider?: string | null;
  attempts?: number;
  sending_at?: Date | null;
  sent_at?: Date | null;
  delivered_at?: Date | null;
  batch_no?: number | null;
  not_before?: Date | null;
  fallback_of?: string | null;
  failed_at?: Date | null;
  push_subscription_id?: string | null;
}

const DELIVERY_COLUMN_TYPES = {
  tenant_id: 'uuid',
  alert_id: 'uuid',
  account_id: 'uuid',
  purpose: 'text',
  channel: 'text',
  status: 'text',
  reason: 'text',
  batch_no: 'integer',
  not_before: 'timestamptz',
  fallback_of: 'uuid',
  failed_at: 'timestamptz',
  push_subscription_id: 'uuid',
  provider: 'text',
  attempts: 'integer',
  sending_at: 'timestamptz',
  sent_at: 'timestamptz',
  delivered_at: 'timestamptz',
} as const;
const DELIVERY_INSERT_COLUMNS = Object.keys(DELIVERY_COLUMN_TYPES) as Array<
  keyof typeof DELIVERY_COLUMN_TYPES
>;

/** Inserts the rows that do not exist yet; an existing (alert, recipient, channel, purpose) is left alone. */
export async function insertDeliveries(
  trx: Trx,
  rows: NewDelivery[],
): Promise<Array<{ id: string; channel: Channel }>> {
  if (rows.length === 0) return [];
  // One JSON parameter, unpacked by PostgreSQL: a page of thousands of rows in
  // one statement, without building (or parsing) thousands of placeholders.
  const res = await trx.raw(
    `insert into deliveries (${DELIVERY_INSERT_COLUMNS.join(', ')})
     select ${DELIVERY_INSERT_COLUMNS.map((c) => `x.${c}`).join(', ')}
     from jsonb_to_recordset(?::jsonb) as x(${DELIVERY_INSERT_COLUMNS.map((c) => `${c} ${DELIVERY_COLUMN_TYPES[c]}`).join(', ')})
     on conflict do nothing
     returning id, channel`,
    [
      JSON.stringify(
        rows.map((r) => ({
          ...r,
          reason: r.reason ?? null,
          attempts: r.attempts ?? 0,
        })),
      ),
    ],
  );
  return res.rows as Array<{ id: string; channel: Channel }>;
}

/** The highest batch number already given out at or after `first` (an earlier attempt of the same step whose answer was lost). */
export async function batchesFrom(
  trx: Trx,
  alertId: string,
  first: number,
): Promise<{ batches: number; deliveries: number }> {
  const r = (await trx('deliveries')
    .where({ alert_id: alertId })
    .where('batch_no', '>=', first)
    .max('batch_no as max')
    .count('* as n')
    .first()) as { max: number | null; n: number };
  return r.max === null
    ? { batches: 0, deliveries: 0 }
    : { batches: r.max - first + 1, deliveries: Number(r.n) };
}

export async function nextFreeBatch(trx: Trx, alertId: string): Promise<number> {
  const r = (await trx('deliveries').where({ alert_id: alertId }).max('batch_no as max').first()) as {
    max: number | null;
  };
  return r.max === null || r.max < 0 ? 0 : r.max + 1;
}

/**
 * Numbers every pending delivery (and held ones whose time has come) into
 * batches from `first`. Called only when no batch is in flight, so a pending
 * row with an old number is an orphan (an interrupted run) and is renumbered.
 */
export async function assignPending(
  trx: Trx,
  alertId: string,
  first: number,
  asOf: Date,
): Promise<{ batches: number; deliveries: number; channels?: Array<SendChannel | null> }> {
  const lost = await batchesFrom(trx, alertId, first);
  if (lost.batches > 0) return lost;
  await trx('deliveries')
    .where({ alert_id: alertId, status: 'held' })
    .whereIn('reason', RELEASED_HELD_REASONS)
    .where('not_before', '<=', asOf)
    .update({ status: 'pending', reason: null, batch_no: null });
  const rows = (await trx('deliveries')
    .where({ alert_id: alertId, status: 'pending' })
    .orderBy('id')
    .select('id', 'channel')) as Array<{ id: string; channel: Channel }>;
  const numbered = batchesByChannel(rows, first);
  if (rows.length)
    await trx.raw(
      `update deliveries d set batch_no = v.b from unnest(?::uuid[], ?::int[]) as v(id, b) where d.id = v.id`,
      [numbered.ids, numbered.batchNos as unknown as string[]],
    );
  return { batches: numbered.channels.length, deliveries: rows.length, channels: numbered.channels };
}

/** SMS first (the fastest channel for an urgent alert), then voice, push, email, and in-app orphans. */
const BATCH_ORDER: Channel[] = ['sms', 'voice', 'push', 'email', 'in_app'];

/**
 * Batches of one channel each, numbered from `first` in BATCH_ORDER, BATCH_SIZE
 * rows at most: each provider's batches move through their own window of the
 * workflow. In-app rows (orphans of an interrupted page) go in batches marked
 * null, as do none here mixed.
 */
export function batchesByChannel(
  rows: ReadonlyArray<{ id: string; channel: Channel }>,
  first: number,
): { ids: string[]; batchNos: number[]; channels: Array<SendChannel | null> } {
  const ids: string[] = [];
  const batchNos: number[] = [];
  const channels: Array<SendChannel | null> = [];
  for (const ch of BATCH_ORDER) {
    const mine = rows.filter((r) => r.channel === ch);
    for (let i = 0; i < mine.length; i++) {
      if (i % BATCH_SIZE === 0) channels.push(ch === 'in_app' ? null : (ch as SendChannel));
      ids.push(mine[i]!.id);
      batchNos.push(first + channels.length - 1);
    }
  }
  return { ids, batchNos, channels };
}

export interface Progress {
  total: number;
  unsent: number;
  awaitingReceipt: number;
  held: number;
  nextHeldAt: string | null;
  byStatus: Record<string, number>;
}

export async function progressOf(trx: Trx, alertId: string): Promise<Progress> {
  const rows = (await trx('deliveries')
    .where({ alert_id: alertId })
    .groupBy('status')
    .select('status')
    .count('* as n')) as Array<{ status: DeliveryStatus; n: number }>;
  const byStatus: Record<string, number> = {};
  for (const r of rows) byStatus[r.status] = Number(r.n);
  const held = (await trx('deliveries')
    .where({ alert_id: alertId, status: 'held' })
    .whereIn('reason', RELEASED_HELD_REASONS)
    .min('not_before as at')
    .count('* as n')
    .first()) as unknown as { at: Date | null; n: number };
  return {
    total: Object.values(byStatus).reduce((a, b) => a + b, 0),
    unsent: byStatus.pending ?? 0,
    awaitingReceipt: (byStatus.sending ?? 0) + (byStatus.sent ?? 0),
    held: Number(held.n),
    nextHeldAt: held.at ? new Date(held.at).toISOString() : null,
    byStatus,
  };
}

/** How to reach a recipient on each channel: an account's verified addresses, or the on-duty contact of the settings. */
export interface Reach {
  email: string | null;
  phone: string | null;
}

export async function reachOf(
  trx: Trx,
  accountId: string | null,
  onDuty: { phone: string | null; email: string | null },
): Promise<Reach> {
  if (accountId === null) return { email: onDuty.email, phone: onDuty.phone };
  const a = (await trx('accounts')
    .where({ id: accountId, status: 'active' })
    .first('email', 'email_verified_at', 'phone', 'phone_verified_at')) as
    | { email: string; email_verified_at: Date | null; phone: string | null; phone_verified_at: Date | null }
    | undefined;
  if (!a) return { email: null, phone: null };
  return {
    email: a.email_verified_at ? a.email : null,
    phone: a.phone && a.phone_verified_at ? a.phone : null,
  };
}

const OTHER: Partial<Record<Channel, Array<'sms' | 'email'>>> = {
  sms: ['email'],
  email: ['sms'],
  // A call nobody answered, or refused: email, else SMS (a resident with a landline may have both).
  voice: ['email', 'sms'],
};

/**
 * A failed push falls back only when it was the recipient's last device still
 * in the running: then email, or SMS without a verified email, unless the
 * alert already went (or is going) to them by email or SMS. The push rows of
 * the recipient are locked together, in id order, so that two devices
 * failing at once cannot both conclude that the other one is still trying.
 */
async function pushFallback(
  trx: Trx,
  d: Pick<DeliveryRow, 'id' | 'tenant_id' | 'alert_id' | 'account_id' | 'purpose' | 'channel'>,
  onDuty: { phone: string | null; email: string | null },
): Promise<{ id: string; channel: 'sms' | 'email' } | null> {
  if (d.account_id === null) return null;
  const devices = (await trx('deliveries')
    .where({ alert_id: d.alert_id, account_id: d.account_id, purpose: d.purpose, channel: 'push' })
    .orderBy('id')
    .forUpdate()
    .select('id', 'status')) as Array<{ id: string; status: DeliveryStatus }>;
  const failedForGood: DeliveryStatus[] = ['failed', 'skipped', 'undelivered'];
  if (devices.some((x) => x.id !== d.id && !failedForGood.includes(x.status))) return null;
  const other = await trx('deliveries')
    .where({ alert_id: d.alert_id, account_id: d.account_id, purpose: d.purpose })
    .whereIn('channel', ['sms', 'email'])
    .whereNotIn('status', failedForGood)
    .first('id');
  if (other) return null;
  const reach = await reachOf(trx, d.account_id, onDuty);
  for (const ch of ['email', 'sms'] as const) {
    const address = ch === 'sms' ? reach.phone : reach.email;
    if (!address || (await optedOutAmong(trx, ch, [address])).size > 0) continue;
    const [row] = await insertDeliveries(trx, [
      {
        tenant_id: d.tenant_id,
        alert_id: d.alert_id,
        account_id: d.account_id,
        purpose: d.purpose,
        channel: ch,
        status: 'pending',
        fallback_of: d.id,
      },
    ]);
    // Already there (failed earlier): the recipient had that channel's chance; try the next one.
    if (row) return { id: row.id, channel: ch };
  }
  return null;
}

/**
 * SMS failed for good → email; email failed for good → SMS, when the recipient
 * has the other one, has not opted out of it, and was not already sent the
 * alert on it. Returns the new delivery, left pending without a batch: the
 * caller sends it (the batch workflow) or wakes the alert's workflow (a receipt).
 */
export async function createFallback(
  trx: Trx,
  d: Pick<DeliveryRow, 'id' | 'tenant_id' | 'alert_id' | 'account_id' | 'purpose' | 'channel'>,
  onDuty: { phone: string | null; email: string | null },
): Promise<{ id: string; channel: 'sms' | 'email' } | null> {
  if (d.channel === 'push') return pushFallback(trx, d, onDuty);
  const reach = await reachOf(trx, d.account_id, onDuty);
  for (const other of OTHER[d.channel] ?? []) {
    const address = other === 'sms' ? reach.phone : reach.email;
    if (!address) continue;
    if ((await optedOutAmong(trx, other, [address])).size > 0) continue;
    const [row] = await insertDeliveries(trx, [
      {
        tenant_id: d.tenant_id,
        alert_id: d.alert_id,
        account_id: d.account_id,
        purpose: d.purpose,
        channel: other,
        status: 'pending',
        fallback_of: d.id,
      },
    ]);
    if (row) return { id: row.id, channel: other };
    // Already there (the alert went that way too): a voice failure tries the next one.
    if (d.channel !== 'voice') return null;
  }
  return null;
}

/** Marks a delivery failed for good (unless a receipt already said delivered); returns its fallback, if any. */
export async function failDelivery(
  trx: Trx,
  deliveryId: string,
  why: { reason: string; providerCode: string | null },
  onDuty: { phone: string | null; email: string | null },
): Promise<{ id: string; channel: 'sms' | 'email' } | null> {
  const peek = (await trx('deliveries')
    .where({ id: deliveryId })
    .first('channel', 'alert_id', 'account_id', 'purpose')) as
    Pick<DeliveryRow, 'channel' | 'alert_id' | 'account_id' | 'purpose'> | undefined;
  // A recipient's devices are locked together and in one order before this row (see pushFallback): no deadlock.
  if (peek?.channel === 'push')
    await trx('deliveries')
      .where({ alert_id: peek.alert_id, account_id: peek.account_id, purpose: peek.purpose, channel: 'push' })
      .orderBy('id')
      .forUpdate()
      .select('id');
  const d = (await trx('deliveries').where({ id: deliveryId }).forUpdate().first()) as
    DeliveryRow | undefined;
  if (!d || d.status === 'delivered' || d.status === 'acknowledged') return null;
  if (!FINAL_STATUSES.includes(d.status)) {
    await trx('deliveries')
      .where({ id: deliveryId })
      .update({
        status: 'failed',
        reason: why.reason,
        provider_code: why.providerCode ?? d.provider_code,
        failed_at: d.failed_at ?? new Date(),
      });
  }
  return createFallback(trx, d, onDuty);
}

export type ReceiptOutcome =
  | { kind: 'ignored' }
  | { kind: 'updated'; delivery: DeliveryRow }
  /** A call nobody answered, held to be placed again at `not_before`. */
  | { kind: 'retry'; delivery: DeliveryRow }
  | { kind: 'failed'; delivery: DeliveryRow; fallback: { id: string; channel: string } | null };

export interface ReceiptInput {
  channel: 'sms' | 'email' | 'voice';
  providerMessageId: string;
  ref: string | null;
  status: 'sent' | 'delivered' | 'undelivered' | 'bounced' | 'complaint' | 'acknowledged' | 'unanswered';
  at: Date;
  reason: string | null;
  providerCode: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A provider receipt. `delivered` wins over everything (a message did reach
 * the recipient, even a duplicate); a failure only counts for the message the
 * row knows (or for a row that does not know its message yet: the receipt
 * came before the sending activity's commit).
 */
export async function applyReceipt(
  trx: Trx,
  r: ReceiptInput,
  onDuty: (tenantId: string) => Promise<{ phone: string | null; email: string | null }>,
  voice: VoiceRetry = { retrySeconds: 300, attempts: 2 },
): Promise<ReceiptOutcome> {
  // Receipts of success are most of the traffic (two per SMS): one guarded statement each.
  if (r.status === 'sent' || r.status === 'delivered') return applySuccess(trx, r);
  if (r.status === 'acknowledged') return applyAcknowledged(trx, r);
  const q = trx('deliveries').forUpdate();
  const d = (
    r.ref && UUID.test(r.ref)
      ? await q.where({ id: r.ref }).first()
      : await q.where({ provider_message_id: r.providerMessageId }).first()
  ) as DeliveryRow | undefined;
  if (!d || d.channel !== r.channel) return { kind: 'ignored' };
  const knownMessage = d.provider_message_id === null || d.provider_message_id === r.providerMessageId;
  if (r.status === 'unanswered') {
    if (!knownMessage || (d.status !== 'sending' && d.status !== 'sent')) return { kind: 'ignored' };
    if (d.attempts < voice.attempts) {
      // Called again after the delay: a new call, so the row forgets this one's id.
      const [held] = (await trx('deliveries')
        .where({ id: d.id })
        .update(
          {
            status: 'held',
            reason: r.reason,
            provider_code: r.providerCode,
            provider_message_id: null,
            batch_no: null,
            not_before: new Date(r.at.getTime() + voice.retrySeconds * 1000),
          },
          '*',
        )) as DeliveryRow[];
      return { kind: 'retry', delivery: held! };
    }
  }
  const base = { provider_message_id: d.provider_message_id ?? r.providerMessageId };
  // A complaint comes after delivery: the address is on the opt-out list now (notifications did it); the row stays delivered.
  if (
    r.status === 'complaint' ||
    !knownMessage ||
    d.status === 'delivered' ||
    d.status === 'acknowledged' ||
    d.status === 'skipped' ||
    d.status === 'undelivered' ||
    d.status === 'bounced'
  )
    return { kind: 'ignored' };
  const [u] = (await trx('deliveries')
    .where({ id: d.id })
    .update(
      {
        ...base,
        // The last call nobody answered: the delivery ends undelivered, with NO_ANSWER or BUSY.
        status: r.status === 'unanswered' ? 'undelivered' : r.status,
        reason: r.reason ?? 'PROVIDER_ERROR',
        provider_code: r.providerCode,
        failed_at: r.at,
      },
      '*',
    )) as DeliveryRow[];
  const fallback = await createFallback(trx, d, await onDuty(d.tenant_id));
  return { kind: 'failed', delivery: u!, fallback };
}

export interface VoiceRetry {
  /** Seconds before a call nobody answered is placed again. */
  retrySeconds: number;
  /** Calls at most per delivery. */
  attempts: number;
}

/**
 * The listener pressed 1: the call's delivery is `acknowledged`, its final
 * state, whatever the status callback said or will say.
 */
async function applyAcknowledged(trx: Trx, r: ReceiptInput): Promise<ReceiptOutcome> {
  if (!r.ref || !UUID.test(r.ref)) return { kind: 'ignored' };
  const res = await trx.raw(
    `update deliveries set
       status = 'acknowledged', reason = null,
       provider_message_id = coalesce(provider_message_id, ?),
       sent_at = coalesce(sent_at, ?), delivered_at = coalesce(delivered_at, ?)
     where id = ? and channel = 'voice'
       and status in ('sending', 'sent', 'delivered', 'undelivered', 'failed')
       and (provider_message_id is null or provider_message_id = ?)
     returning *`,
    [r.providerMessageId, r.at, r.at, r.ref, r.providerMessageId],
  );
  const u = res.rows[0] as DeliveryRow | undefined;
  return u ? { kind: 'updated', delivery: u } : { kind: 'ignored' };
}

async function applySuccess(trx: Trx, r: ReceiptInput): Promise<ReceiptOutcome> {
  const byRef = !!r.ref && UUID.test(r.ref);
  const sent = r.status === 'sent';
  const res = await trx.raw(
    `update deliveries set
       status = ?, reason = case when ? then reason else null end,
       provider_message_id = coalesce(provider_message_id, ?), sent_at = coalesce(sent_at, ?),
       delivered_at = case when ? then delivered_at else ? end
     where ${byRef ? 'id = ?' : 'provider_message_id = ?'} and channel = ?
       and status ${sent ? "in ('pending', 'sending')" : "not in ('delivered', 'acknowledged', 'skipped')"}
     returning *`,
    [r.status, sent, r.providerMessageId, r.at, sent, r.at, byRef ? r.ref : r.providerMessageId, r.channel],
  );
  const u = res.rows[0] as DeliveryRow | undefined;
  return u ? { kind: 'updated', delivery: u } : { kind: 'ignored' };
}

/**
 * Successful receipts in two statements (by delivery id, then by message id
 * for receipts without one), with the same guards as applySuccess. Several
 * receipts of one message in the group collapse to the furthest status:
 * `delivered` says `sent` too.
 */
export async function applySuccessMany(trx: Trx, receipts: ReceiptInput[]): Promise<number> {
  const best = new Map<string, ReceiptInput>();
  for (const r of receipts) {
    if (r.status !== 'sent' && r.status !== 'delivered') continue;
    const key = `${r.channel}:${r.ref && UUID.test(r.ref) ? r.ref : `m:${r.providerMessageId}`}`;
    const prev = best.get(key);
    if (!prev || (prev.status === 'sent' && r.status === 'delivered')) best.set(key, r);
  }
  let n = 0;
  for (const byRef of [true, false]) {
    const group = [...best.values()].filter((r) => (!!r.ref && UUID.test(r.ref)) === byRef);
    if (group.length === 0) continue;
    const match = `${byRef ? 'd.id = v.ref::uuid' : 'd.provider_message_id = v.pid'} and d.channel = v.channel
         and case when v.status = 'sent' then d.status in ('pending', 'sending')
                  else d.status not in ('delivered', 'acknowledged', 'skipped') end`;
    const values = [
      group.map((r) => (byRef ? r.ref! : '')),
      group.map((r) => r.providerMessageId),
      group.map((r) => r.status),
      group.map((r) => r.channel),
      group.map((r) => r.at.toISOString()),
    ];
    // Locked in id order first, as the sending side does: two group commits
    // never deadlock. Only the rows the receipt moves: Twilio's `sent` mostly
    // comes after the provider id's commit, which already made the row `sent`,
    // and locking it anyway would write the tuple (and WAL) for nothing.
    const locked = await trx.raw(
      `select d.id from deliveries d,
         unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[]) as v(ref, pid, status, channel, at)
       where ${match} order by d.id for update of d`,
      values,
    );
    if (locked.rows.length === 0) continue;
    const res = await trx.raw(
      `update deliveries d set
         status = v.status,
         reason = case when v.status = 'sent' then d.reason else null end,
         provider_message_id = coalesce(d.provider_message_id, v.pid),
         sent_at = coalesce(d.sent_at, v.at),
         delivered_at = case when v.status = 'sent' then d.delivered_at else v.at end
       from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[]) as v(ref, pid, status, channel, at)
       where ${match}`,
      values,
    );
    n += res.rowCount ?? 0;
  }
  return n;
}

export interface ReportItem {
  id: string;
  accountId: string | null;
  displayName: string | null;
  purpose: Purpose;
  channel: Channel;
  status: DeliveryStatus;
  reason: string | null;
  attempts: number;
  fallbackOf: string | null;
  device: string | null;
  queuedAt: Date;
  sendingAt: Date | null;
  sentAt: Date | null;
  deliveredAt: Date | null;
  failedAt: Date | null;
  notBefore: Date | null;
}

/**
 * The report's order, for a person reading it: by recipient name (French
 * collation: « Émile » between « Denise » and « François », case aside), each
 * person's channels together in the order they are tried (SMS, call, push,
 * email, in-app: a fallback sits under the channel that failed), the on-duty
 * contact last. Names rarely change while an alert is read, unlike states,
 * which move under a cursor during a delivery; the state stays a filter.
 */
const RECIPIENT_NAME = `(case when d.account_id is null then '' when a.status = 'deleted' then 'ancien membre' else a.display_name end) collate "fr-x-icu"`;
const CHANNEL_RANK = `(case d.channel when 'sms' then 0 when 'voice' then 1 when 'push' then 2 when 'email' then 3 else 4 end)`;
const NO_ACCOUNT = '00000000-0000-0000-0000-000000000000';
const REPORT_KEY = `(d.account_id is null, ${RECIPIENT_NAME}, coalesce(d.account_id, '${NO_ACCOUNT}'::uuid), ${CHANNEL_RANK}, d.id)`;

/** Where a page of the report ends: the last row's sort key. */
export interface ReportCursor {
  name: string;
  accountId: string | null;
  rank: number;
  id: string;
}

/** base64url of the JSON [name, accountId, rank, id] (the GraphQL `recipient` cursor format). */
export function encodeReportCursor(c: ReportCursor): string {
  return Buffer.from(JSON.stringify([c.name, c.accountId, c.rank, c.id]), 'utf8').toString('base64url');
}

export function decodeReportCursor(v: string): ReportCursor | null {
  try {
    const a = JSON.parse(Buffer.from(v, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(a) || a.length !== 4) return null;
    const [name, accountId, rank, id] = a as unknown[];
    if (typeof name !== 'string' || name.length > 100) return null;
    if (accountId !== null && (typeof accountId !== 'string' || !UUID.test(accountId))) return null;
    if (typeof rank !== 'number' || !Number.isInteger(rank) || rank < 0 || rank > 4) return null;
    if (typeof id !== 'string' || !UUID.test(id)) return null;
    return { name, accountId, rank, id };
  } catch {
    return null;
  }
}

const RANKS: Record<string, number> = { sms: 0, voice: 1, push: 2, email: 3 };

/**
 * For staff: every recipient and channel, by recipient name then channel (see
 * RECIPIENT_NAME), keyset-paginated on that order. Up to 500 rows a page; the
 * CSV reads bigger pages (one sort of the alert's rows each).
 */
export async function deliveryReport(
  trx: Trx,
  alertId: string,
  opts: {
    limit: number;
    after?: string | null | undefined;
    status?: DeliveryStatus | undefined;
    channel?: Channel | undefined;
    /** Above the page's 500: the CSV export's. */
    maxLimit?: number;
  },
): Promise<{ items: ReportItem[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(opts.limit, 1), opts.maxLimit ?? 500);
  const q = trx('deliveries as d')
    .leftJoin('accounts as a', 'a.id', 'd.account_id')
    .leftJoin('push_subscriptions as ps', 'ps.id', 'd.push_subscription_id')
    .where('d.alert_id', alertId)
    .orderByRaw(REPORT_KEY.slice(1, -1))
    .limit(limit + 1);
  if (opts.after) {
    const c = decodeReportCursor(opts.after);
    if (!c) return { items: [], nextCursor: null };
    q.whereRaw(`${REPORT_KEY} > (?, ?::text collate "fr-x-icu", ?::uuid, ?, ?::uuid)`, [
      c.accountId === null,
      c.name,
      c.accountId ?? NO_ACCOUNT,
      c.rank,
      c.id,
    ]);
  }
  if (opts.status) q.where('d.status', opts.status);
  if (opts.channel) q.where('d.channel', opts.channel);
  const rows = (await q.select(
    'd.*',
    'a.display_name',
    'a.status as account_status',
    'ps.label as device',
  )) as Array<
    DeliveryRow & { display_name: string | null; account_status: string | null; device: string | null }
  >;
  const items = rows.slice(0, limit).map((r) => ({
    id: r.id,
    accountId: r.account_id,
    displayName:
      r.account_id === null ? null : r.account_status === 'deleted' ? 'ancien membre' : r.display_name,
    purpose: r.purpose,
    channel: r.channel,
    status: r.status,
    reason: r.reason,
    attempts: r.attempts,
    fallbackOf: r.fallback_of,
    device: r.device,
    queuedAt: r.queued_at,
    sendingAt: r.sending_at,
    sentAt: r.sent_at,
    deliveredAt: r.delivered_at,
    failedAt: r.failed_at,
    notBefore: r.not_before,
  }));
  const last = rows.length > limit ? rows[limit - 1]! : undefined;
  return {
    items,
    nextCursor: last
      ? encodeReportCursor({
          name:
            last.account_id === null
              ? ''
              : last.account_status === 'deleted'
                ? 'ancien membre'
                : (last.display_name ?? ''),
          accountId: last.account_id,
          rank: RANKS[last.channel] ?? 4,
          id: last.id,
        })
      : null,
  };
}

export interface DeliverySummary {
  alertId: string;
  recipients: number;
  total: number;
  byStatus: Array<{ status: DeliveryStatus; count: number }>;
  byChannel: Array<{ channel: Channel; status: DeliveryStatus; count: number }>;
}

/** Counts only: what the author of an alert may see of its delivery. */
export async function deliverySummaries(
  trx: Trx,
  alertIds: readonly string[],
): Promise<Map<string, DeliverySummary>> {
  const out = new Map<string, DeliverySummary>(
    alertIds.map((id) => [id, { alertId: id, recipients: 0, total: 0, byStatus: [], byChannel: [] }]),
  );
  if (alertIds.length === 0) return out;
  const ids = [...new Set(alertIds)];
  const rows = (await trx('deliveries')
    .whereIn('alert_id', ids)
    .where('purpose', 'alert')
    .groupBy(['alert_id', 'channel', 'status'])
    .select('alert_id', 'channel', 'status')
    .count('* as n')) as Array<{ alert_id: string; channel: Channel; status: DeliveryStatus; n: number }>;
  const recipients = (await trx('deliveries')
    .whereIn('alert_id', ids)
    .where('purpose', 'alert')
    .groupBy('alert_id')
    .select('alert_id')
    .countDistinct('account_id as n')) as Array<{
    alert_id: string;
    n: number;
  }>;
  for (const r of rows) {
    const s = out.get(r.alert_id)!;
    const n = Number(r.n);
    s.total += n;
    s.byChannel.push({ channel: r.channel, status: r.status, count: n });
    const bs = s.byStatus.find((b) => b.status === r.status);
    if (bs) bs.count += n;
    else s.byStatus.push({ status: r.status, count: n });
  }
  for (const r of recipients) out.get(r.alert_id)!.recipients = Number(r.n);
  return out;
}
