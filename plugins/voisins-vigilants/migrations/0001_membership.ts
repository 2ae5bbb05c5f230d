import { tenantForeign, tenantTable, type Database as Knex } from '@vigie/platform/plugin';

// Membership beyond the core's residences: requests validated by hand (an
// address missing from the BAN import), exclusions and their appeals to the
// mairie, and charter acceptances. A community is a sector (core table); its
// foreign keys include tenant_id, so no row can point into another commune.
export async function up(knex: Knex): Promise<void> {
  await tenantTable(knex, 'vv_membership_requests', (t) => {
    t.uuid('account_id').notNullable();
    t.uuid('community_id').notNullable();
    t.text('address_label').notNullable();
    t.text('message');
    t.text('status').notNullable().defaultTo('pending');
    t.uuid('decided_by');
    t.timestamp('decided_at', { useTz: true });
    t.text('decision_reason');
    tenantForeign(t, 'account_id', 'accounts');
    tenantForeign(t, 'community_id', 'sectors');
  });
  await knex.raw(
    `alter table vv_membership_requests add constraint vv_membership_requests_status_check check (status in ('pending', 'approved', 'refused', 'withdrawn'))`,
  );
  // One request at a time per account: the queue never shows the same person twice.
  await knex.raw(
    `create unique index vv_membership_requests_one_pending on vv_membership_requests (tenant_id, account_id) where status = 'pending'`,
  );
  await knex.raw(
    `create index vv_membership_requests_queue on vv_membership_requests (tenant_id, community_id, status, created_at)`,
  );

  await tenantTable(knex, 'vv_exclusions', (t) => {
    t.uuid('account_id').notNullable();
    t.uuid('community_id').notNullable();
    t.uuid('excluded_by').notNullable();
    t.text('reason').notNullable();
    t.text('status').notNullable().defaultTo('active');
    tenantForeign(t, 'account_id', 'accounts');
    tenantForeign(t, 'community_id', 'sectors');
  });
  await knex.raw(
    `alter table vv_exclusions add constraint vv_exclusions_status_check check (status in ('active', 'reinstated'))`,
  );
  await knex.raw(
    `create index vv_exclusions_account on vv_exclusions (tenant_id, account_id, community_id) where status = 'active'`,
  );

  await tenantTable(knex, 'vv_exclusion_appeals', (t) => {
    t.uuid('exclusion_id').notNullable();
    t.uuid('account_id').notNullable();
    t.text('statement').notNullable();
    t.text('status').notNullable().defaultTo('pending');
    t.uuid('decided_by');
    t.timestamp('decided_at', { useTz: true });
    t.text('decision_reason');
    tenantForeign(t, 'exclusion_id', 'vv_exclusions');
    tenantForeign(t, 'account_id', 'accounts');
    // One appeal per exclusion: the mairie's decision is final.
    t.unique(['tenant_id', 'exclusion_id']);
  });
  await knex.raw(
    `alter table vv_exclusion_appeals add constraint vv_exclusion_appeals_status_check check (status in ('pending', 'upheld', 'reinstated'))`,
  );

  await tenantTable(
    knex,
    'vv_charter_acceptances',
    (t) => {
      t.uuid('account_id').notNullable();
      t.text('version').notNullable();
      t.timestamp('accepted_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      tenantForeign(t, 'account_id', 'accounts');
      t.unique(['tenant_id', 'account_id', 'version']);
    },
    { timestamps: false },
  );
}

export async function down(knex: Knex): Promise<void> {
  for (const t of [
    'vv_charter_acceptances',
    'vv_exclusion_appeals',
    'vv_exclusions',
    'vv_membership_requests',
  ])
    await knex.schema.dropTableIfExists(t);
}
