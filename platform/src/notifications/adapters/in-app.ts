// In-app notifications: a row per recipient, read in the portal, and pushed
// live. The sender may run in the worker process while subscribers are
// connected to an API process, so the push goes through PostgreSQL
// NOTIFY inside the inserting transaction: it is delivered on commit, never
// for a row that was rolled back, and every API instance relays it to its own
// subscribers (live.ts).
import type { Knex } from 'knex';
import { withTenant } from '../../db/index.js';
import type { InAppMessage, InAppSender, SendResult } from '../ports.js';

export const IN_APP = 'in-app';
export const IN_APP_CHANNEL = 'vigie_in_app';

export interface InAppNotification {
  id: string;
  accountId: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  meta: Record<string, unknown>;
  readAt: string | null;
  createdAt: string;
}

interface Row {
  id: string;
  account_id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  meta: Record<string, unknown>;
  read_at: Date | null;
  created_at: Date;
}

export function toNotification(r: Row): InAppNotification {
  return {
    id: r.id,
    accountId: r.account_id,
    kind: r.kind,
    title: r.title,
    body: r.body,
    link: r.link,
    meta: r.meta,
    readAt: r.read_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
  };
}

/**
 * What the NOTIFY carries: the commune and the new rows with their
 * recipients, so that an API process can tell, without a query, whether any of
 * them is subscribed there. One signal per page of rows (PostgreSQL caps a
 * payload at 8,000 bytes: SIGNAL_ROWS pairs of ids fit with room to spare).
 */
export interface InAppSignal {
  t: string;
  /** [notification id, account id] */
  n: Array<[string, string]>;
}

export const SIGNAL_ROWS = 90;

function signalsOf(rows: Array<{ id: string; tenant_id: string; account_id: string }>): string[] {
  const byTenant = new Map<string, Array<[string, string]>>();
  for (const r of rows) {
    const list = byTenant.get(r.tenant_id) ?? [];
    list.push([r.id, r.account_id]);
    byTenant.set(r.tenant_id, list);
  }
  const out: string[] = [];
  for (const [t, n] of byTenant)
    for (let i = 0; i < n.length; i += SIGNAL_ROWS)
      out.push(JSON.stringify({ t, n: n.slice(i, i + SIGNAL_ROWS) } satisfies InAppSignal));
  return out;
}

export async function storeInApp(
  trx: Knex.Transaction,
  msg: InAppMessage,
): Promise<{ id: string; created: boolean }> {
  const inserted = await trx.raw(
    `insert into in_app_notifications (tenant_id, account_id, kind, title, body, link, meta, dedupe_key)
     values (?, ?, ?, ?, ?, ?, ?::jsonb, ?)
     on conflict (tenant_id, dedupe_key) where dedupe_key is not null do nothing
     returning id`,
    [
      msg.tenantId,
      msg.accountId,
      msg.kind,
      msg.title,
      msg.body,
      msg.link ?? null,
      JSON.stringify(msg.meta ?? {}),
      msg.idempotencyKey ?? null,
    ],
  );
  const id = (inserted.rows[0] as { id: string } | undefined)?.id;
  if (id) {
    const signal = signalsOf([{ id, tenant_id: msg.tenantId, account_id: msg.accountId }])[0]!;
    await trx.raw('select pg_notify(?, ?)', [IN_APP_CHANNEL, signal]);
    return { id, created: true };
  }
  const existing = (await trx('in_app_notifications')
    .where({ dedupe_key: msg.idempotencyKey })
    .first('id')) as { id: string };
  return { id: existing.id, created: false };
}

/**
 * Many notifications in two statements (an alert's batch of a hundred
 * recipients): one insert, then one NOTIFY per page of created rows. Rows
 * whose idempotency key exists already are skipped, as with storeInApp.
 */
