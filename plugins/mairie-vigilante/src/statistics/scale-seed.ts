// A commune at the scale the statistics must hold (issue 12): 50,000 alerts
// over one year and 30,000 verified residents, written by SQL in a few seconds.
// Shared by the scale test (figures checked against how it was seeded) and the
// statistics benchmark (bench/statistics.bench.ts), so both time the same data.
// Alert i (1-based) is created at 1 January 00:00 Paris + (i − 1) × 365/alerts
// days; every 4th is still open, else every 3rd unfounded, else solved.
import type { Trx } from '@vigie/platform/plugin';

export interface ScaleSeed {
  year: number;
  alerts: number;
  residents: number;
}

export async function seedStatisticsScale(trx: Trx, tenantId: string, s: ScaleSeed): Promise<void> {
  const id = tenantId;
  await trx.raw(
    `insert into sectors (tenant_id, name, geojson, bbox, area_m2)
     select ?, 'Secteur ' || i, '{"type":"Polygon","coordinates":[[[2.7,48.8],[2.8,48.8],[2.8,48.9],[2.7,48.8]]]}', box(point(2.7,48.8), point(2.8,48.9)), 1e6
     from generate_series(1, 12) i`,
    [id],
  );
  await trx.raw(
    `insert into alert_categories (tenant_id, slug, label_fr, label_en, position)
     select ?, 'cat' || i, 'Catégorie ' || i, 'Category ' || i, i from generate_series(1, 8) i`,
    [id],
  );
  await trx.raw(
    `insert into accounts (tenant_id, email, display_name)
     select ?, 'r' || i || '@scale.test', 'Résident ' || i from generate_series(1, ?) i`,
    [id, s.residents],
  );
  await trx.raw(
    `insert into addresses (tenant_id, ban_id, numero, nom_voie, code_postal, code_insee, nom_commune, lon, lat, street_key, sector_id)
     select ?, 'ban' || i, i, 'rue ' || (i % 300), '77700', '77449', 'Serris', 2.75, 48.85, 'rue' || (i % 300),
            (select id from sectors order by name offset (i % 12) limit 1)
     from generate_series(1, ?) i`,
    [id, Math.round(s.residents * 1.2)],
  );
  await trx.raw(
    `insert into residences (tenant_id, account_id, address_id, sector_id, status, activated_at)
     select ?, a.id, ad.id, ad.sector_id, 'active', timestamp '${s.year}-01-01' + (row_number() over () % 360) * interval '1 day'
     from (select id, row_number() over (order by id) n from accounts) a
     join (select id, sector_id, row_number() over (order by id) n from addresses) ad on ad.n = a.n`,
    [id],
  );
  await trx.raw(
    `insert into alerts (tenant_id, author_kind, origin, category_id, severity, body, target_kind, target_sector_ids,
                         status, closure, created_at, acknowledged_at, closed_at)
     select ?, 'resident', 'web', (select id from alert_categories order by position offset (i % 8) limit 1),
            (array['info','important','urgent'])[1 + i % 3], 'Alerte ' || i, 'community',
            array[(select id from sectors order by name offset (i % 12) limit 1)],
            case when i % 4 = 0 then 'received' else 'closed' end,
            case when i % 4 = 0 then null when i % 3 = 0 then 'unfounded' else 'solved' end,
            c, c + (i % 30) * interval '1 minute', case when i % 4 = 0 then null else c + (i % 600) * interval '1 minute' end
     from (select i, timestamptz '${s.year}-01-01 00:00+01' + ((i - 1) * (365.0 / ?)) * interval '1 day' c
           from generate_series(1, ?) i) s`,
    [id, s.alerts, s.alerts],
  );
  await trx.raw('analyze');
}
