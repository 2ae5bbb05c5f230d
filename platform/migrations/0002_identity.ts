import type { Knex } from 'knex';
import { tenantForeign, tenantTable } from '../src/db/schema.js';
import { APP_ROLE, OPERATOR_ROLE } from '../src/db/roles.js';

// Accounts belong to one tenant: the same person in two communes has two
// accounts. Emails are unique per tenant, case-insensitively.
export async function up(knex: Knex): Promise<void> {
  await tenantTable(knex, 'accounts', (t) => {
    t.text('email').notNullable();
    t.timestamp('email_verified_at', { useTz: true });
    t.text('password_hash');
    t.text('display_name').notNullable();
    t.text('phone');
    t.timestamp('phone_verified_at', { useTz: true });
    t.text('locale').notNullable().defaultTo('fr');
    t.text('status').notNullable().defaultTo('active');
    t.integer('failed_logins').notNullable().defaultTo(0);
    t.timestamp('locked_until', { useTz: true });
    t.text('totp_secret_enc');
    t.timestamp('totp_enabled_at', { useTz: true });
    t.bigInteger('totp_last_step');
    t.timestamp('last_login_at', { useTz: true });
    t.timestamp('last_seen_at', { useTz: true });
    t.timestamp('deleted_at', { useTz: true });
  });
  await knex.raw(
    `alter table accounts add constraint accounts_status_check check (status in ('active', 'disabled', 'deleted'))`,
  );
  await knex.raw(`alter table accounts add constraint accounts_locale_check check (locale in ('fr', 'en'))`);
  await knex.raw(
    `create unique index accounts_tenant_email on accounts (tenant_id, lower(email)) where status <> 'deleted'`,
  );
  await knex.raw(`create index accounts_tenant_phone on accounts (tenant_id, phone) where phone is not null`);

  // A role is held in one tenant; a referent's role is scoped to one community (sector).
  await tenantTable(knex, 'role_assignments', (t) => {
    t.uuid('account_id').notNullable();
    t.text('role').notNullable();
    t.uuid('scope_id');
    t.uuid('granted_by');
    tenantForeign(t, 'account_id', 'accounts');
  });
  await knex.raw(
    `alter table role_assignments add constraint role_assignments_role_check check (role in ('resident', 'referent', 'police_agent', 'police_chief', 'mairie_admin'))`,
  );
  await knex.raw(
    `create unique index role_assignments_unique on role_assignments (tenant_id, account_id, role, coalesce(scope_id, '00000000-0000-0000-0000-000000000000'::uuid))`,
  );

  // Sessions: the cookie carries a random token; only its SHA-256 is stored.
  await tenantTable(knex, 'sessions', (t) => {
    t.uuid('account_id').notNullable();
    t.text('token_hash').notNullable().unique();
    t.text('csrf_token').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('revoked_at', { useTz: true });
    t.timestamp('totp_verified_at', { useTz: true });
    t.text('user_agent');
    tenantForeign(t, 'account_id', 'accounts');
  });

  // One-time codes and links: email verification, phone verification, password reset.
  await tenantTable(knex, 'verification_tokens', (t) => {
    t.uuid('account_id').notNullable();
    t.text('purpose').notNullable();
    t.text('token_hash').notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    tenantForeign(t, 'account_id', 'accounts');
  });
  await knex.raw(
    `alter table verification_tokens add constraint verification_tokens_purpose_check check (purpose in ('email', 'phone', 'password_reset'))`,
  );

  // The dev outbox: what would have been sent by email or SMS when no provider is configured.
  await tenantTable(
    knex,
    'dev_outbox',
    (t) => {
      t.text('channel').notNullable();
      t.text('recipient').notNullable();
      t.text('subject');
      t.text('body').notNullable();
      t.jsonb('meta').notNullable().defaultTo('{}');
    },
    { timestamps: false },
  );
  await knex.schema.alterTable('dev_outbox', (t) => {
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  // Append-only audit log. The app may insert and read, never update or delete:
  // the retention purge goes through a function owned by the owner role.
  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id');
    t.uuid('tenant_id').notNullable().references('id').inTable('tenants').onDelete('CASCADE');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('actor_type').notNullable();
    t.uuid('actor_id');
    t.text('action').notNullable();
    t.text('target_type');
    t.text('target_id');
    t.jsonb('meta').notNullable().defaultTo('{}');
    t.text('request_id');
  });
  await knex.raw(`create index audit_log_tenant_at on audit_log (tenant_id, at desc)`);
  await knex.raw(`alter table audit_log enable row level security`);
  await knex.raw(`alter table audit_log force row level security`);
  await knex.raw(
    `create policy tenant_isolation on audit_log using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)`,
  );
  await knex.raw(`grant select, insert on audit_log to ${APP_ROLE}, ${OPERATOR_ROLE}`);
  await knex.raw(`grant usage on sequence audit_log_id_seq to ${APP_ROLE}, ${OPERATOR_ROLE}`);
  await knex.raw(`
    create function purge_audit_log(p_tenant uuid, p_before timestamptz) returns integer
    language sql security definer set search_path = public as $$
      with d as (delete from audit_log where tenant_id = p_tenant and at < p_before returning 1) select count(*)::int from d
    $$`);
  await knex.raw(`revoke all on function purge_audit_log(uuid, timestamptz) from public`);
  await knex.raw(`grant execute on function purge_audit_log(uuid, timestamptz) to ${APP_ROLE}`);

  // Platform operators live outside tenants, with their own login and their own role.
  await knex.schema.createTable('operators', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('email').notNullable();
    t.text('password_hash').notNullable();
    t.text('display_name').notNullable();
    t.text('totp_secret_enc');
    t.timestamp('totp_enabled_at', { useTz: true });
    t.bigInteger('totp_last_step');
    t.integer('failed_logins').notNullable().defaultTo(0);
    t.timestamp('locked_until', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`create unique index operators_email on operators (lower(email))`);
  await knex.schema.createTable('operator_sessions', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('operator_id').notNullable().references('id').inTable('operators').onDelete('CASCADE');
    t.text('token_hash').notNullable().unique();
    t.text('csrf_token').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('revoked_at', { useTz: true });
    t.timestamp('totp_verified_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('operator_audit_log', (t) => {
    t.bigIncrements('id');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.uuid('operator_id');
    t.text('action').notNullable();
    t.uuid('tenant_id');
    t.jsonb('meta').notNullable().defaultTo('{}');
  });
  // Operator tables are reachable by the operator role only; the app role has no grant at all.
  await knex.raw(`grant select, insert, update, delete on operators, operator_sessions to ${OPERATOR_ROLE}`);
  await knex.raw(`grant select, insert on operator_audit_log to ${OPERATOR_ROLE}`);
  await knex.raw(`grant usage on sequence operator_audit_log_id_seq to ${OPERATOR_ROLE}`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop function if exists purge_audit_log(uuid, timestamptz)');
  for (const t of [
    'operator_audit_log',
    'operator_sessions',
    'operators',
    'audit_log',
    'dev_outbox',
    'verification_tokens',
    'sessions',
    'role_assignments',
    'accounts',
  ]) {
    await knex.schema.dropTableIfExists(t);
  }
}
