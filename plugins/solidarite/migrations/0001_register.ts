import { tenantForeign, tenantTable, type Database as Knex } from '@vigie/platform/plugin';

// The CCAS register (plan canicule, registre nominatif): people who consented
// to be checked on, the neighbours who volunteered, who keeps in touch with
// whom, each sign of life, and the plan's daily rounds. RLS per commune; the
// phone number and the health notes are sealed by the platform
// (services.secrets); withdrawing consent deletes the entry and everything
// hanging from it (foreign keys on delete cascade). sol_activations keeps the
// counts of each plan for the commune's report, never a name.
export async function up(knex: Knex): Promise<void> {
  await tenantTable(knex, 'sol_people', (t) => {
    /** The person's own account, when they have one (they may answer from it). */
    t.uuid('account_id');
    t.text('first_name').notNullable();
    t.text('last_name').notNullable();
    t.uuid('address_id');
    t.text('address_label').notNullable();
    /** The community (sector) of the address: volunteers come from it. */
    t.uuid('community_id');
    t.text('contact_method').notNullable();
    t.text('phone_sealed');
    t.integer('interval_days').notNullable();
    t.boolean('escalate_police').notNullable().defaultTo(false);
    t.text('visibility').notNullable().defaultTo('ccas_and_volunteers');
    t.text('consent_by').notNullable();
    t.text('consent_name');
    t.timestamp('consent_at', { useTz: true }).notNullable();
    t.uuid('recorded_by');
    t.text('health_notes_sealed');
    t.timestamp('health_notes_at', { useTz: true });
    t.timestamp('last_sign_at', { useTz: true }).notNullable();
    /** Where the check-in workflow stands since the last sign of life: none, volunteer, ccas, police. */
    t.text('escalation').notNullable().defaultTo('none');
    t.timestamp('escalated_at', { useTz: true });
    tenantForeign(t, 'account_id', 'accounts', 'SET NULL');
    tenantForeign(t, 'recorded_by', 'accounts', 'SET NULL');
    tenantForeign(t, 'address_id', 'addresses', 'SET NULL');
  });
  await knex.raw(`alter table sol_people add constraint sol_people_checks check (
    contact_method in ('landline', 'mobile', 'visit')
    and interval_days between 1 and 15
    and visibility in ('ccas', 'ccas_and_volunteers')
    and consent_by in ('self', 'relative', 'agent')
    and escalation in ('none', 'volunteer', 'ccas', 'police')
    and (contact_method = 'visit' or phone_sealed is not null))`);
  await knex.raw(
    `create unique index sol_people_account on sol_people (tenant_id, account_id) where account_id is not null`,
  );
  await knex.raw(`create index sol_people_name on sol_people (tenant_id, last_name, first_name)`);

  await tenantTable(knex, 'sol_volunteers', (t) => {
    t.uuid('account_id').notNullable();
    t.uuid('community_id').notNullable();
    t.text('availability').notNullable().defaultTo('');
    t.unique(['tenant_id', 'account_id']);
    tenantForeign(t, 'account_id', 'accounts');
  });

  await tenantTable(knex, 'sol_pairings', (t) => {
    t.uuid('person_id').notNullable();
    t.uuid('volunteer_id').notNullable();
    t.uuid('paired_by');
    t.unique(['tenant_id', 'person_id', 'volunteer_id']);
    tenantForeign(t, 'person_id', 'sol_people');
    tenantForeign(t, 'volunteer_id', 'sol_volunteers');
  });
  await knex.raw(`create index sol_pairings_volunteer on sol_pairings (tenant_id, volunteer_id)`);

  await tenantTable(
    knex,
    'sol_signs',
    (t) => {
      t.uuid('person_id').notNullable();
      t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      t.text('source').notNullable();
      t.uuid('by_account_id');
      tenantForeign(t, 'person_id', 'sol_people');
    },
    { timestamps: false },
  );
  await knex.raw(
    `alter table sol_signs add constraint sol_signs_source_check check (source in ('volunteer', 'ccas', 'self', 'round'))`,
  );
  await knex.raw(`create index sol_signs_person on sol_signs (tenant_id, person_id, at desc)`);

  await tenantTable(knex, 'sol_activations', (t) => {
    t.text('kind').notNullable();
    t.text('prefecture_level');
    t.uuid('started_by');
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.uuid('ended_by');
    t.timestamp('ended_at', { useTz: true });
    t.integer('days').notNullable().defaultTo(0);
    /** Counts only, per status over every day of the plan: what the report keeps. */
    t.jsonb('summary').notNullable().defaultTo('{}');
    tenantForeign(t, 'started_by', 'accounts', 'SET NULL');
    tenantForeign(t, 'ended_by', 'accounts', 'SET NULL');
  });
  await knex.raw(
    `alter table sol_activations add constraint sol_activations_kind_check check (kind in ('canicule', 'grand_froid'))`,
  );
  await knex.raw(
    `create unique index sol_activations_one_active on sol_activations (tenant_id) where ended_at is null`,
  );

  await tenantTable(knex, 'sol_round_contacts', (t) => {
    t.uuid('activation_id').notNullable();
    t.integer('day').notNullable();
    t.uuid('person_id').notNullable();
    t.text('channel').notNullable();
    t.text('status').notNullable().defaultTo('pending');
    t.uuid('by_account_id');
    t.unique(['tenant_id', 'activation_id', 'day', 'person_id']);
    tenantForeign(t, 'activation_id', 'sol_activations');
    tenantForeign(t, 'person_id', 'sol_people');
  });
  await knex.raw(
    `alter table sol_round_contacts add constraint sol_round_contacts_check check (status in ('pending', 'answered', 'not_answered', 'visited') and channel in ('landline', 'mobile', 'visit'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  for (const t of [
    'sol_round_contacts',
    'sol_activations',
    'sol_signs',
    'sol_pairings',
    'sol_volunteers',
    'sol_people',
  ])
    await knex.schema.dropTableIfExists(t);
}
