import type { Knex } from 'knex';
import { platformTable } from '../src/db/schema.js';

// The commune's invoices as Stripe told us in signed events, and the Factur-X
// PDF made from each finalised one. Platform-level like `billing_accounts`
// (a webhook names a customer, not a commune); the rows hold the commune's
// legal identifiers and amounts, never a person's data. An invoice is an
// accounting record: it stays for the ten years the Code de commerce asks
// (L123-22), it is not erased with a resident's account.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('billing_invoices', (t) => {
    t.text('stripe_invoice_id').primary();
    t.uuid('tenant_id').notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    t.text('number');
    t.text('status').notNullable();
    t.text('currency').notNullable();
    t.bigInteger('subtotal_cents').notNullable();
    t.bigInteger('tax_cents').notNullable();
    t.bigInteger('total_cents').notNullable();
    t.bigInteger('amount_due_cents').notNullable();
    t.bigInteger('amount_paid_cents').notNullable();
    t.jsonb('lines').notNullable();
    t.timestamp('issued_at', { useTz: true });
    t.timestamp('due_at', { useTz: true });
    t.timestamp('period_start', { useTz: true });
    t.timestamp('period_end', { useTz: true });
    t.timestamp('paid_at', { useTz: true });
    t.text('hosted_invoice_url');
    /** Stripe's event time of the last snapshot: an older event never overwrites a newer one. */
    t.timestamp('stripe_updated_at', { useTz: true }).notNullable();
    t.text('facturx_status').notNullable().defaultTo('none');
    t.binary('facturx_pdf');
    t.text('facturx_error');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['tenant_id', 'issued_at']);
  });
  await knex.raw(`alter table billing_invoices add constraint billing_invoices_check check (
    status in ('draft', 'open', 'paid', 'void', 'uncollectible')
    and facturx_status in ('none', 'pending', 'ready', 'failed'))`);
  await platformTable(knex, 'billing_invoices', 'select, insert, update');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('billing_invoices');
}
