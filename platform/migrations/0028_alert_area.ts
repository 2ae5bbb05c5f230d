import type { Knex } from 'knex';

// An alert down to a zone drawn on the map (issue 12): the polygon is kept on
// the alert, as GeoJSON, and its recipients are the residents whose address
// lies inside it. target_sector_ids keeps the sectors the zone reaches, so the
// alert shows in those communities' feeds like a sector alert.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('alerts', (t) => {
    t.jsonb('target_area');
  });
  await knex.raw(`alter table alerts drop constraint alerts_target_kind_check`);
  await knex.raw(
    `alter table alerts add constraint alerts_target_kind_check check (target_kind in ('community', 'sectors', 'commune', 'area'))`,
  );
  await knex.raw(
    `alter table alerts add constraint alerts_target_area_check check ((target_kind = 'area') = (target_area is not null))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`delete from alerts where target_kind = 'area'`);
  await knex.raw(`alter table alerts drop constraint alerts_target_area_check`);
  await knex.raw(`alter table alerts drop constraint alerts_target_kind_check`);
  await knex.raw(
    `alter table alerts add constraint alerts_target_kind_check check (target_kind in ('community', 'sectors', 'commune'))`,
  );
  await knex.schema.alterTable('alerts', (t) => {
    t.dropColumn('target_area');
  });
}
