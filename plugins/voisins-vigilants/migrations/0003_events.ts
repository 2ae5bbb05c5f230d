import { tenantForeign, tenantTable, type Database as Knex } from '@vigie/platform/plugin';

// Community events (fête des voisins, welcome of a new neighbour) and the
// answers of members. reminder_sent_at makes the reminder idempotent: a retried
// activity or a replayed workflow never reminds twice for the same date.
export async function up(knex: Knex): Promise<void> {
  await tenantTable(knex, 'vv_events', (t) => {
    t.uuid('community_id').notNullable();
    t.uuid('author_id').notNullable();
    t.text('kind').notNullable();
    t.text('title').notNullable();
    t.text('description').notNullable().defaultTo('');
    t.text('place').notNullable();
    t.timestamp('starts_at', { useTz: true }).notNullable();
    t.timestamp('ends_at', { useTz: true });
    t.timestamp('cancelled_at', { useTz: true });
    t.text('cancel_reason');
    t.timestamp('reminder_sent_at', { useTz: true });
    t.timestamp('hidden_at', { useTz: true });
    t.uuid('hidden_by');
    t.text('hidden_reason');
    tenantForeign(t, 'community_id', 'sectors');
    tenantForeign(t, 'author_id', 'accounts');
  });
  await knex.raw(
    `alter table vv_events add constraint vv_events_kind_check check (kind in ('neighbours_day', 'welcome', 'gathering', 'other'))`,
  );
  await knex.raw(`create index vv_events_agenda on vv_events (tenant_id, community_id, starts_at)`);

  await tenantTable(knex, 'vv_event_rsvps', (t) => {
    t.uuid('event_id').notNullable();
    t.uuid('account_id').notNullable();
    t.text('answer').notNullable();
    tenantForeign(t, 'event_id', 'vv_events');
    tenantForeign(t, 'account_id', 'accounts');
    t.unique(['tenant_id', 'event_id', 'account_id']);
  });
  await knex.raw(
    `alter table vv_event_rsvps add constraint vv_event_rsvps_answer_check check (answer in ('yes', 'no', 'maybe'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('vv_event_rsvps');
  await knex.schema.dropTableIfExists('vv_events');
}
