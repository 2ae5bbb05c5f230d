import type { Knex } from 'knex';

// A text to the commune's number may be an answer a module or plugin asked
// for (core/sms-replies.ts: « OUI » to the solidarity register's question):
// it is recorded with its own outcome, and no alert is raised.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table inbound_sms drop constraint inbound_sms_outcome_check');
  await knex.raw(
    `alter table inbound_sms add constraint inbound_sms_outcome_check check (outcome in ('alert', 'reply', 'unknown', 'no_community', 'rate_limited', 'stop', 'start', 'help', 'empty'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex('inbound_sms').where({ outcome: 'reply' }).delete();
  await knex.raw('alter table inbound_sms drop constraint inbound_sms_outcome_check');
  await knex.raw(
    `alter table inbound_sms add constraint inbound_sms_outcome_check check (outcome in ('alert', 'unknown', 'no_community', 'rate_limited', 'stop', 'start', 'help', 'empty'))`,
  );
}
