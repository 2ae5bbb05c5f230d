// Opt-outs: STOP by SMS, an unsubscribed number at Twilio, a hard bounce or a
// complaint by email. Addresses are stored as hashes: the list must outlive
// the account (a STOP holds after erasure and re-registration) without
// keeping anyone's phone number or email once they are gone.
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { Channel } from './ports.js';

/** `voice` is the commune's do-not-call list: numbers the mairie put there, or people who pressed 9. */
export type OptOutChannel = Extract<Channel, 'sms' | 'email' | 'voice'>;
export type OptOutReason =
  | 'stop_keyword'
  | 'provider_unsubscribed'
  | 'hard_bounce'
  | 'complaint'
  | 'user_request'
  | 'do_not_call'
  | 'keypress';

export function normalizeAddress(channel: OptOutChannel, address: string): string {
  return channel === 'email' ? address.trim().toLowerCase() : address.replace(/[\s.()-]/g, '');
}

export function addressHash(channel: OptOutChannel, address: string): string {
  return createHash('sha256')
    .update(`${channel}:${normalizeAddress(channel, address)}`)
    .digest('hex');
}

export interface OptOutInput {
  channel: OptOutChannel;
  address: string;
  reason: OptOutReason;
  /** Where it came from: 'twilio-inbound', 'ses-bounce', 'ses-complaint', 'twilio-error', 'portal'. */
  source: string;
  accountId?: string | null;
}

export async function recordOptOut(trx: Knex.Transaction, tenantId: string, o: OptOutInput): Promise<void> {
  await trx('opt_outs')
    .insert({
      tenant_id: tenantId,
      channel: o.channel,
      address_hash: addressHash(o.channel, o.address),
      account_id: o.accountId ?? null,
      reason: o.reason,
      source: o.source,
    })
    .onConflict(['tenant_id', 'channel', 'address_hash'])
    .merge({ reason: o.reason, source: o.source, at: trx.fn.now(), updated_at: trx.fn.now() });
}

/** START, or a resident re-enabling email from the portal. Returns whether an opt-out was lifted. */
export async function clearOptOut(
  trx: Knex.Transaction,
  channel: OptOutChannel,
  address: string,
): Promise<boolean> {
  const n = await trx('opt_outs')
    .where({ channel, address_hash: addressHash(channel, address) })
    .delete();
  return n > 0;
}

export async function isOptedOut(
  trx: Knex.Transaction,
  channel: OptOutChannel,
  address: string,
): Promise<boolean> {
  const row = await trx('opt_outs')
    .where({ channel, address_hash: addressHash(channel, address) })
    .first('id');
  return !!row;
}

/** Of these addresses, the ones opted out on the channel (one query per page of recipients). */
export async function optedOutAmong(
  trx: Knex.Transaction,
  channel: OptOutChannel,
  addresses: readonly string[],
): Promise<Set<string>> {
  if (addresses.length === 0) return new Set();
  const byHash = new Map(addresses.map((a) => [addressHash(channel, a), a]));
  const rows = (await trx('opt_outs')
    .where({ channel })
    .whereIn('address_hash', [...byHash.keys()])
    .select('address_hash')) as Array<{ address_hash: string }>;
  return new Set(rows.map((r) => byHash.get(r.address_hash)!));
}
