import { tenantForeign, tenantTable, type Database as Knex } from '@vigie/platform/plugin';

// Reports by members and the moderation log of referents' decisions. The log
// is the mairie's record of what was hidden, by whom and why; the same actions
// also go to the core audit log.
export async function up(knex: Knex): Promise<void> {
  await tenantTable(knex, 'vv_reports', (t) => {
    t.uuid('community_id').notNullable();
    t.text('content_type').notNullable();
    t.uuid('content_id').notNullable();
    t.uuid('reporter_id').notNullable();
    t.text('reason').notNullable();
    t.text('details');
    t.text('status').notNullable().defaultTo('open');
    t.uuid('resolved_by');
    t.timestamp('resolved_at', { useTz: true });
    tenantForeign(t, 'community_id', 'sectors');
    tenantForeign(t, 'reporter_id', 'accounts');
    // Reporting twice does not weigh twice.
    t.unique(['tenant_id', 'reporter_id', 'content_type', 'content_id']);
  });
  await knex.raw(
    `alter table vv_reports add constraint vv_reports_content_type_check check (content_type in ('thread', 'comment', 'event', 'message'))`,
  );
  await knex.raw(
    `alter table vv_reports add constraint vv_reports_reason_check check (reason in ('harassment', 'accusation', 'personal_data', 'discrimination', 'spam', 'off_topic', 'other'))`,
  );
  await knex.raw(
    `alter table vv_reports add constraint vv_reports_status_check check (status in ('open', 'actioned', 'dismissed'))`,
  );
  await knex.raw(`create index vv_reports_queue on vv_reports (tenant_id, community_id, status, created_at)`);

  await tenantTable(knex, 'vv_moderation_log', (t) => {
    t.uuid('community_id').notNullable();
    t.uuid('actor_id').notNullable();
    t.text('action').notNullable();
    t.text('content_type').notNullable();
    t.uuid('content_id').notNullable();
    t.uuid('author_id');
    t.text('reason').notNullable();
    tenantForeign(t, 'community_id', 'sectors');
    tenantForeign(t, 'actor_id', 'accounts');
  });
  await knex.raw(
    `alter table vv_moderation_log add constraint vv_moderation_log_action_check check (action in ('hide', 'restore', 'dismiss'))`,
  );
  await knex.raw(
    `alter table vv_moderation_log add constraint vv_moderation_log_content_type_check check (content_type in ('thread', 'comment', 'event', 'message'))`,
  );
  await knex.raw(`create index vv_moderation_log_at on vv_moderation_log (tenant_id, created_at desc)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('vv_moderation_log');
  await knex.schema.dropTableIfExists('vv_reports');
}
