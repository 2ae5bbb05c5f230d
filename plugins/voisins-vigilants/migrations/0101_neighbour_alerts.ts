import { tenantForeign, tenantTable, type Database as Knex } from '@vigie/platform/plugin';

// Alerts from neighbours. The alert itself lives in the core model (alerts),
// so that the police see one list and delivery is the core's; the plugin keeps
// what its form asked (behaviour first: what, where, when, the vehicle) and
// the neighbours' reactions.
export async function up(knex: Knex): Promise<void> {
  // One row per form sent, merged or not: the hourly budget counts them here,
  // in the database, so that it holds across API instances and restarts.
  await tenantTable(knex, 'vv_alert_reports', (t) => {
    t.uuid('alert_id').notNullable();
    t.uuid('author_id');
    t.uuid('community_id').notNullable();
    t.text('category').notNullable();
    t.text('severity').notNullable();
    t.text('what').notNullable();
    t.text('place').notNullable();
    t.timestamp('seen_at', { useTz: true }).notNullable();
    t.text('vehicle');
    /** For the police only: never in what neighbours receive. */
    t.text('plate');
    /** The author confirmed they called, or will call, 17 (urgent alerts). */
    t.boolean('called_17').notNullable().defaultTo(false);
    /** Sent within 10 minutes of the same author's alert of the same category: added to it, not delivered again. */
    t.boolean('merged').notNullable().defaultTo(false);
    tenantForeign(t, 'alert_id', 'alerts', 'CASCADE');
    tenantForeign(t, 'author_id', 'accounts', 'SET NULL');
    tenantForeign(t, 'community_id', 'sectors');
  });
  await knex.raw(
    `alter table vv_alert_reports add constraint vv_alert_reports_severity_check check (severity in ('info', 'important', 'urgent'))`,
  );
  await knex.raw(
    `alter table vv_alert_reports add constraint vv_alert_reports_lengths check (char_length(what) <= 500 and char_length(place) <= 150 and char_length(coalesce(vehicle, '')) <= 150 and char_length(coalesce(plate, '')) <= 12)`,
  );
  await knex.raw(
    `create index vv_alert_reports_author on vv_alert_reports (tenant_id, author_id, created_at desc)`,
  );
  await knex.raw(`create index vv_alert_reports_alert on vv_alert_reports (tenant_id, alert_id, created_at)`);

  // « J'ai vu aussi » and « Je peux aider »: once per kind and person.
  await tenantTable(knex, 'vv_alert_reactions', (t) => {
    t.uuid('alert_id').notNullable();
    t.uuid('account_id').notNullable();
    t.text('kind').notNullable();
    tenantForeign(t, 'alert_id', 'alerts', 'CASCADE');
    tenantForeign(t, 'account_id', 'accounts', 'CASCADE');
    t.unique(['tenant_id', 'alert_id', 'account_id', 'kind']);
  });
  await knex.raw(
    `alter table vv_alert_reactions add constraint vv_alert_reactions_kind_check check (kind in ('seen_too', 'can_help'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('vv_alert_reactions');
  await knex.schema.dropTableIfExists('vv_alert_reports');
}
