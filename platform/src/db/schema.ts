// Helpers for migrations. A tenant-owned table is created through tenantTable so
// that row-level security is never forgotten: ENABLE and FORCE (the owner too is
// subject to it), one policy comparing tenant_id with the transaction's tenant,
// and grants to the application role only.
import type { Knex } from 'knex';
import { APP_ROLE, OPERATOR_ROLE } from './roles.js';

export const TENANT_PREDICATE = "tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid";

export async function enableTenantRls(
  knex: Knex,
  table: string,
  opts: { operator?: boolean } = {},
): Promise<void> {
  await knex.raw(`alter table ?? enable row level security`, [table]);
  await knex.raw(`alter table ?? force row level security`, [table]);
  await knex.raw(
    `create policy tenant_isolation on ?? using (${TENANT_PREDICATE}) with check (${TENANT_PREDICATE})`,
    [table],
  );
  await knex.raw(`grant select, insert, update, delete on ?? to ${APP_ROLE}`, [table]);
  if (opts.operator)
    await knex.raw(`grant select, insert, update, delete on ?? to ${OPERATOR_ROLE}`, [table]);
}

/**
 * Creates a tenant-owned table: `id uuid` primary key, `tenant_id` referencing
 * tenants, timestamps, then RLS. Unique keys and foreign keys inside the table
 * should include tenant_id (see `tenantForeign`).
 */
export async function tenantTable(
  knex: Knex,
  name: string,
  build: (t: Knex.CreateTableBuilder) => void,
  opts: { operator?: boolean; timestamps?: boolean } = {},
): Promise<void> {
  await knex.schema.createTable(name, (t) => {
    t.uuid('id').notNullable().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    t.primary(['id']);
    t.unique(['tenant_id', 'id']);
    if (opts.timestamps !== false) {
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    }
    build(t);
  });
  await enableTenantRls(knex, name, opts);
}

/** A foreign key that cannot cross tenants: (tenant_id, col) → table(tenant_id, id). */
export function tenantForeign(
  t: Knex.CreateTableBuilder,
  column: string,
  table: string,
  onDelete: 'CASCADE' | 'SET NULL' | 'RESTRICT' = 'CASCADE',
): void {
  const fk = t.foreign(['tenant_id', column]).references(['tenant_id', 'id']).inTable(table);
  // SET NULL on a composite key would null tenant_id too; only null the column.
  if (onDelete === 'SET NULL') fk.onDelete(`SET NULL (${column})` as 'SET NULL');
  else fk.onDelete(onDelete);
}

/** Grants on a platform-level table (no tenant_id): the app reads, the operator writes. */
export async function platformTable(
  knex: Knex,
  table: string,
  appPrivileges: string = 'select',
): Promise<void> {
  await knex.raw(`grant ${appPrivileges} on ?? to ${APP_ROLE}`, [table]);
  await knex.raw(`grant select, insert, update, delete on ?? to ${OPERATOR_ROLE}`, [table]);
}
