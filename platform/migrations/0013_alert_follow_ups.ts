import type { Knex } from 'knex';

// Follow-ups of an alert (« suite » and « fin d'alerte ») are alerts of their
// own, linked to the first one: each goes through the same delivery (rows,
// retries, receipts, report) to the first alert's recipients, and disappears
// with it (retention, erasure of the commune).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('alerts', (t) => {
    t.uuid('follows_alert_id');
    t.text('follow_up_kind');
    t.foreign(['tenant_id', 'follows_alert_id'])
      .references(['tenant_id', 'id'])
      .inTable('alerts')
      .onDelete('CASCADE');
  });
  await knex.raw(
    `alter table alerts add constraint alerts_follow_up_check check ((follows_alert_id is null) = (follow_up_kind is null) and (follow_up_kind is null or follow_up_kind in ('update', 'end')))`,
  );
  await knex.raw(
    `create index alerts_follow_ups on alerts (tenant_id, follows_alert_id, created_at) where follows_alert_id is not null`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists alerts_follow_ups');
  await knex.raw('alter table alerts drop constraint if exists alerts_follow_up_check');
  await knex.schema.alterTable('alerts', (t) => {
    t.dropForeign(['tenant_id', 'follows_alert_id']);
    t.dropColumn('follow_up_kind');
    t.dropColumn('follows_alert_id');
  });
}
