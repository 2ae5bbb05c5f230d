import type { Knex } from 'knex';
import { platformTable, tenantForeign, tenantTable } from '../src/db/schema.js';

// Three pieces of issue 14's billing:
// - SMS beyond the yearly allowance, reported to Stripe as billing meter
//   events. `sms_meter_lines` holds, per SMS delivery, the segments it counted
//   in its term (once: unique by delivery, whatever receipts come after);
//   `sms_meter_reports` holds each meter event sent or to send, with the
//   deterministic identifier that makes Stripe drop a resend. Ids and counts
//   only; no delivery foreign key: a deleted alert must not give its segments
//   back to the allowance.
// - A cancelled commune's data deletion: its date, and the tombstone's date.
// - Webhook requests refused (bad signature, unknown customer…), counted per
//   day, provider and code, per commune when one is known: no payload, no
//   address, no IP is kept.
export async function up(knex: Knex): Promise<void> {
  await tenantTable(knex, 'sms_meter_reports', (t) => {
    /** The end of the yearly term (Stripe's current_period_end) the segments belong to. */
    t.timestamp('term_end', { useTz: true }).notNullable();
    /** Ordinal range, within the term, of the segments beyond the allowance this event bills. */
    t.integer('first_segment').notNullable();
    t.integer('last_segment').notNullable();
    t.integer('value').notNullable();
    t.text('identifier').notNullable();
    t.text('stripe_customer_id').notNullable();
    t.text('status').notNullable().defaultTo('pending');
    t.timestamp('sent_at', { useTz: true });
    t.unique(['identifier']);
    t.unique(['tenant_id', 'term_end', 'first_segment']);
  });
  await knex.raw(`alter table sms_meter_reports add constraint sms_meter_reports_check check (
    status in ('pending', 'sent') and first_segment >= 1 and value = last_segment - first_segment + 1)`);
  await knex.raw(
    `create index sms_meter_reports_pending on sms_meter_reports (tenant_id, created_at) where status = 'pending'`,
  );

  await tenantTable(
    knex,
    'sms_meter_lines',
    (t) => {
      t.uuid('delivery_id').notNullable();
      t.timestamp('term_end', { useTz: true }).notNullable();
      t.integer('segments').notNullable();
      /** Of its segments, those beyond the allowance (0 under it). */
      t.integer('billable').notNullable();
      t.uuid('report_id');
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      t.unique(['tenant_id', 'delivery_id']);
      t.index(['tenant_id', 'term_end']);
      tenantForeign(t, 'report_id', 'sms_meter_reports', 'RESTRICT');
    },
    { timestamps: false },
  );
  await knex.raw(
    `alter table sms_meter_lines add constraint sms_meter_lines_check check (billable >= 0 and billable <= segments)`,
  );
  // The hourly report reads the SMS sent in a term, commune by commune.
  await knex.raw(
    `create index deliveries_sms_sent on deliveries (tenant_id, sent_at) where channel = 'sms' and segments is not null`,
  );

  await knex.schema.alterTable('billing_accounts', (t) => {
    /** The subscription item of the tier's metered SMS price (added once, before the first usage). */
    t.text('sms_item_id');
    /** A cancelled commune's data is deleted then (set by the deletion workflow). */
    t.timestamp('deletion_due_at', { useTz: true });
    /** The tombstone: the commune's data was deleted then; the row stays, as the invoices do. */
    t.timestamp('data_deleted_at', { useTz: true });
  });

  await knex.schema.createTable('webhook_refusals', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.date('day').notNullable();
    t.text('provider').notNullable();
    t.text('code').notNullable();
    t.uuid('tenant_id').references('id').inTable('tenants').onDelete('CASCADE');
    t.integer('count').notNullable().defaultTo(0);
    t.timestamp('last_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    `create unique index webhook_refusals_key on webhook_refusals (day, provider, code, coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid))`,
  );
  await knex.raw(`alter table webhook_refusals add constraint webhook_refusals_check check (
    count >= 0 and provider ~ '^[a-z0-9-]{1,32}$' and code ~ '^[A-Z0-9_]{1,64}$')`);
  await platformTable(knex, 'webhook_refusals', 'select, insert, update, delete');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('webhook_refusals');
  await knex.schema.alterTable('billing_accounts', (t) => {
    t.dropColumn('data_deleted_at');
    t.dropColumn('deletion_due_at');
    t.dropColumn('sms_item_id');
  });
  await knex.raw(`drop index if exists deliveries_sms_sent`);
  await knex.schema.dropTableIfExists('sms_meter_lines');
  await knex.schema.dropTableIfExists('sms_meter_reports');
}
