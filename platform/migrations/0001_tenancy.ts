import type { Knex } from 'knex';
import { enableTenantRls, platformTable } from '../src/db/schema.js';

// Tenants are platform-level rows: the API must read them to resolve a Host
// header before any tenant context exists, so they carry no RLS. Only the
// operator role may write them.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tenants', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('slug').notNullable().unique();
    t.text('name').notNullable();
    t.text('insee_code').notNullable().unique();
    t.specificType('postal_codes', 'text[]').notNullable().defaultTo('{}');
    t.text('status').notNullable().defaultTo('trial');
    t.jsonb('branding').notNullable().defaultTo('{}');
    t.jsonb('settings').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    `alter table tenants add constraint tenants_status_check check (status in ('trial', 'active', 'suspended'))`,
  );
  await knex.raw(
    `alter table tenants add constraint tenants_slug_check check (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9]){0,1}$')`,
  );
  await platformTable(knex, 'tenants');

  await knex.schema.createTable('tenant_domains', (t) => {
    t.text('domain').primary();
    t.uuid('tenant_id').notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await platformTable(knex, 'tenant_domains');

  await knex.schema.createTable('tenant_plugins', (t) => {
    t.uuid('tenant_id').notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    t.text('plugin_id').notNullable();
    t.boolean('enabled').notNullable().defaultTo(true);
    t.jsonb('settings').notNullable().defaultTo('{}');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['tenant_id', 'plugin_id']);
  });
  await enableTenantRls(knex, 'tenant_plugins', { operator: true });

  // Provider webhooks (Twilio, SES/SNS, Stripe) are idempotent by event id. The
  // row holds ids only, no personal data, and is purged by the retention sweep.
  await knex.schema.createTable('webhook_events', (t) => {
    t.text('provider').notNullable();
    t.text('event_id').notNullable();
    t.uuid('tenant_id').references('id').inTable('tenants').onDelete('CASCADE');
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['provider', 'event_id']);
  });
  await platformTable(knex, 'webhook_events', 'select, insert, delete');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('webhook_events');
  await knex.schema.dropTable('tenant_plugins');
  await knex.schema.dropTable('tenant_domains');
  await knex.schema.dropTable('tenants');
}
