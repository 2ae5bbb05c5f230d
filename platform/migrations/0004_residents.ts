import type { Knex } from 'knex';
import { tenantForeign, tenantTable } from '../src/db/schema.js';

// A residence ties an account to the address it lives at and, through the
// address, to its sector: the community it belongs to. It becomes active once
// a proof of address is approved (or a referent validates it by hand).
export async function up(knex: Knex): Promise<void> {
  await tenantTable(knex, 'residences', (t) => {
    t.uuid('account_id').notNullable();
    t.uuid('address_id');
    t.uuid('sector_id');
    /** Free-text address for residents whose address is not in the BAN import (manual validation). */
    t.text('address_label');
    t.text('status').notNullable().defaultTo('pending');
    t.text('source').notNullable().defaultTo('proof');
    t.timestamp('activated_at', { useTz: true });
    t.uuid('decided_by');
    t.text('decision_reason');
    t.timestamp('ended_at', { useTz: true });
    tenantForeign(t, 'account_id', 'accounts');
    tenantForeign(t, 'address_id', 'addresses', 'SET NULL');
    tenantForeign(t, 'sector_id', 'sectors', 'SET NULL');
  });
  await knex.raw(`alter table residences add constraint residences_status_check check (status in ('pending', 'active', 'rejected', 'withdrawn', 'expired', 'ended'))`);
  await knex.raw(`alter table residences add constraint residences_source_check check (source in ('proof', 'manual'))`);
  // One current residence per account: a move ends the old one first.
  await knex.raw(`create unique index residences_one_current on residences (tenant_id, account_id) where status in ('pending', 'active')`);
  await knex.raw(`create index residences_sector_active on residences (tenant_id, sector_id) where status = 'active'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('residences');
}
