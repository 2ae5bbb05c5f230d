import type { Knex } from 'knex';

/**
 * Serializes the writes to one commune's geography (imports, sector edits):
 * each of them recomputes which sector every affected address belongs to, and
 * two of them interleaving could leave an address in a sector it is not in.
 * Transaction-scoped: released at commit or rollback.
 */
export async function lockTenantGeography(trx: Knex.Transaction, tenantId: string): Promise<void> {
  await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`vigie.geo:${tenantId}`]);
}
