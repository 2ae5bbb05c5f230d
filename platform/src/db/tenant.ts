import type { Knex } from 'knex';

export type Trx = Knex.Transaction;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The only way to reach tenant data. Runs `fn` in a transaction whose
 * `app.tenant_id` setting is transaction-local (`set_config(…, true)`), so it is
 * gone when the connection returns to the pool and cannot leak to the next
 * request. Row-level security policies compare every row against it.
 */
export async function withTenant<T>(db: Knex, tenantId: string, fn: (trx: Trx) => Promise<T>): Promise<T> {
  if (!UUID.test(tenantId)) throw new Error('withTenant needs a tenant uuid');
  return db.transaction(async (trx) => {
    await trx.raw("select set_config('app.tenant_id', ?, true)", [tenantId]);
    return fn(trx);
  });
}

/**
 * A tenant transaction that the caller ends (commit or rollback), for work that
 * spans several callbacks: the resolvers of one GraphQL query share one.
 */
export async function openTenantTransaction(db: Knex, tenantId: string): Promise<Trx> {
  if (!UUID.test(tenantId)) throw new Error('withTenant needs a tenant uuid');
  const trx = await db.transaction();
  try {
    await trx.raw("select set_config('app.tenant_id', ?, true)", [tenantId]);
  } catch (err) {
    await trx.rollback().catch(() => undefined);
    throw err;
  }
  return trx;
}

/** The tenant bound to the current transaction, or undefined outside withTenant. */
export async function currentTenant(trx: Knex | Trx): Promise<string | undefined> {
  const res = await trx.raw("select nullif(current_setting('app.tenant_id', true), '') as id");
  return (res.rows[0]?.id as string | null) ?? undefined;
}
