import type { Knex } from 'knex';
import { tenantForeign, tenantTable } from '../src/db/schema.js';

// The police officer on duty, chosen from the console by the chef de poste or
// the mairie: escalations of unacknowledged urgent alerts go to them (and to
// the chief) instead of to every agent. One row per commune at most; the
// commune's settings' on-duty phone and email still apply alongside.
export async function up(knex: Knex): Promise<void> {
  await tenantTable(knex, 'alert_on_duty', (t) => {
    t.uuid('account_id').notNullable();
    t.uuid('set_by').notNullable();
    t.unique(['tenant_id']);
    tenantForeign(t, 'account_id', 'accounts');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('alert_on_duty');
}
