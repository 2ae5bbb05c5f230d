import { tenantForeign, tenantTable, type Database as Knex } from '@vigie/platform/plugin';

// The discussion board of each community: threads and their comments, for
// everything that is not security (lost animals, help, loans). Hidden content
// stays in the table with who hid it and why: the moderation log points at it.
export async function up(knex: Knex): Promise<void> {
  await tenantTable(knex, 'vv_threads', (t) => {
    t.uuid('community_id').notNullable();
    t.uuid('author_id').notNullable();
    t.text('category').notNullable();
    t.text('title').notNullable();
    t.text('body').notNullable();
    t.timestamp('last_activity_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('hidden_at', { useTz: true });
    t.uuid('hidden_by');
    t.text('hidden_reason');
    tenantForeign(t, 'community_id', 'sectors');
    tenantForeign(t, 'author_id', 'accounts');
  });
  await knex.raw(
    `alter table vv_threads add constraint vv_threads_category_check check (category in ('lost_animals', 'mutual_aid', 'loans', 'neighbourhood_life', 'other'))`,
  );
  await knex.raw(
    `create index vv_threads_board on vv_threads (tenant_id, community_id, last_activity_at desc) where hidden_at is null`,
  );

  await tenantTable(knex, 'vv_comments', (t) => {
    t.uuid('thread_id').notNullable();
    // Denormalised from the thread: moderation is scoped to a community.
    t.uuid('community_id').notNullable();
    t.uuid('author_id').notNullable();
    t.text('body').notNullable();
    t.timestamp('hidden_at', { useTz: true });
    t.uuid('hidden_by');
    t.text('hidden_reason');
    tenantForeign(t, 'thread_id', 'vv_threads');
    tenantForeign(t, 'community_id', 'sectors');
    tenantForeign(t, 'author_id', 'accounts');
  });
  await knex.raw(`create index vv_comments_thread on vv_comments (tenant_id, thread_id, created_at)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('vv_comments');
  await knex.schema.dropTableIfExists('vv_threads');
}
