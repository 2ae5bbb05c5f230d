import type { Knex } from 'knex';
import { tenantTable } from '../../../plugins/public.js';

export async function up(knex: Knex): Promise<void> {
  await tenantTable(knex, 'test_gated_items', (t) => {
    t.text('label').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('test_gated_items');
}