export async function storeInAppMany(trx: Knex.Transaction, msgs: InAppMessage[]): Promise<number> {
  if (msgs.length === 0) return 0;
  const rows = msgs.map((m) => ({
    tenant_id: m.tenantId,
    account_id: m.accountId,
    kind: m.kind,
    title: m.title,
    body: m.body,
    link: m.link ?? null,
    meta: m.meta ?? {},
    dedupe_key: m.idempotencyKey ?? null,
  }));
  const inserted = await trx.raw(
    `insert into in_app_notifications (tenant_id, account_id, kind, title, body, link, meta, dedupe_key)
     select tenant_id, account_id, kind, title, body, link, meta, dedupe_key
     from jsonb_to_recordset(?::jsonb) as x(tenant_id uuid, account_id uuid, kind text, title text, body text, link text, meta jsonb, dedupe_key text)
     on conflict (tenant_id, dedupe_key) where dedupe_key is not null do nothing
     returning id, tenant_id, account_id`,
    [JSON.stringify(rows)],
  );
  const created = inserted.rows as Array<{ id: string; tenant_id: string; account_id: string }>;
  if (created.length) {
    const signals = signalsOf(created);
    await trx.raw('select pg_notify(?, s) from jsonb_array_elements_text(?::jsonb) s', [
      IN_APP_CHANNEL,
      JSON.stringify(signals),
    ]);
  }
  return created.length;
}

/**
 * Notifications built by the caller's own SELECT, inserted by the database in
 * one statement (an alert's page of recipients, straight from its delivery
 * rows: nothing travels through Node per recipient), then one NOTIFY per page
 * of created rows. The SELECT yields the columns tenant_id, account_id, kind,
 * title, body, link, meta, dedupe_key; existing keys are skipped.
 */
export async function storeInAppFrom(
  trx: Knex.Transaction,
  select: string,
  bindings: readonly Knex.RawBinding[],
  /** A data-modifying statement the SELECT reads as `d` (WITH d AS (…)): both run as one statement. */
  source?: { sql: string; bindings: readonly Knex.RawBinding[] },
): Promise<number> {
  const inserted = await trx.raw(
    `${source ? `with d as (${source.sql})` : ''}
     insert into in_app_notifications (tenant_id, account_id, kind, title, body, link, meta, dedupe_key)
     ${select}
     on conflict (tenant_id, dedupe_key) where dedupe_key is not null do nothing
     returning id, tenant_id, account_id`,
    [...(source?.bindings ?? []), ...bindings],
  );
  const created = inserted.rows as Array<{ id: string; tenant_id: string; account_id: string }>;
  if (created.length)
    await trx.raw('select pg_notify(?, s) from jsonb_array_elements_text(?::jsonb) s', [
      IN_APP_CHANNEL,
      JSON.stringify(signalsOf(created)),
    ]);
  return created.length;
}

export function createInAppSender(db: Knex): InAppSender {
  return {
    provider: IN_APP,
    async send(msg: InAppMessage): Promise<SendResult> {
      const { id } = await withTenant(db, msg.tenantId, (trx) => storeInApp(trx, msg));
      return { providerId: id, status: 'delivered', providerStatus: 'stored', provider: IN_APP };
    },
  };
}

export async function getInApp(trx: Knex.Transaction, id: string): Promise<InAppNotification | undefined> {
  const r = (await trx('in_app_notifications').where({ id }).first()) as Row | undefined;
  return r ? toNotification(r) : undefined;
}

/** Several notifications by id, in one query (the live relay's page). */
export async function getInAppMany(
  trx: Knex.Transaction,
  ids: readonly string[],
): Promise<InAppNotification[]> {
  if (ids.length === 0) return [];
  const rows = (await trx('in_app_notifications').whereIn('id', [...ids])) as Row[];
  return rows.map(toNotification);
}

export async function listInApp(
  trx: Knex.Transaction,
  accountId: string,
  opts: { limit?: number; unreadOnly?: boolean; before?: string | null } = {},
): Promise<InAppNotification[]> {
  const q = trx('in_app_notifications')
    .where({ account_id: accountId })
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(opts.limit ?? 30, 1), 100));
  if (opts.unreadOnly) q.whereNull('read_at');
  if (opts.before) q.where('created_at', '<', new Date(opts.before));
  return ((await q) as Row[]).map(toNotification);
}

export async function unreadInAppCount(trx: Knex.Transaction, accountId: string): Promise<number> {
  const r = (
    await trx('in_app_notifications')
      .where({ account_id: accountId })
      .whereNull('read_at')
      .count<{ count: number }[]>('* as count')
  )[0];
  return Number(r?.count ?? 0);
}

/** Marks the given notifications (or all, when ids is undefined) read; returns how many changed. */
export async function markInAppRead(
  trx: Knex.Transaction,
  accountId: string,
  ids?: readonly string[],
): Promise<number> {
  const q = trx('in_app_notifications').where({ account_id: accountId }).whereNull('read_at');
  if (ids) q.whereIn('id', ids);
  return q.update({ read_at: trx.fn.now(), updated_at: trx.fn.now() });
}
