import { tenantForeign, tenantTable, type Database as Knex } from '@vigie/platform/plugin';

// Referents: candidacies, the rounds of the referent-selection workflow (a
// record of each one, the workflow itself holding the live state), and the
// support requests members send to their referents.
export async function up(knex: Knex): Promise<void> {
  // One row per account: the answer to « Souhaitez-vous devenir le référent de
  // la communauté ? ». The community is unknown until the address is verified
  // (the question is asked at registration), so it may be null for a while.
  await tenantTable(knex, 'vv_referent_candidacies', (t) => {
    t.uuid('account_id').notNullable();
    t.uuid('community_id');
    t.text('status').notNullable().defaultTo('active');
    t.timestamp('status_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    tenantForeign(t, 'account_id', 'accounts');
    tenantForeign(t, 'community_id', 'sectors', 'SET NULL');
    t.unique(['tenant_id', 'account_id']);
  });
  await knex.raw(
    `alter table vv_referent_candidacies add constraint vv_referent_candidacies_status_check check (status in ('active', 'withdrawn', 'chosen', 'ended'))`,
  );
  await knex.raw(
    `create index vv_referent_candidacies_community on vv_referent_candidacies (tenant_id, community_id) where status = 'active'`,
  );

  await tenantTable(knex, 'vv_referent_rounds', (t) => {
    t.uuid('community_id').notNullable();
    // The workflow run that opened it: a retried activity finds its round instead of opening a second one.
    t.text('round_key').notNullable();
    t.text('reason').notNullable();
    t.text('status').notNullable().defaultTo('collecting');
    t.uuid('opened_by');
    t.timestamp('collect_until', { useTz: true }).notNullable();
    t.specificType('chosen', 'uuid[]').notNullable().defaultTo('{}');
    t.timestamp('closed_at', { useTz: true });
    tenantForeign(t, 'community_id', 'sectors');
    tenantForeign(t, 'opened_by', 'accounts', 'SET NULL');
    t.unique(['tenant_id', 'round_key']);
  });
  await knex.raw(
    `alter table vv_referent_rounds add constraint vv_referent_rounds_status_check check (status in ('collecting', 'choosing', 'closed'))`,
  );
  await knex.raw(
    `alter table vv_referent_rounds add constraint vv_referent_rounds_reason_check check (reason in ('manual', 'candidacy', 'vacancy'))`,
  );
  await knex.raw(
    `create index vv_referent_rounds_community on vv_referent_rounds (tenant_id, community_id, created_at desc)`,
  );

  await tenantTable(knex, 'vv_support_requests', (t) => {
    t.uuid('community_id').notNullable();
    t.uuid('author_id').notNullable();
    t.text('subject').notNullable();
    t.text('status').notNullable().defaultTo('open');
    t.timestamp('last_message_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('closed_at', { useTz: true });
    tenantForeign(t, 'community_id', 'sectors');
    tenantForeign(t, 'author_id', 'accounts');
  });
  await knex.raw(
    `alter table vv_support_requests add constraint vv_support_requests_status_check check (status in ('open', 'answered', 'closed'))`,
  );
  await knex.raw(
    `alter table vv_support_requests add constraint vv_support_requests_subject_check check (length(subject) between 1 and 120)`,
  );
  await knex.raw(
    `create index vv_support_requests_community on vv_support_requests (tenant_id, community_id, last_message_at desc)`,
  );
  await knex.raw(
    `create index vv_support_requests_author on vv_support_requests (tenant_id, author_id, last_message_at desc)`,
  );

  await tenantTable(knex, 'vv_support_messages', (t) => {
    t.uuid('request_id').notNullable();
    t.uuid('author_id');
    t.boolean('from_referent').notNullable().defaultTo(false);
    t.text('body').notNullable();
    tenantForeign(t, 'request_id', 'vv_support_requests');
    tenantForeign(t, 'author_id', 'accounts', 'SET NULL');
  });
  await knex.raw(
    `alter table vv_support_messages add constraint vv_support_messages_body_check check (length(body) between 1 and 2000)`,
  );
  await knex.raw(
    `create index vv_support_messages_request on vv_support_messages (tenant_id, request_id, created_at)`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('vv_support_messages');
  await knex.schema.dropTable('vv_support_requests');
  await knex.schema.dropTable('vv_referent_rounds');
  await knex.schema.dropTable('vv_referent_candidacies');
}
