import type { Knex } from 'knex';

// The CCAS (centre communal d'action sociale) keeps the commune's register of
// isolated and vulnerable people: its agents are staff, with a role of their
// own, so that the register is theirs and not the police's or the mairie's.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table role_assignments drop constraint role_assignments_role_check');
  await knex.raw(
    `alter table role_assignments add constraint role_assignments_role_check check (role in ('resident', 'referent', 'police_agent', 'police_chief', 'mairie_admin', 'ccas_agent'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex('role_assignments').where({ role: 'ccas_agent' }).delete();
  await knex.raw('alter table role_assignments drop constraint role_assignments_role_check');
  await knex.raw(
    `alter table role_assignments add constraint role_assignments_role_check check (role in ('resident', 'referent', 'police_agent', 'police_chief', 'mairie_admin'))`,
  );
}
