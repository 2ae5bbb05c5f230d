// The demo operator of `npm start` in development: a known email, password and
// TOTP key, printed in the start banner, so that a newcomer can open the
// operator console at once. The key is public, so this account must never
// exist outside development: the caller checks (main/seed.ts), like the demo
// accounts of the communes. Idempotent: an existing operator is left as it is.
import type { Knex } from 'knex';
import type { Config } from '../config/config.js';
import { createOperator } from './operators.js';
import { totpAt } from './totp.js';

export const DEMO_OPERATOR = {
  email: 'operateur@vigie.example',
  password: 'vigie-demo-2026',
  /** Base32, as an authenticator app takes it. */
  totpSecret: 'VIGIEDEMOOPERATEURTOTP23',
} as const;

export async function ensureDemoOperator(db: Knex, config: Config): Promise<typeof DEMO_OPERATOR> {
  const existing = await db('operators').whereRaw('lower(email) = ?', [DEMO_OPERATOR.email]).first('id');
  if (!existing)
    await createOperator(db, config, {
      email: DEMO_OPERATOR.email,
      password: DEMO_OPERATOR.password,
      displayName: 'Opérateur (démo)',
      totpSecret: DEMO_OPERATOR.totpSecret,
    });
  return DEMO_OPERATOR;
}

/** The demo operator's current code, for whoever has no authenticator app at hand. */
export function demoOperatorCode(now = Date.now()): string {
  return totpAt(DEMO_OPERATOR.totpSecret, now);
}
