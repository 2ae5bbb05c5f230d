import { tenantForeign, tenantTable, type Database as Knex } from '@vigie/platform/plugin';

// What the console adds to the core's alerts: who an alert is assigned to (one
// agent at a time, the last assignment wins) and the staff's notes on it. The
// alert itself, its status and its history stay in the core's tables, so the
// reporter's « Mes alertes » and the console never disagree.
export async function up(knex: Knex): Promise<void> {
  await tenantTable(knex, 'mv_alert_assignments', (t) => {
    t.uuid('alert_id').notNullable();
    t.uuid('assignee_id').notNullable();
    t.uuid('assigned_by').notNullable();
    tenantForeign(t, 'alert_id', 'alerts');
    tenantForeign(t, 'assignee_id', 'accounts');
    tenantForeign(t, 'assigned_by', 'accounts');
    t.unique(['tenant_id', 'alert_id']);
  });
  await tenantTable(knex, 'mv_alert_notes', (t) => {
    t.uuid('alert_id').notNullable();
    t.uuid('author_id').notNullable();
    t.text('text').notNullable();
    tenantForeign(t, 'alert_id', 'alerts');
    tenantForeign(t, 'author_id', 'accounts');
  });
  await knex.raw(`create index mv_alert_notes_alert on mv_alert_notes (tenant_id, alert_id, created_at)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('mv_alert_notes');
  await knex.schema.dropTableIfExists('mv_alert_assignments');
}
