import type { Knex } from 'knex';

// Voice calls, the fifth delivery channel: a text-to-speech call to a
// landline for residents without a mobile phone (issue 16).
// - deliveries take channel `voice` and the final status `acknowledged` (the
//   person pressed 1 after hearing the message);
// - the number to call lives with the preferences (`voice_phone`): it is a
//   way to be reached for alerts, not the account's verified mobile;
// - the commune's do-not-call list is the opt-out list with channel `voice`
//   (hashed numbers, outliving the account like a STOP): `do_not_call` for a
//   number the mairie put there, `keypress` for a person who pressed 9.
const PREFERENCE_COLUMNS = ['info_channels', 'important_channels', 'urgent_channels'];
const STATUSES_BEFORE = `'pending', 'held', 'sending', 'sent', 'delivered', 'undelivered', 'bounced', 'failed', 'skipped'`;
const REASONS_BEFORE = `'stop_keyword', 'provider_unsubscribed', 'hard_bounce', 'complaint', 'user_request'`;

async function preferenceChecks(knex: Knex, channels: string): Promise<void> {
  for (const col of PREFERENCE_COLUMNS) {
    await knex.raw(`alter table notification_preferences drop constraint ??`, [
      `notification_preferences_${col}_check`,
    ]);
    await knex.raw(
      `alter table notification_preferences add constraint ?? check (${col} <@ '{${channels}}'::text[])`,
      [`notification_preferences_${col}_check`],
    );
  }
}

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`alter table deliveries drop constraint deliveries_channel_check`);
  await knex.raw(
    `alter table deliveries add constraint deliveries_channel_check check (channel in ('sms', 'email', 'push', 'voice', 'in_app'))`,
  );
  await knex.raw(`alter table deliveries drop constraint deliveries_status_check`);
  await knex.raw(
    `alter table deliveries add constraint deliveries_status_check check (status in (${STATUSES_BEFORE}, 'acknowledged'))`,
  );
  await preferenceChecks(knex, 'sms,email,push,voice,in_app');
  await knex.raw(`alter table notification_preferences add column voice_phone text`);
  await knex.raw(
    `alter table notification_preferences add constraint notification_preferences_voice_phone_check check (voice_phone ~ '^\\+[1-9][0-9]{6,14}$')`,
  );
  await knex.raw(`alter table opt_outs drop constraint opt_outs_channel_check`);
  await knex.raw(
    `alter table opt_outs add constraint opt_outs_channel_check check (channel in ('sms', 'email', 'voice'))`,
  );
  await knex.raw(`alter table opt_outs drop constraint opt_outs_reason_check`);
  await knex.raw(
    `alter table opt_outs add constraint opt_outs_reason_check check (reason in (${REASONS_BEFORE}, 'do_not_call', 'keypress'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  // What voice chose, sent or refused cannot exist without the channel.
  await knex.raw(`delete from opt_outs where channel = 'voice' or reason in ('do_not_call', 'keypress')`);
  await knex.raw(`alter table opt_outs drop constraint opt_outs_reason_check`);
  await knex.raw(
    `alter table opt_outs add constraint opt_outs_reason_check check (reason in (${REASONS_BEFORE}))`,
  );
  await knex.raw(`alter table opt_outs drop constraint opt_outs_channel_check`);
  await knex.raw(
    `alter table opt_outs add constraint opt_outs_channel_check check (channel in ('sms', 'email'))`,
  );
  await knex.raw(`alter table notification_preferences drop column voice_phone`);
  for (const col of PREFERENCE_COLUMNS)
    await knex.raw(`update notification_preferences set ?? = array_remove(??, 'voice')`, [col, col]);
  await preferenceChecks(knex, 'sms,email,push,in_app');
  await knex.raw(
    `update deliveries set fallback_of = null where fallback_of in (select id from deliveries where channel = 'voice')`,
  );
  await knex.raw(`delete from deliveries where channel = 'voice'`);
  await knex.raw(`update deliveries set status = 'delivered' where status = 'acknowledged'`);
  await knex.raw(`alter table deliveries drop constraint deliveries_status_check`);
  await knex.raw(
    `alter table deliveries add constraint deliveries_status_check check (status in (${STATUSES_BEFORE}))`,
  );
  await knex.raw(`alter table deliveries drop constraint deliveries_channel_check`);
  await knex.raw(
    `alter table deliveries add constraint deliveries_channel_check check (channel in ('sms', 'email', 'push', 'in_app'))`,
  );
}
