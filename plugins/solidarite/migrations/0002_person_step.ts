import type { Database as Knex } from '@vigie/platform/plugin';

// The first step of a missed interval is to ask the person themselves (an SMS
// they answer OUI, or « Je vais bien » in Vigie) before anyone is reminded.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table sol_people drop constraint sol_people_checks');
  await knex.raw(`alter table sol_people add constraint sol_people_checks check (
    contact_method in ('landline', 'mobile', 'visit')
    and interval_days between 1 and 15
    and visibility in ('ccas', 'ccas_and_volunteers')
    and consent_by in ('self', 'relative', 'agent')
    and escalation in ('none', 'person', 'volunteer', 'ccas', 'police')
    and (contact_method = 'visit' or phone_sealed is not null))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex('sol_people').where({ escalation: 'person' }).update({ escalation: 'none' });
  await knex.raw('alter table sol_people drop constraint sol_people_checks');
  await knex.raw(`alter table sol_people add constraint sol_people_checks check (
    contact_method in ('landline', 'mobile', 'visit')
    and interval_days between 1 and 15
    and visibility in ('ccas', 'ccas_and_volunteers')
    and consent_by in ('self', 'relative', 'agent')
    and escalation in ('none', 'volunteer', 'ccas', 'police')
    and (contact_method = 'visit' or phone_sealed is not null))`);
}
