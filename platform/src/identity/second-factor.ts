// TOTP enrolment and checks for staff. The seed is sealed at rest; a code is
// accepted once (replays of the same 30-second step are refused).
import type { Knex } from 'knex';
import { fail } from './errors.js';
import type { Config } from '../config/config.js';
import { VigieError } from '../lib/errors.js';
import { deriveKey, seal, unseal } from '../lib/crypto.js';
import { newTotpSecret, otpauthUri, verifyTotp } from './totp.js';
import type { AccountPrincipal } from './permissions.js';

type Trx = Knex.Transaction;

const key = (config: Config) => deriveKey(config.secret, 'totp-seed');

/** Starts (or restarts, before confirmation) enrolment. Re-enrolling an active factor needs a verified session. */
export async function beginTotpSetup(
  trx: Trx,
  config: Config,
  p: AccountPrincipal,
): Promise<{ secret: string; otpauthUri: string }> {
  const a = await trx('accounts').where({ id: p.accountId }).first('email', 'totp_enabled_at');
  if (a.totp_enabled_at && p.secondFactor !== 'verified') throw new VigieError('TOTP_REQUIRED');
  const secret = newTotpSecret();
  await trx('accounts')
    .where({ id: p.accountId })
    .update({ totp_secret_enc: seal(key(config), secret), totp_enabled_at: null, totp_last_step: null });
  return { secret, otpauthUri: otpauthUri(secret, a.email) };
}

export async function confirmTotp(
  trx: Trx,
  config: Config,
  p: AccountPrincipal,
  code: string,
): Promise<void> {
  const a = await trx('accounts')
    .where({ id: p.accountId })
    .forUpdate()
    .first('totp_secret_enc', 'totp_enabled_at');
  if (!a?.totp_secret_enc || a.totp_enabled_at)
    throw fail('TOTP_INVALID', 'Commencez par demander un nouveau secret (setupTotp).');
  const step = verifyTotp(unseal(key(config), a.totp_secret_enc), code);
  if (step === null) throw fail('TOTP_INVALID');
  await trx('accounts')
    .where({ id: p.accountId })
    .update({ totp_enabled_at: new Date(), totp_last_step: step });
}

export async function checkTotp(trx: Trx, config: Config, accountId: string, code: string): Promise<boolean> {
  const a = await trx('accounts')
    .where({ id: accountId })
    .forUpdate()
    .first('totp_secret_enc', 'totp_enabled_at', 'totp_last_step');
  if (!a?.totp_secret_enc || !a.totp_enabled_at) throw new VigieError('TOTP_SETUP_REQUIRED');
  const step = verifyTotp(unseal(key(config), a.totp_secret_enc), code);
  if (step === null || (a.totp_last_step !== null && step <= Number(a.totp_last_step))) return false;
  await trx('accounts').where({ id: accountId }).update({ totp_last_step: step });
  return true;
}
