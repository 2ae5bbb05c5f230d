import { tenantForeign, tenantTable, type Database as Knex } from '@vigie/platform/plugin';

// Private messages between members of one community. community_id records the
// community both belonged to when the message was sent (the check is made in
// code, against live memberships); it scopes moderation of a reported message.
export async function up(knex: Knex): Promise<void> {
  await tenantTable(knex, 'vv_messages', (t) => {
    t.uuid('community_id').notNullable();
    t.uuid('author_id').notNullable();
    t.uuid('recipient_id').notNullable();
    t.text('body').notNullable();
    t.timestamp('read_at', { useTz: true });
    t.timestamp('hidden_at', { useTz: true });
    t.uuid('hidden_by');
    t.text('hidden_reason');
    tenantForeign(t, 'community_id', 'sectors');
    tenantForeign(t, 'author_id', 'accounts');
    tenantForeign(t, 'recipient_id', 'accounts');
  });
  await knex.raw(
    `create index vv_messages_pair on vv_messages (tenant_id, author_id, recipient_id, created_at desc)`,
  );
  await knex.raw(`create index vv_messages_inbox on vv_messages (tenant_id, recipient_id, created_at desc)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('vv_messages');
}
