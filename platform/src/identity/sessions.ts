// Sessions: a random token in an httpOnly cookie, only its SHA-256 in the
// database. Staff sessions are short; residents' last a month.
import type { Knex } from 'knex';
import { randomToken, sha256 } from '../lib/crypto.js';
import { rolesOf, type AccountRow } from './accounts.js';
import { STAFF_ROLES, type AccountPrincipal, type RoleGrant } from './permissions.js';

type Trx = Knex.Transaction;

export const SESSION_COOKIE = 'vigie_session';
const RESIDENT_TTL_MS = 30 * 86_400_000;
const STAFF_TTL_MS = 12 * 3600_000;

export interface NewSession {
  id: string;
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function createSession(
  trx: Trx,
  account: AccountRow,
  roles: RoleGrant[],
  userAgent: string | undefined,
): Promise<NewSession> {
  const token = randomToken(32);
  const csrfToken = randomToken(24);
  const staff = roles.some((r) => STAFF_ROLES.has(r.role));
  const expiresAt = new Date(Date.now() + (staff ? STAFF_TTL_MS : RESIDENT_TTL_MS));
  const [row] = await trx('sessions')
    .insert({
      tenant_id: account.tenant_id,
      account_id: account.id,
      token_hash: sha256(token),
      csrf_token: csrfToken,
      expires_at: expiresAt,
      user_agent: userAgent?.slice(0, 200) ?? null,
    })
    .returning('id');
  return { id: row.id as string, token, csrfToken, expiresAt };
}

/** The principal behind a session token, or undefined when it is unknown, expired or revoked. */
export async function principalFromToken(trx: Trx, token: string): Promise<AccountPrincipal | undefined> {
  const row = await trx('sessions as s')
    .join('accounts as a', function () {
      this.on('a.id', '=', 's.account_id').andOn('a.tenant_id', '=', 's.tenant_id');
    })
    .where('s.token_hash', sha256(token))
    .whereNull('s.revoked_at')
    .where('s.expires_at', '>', new Date())
    .where('a.status', 'active')
    .first(
      's.id as session_id',
      's.csrf_token',
      's.totp_verified_at',
      'a.id as account_id',
      'a.tenant_id',
      'a.display_name',
      'a.totp_enabled_at',
      'a.email_verified_at',
      'a.phone_verified_at',
      'a.locale',
    );
  if (!row) return undefined;
  return {
    kind: 'account',
    accountId: row.account_id,
    tenantId: row.tenant_id,
    displayName: row.display_name,
    roles: await rolesOf(trx, row.account_id),
    sessionId: row.session_id,
    csrfToken: row.csrf_token,
    secondFactor: row.totp_verified_at ? 'verified' : row.totp_enabled_at ? 'pending' : 'none',
    emailVerified: !!row.email_verified_at,
    phoneVerified: !!row.phone_verified_at,
    locale: row.locale,
  };
}

export async function revokeSession(trx: Trx, sessionId: string, accountId?: string): Promise<boolean> {
  const q = trx('sessions').where({ id: sessionId }).whereNull('revoked_at');
  if (accountId) q.where({ account_id: accountId });
  return (await q.update({ revoked_at: new Date() })) > 0;
}

export async function revokeOtherSessions(
  trx: Trx,
  accountId: string,
  keepSessionId: string | null,
): Promise<number> {
  const q = trx('sessions').where({ account_id: accountId }).whereNull('revoked_at');
  if (keepSessionId) q.whereNot({ id: keepSessionId });
  return q.update({ revoked_at: new Date() });
}

export async function listSessions(
  trx: Trx,
  accountId: string,
): Promise<Array<{ id: string; created_at: Date; expires_at: Date; user_agent: string | null }>> {
  return trx('sessions')
    .where({ account_id: accountId })
    .whereNull('revoked_at')
    .where('expires_at', '>', new Date())
    .orderBy('created_at', 'desc')
    .select('id', 'created_at', 'expires_at', 'user_agent');
}

export async function markSecondFactor(trx: Trx, sessionId: string): Promise<void> {
  await trx('sessions').where({ id: sessionId }).update({ totp_verified_at: new Date() });
}
