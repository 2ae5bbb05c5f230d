import type { Knex } from 'knex';
import { tenantForeign, tenantTable } from '../src/db/schema.js';

// Recovery codes of staff two-factor authentication: shown once, stored as
// keyed hashes, each accepted once in place of a code from the app (a lost
// phone must not lock the police out of the console).
export async function up(knex: Knex): Promise<void> {
  await tenantTable(
    knex,
    'totp_recovery_codes',
    (t) => {
      t.uuid('account_id').notNullable();
      t.text('code_hash').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      t.timestamp('used_at', { useTz: true });
      tenantForeign(t, 'account_id', 'accounts', 'CASCADE');
      t.unique(['tenant_id', 'account_id', 'code_hash']);
    },
    { timestamps: false },
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('totp_recovery_codes');
}
