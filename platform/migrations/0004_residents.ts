import type { Knex } from 'knex';
import { tenantForeign, tenantTable } from '../src/db/schema.js';

// A residence ties an account to the address it lives at and, through the
// address, to its sector: the community it belongs to. It becomes active once
// a proof of address is approved (or a referent validates it by hand).
//
// Life of a residence: draft (a move announced, proof not sent yet) → pending
// (proof sent, address-verification workflow running) → active | rejected |
// withdrawn | expired; an active residence becomes ended when its resident
// moves (the new one is approved) or leaves.
export async function up(knex: Knex): Promise<void> {
  await tenantTable(knex, 'residences', (t) => {
    t.uuid('account_id').notNullable();
    t.uuid('address_id');
    t.uuid('sector_id');
    /** The address as shown to the resident and the reviewers (BAN label, or free text for a manual validation). */
    t.text('address_label');
    t.text('status').notNullable().defaultTo('pending');
    t.text('source').notNullable().defaultTo('proof');
    t.timestamp('submitted_at', { useTz: true });
    t.timestamp('activated_at', { useTz: true });
    t.timestamp('decided_at', { useTz: true });
    t.uuid('decided_by');
    /** A code from the list of rejection reasons (or the reason a residence ended). */
    t.text('decision_reason');
    /** Free text a reviewer adds to the "autre" reason; shown to the resident. */
    t.text('decision_comment');
    /** Who reviews it: the community's referents, or the mairie when the community has none. */
    t.text('review_level');
    t.timestamp('reminded_at', { useTz: true });
    t.timestamp('escalated_at', { useTz: true });
    t.text('workflow_id');
    /** Moving house: the active residence this request replaces once approved. */
    t.uuid('replaces_residence_id');
    t.timestamp('ended_at', { useTz: true });
    tenantForeign(t, 'account_id', 'accounts');
    tenantForeign(t, 'address_id', 'addresses', 'SET NULL');
    tenantForeign(t, 'sector_id', 'sectors', 'SET NULL');
    tenantForeign(t, 'replaces_residence_id', 'residences', 'SET NULL');
  });
  await knex.raw(
    `alter table residences add constraint residences_status_check check (status in ('draft', 'pending', 'active', 'rejected', 'withdrawn', 'expired', 'ended'))`,
  );
  await knex.raw(
    `alter table residences add constraint residences_source_check check (source in ('proof', 'manual'))`,
  );
  await knex.raw(
    `alter table residences add constraint residences_review_level_check check (review_level in ('referent', 'mairie'))`,
  );
  await knex.raw(
    `alter table residences add constraint residences_address_check check (address_id is not null or address_label is not null)`,
  );
  // One home at a time, and one open request at a time: a move keeps the old
  // residence active while the new one is checked, and ends it on approval.
  await knex.raw(
    `create unique index residences_one_active on residences (tenant_id, account_id) where status = 'active'`,
  );
  await knex.raw(
    `create unique index residences_one_open on residences (tenant_id, account_id) where status in ('draft', 'pending')`,
  );
  await knex.raw(
    `create index residences_sector_active on residences (tenant_id, sector_id) where status = 'active'`,
  );
  await knex.raw(
    `create index residences_pending on residences (tenant_id, sector_id, submitted_at) where status = 'pending'`,
  );
  await knex.raw(
    `create index residences_address on residences (tenant_id, address_id) where address_id is not null`,
  );

  // The proof of address, while it is being checked. The bytes live in the
  // file store (encrypted, under a random key); this row says where, and keeps
  // a fingerprint after the bytes are gone so that an audit can tell which
  // document was checked without keeping it.
  await tenantTable(knex, 'proof_documents', (t) => {
    t.uuid('residence_id').notNullable();
    t.text('storage_key').notNullable();
    t.text('mime').notNullable();
    t.integer('size_bytes').notNullable();
    t.text('sha256').notNullable();
    t.timestamp('deleted_at', { useTz: true });
    t.text('deleted_reason');
    t.unique(['tenant_id', 'storage_key']);
    tenantForeign(t, 'residence_id', 'residences', 'CASCADE');
  });
  await knex.raw(
    `alter table proof_documents add constraint proof_documents_mime_check check (mime in ('application/pdf', 'image/jpeg', 'image/png'))`,
  );
  await knex.raw(
    `alter table proof_documents add constraint proof_documents_size_check check (size_bytes > 0 and size_bytes <= 10485760)`,
  );
  await knex.raw(
    `alter table proof_documents add constraint proof_documents_deleted_check check ((deleted_at is null) = (deleted_reason is null))`,
  );
  await knex.raw(`create index proof_documents_residence on proof_documents (tenant_id, residence_id)`);
  await knex.raw(
    `create index proof_documents_live on proof_documents (tenant_id, created_at) where deleted_at is null`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('proof_documents');
  await knex.schema.dropTable('residences');
}
