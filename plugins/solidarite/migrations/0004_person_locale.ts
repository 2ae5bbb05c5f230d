import type { Database as Knex } from '@vigie/platform/plugin';

// The language the person is called and texted in when they have no Vigie
// account (an account's own language applies otherwise): French unless the
// CCAS notes that they prefer English.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `alter table sol_people add column locale text not null default 'fr' constraint sol_people_locale_check check (locale in ('fr', 'en'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table sol_people drop column locale');
}
