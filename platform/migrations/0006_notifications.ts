import type { Knex } from 'knex';
import { tenantForeign, tenantTable } from '../src/db/schema.js';

// Notifications: what each resident wants (channels per severity, quiet hours),
// what they received in the app, who asked never to be contacted again on a
// channel, and how many SMS segments the commune used this month.
export async function up(knex: Knex): Promise<void> {
  await tenantTable(knex, 'in_app_notifications', (t) => {
    t.uuid('account_id').notNullable();
    t.text('kind').notNullable();
    t.text('title').notNullable();
    t.text('body').notNullable();
    t.text('link');
    t.timestamp('read_at', { useTz: true });
    t.jsonb('meta').notNullable().defaultTo('{}');
    // The activity that stores a notification may run twice (at-least-once); the key makes the second a no-op.
    t.text('dedupe_key');
    tenantForeign(t, 'account_id', 'accounts');
  });
  await knex.raw(
    'create index in_app_notifications_inbox on in_app_notifications (tenant_id, account_id, created_at desc)',
  );
  await knex.raw(
    'create index in_app_notifications_unread on in_app_notifications (tenant_id, account_id) where read_at is null',
  );
  await knex.raw(
    'create unique index in_app_notifications_dedupe on in_app_notifications (tenant_id, dedupe_key) where dedupe_key is not null',
  );

  await tenantTable(knex, 'notification_preferences', (t) => {
    t.uuid('account_id').notNullable();
    t.specificType('info_channels', 'text[]').notNullable().defaultTo(knex.raw(`'{in_app}'::text[]`));
    t.specificType('important_channels', 'text[]')
      .notNullable()
      .defaultTo(knex.raw(`'{in_app,email}'::text[]`));
    t.specificType('urgent_channels', 'text[]')
      .notNullable()
      .defaultTo(knex.raw(`'{in_app,email,sms}'::text[]`));
    t.specificType('quiet_hours_start', 'time').notNullable().defaultTo('22:00');
    t.specificType('quiet_hours_end', 'time').notNullable().defaultTo('07:00');
    t.text('timezone').notNullable().defaultTo('Europe/Paris');
    t.boolean('digest_info').notNullable().defaultTo(false);
    t.unique(['tenant_id', 'account_id']);
    tenantForeign(t, 'account_id', 'accounts');
  });
  for (const col of ['info_channels', 'important_channels', 'urgent_channels']) {
    await knex.raw(
      `alter table notification_preferences add constraint ?? check (${col} <@ '{sms,email,in_app}'::text[])`,
      [`notification_preferences_${col}_check`],
    );
  }

  // An opt-out outlives the account it came from (a STOP must hold even after
  // erasure and re-registration), so it keys on a hash of the address, not on the account.
  await tenantTable(knex, 'opt_outs', (t) => {
    t.text('channel').notNullable();
    t.text('address_hash').notNullable();
    t.uuid('account_id');
    t.text('reason').notNullable();
    t.text('source').notNullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['tenant_id', 'channel', 'address_hash']);
    tenantForeign(t, 'account_id', 'accounts', 'SET NULL');
  });
  await knex.raw(
    `alter table opt_outs add constraint opt_outs_channel_check check (channel in ('sms', 'email'))`,
  );
  await knex.raw(
    `alter table opt_outs add constraint opt_outs_reason_check check (reason in ('stop_keyword', 'provider_unsubscribed', 'hard_bounce', 'complaint', 'user_request'))`,
  );

  await tenantTable(knex, 'sms_usage', (t) => {
    t.date('month').notNullable();
    t.integer('segments_sent').notNullable().defaultTo(0);
    t.integer('messages_sent').notNullable().defaultTo(0);
    t.boolean('warned_80').notNullable().defaultTo(false);
    t.unique(['tenant_id', 'month']);
  });
  await knex.raw(
    `alter table sms_usage add constraint sms_usage_month_check check (extract(day from month) = 1)`,
  );
}

export async function down(knex: Knex): Promise<void> {
  for (const t of ['sms_usage', 'opt_outs', 'notification_preferences', 'in_app_notifications']) {
    await knex.schema.dropTableIfExists(t);
  }
}
