// Recovery codes of staff two-factor authentication: ten codes shown once when
// TOTP is turned on (or asked for again, which replaces them), stored as
// HMAC-SHA256 hashes keyed by the instance's secret, and each accepted once at
// login in place of a code from the app.
import { createHmac, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

type Trx = Knex.Transaction;

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
/** Two groups of five, e.g. `k7m2p-x9rtq`: easy to read aloud and to type. */
export const RECOVERY_CODE = /^[a-z2-9]{5}-[a-z2-9]{5}$/;

function newCode(): string {
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]);
  return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
}

function hashOf(secret: string, code: string): string {
  return createHmac('sha256', `totp-recovery:${secret}`).update(code.trim().toLowerCase()).digest('hex');
}

export function looksLikeRecoveryCode(code: string): boolean {
  return RECOVERY_CODE.test(code.trim().toLowerCase());
}

/** Replaces the account's codes with new ones and returns them (the only time they are readable). */
export async function issueRecoveryCodes(
  trx: Trx,
  secret: string,
  p: { tenantId: string; accountId: string },
): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
  await trx('totp_recovery_codes').where({ account_id: p.accountId }).delete();
  await trx('totp_recovery_codes').insert(
    codes.map((c) => ({ tenant_id: p.tenantId, account_id: p.accountId, code_hash: hashOf(secret, c) })),
  );
  return codes;
}

/** Spends one unused code of the account; false when it is not one (or was used). */
export async function useRecoveryCode(
  trx: Trx,
  secret: string,
  accountId: string,
  code: string,
): Promise<boolean> {
  const n = await trx('totp_recovery_codes')
    .where({ account_id: accountId, code_hash: hashOf(secret, code) })
    .whereNull('used_at')
    .update({ used_at: trx.fn.now() });
  return n === 1;
}

export async function unusedRecoveryCodes(trx: Trx, accountId: string): Promise<number> {
  const r = (await trx('totp_recovery_codes')
    .where({ account_id: accountId })
    .whereNull('used_at')
    .count('* as n')
    .first()) as { n: string | number } | undefined;
  return Number(r?.n ?? 0);
}
