import type { Knex } from 'knex';
import { tenantForeign, tenantTable } from '../src/db/schema.js';

// Photos uploaded for an alert. A photo is uploaded first (multipart, outside
// GraphQL) and attached when its author raises the alert: this row proves who
// uploaded it, so that an alert can only carry its own author's photo, and
// once. Unattached uploads are purged after a day by the retention sweep.
export async function up(knex: Knex): Promise<void> {
  await tenantTable(knex, 'alert_photos', (t) => {
    // Null once the uploader's account is erased: an unattached photo is then purged.
    t.uuid('uploader_account_id');
    t.text('storage_key').notNullable();
    t.text('content_type').notNullable();
    t.integer('size_bytes').notNullable();
    t.uuid('alert_id');
    t.unique(['tenant_id', 'storage_key']);
    t.unique(['tenant_id', 'alert_id']);
    tenantForeign(t, 'uploader_account_id', 'accounts', 'SET NULL');
    tenantForeign(t, 'alert_id', 'alerts', 'SET NULL');
  });
  await knex.raw(
    `alter table alert_photos add constraint alert_photos_content_type_check check (content_type in ('image/jpeg', 'image/png'))`,
  );
  await knex.raw(
    `alter table alert_photos add constraint alert_photos_size_check check (size_bytes between 1 and 10485760)`,
  );
  await knex.raw(
    `create index alert_photos_unattached on alert_photos (tenant_id, created_at) where alert_id is null`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('alert_photos');
}
