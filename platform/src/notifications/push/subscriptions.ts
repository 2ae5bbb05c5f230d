// The devices a resident allowed notifications on. A subscription is what the
// browser's PushManager.subscribe() returns: an endpoint at the browser's
// push service and the keys the payload is encrypted for. One schema checks
// it; the table keeps one row per endpoint (a browser whose next user
// subscribes again moves to that account).
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Knex } from 'knex';
import { isIP } from 'node:net';
import type { PushTarget } from '../ports.js';

type Trx = Knex.Transaction;

const B64URL = '^[A-Za-z0-9_-]+={0,2}$';

export const PushSubscriptionInputSchema = Type.Object({
  endpoint: Type.String({ minLength: 1, maxLength: 2048 }),
  keys: Type.Object({
    p256dh: Type.String({ pattern: B64URL, maxLength: 128 }),
    auth: Type.String({ pattern: B64URL, maxLength: 64 }),
  }),
  label: Type.Optional(Type.Union([Type.String({ maxLength: 80 }), Type.Null()])),
});
export type PushSubscriptionInput = Static<typeof PushSubscriptionInputSchema>;

export class PushSubscriptionInvalid extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The endpoint is where this server will send requests: https only, so that
 * a subscription cannot turn the platform into a client of arbitrary plain
 * HTTP services; outside production, http on the loopback for local push
 * endpoints (tests, a developer's own stand-in).
 */
export function validatePushSubscription(
  input: unknown,
  env: string,
): PushSubscriptionInput & { label: string | null } {
  if (!Value.Check(PushSubscriptionInputSchema, input)) {
    const first = [...Value.Errors(PushSubscriptionInputSchema, input)][0];
    throw new PushSubscriptionInvalid(
      first?.path.slice(1) || 'input',
      first?.message ?? 'invalid subscription',
    );
  }
  let url: URL;
  try {
    url = new URL(input.endpoint);
  } catch {
    throw new PushSubscriptionInvalid('endpoint', 'not a URL');
  }
  const local = env !== 'production' && url.protocol === 'http:' && LOOPBACK.has(url.hostname);
  if (url.protocol !== 'https:' && !local)
    throw new PushSubscriptionInvalid('endpoint', 'must be an https URL');
  if (url.username || url.password)
    throw new PushSubscriptionInvalid('endpoint', 'must not carry credentials');
  // Push services are public hosts: an address literal or the loopback would point our servers at their own network.
  if (!local && (isIP(url.hostname.replace(/^\[|\]$/g, '')) !== 0 || LOOPBACK.has(url.hostname)))
    throw new PushSubscriptionInvalid('endpoint', 'must name a push service host, not an address');
  const p256dh = Buffer.from(input.keys.p256dh, 'base64url');
  // An uncompressed P-256 point: 0x04, then X and Y.
  if (p256dh.length !== 65 || p256dh[0] !== 4)
    throw new PushSubscriptionInvalid('keys.p256dh', 'must be an uncompressed P-256 public key (65 bytes)');
  if (Buffer.from(input.keys.auth, 'base64url').length !== 16)
    throw new PushSubscriptionInvalid('keys.auth', 'must be a 16-byte auth secret');
  const label = input.label?.trim() || null;
  return { ...input, label };
}

export interface PushSubscriptionRow {
  id: string;
  tenant_id: string;
  account_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  label: string | null;
  user_agent: string | null;
  created_at: Date;
  last_success_at: Date | null;
}

/** Devices per account: a browser renews its subscription now and then, and each device costs a request per alert. */
export const MAX_DEVICES = 10;

export async function savePushSubscription(
  trx: Trx,
  tenantId: string,
  accountId: string,
  s: PushSubscriptionInput & { label: string | null },
  userAgent: string | null,
): Promise<PushSubscriptionRow> {
  const [row] = (await trx('push_subscriptions')
    .insert({
      tenant_id: tenantId,
      account_id: accountId,
      endpoint: s.endpoint,
      p256dh: s.keys.p256dh,
      auth: s.keys.auth,
      label: s.label,
      user_agent: userAgent?.slice(0, 300) ?? null,
    })
    .onConflict(['tenant_id', 'endpoint'])
    .merge(['account_id', 'p256dh', 'auth', 'label', 'user_agent', 'updated_at'])
    .returning('*')) as PushSubscriptionRow[];
  // Past the cap, the devices heard from least recently go: most likely browsers that renewed or were reset.
  await trx.raw(
    `delete from push_subscriptions where account_id = ? and id in (
       select id from push_subscriptions where account_id = ?
       order by coalesce(last_success_at, updated_at) desc, id desc offset ?)`,
    [accountId, accountId, MAX_DEVICES],
  );
  return row!;
}

/** Only the caller's own device: an endpoint is not a secret worth guessing, but another's is none of their business. */
export async function removePushSubscription(
  trx: Trx,
  accountId: string,
  endpoint: string,
): Promise<boolean> {
  return (await trx('push_subscriptions').where({ account_id: accountId, endpoint }).delete()) > 0;
}

export async function listPushSubscriptions(trx: Trx, accountId: string): Promise<PushSubscriptionRow[]> {
  return (await trx('push_subscriptions')
    .where({ account_id: accountId })
    .orderBy('created_at')) as PushSubscriptionRow[];
}

/** The devices of a page of recipients, in one query. */
export async function pushDevicesOf(trx: Trx, accountIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (accountIds.length === 0) return out;
  const rows = (await trx('push_subscriptions')
    .whereIn('account_id', accountIds)
    .orderBy('id')
    .select('id', 'account_id')) as Array<{ id: string; account_id: string }>;
  for (const r of rows) out.set(r.account_id, [...(out.get(r.account_id) ?? []), r.id]);
  return out;
}

export function targetOf(row: Pick<PushSubscriptionRow, 'endpoint' | 'p256dh' | 'auth'>): PushTarget {
  return { endpoint: row.endpoint, keys: { p256dh: row.p256dh, auth: row.auth } };
}
