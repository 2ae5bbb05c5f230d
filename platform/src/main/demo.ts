// Demo accounts for `npm start` in development: one of each role per commune,
// with a known password printed in the start banner. Never created outside
// development (the caller checks), and idempotent: an existing account is left
// as it is, so a password changed during a demo stays changed.
import type { Knex } from 'knex';
import { withTenant } from '../db/index.js';
import { createAccount } from '../identity/index.js';
import type { Role } from '../identity/index.js';

export const DEMO_PASSWORD = 'vigie-demo-2026';

export interface DemoLogin {
  tenant: string;
  role: string;
  email: string;
  password: string;
}

interface DemoPerson {
  local: string;
  displayName: string;
  roles: Role[];
  /** Mobile numbers in ARCEP's range reserved for fiction (06 39 98 xx xx). */
  phone: string;
}

const PEOPLE: DemoPerson[] = [
  { local: 'mairie', displayName: 'Mairie (démo)', roles: ['mairie_admin'], phone: '06 39 98 00 01' },
  {
    local: 'chef.police',
    displayName: 'Cheffe de poste (démo)',
    roles: ['police_chief'],
    phone: '06 39 98 00 02',
  },
  { local: 'agent.police', displayName: 'Agent PM (démo)', roles: ['police_agent'], phone: '06 39 98 00 03' },
  {
    local: 'referent',
    displayName: 'Claire (référente)',
    roles: ['resident', 'referent'],
    phone: '06 39 98 00 04',
  },
  { local: 'alice', displayName: 'Alice V.', roles: ['resident'], phone: '06 39 98 00 05' },
  { local: 'bruno', displayName: 'Bruno L.', roles: ['resident'], phone: '06 39 98 00 06' },
  { local: 'ccas', displayName: 'CCAS (démo)', roles: ['ccas_agent'], phone: '06 39 98 00 07' },
];

/**
 * Creates the commune's demo accounts that do not exist yet. The referent's
 * role is scoped to the commune's first sector (a referent always belongs to
 * one community); without any sector the account is a resident only.
 */
export async function ensureDemoAccounts(
  db: Knex,
  tenant: { id: string; slug: string },
): Promise<DemoLogin[]> {
  return withTenant(db, tenant.id, async (trx) => {
    const sector: { id: string } | undefined = await trx('sectors')
      .where({ status: 'active' })
      .orderBy('name')
      .first('id');
    const logins: DemoLogin[] = [];
    for (const p of PEOPLE) {
      const email = `${p.local}@${tenant.slug}.example`;
      const roles = p.roles
        .filter((r) => r !== 'referent' || sector)
        .map((role) => ({ role, scopeId: role === 'referent' ? sector!.id : null }));
      const exists: { id: string } | undefined = await trx('accounts')
        .whereRaw('lower(email) = ?', [email])
        .whereNot('status', 'deleted')
        .first('id');
      const id =
        exists?.id ??
        (
          await createAccount(trx, tenant.id, {
            email,
            password: DEMO_PASSWORD,
            displayName: p.displayName,
            phone: p.phone,
            roles,
            emailVerified: true,
            phoneVerified: true,
          })
        ).id;
      // The banner shows the roles the account really holds (it may predate the sectors).
      const held: string[] = await trx('role_assignments')
        .where({ account_id: id })
        .orderBy('role')
        .pluck('role');
      const label = held.length > 1 ? held.filter((r) => r !== 'resident').join('+') : (held[0] ?? 'none');
      logins.push({ tenant: tenant.slug, role: label, email, password: DEMO_PASSWORD });
    }
    return logins;
  });
}
