import type { Knex } from 'knex';
import { tenantForeign, tenantTable } from '../src/db/schema.js';

// Web push, the fourth delivery channel: one row per device a resident
// allowed notifications on, and a delivery row per device (deliveries gain
// push_subscription_id in their uniqueness), so the report shows each device.
// The subscription id on a delivery is no foreign key: when the push service
// says a device is gone, the subscription is deleted and its failed delivery
// stays, with its reason.
const PREFERENCE_COLUMNS = ['info_channels', 'important_channels', 'urgent_channels'];

export async function up(knex: Knex): Promise<void> {
  await tenantTable(knex, 'push_subscriptions', (t) => {
    t.uuid('account_id').notNullable();
    t.text('endpoint').notNullable();
    t.text('p256dh').notNullable();
    t.text('auth').notNullable();
    /** What the resident calls the device ("Téléphone", "Firefox sur le portable"), shown in their list. */
    t.text('label');
    t.text('user_agent');
    t.timestamp('last_success_at', { useTz: true });
    // One browser has one endpoint; whoever subscribes it last owns it.
    t.unique(['tenant_id', 'endpoint']);
    tenantForeign(t, 'account_id', 'accounts', 'CASCADE');
  });
  await knex.raw(`create index push_subscriptions_account on push_subscriptions (tenant_id, account_id)`);

  await knex.raw(`alter table deliveries add column push_subscription_id uuid`);
  await knex.raw(`alter table deliveries drop constraint deliveries_channel_check`);
  await knex.raw(
    `alter table deliveries add constraint deliveries_channel_check check (channel in ('sms', 'email', 'push', 'in_app'))`,
  );
  await knex.raw(
    `alter table deliveries add constraint deliveries_push_device_check check ((channel = 'push') = (push_subscription_id is not null))`,
  );
  await knex.raw(`drop index deliveries_one_per_recipient`);
  await knex.raw(
    `create unique index deliveries_one_per_recipient on deliveries (tenant_id, alert_id, purpose, coalesce(account_id, '00000000-0000-0000-0000-000000000000'::uuid), channel, coalesce(push_subscription_id, '00000000-0000-0000-0000-000000000000'::uuid))`,
  );
  for (const col of PREFERENCE_COLUMNS) {
    await knex.raw(`alter table notification_preferences drop constraint ??`, [
      `notification_preferences_${col}_check`,
    ]);
    await knex.raw(
      `alter table notification_preferences add constraint ?? check (${col} <@ '{sms,email,push,in_app}'::text[])`,
      [`notification_preferences_${col}_check`],
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  // What push was chosen or sent cannot exist without the channel.
  for (const col of PREFERENCE_COLUMNS) {
    await knex.raw(`update notification_preferences set ?? = array_remove(??, 'push')`, [col, col]);
    await knex.raw(`alter table notification_preferences drop constraint ??`, [
      `notification_preferences_${col}_check`,
    ]);
    await knex.raw(
      `alter table notification_preferences add constraint ?? check (${col} <@ '{sms,email,in_app}'::text[])`,
      [`notification_preferences_${col}_check`],
    );
  }
  await knex.raw(
    `update deliveries set fallback_of = null where fallback_of in (select id from deliveries where channel = 'push')`,
  );
  await knex.raw(`delete from deliveries where channel = 'push'`);
  await knex.raw(`drop index deliveries_one_per_recipient`);
  await knex.raw(
    `create unique index deliveries_one_per_recipient on deliveries (tenant_id, alert_id, purpose, coalesce(account_id, '00000000-0000-0000-0000-000000000000'::uuid), channel)`,
  );
  await knex.raw(`alter table deliveries drop constraint deliveries_push_device_check`);
  await knex.raw(`alter table deliveries drop constraint deliveries_channel_check`);
  await knex.raw(
    `alter table deliveries add constraint deliveries_channel_check check (channel in ('sms', 'email', 'in_app'))`,
  );
  await knex.raw(`alter table deliveries drop column push_subscription_id`);
  await knex.raw(`drop table if exists push_subscriptions`);
}
