import { tenantForeign, tenantTable, type Database as Knex } from '@vigie/platform/plugin';

// Declared absences and the police's visits. An absence says when a home is
// empty: RLS per commune, the door code and key holders sealed by the
// platform (services.secrets), and the rows deleted a set number of days after
// the return by the retention sweep. tv_counts keeps the anonymous counts the
// statistics need once the rows are gone.
export async function up(knex: Knex): Promise<void> {
  await tenantTable(knex, 'tv_absences', (t) => {
    t.uuid('account_id').notNullable();
    /** A mairie agent who declared at the counter on the resident's behalf. */
    t.uuid('declared_by');
    t.text('kind').notNullable().defaultTo('home');
    t.text('residence').notNullable().defaultTo('main');
    t.uuid('address_id');
    t.text('address_label').notNullable();
    t.double('lon');
    t.double('lat');
    t.timestamp('departs_at', { useTz: true }).notNullable();
    t.timestamp('returns_at', { useTz: true }).notNullable();
    t.text('status').notNullable().defaultTo('pending');
    t.text('refusal_reason');
    t.uuid('decided_by');
    t.timestamp('decided_at', { useTz: true });
    t.timestamp('cancelled_at', { useTz: true });
    t.timestamp('early_return_at', { useTz: true });
    t.timestamp('last_visit_at', { useTz: true });
    t.timestamp('summary_sent_at', { useTz: true });
    /** Every form field that is not a rule (phones, contact, alarm, pets…), as the resident typed it. */
    t.jsonb('details').notNullable().defaultTo('{}');
    t.text('door_code_sealed');
    t.text('key_holders_sealed');
    t.specificType('notice_channels', 'text[]').notNullable().defaultTo(knex.raw(`'{in_app}'`));
    tenantForeign(t, 'account_id', 'accounts');
    tenantForeign(t, 'address_id', 'addresses', 'SET NULL');
  });
  await knex.raw(
    `alter table tv_absences add constraint tv_absences_status_check check (status in ('pending', 'validated', 'refused', 'cancelled'))`,
  );
  await knex.raw(
    `alter table tv_absences add constraint tv_absences_kind_check check (kind in ('home', 'shop') and residence in ('main', 'secondary'))`,
  );
  await knex.raw(
    `alter table tv_absences add constraint tv_absences_dates_check check (returns_at > departs_at)`,
  );
  await knex.raw(
    `create index tv_absences_period on tv_absences (tenant_id, status, departs_at, returns_at)`,
  );
  await knex.raw(`create index tv_absences_account on tv_absences (tenant_id, account_id)`);

  await tenantTable(knex, 'tv_visits', (t) => {
    t.uuid('absence_id').notNullable();
    t.uuid('agent_id').notNullable();
    t.timestamp('visited_at', { useTz: true }).notNullable();
    t.text('outcome').notNullable();
    t.text('note').notNullable().defaultTo('');
    t.timestamp('notice_sent_at', { useTz: true });
    tenantForeign(t, 'absence_id', 'tv_absences');
    tenantForeign(t, 'agent_id', 'accounts');
  });
  await knex.raw(
    `alter table tv_visits add constraint tv_visits_outcome_check check (outcome in ('ras', 'open_window', 'forced_entry', 'letterbox', 'other'))`,
  );
  await knex.raw(`create index tv_visits_absence on tv_visits (tenant_id, absence_id, visited_at)`);

  // Anonymous counts per day, for the statistics and the annual report: they
  // outlive the declarations, which the retention sweep deletes.
  await tenantTable(
    knex,
    'tv_counts',
    (t) => {
      t.date('day').notNullable();
      t.integer('absences').notNullable().defaultTo(0);
      t.integer('visits').notNullable().defaultTo(0);
      t.integer('anomalies').notNullable().defaultTo(0);
      t.unique(['tenant_id', 'day']);
    },
    { timestamps: false },
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('tv_counts');
  await knex.schema.dropTableIfExists('tv_visits');
  await knex.schema.dropTableIfExists('tv_absences');
}
