// The retention sweep's helper: a purge run inside each tenant in turn.
import type { Knex } from 'knex';
import { withTenant } from '../db/index.js';

/** Runs a purge inside each tenant in turn: the app role sees one tenant at a time. */
export async function purgeAcrossTenants(
  db: Knex,
  purge: (trx: Knex.Transaction, tenantId: string) => Promise<number>,
): Promise<number> {
  const tenants: Array<{ id: string }> = await db('tenants').select('id');
  let total = 0;
  for (const t of tenants) total += await withTenant(db, t.id, (trx) => purge(trx, t.id));
  return total;
}
