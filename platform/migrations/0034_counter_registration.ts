import type { Knex } from 'knex';

// Residents registered at the mairie's counter (issue 12): an agent sees the
// proof of address on paper (never stored) and creates the account on the
// resident's behalf. Many of them have no email, so the column becomes
// optional: such an account has no password either and cannot sign in; it is
// reached by SMS or a voice call. Their residence says where it came from.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`alter table accounts alter column email drop not null`);
  await knex.raw(`alter table residences drop constraint residences_source_check`);
  await knex.raw(
    `alter table residences add constraint residences_source_check check (source in ('proof', 'manual', 'counter'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  // A placeholder that identifies nobody, as the erasure writes (residents/rgpd.ts).
  await knex.raw(`update accounts set email = 'sans-email-' || id || '@invalid' where email is null`);
  await knex.raw(`alter table accounts alter column email set not null`);
  await knex('residences').where({ source: 'counter' }).update({ source: 'manual' });
  await knex.raw(`alter table residences drop constraint residences_source_check`);
  await knex.raw(
    `alter table residences add constraint residences_source_check check (source in ('proof', 'manual'))`,
  );
}
