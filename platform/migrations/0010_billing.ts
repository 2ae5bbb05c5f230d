import type { Knex } from 'knex';
import { platformTable } from '../src/db/schema.js';

// A commune's subscription as the platform sees it. Platform-level like
// `tenants` (no RLS): a Stripe webhook names a customer, not a commune, and must
// find the commune before any tenant context exists. The row holds the
// commune's legal identifiers for Chorus Pro (SIRET, service code, commitment
// number), never a person's data. The app role reads and writes it only from
// the billing module's own code paths (a mairie admin's own commune, or a
// verified webhook).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('billing_accounts', (t) => {
    t.uuid('tenant_id').primary().references('id').inTable('tenants').onDelete('CASCADE');
    t.text('state').notNullable().defaultTo('none');
    t.text('tier');
    t.text('siret');
    t.text('service_code');
    t.text('commitment_number');
    t.text('stripe_customer_id').unique();
    t.text('stripe_subscription_id').unique();
    t.timestamp('current_period_end', { useTz: true });
    t.boolean('cancel_at_period_end').notNullable().defaultTo(false);
    t.timestamp('grace_until', { useTz: true });
    t.text('last_invoice_id');
    t.timestamp('renewal_notice_for', { useTz: true });
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    `alter table billing_accounts add constraint billing_accounts_state_check check (state in ('none', 'active', 'past_due', 'suspended', 'cancelled'))`,
  );
  await platformTable(knex, 'billing_accounts', 'select, insert, update');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('billing_accounts');
}
