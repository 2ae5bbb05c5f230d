import type { Knex } from 'knex';

// The channels a staff alert down is sent on, when the sender narrowed them
// (null: every channel each recipient chose). The in-app inbox is always kept:
// it is the record of what was sent.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('alerts', (t) => {
    t.specificType('channels', 'text[]');
  });
  await knex.raw(`alter table alerts add constraint alerts_channels_check check (
    channels is null or (channels <@ array['sms', 'email', 'push', 'in_app', 'voice']::text[] and 'in_app' = any(channels)))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('alerts', (t) => {
    t.dropColumn('channels');
  });
}
