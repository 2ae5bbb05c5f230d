import type { Database as Knex } from '@vigie/platform/plugin';

// A person with a landline is called first when an interval ends (the core's
// services.phoneCalls, « appuyez sur 1 si tout va bien »). When that call ends
// without a 1 (no answer, busy, another key, a do-not-call number), the
// volunteers are reminded at once instead of after their delay: the column
// says for which interval (its last sign of life) the call went unanswered.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table sol_people add column person_call_unanswered_for timestamptz');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table sol_people drop column person_call_unanswered_for');
}
