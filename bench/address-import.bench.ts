// Import of a BAN extract of 30,000 addresses into a commune that already has
// its 48 quartiers (so the time includes assigning every address to its
// sector), then the same file again (the idempotent re-import of every
// `tenants apply`).
//
// Baseline, same run: a bare batched INSERT of the same rows into the same
// table (same indexes, same row-level security), with no CSV parsing, no
// validation, no upsert, no street index and no sector assignment: what it
// costs PostgreSQL to store the rows at all.
import { Readable } from 'node:stream';
import { geo, withTenant } from '@vigie/platform';
import { banCsvLines, banRows, fileChunks, type CommuneSpec } from './data/ban-synthetic.js';
import { BENCH_COMMUNE } from './data/communes.js';
import { sectorGrid } from './data/sectors-synthetic.js';
import { createCommune, startBenchDatabase } from './data/database.js';

const seconds = (v: number) => `${(v / 1000).toFixed(2)} s`;

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await fn();
  return [performance.now() - t0, r];
}

export default async function addressImportBench(): Promise<void> {
  const db = await startBenchDatabase();
  try {
    const spec: CommuneSpec = BENCH_COMMUNE;
    const lines = [...banCsvLines(spec)];
    const tenant = await createCommune(db, 'serris', spec.inseeCode, spec.name);
    const [minX, minY, maxX, maxY] = spec.bbox;
    const grid = sectorGrid({
      bbox: [minX - 0.002, minY - 0.002, maxX + 0.002, maxY + 0.002],
      columns: 8,
      rows: 6,
      names: [],
      seed: 48,
    });
    // Sectors are checked against the commune's extent, known from its addresses: seed them with the four
    // extreme addresses in place, then remove those so that the measured import starts from none.
    const all = [...banRows(spec)];
    const extremes = [
      ...new Set(
        [0, 1].flatMap((k) => [
          all.reduce((a, b) => (b.lon * (k ? -1 : 1) < a.lon * (k ? -1 : 1) ? b : a)),
          all.reduce((a, b) => (b.lat * (k ? -1 : 1) < a.lat * (k ? -1 : 1) ? b : a)),
        ]),
      ),
    ];
    await geo.importAddresses(
      db.app,
      tenant,
      Readable.from([lines[0]!, ...extremes.map((r) => `${r.line}\n`)]),
      { inseeCode: spec.inseeCode, hooks: geo.noGeoHooks },
    );
    await withTenant(db.app, tenant, async (trx) => {
      await geo.seedSectors(trx, tenant, grid, { hooks: geo.noGeoHooks });
      await trx('addresses').delete();
      await trx('address_streets').delete();
    });

    const [first, r1] = await timed(() =>
      geo.importAddresses(db.app, tenant, Readable.from(fileChunks(lines)), {
        inseeCode: spec.inseeCode,
        hooks: geo.noGeoHooks,
      }),
    );
    const [again, r2] = await timed(() =>
      geo.importAddresses(db.app, tenant, Readable.from(fileChunks(lines)), {
        inseeCode: spec.inseeCode,
        hooks: geo.noGeoHooks,
      }),
    );
    const assigned = await withTenant(
      db.app,
      tenant,
      async (trx) => (await trx.raw('select count(sector_id)::int as n from addresses')).rows[0].n as number,
    );

    const other: CommuneSpec = { ...spec, inseeCode: '77268', name: 'Magny-le-Hongre' };
    const bareTenant = await createCommune(db, 'bare', other.inseeCode, other.name);
    const rows = [...banRows(other)].map((r) => ({
      ban_id: r.id,
      id_fantoir: r.id_fantoir,
      numero: r.numero,
      rep: r.rep || null,
      nom_voie: r.nom_voie,
      code_postal: other.postcode,
      code_insee: other.inseeCode,
      nom_commune: other.name,
      lon: r.lon,
      lat: r.lat,
      street_key: r.nom_voie,
    }));
    const [bare] = await timed(() =>
      withTenant(db.app, bareTenant, async (trx) => {
        for (let i = 0; i < rows.length; i += 2000) {
          await trx.raw(
            `insert into addresses (tenant_id, ban_id, id_fantoir, numero, rep, nom_voie, code_postal, code_insee, nom_commune, lon, lat, street_key)
             select ?, r.* from json_to_recordset(?::json) as r(ban_id text, id_fantoir text, numero int, rep text, nom_voie text, code_postal text, code_insee text, nom_commune text, lon float8, lat float8, street_key text)`,
            [bareTenant, JSON.stringify(rows.slice(i, i + 2000))],
          );
        }
      }),
    );

    process.stdout.write(
      [
        `BAN import of 30,000 addresses (${grid.features.length} sectors in place, one transaction, app role under RLS):`,
        `  first import      ${seconds(first)}  (${r1.added} added, ${r1.streets} streets, ${assigned} assigned to a sector, ${r1.unassigned} in none)`,
        `  re-import         ${seconds(again)}  (${r2.unchanged} unchanged, ${r2.added + r2.updated} written)`,
        `  baseline: bare INSERT of the same rows  ${seconds(bare)}`,
        `  ratio first import / bare insert: ${(first / bare).toFixed(1)}×, re-import / bare insert: ${(again / bare).toFixed(1)}×`,
        '',
      ].join('\n'),
    );
  } finally {
    await db.stop();
  }
}
