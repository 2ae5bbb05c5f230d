import type { Knex } from 'knex';
import { tenantForeign, tenantTable } from '../src/db/schema.js';

// Alerts and their delivery. An alert is raised once; its deliveries are one
// row per (recipient, channel, purpose), so that a retried activity, a
// replayed receipt or a restarted workflow can never record a recipient twice.
export async function up(knex: Knex): Promise<void> {
  // A per-commune list: a mairie may rename or retire a category without touching another commune.
  await tenantTable(knex, 'alert_categories', (t) => {
    t.text('slug').notNullable();
    t.text('label_fr').notNullable();
    t.text('label_en').notNullable();
    t.text('default_severity').notNullable().defaultTo('important');
    t.integer('position').notNullable().defaultTo(0);
    t.boolean('active').notNullable().defaultTo(true);
    t.unique(['tenant_id', 'slug']);
  });
  await knex.raw(
    `alter table alert_categories add constraint alert_categories_default_severity_check check (default_severity in ('info', 'important', 'urgent'))`,
  );
  await knex.raw(
    `alter table alert_categories add constraint alert_categories_slug_check check (slug ~ '^[a-z0-9][a-z0-9-]{0,40}$')`,
  );

  await tenantTable(knex, 'alerts', (t) => {
    t.uuid('author_account_id');
    t.text('author_kind').notNullable();
    t.text('origin').notNullable();
    t.uuid('category_id').notNullable();
    t.text('severity').notNullable();
    t.text('body').notNullable();
    t.text('target_kind').notNullable();
    t.specificType('target_sector_ids', 'uuid[]').notNullable().defaultTo('{}');
    t.double('lon');
    t.double('lat');
    t.text('photo_key');
    t.text('status').notNullable().defaultTo('received');
    t.text('closure');
    t.timestamp('acknowledged_at', { useTz: true });
    t.uuid('acknowledged_by');
    t.timestamp('closed_at', { useTz: true });
    // Set by the delivery workflow's first step: an alert without it after a minute
    // had its workflow start lost (crash between commit and start) and is restarted.
    t.timestamp('delivery_started_at', { useTz: true });
    /** The last page of recipients is in `deliveries`: a restarted workflow only sends what is left. */
    t.timestamp('recipients_resolved_at', { useTz: true });
    t.timestamp('delivery_completed_at', { useTz: true });
    tenantForeign(t, 'author_account_id', 'accounts', 'SET NULL');
    tenantForeign(t, 'acknowledged_by', 'accounts', 'SET NULL');
    tenantForeign(t, 'category_id', 'alert_categories', 'RESTRICT');
  });
  await knex.raw(
    `alter table alerts add constraint alerts_author_kind_check check (author_kind in ('resident', 'police', 'mairie', 'system'))`,
  );
  await knex.raw(
    `alter table alerts add constraint alerts_origin_check check (origin in ('web', 'sms', 'api'))`,
  );
  await knex.raw(
    `alter table alerts add constraint alerts_severity_check check (severity in ('info', 'important', 'urgent'))`,
  );
  await knex.raw(
    `alter table alerts add constraint alerts_target_kind_check check (target_kind in ('community', 'sectors', 'commune'))`,
  );
  await knex.raw(
    `alter table alerts add constraint alerts_status_check check (status in ('received', 'acknowledged', 'in_progress', 'closed'))`,
  );
  await knex.raw(
    `alter table alerts add constraint alerts_closure_check check (closure in ('solved', 'unfounded'))`,
  );
  await knex.raw(
    `alter table alerts add constraint alerts_closed_has_closure check ((status = 'closed') = (closure is not null))`,
  );
  await knex.raw(
    `alter table alerts add constraint alerts_body_length check (char_length(body) between 1 and 1000)`,
  );
  await knex.raw(
    `alter table alerts add constraint alerts_location_pair check ((lon is null) = (lat is null))`,
  );
  await knex.raw(
    `alter table alerts add constraint alerts_location_range check (lon between -180 and 180 and lat between -90 and 90)`,
  );
  await knex.raw(`create index alerts_recent on alerts (tenant_id, created_at desc)`);
  await knex.raw(`create index alerts_by_author on alerts (tenant_id, author_account_id, created_at desc)`);
  await knex.raw(
    `create index alerts_delivery_not_started on alerts (tenant_id, created_at) where delivery_started_at is null`,
  );

  await tenantTable(
    knex,
    'alert_status_history',
    (t) => {
      t.uuid('alert_id').notNullable();
      t.text('status').notNullable();
      t.text('closure');
      t.uuid('by_account_id');
      t.text('note');
      t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      tenantForeign(t, 'alert_id', 'alerts', 'CASCADE');
      tenantForeign(t, 'by_account_id', 'accounts', 'SET NULL');
    },
    { timestamps: false },
  );
  await knex.raw(
    `alter table alert_status_history add constraint alert_status_history_status_check check (status in ('received', 'acknowledged', 'in_progress', 'closed'))`,
  );
  await knex.raw(`create index alert_status_history_alert on alert_status_history (tenant_id, alert_id, at)`);

  // One row per recipient, channel and purpose ('alert', or 'escalation' to the
  // police chief and the on-duty contact, whose account_id may be null).
  await tenantTable(knex, 'deliveries', (t) => {
    t.uuid('alert_id').notNullable();
    t.uuid('account_id');
    t.text('purpose').notNullable().defaultTo('alert');
    t.text('channel').notNullable();
    t.text('status').notNullable().defaultTo('pending');
    /** Typed: OPTED_OUT, INVALID_NUMBER, UNVERIFIED_ADDRESS, SMS_BUDGET, QUIET_HOURS, DIGEST, HARD_BOUNCE… */
    t.text('reason');
    t.text('provider');
    t.text('provider_message_id');
    t.text('provider_code');
    t.integer('attempts').notNullable().defaultTo(0);
    t.integer('segments');
    /** Its segments are in the commune's monthly SMS usage (counted per batch, off the hot row). */
    t.boolean('usage_counted').notNullable().defaultTo(false);
    /** The child workflow that sends it; null while held (quiet hours, digest) or waiting for assignment. */
    t.integer('batch_no');
    t.timestamp('not_before', { useTz: true });
    /** The failed delivery this one replaces on another channel. */
    t.uuid('fallback_of');
    t.timestamp('queued_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('sending_at', { useTz: true });
    t.timestamp('sent_at', { useTz: true });
    t.timestamp('delivered_at', { useTz: true });
    t.timestamp('failed_at', { useTz: true });
    tenantForeign(t, 'alert_id', 'alerts', 'CASCADE');
    tenantForeign(t, 'account_id', 'accounts', 'SET NULL');
    tenantForeign(t, 'fallback_of', 'deliveries', 'SET NULL');
  });
  await knex.raw(
    `alter table deliveries add constraint deliveries_channel_check check (channel in ('sms', 'email', 'in_app'))`,
  );
  await knex.raw(
    `alter table deliveries add constraint deliveries_purpose_check check (purpose in ('alert', 'escalation'))`,
  );
  await knex.raw(
    `alter table deliveries add constraint deliveries_status_check check (status in ('pending', 'held', 'sending', 'sent', 'delivered', 'undelivered', 'bounced', 'failed', 'skipped'))`,
  );
  await knex.raw(
    `create unique index deliveries_one_per_recipient on deliveries (tenant_id, alert_id, purpose, coalesce(account_id, '00000000-0000-0000-0000-000000000000'::uuid), channel)`,
  );
  await knex.raw(`create index deliveries_batch on deliveries (tenant_id, alert_id, batch_no)`);
  await knex.raw(`create index deliveries_status on deliveries (tenant_id, alert_id, status)`);
  await knex.raw(
    `create index deliveries_provider_message on deliveries (tenant_id, provider_message_id) where provider_message_id is not null`,
  );
  await knex.raw(
    `create index deliveries_digest on deliveries (tenant_id, not_before) where status = 'held' and reason = 'DIGEST'`,
  );
  await knex.raw(
    `create index deliveries_sms_uncounted on deliveries (tenant_id, alert_id) where channel = 'sms' and segments is not null and not usage_counted`,
  );

  await tenantTable(knex, 'alert_escalations', (t) => {
    t.uuid('alert_id').notNullable();
    t.integer('after_minutes').notNullable();
    t.integer('recipients').notNullable().defaultTo(0);
    t.unique(['tenant_id', 'alert_id']);
    tenantForeign(t, 'alert_id', 'alerts', 'CASCADE');
  });

  // Inbound SMS already handled, by Twilio MessageSid: a replayed or retried
  // webhook answers the same and creates nothing. No phone number is kept.
  await tenantTable(knex, 'inbound_sms', (t) => {
    t.text('message_sid').notNullable();
    t.uuid('account_id');
    t.uuid('alert_id');
    t.text('outcome').notNullable();
    t.text('reply');
    t.unique(['tenant_id', 'message_sid']);
    tenantForeign(t, 'account_id', 'accounts', 'SET NULL');
    tenantForeign(t, 'alert_id', 'alerts', 'SET NULL');
  });
  await knex.raw(
    `alter table inbound_sms add constraint inbound_sms_outcome_check check (outcome in ('alert', 'unknown', 'no_community', 'rate_limited', 'stop', 'start', 'help', 'empty'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  for (const t of [
    'inbound_sms',
    'alert_escalations',
    'deliveries',
    'alert_status_history',
    'alerts',
    'alert_categories',
  ]) {
    await knex.schema.dropTableIfExists(t);
  }
}
