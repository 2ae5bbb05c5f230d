import type { Knex } from 'knex';
import { tenantForeign, tenantTable } from '../src/db/schema.js';

// The SMS and emails a notice asks for beyond the in-app inbox, one row per
// (notification, channel), written in the notifying transaction so that a
// crash never loses one nor sends one for a rolled-back change. The notice
// workflow sends them and records what happened; they go with the
// notification (retention of the inbox, erasure of the account).
export async function up(knex: Knex): Promise<void> {
  await tenantTable(knex, 'notice_sends', (t) => {
    t.uuid('batch_id').notNullable();
    t.uuid('notification_id').notNullable();
    t.uuid('account_id').notNullable();
    t.text('channel').notNullable();
    t.text('severity').notNullable().defaultTo('info');
    t.text('status').notNullable().defaultTo('pending');
    t.text('reason');
    t.text('provider_id');
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('not_before', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('sent_at', { useTz: true });
    t.unique(['tenant_id', 'notification_id', 'channel']);
    tenantForeign(t, 'notification_id', 'in_app_notifications');
    tenantForeign(t, 'account_id', 'accounts');
  });
  await knex.raw(`alter table notice_sends add constraint notice_sends_check check (
    channel in ('sms', 'email') and status in ('pending', 'sent', 'failed', 'skipped')
    and severity in ('info', 'important', 'urgent'))`);
  await knex.raw(
    `create index notice_sends_pending on notice_sends (tenant_id, batch_id, not_before) where status = 'pending'`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('notice_sends');
}
