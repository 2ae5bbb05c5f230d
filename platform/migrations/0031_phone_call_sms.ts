import type { Knex } from 'knex';

// A "call" by SMS (issue 16): a person of the register with a mobile and no
// Vigie account is texted the question, and their reply from that number
// (OUI, or anything else) is what a key pressed is to a call. The row waits
// for the reply until `reply_until`; the number stays sealed as a landline's.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('phone_calls', (t) => {
    t.text('channel').notNullable().defaultTo('voice');
    /** SMS only: how long a reply is awaited after the text is sent. */
    t.integer('reply_within_seconds');
    t.timestamp('reply_until', { useTz: true });
  });
  await knex.raw(`alter table phone_calls add constraint phone_calls_channel_check check (
    channel in ('voice', 'sms') and (channel = 'voice' or reply_within_seconds is not null))`);
  // The inbound webhook looks for the texts awaiting a reply in the commune.
  await knex.raw(
    `create index phone_calls_awaiting_sms on phone_calls (tenant_id) where channel = 'sms' and status = 'calling'`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex('phone_calls').where({ channel: 'sms' }).delete();
  await knex.raw(`drop index if exists phone_calls_awaiting_sms`);
  await knex.raw(`alter table phone_calls drop constraint phone_calls_channel_check`);
  await knex.schema.alterTable('phone_calls', (t) => {
    t.dropColumn('channel');
    t.dropColumn('reply_within_seconds');
    t.dropColumn('reply_until');
  });
}
