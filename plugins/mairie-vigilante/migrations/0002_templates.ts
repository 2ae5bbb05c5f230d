import { tenantTable, type Database as Knex } from '@vigie/platform/plugin';

// A commune's templates for alerting down: one text per alert category, which
// the compose page starts from (the category is the core's, named by its slug
// so a template survives a category being retired and brought back).
export async function up(knex: Knex): Promise<void> {
  await tenantTable(knex, 'mv_alert_templates', (t) => {
    t.text('category_slug').notNullable();
    t.text('text').notNullable();
    t.uuid('updated_by');
    t.unique(['tenant_id', 'category_slug']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('mv_alert_templates');
}
