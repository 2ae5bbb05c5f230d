import type { Knex } from 'knex';

// A notice row is claimed (`sending`, with the claim's time) in one short
// transaction and its result recorded in another, so that no connection is
// held while the provider answers. A row left `sending` without a provider id
// (a crash between the two) is sent again once (`resent`), then failed.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('notice_sends', (t) => {
    t.timestamp('sending_at', { useTz: true });
    t.boolean('resent').notNullable().defaultTo(false);
  });
  await knex.raw(`alter table notice_sends drop constraint notice_sends_check`);
  await knex.raw(`alter table notice_sends add constraint notice_sends_check check (
    channel in ('sms', 'email') and status in ('pending', 'sending', 'sent', 'failed', 'skipped')
    and severity in ('info', 'important', 'urgent'))`);
  await knex.raw(
    `create index notice_sends_sending on notice_sends (tenant_id, batch_id, sending_at) where status = 'sending'`,
  );
}

export async function down(knex: Knex): Promise<void> {
  // A claim in flight is pending again: the old code sends it once more, as it would have.
  await knex('notice_sends').where({ status: 'sending' }).update({ status: 'pending' });
  await knex.raw(`drop index if exists notice_sends_sending`);
  await knex.raw(`alter table notice_sends drop constraint notice_sends_check`);
  await knex.raw(`alter table notice_sends add constraint notice_sends_check check (
    channel in ('sms', 'email') and status in ('pending', 'sent', 'failed', 'skipped')
    and severity in ('info', 'important', 'urgent'))`);
  await knex.schema.alterTable('notice_sends', (t) => {
    t.dropColumn('sending_at');
    t.dropColumn('resent');
  });
}
