import type { Knex } from 'knex';
import { tenantForeign, tenantTable } from '../src/db/schema.js';

// Addresses (imported from the Base Adresse Nationale) and sectors (the
// polygons that make communities). PostGIS is not available: sectors use the
// built-in `polygon` and `box` types.
//
// Why sector_parts stores micro-degrees (lon × 1e6, lat × 1e6, the `_e6`
// columns): the built-in geometric operators compare with an absolute
// tolerance (EPSILON = 1e-6). On degrees, `polygon @> point` tests cross
// products of coordinate differences against it and answers "inside" for
// points up to about 20 m outside an edge. In micro-degrees the same
// tolerance is a few nanometres.
//
// Why the indexes look the way they do: the application role is subject to
// row-level security, and PostgreSQL only uses a predicate as an index
// condition under RLS when its operator is LEAKPROOF. `LIKE`, the trigram
// operators, `box @> box` and `polygon @> point` are not; `=`, `<`, `>=` on
// text, uuid, integers and floats are, and so is ORDER BY `<->` (KNN scans are
// orderings, not predicates). So every lookup here is driven by an equality or
// range on a btree, or by a GiST KNN scan, and the non-leakproof geometric
// test is the exact check applied to the few rows found.
export async function up(knex: Knex): Promise<void> {
  // Trusted extensions: the owner role may create them. pg_trgm ranks street
  // names (word_similarity); btree_gist lets a GiST index lead with tenant_id.
  await knex.raw('create extension if not exists pg_trgm');
  await knex.raw('create extension if not exists btree_gist');

  await tenantTable(knex, 'sectors', (t) => {
    t.text('name').notNullable();
    t.text('kind').notNullable().defaultTo('quartier');
    // Stable id of the feature that seeded it (tenants/<slug>/sectors.geojson), so seeding is idempotent.
    t.text('source_key');
    // The GeoJSON geometry as drawn (Polygon or MultiPolygon, WGS 84 lon/lat), and its bounding box in degrees.
    t.jsonb('geojson').notNullable();
    t.specificType('bbox', 'box').notNullable();
    t.double('area_m2').notNullable();
    t.text('status').notNullable().defaultTo('active');
    t.timestamp('retired_at', { useTz: true });
    t.unique(['tenant_id', 'source_key']);
  });
  await knex.raw(
    `alter table sectors add constraint sectors_kind_check check (kind in ('street', 'residence', 'quartier'))`,
  );
  await knex.raw(
    `alter table sectors add constraint sectors_status_check check (status in ('active', 'retired'))`,
  );
  await knex.raw(
    `alter table sectors add constraint sectors_retired_at_check check ((status = 'retired') = (retired_at is not null))`,
  );
  await knex.raw(
    `alter table sectors add constraint sectors_name_check check (length(btrim(name)) between 1 and 120)`,
  );
  await knex.raw(
    `create unique index sectors_active_name on sectors (tenant_id, lower(name)) where status = 'active'`,
  );
  await knex.raw(`create index sectors_tenant_status on sectors (tenant_id, status)`);

  // The point-in-sector index: one row per polygon of an active sector (a
  // MultiPolygon has several). Retiring a sector deletes its parts; the
  // sector row keeps its GeoJSON for history.
  await tenantTable(
    knex,
    'sector_parts',
    (t) => {
      t.uuid('sector_id').notNullable();
      t.integer('part').notNullable();
      t.specificType('ring_e6', 'polygon').notNullable();
      t.specificType('holes_e6', 'polygon[]').notNullable().defaultTo('{}');
      t.specificType('bbox_e6', 'box').notNullable();
      t.double('area_m2').notNullable();
      tenantForeign(t, 'sector_id', 'sectors', 'CASCADE');
      t.unique(['tenant_id', 'sector_id', 'part']);
    },
    { timestamps: false },
  );
  await knex.raw(`create index sector_parts_bbox on sector_parts using gist (tenant_id, bbox_e6)`);

  await tenantTable(knex, 'addresses', (t) => {
    t.text('ban_id').notNullable();
    t.text('id_fantoir');
    t.integer('numero').notNullable();
    t.text('rep');
    t.text('nom_voie').notNullable();
    t.text('code_postal').notNullable();
    t.text('code_insee').notNullable();
    t.text('nom_commune').notNullable();
    t.double('lon').notNullable();
    t.double('lat').notNullable();
    // Normalized street name and postcode (see geo/normalize.ts): joins an address to its street.
    t.text('street_key').notNullable();
    t.uuid('sector_id');
    t.unique(['tenant_id', 'ban_id']);
    tenantForeign(t, 'sector_id', 'sectors', 'SET NULL');
  });
  await knex.raw(
    `alter table addresses add constraint addresses_numero_check check (numero between 0 and 99999)`,
  );
  await knex.raw(
    `alter table addresses add constraint addresses_lonlat_check check (lon between -180 and 180 and lat between -90 and 90)`,
  );
  await knex.raw(`create index addresses_street_numero on addresses (tenant_id, street_key, numero)`);
  await knex.raw(`create index addresses_lon on addresses (tenant_id, lon)`);
  await knex.raw(`create index addresses_sector on addresses (tenant_id, sector_id)`);
  await knex.raw(`create index addresses_point on addresses using gist (tenant_id, point(lon, lat))`);

  // Streets, derived from addresses at import: the search index of the
  // registration form. A commune of 30,000 addresses has about a thousand
  // streets, so matching words against them is cheap; the house number is then
  // an indexed equality on addresses.
  await tenantTable(knex, 'address_streets', (t) => {
    t.text('street_key').notNullable();
    t.text('nom_voie').notNullable();
    t.text('code_postal').notNullable();
    t.text('nom_commune').notNullable();
    // Normalized words, each preceded by a space so that `like '% word%'` is a word-prefix test.
    t.text('search').notNullable();
    t.integer('address_count').notNullable();
    t.unique(['tenant_id', 'street_key']);
  });

  // A referent's role is scoped to a community, which is a sector. NO ACTION
  // (not RESTRICT) so that deleting a whole tenant cascades in any order.
  await knex.raw(
    `alter table role_assignments add constraint role_assignments_scope_sector_fk foreign key (tenant_id, scope_id) references sectors (tenant_id, id)`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table role_assignments drop constraint if exists role_assignments_scope_sector_fk');
  await knex.schema.dropTableIfExists('address_streets');
  await knex.schema.dropTableIfExists('addresses');
  await knex.schema.dropTableIfExists('sector_parts');
  await knex.schema.dropTableIfExists('sectors');
  await knex.raw('drop extension if exists btree_gist');
  await knex.raw('drop extension if exists pg_trgm');
}
