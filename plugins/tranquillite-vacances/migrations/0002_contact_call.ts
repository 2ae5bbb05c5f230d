import type { Database as Knex } from '@vigie/platform/plugin';

// An anomaly at a home under watch calls the contact person the resident
// named (the core's services.phoneCalls, to a number that is not an account).
// The visit keeps how that call went, for the police console: null when the
// declaration named no one to call.
const STATES = `'calling', 'confirmed', 'other_key', 'heard', 'no_answer', 'busy', 'refused', 'failed', 'invalid_number'`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table tv_visits add column contact_call text');
  await knex.raw(
    `alter table tv_visits add constraint tv_visits_contact_call_check check (contact_call is null or contact_call in (${STATES}))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table tv_visits drop constraint tv_visits_contact_call_check');
  await knex.raw('alter table tv_visits drop column contact_call');
}
