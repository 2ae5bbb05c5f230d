// Which sector each address belongs to. The rule lives here, once: the active
// sector whose shape contains the address (its border included); when several
// do (a residence drawn inside its quartier and saved with confirmation), the
// smallest, the most specific community; ties go to the lowest id.
//
// It runs in TypeScript over the tenant's sector parts (tens, a few hundred at
// most) rather than as a SQL join: under row-level security PostgreSQL cannot
// use the GiST index for a join on `@>` (the operator is not LEAKPROOF), and
// testing every address against every part in SQL was what made a 30,000-line
// import slow. sectorForPoint (sectors.ts) answers the same question in SQL for
// one point; a test checks that both agree.
import type { Knex } from 'knex';
import {
  bboxesOverlap,
  locateInPart,
  partAreaM2,
  ringBBox,
  type BBox,
  type PolygonPart,
} from './geometry.js';
import { partsOf, type SectorGeometry } from './sector-geometry.js';
import { emitAddressesReassigned, type AddressSectorChange, type GeoHooks } from './hooks.js';

export interface SectorIndexEntry {
  sectorId: string;
  part: PolygonPart;
  bbox: BBox;
  areaM2: number;
}

export type SectorIndex = SectorIndexEntry[];

/** The active sectors of the transaction's tenant, one entry per polygon. */
export async function loadSectorIndex(trx: Knex.Transaction): Promise<SectorIndex> {
  const rows = (await trx('sectors').where({ status: 'active' }).select('id', 'geojson')) as Array<{
    id: string;
    geojson: SectorGeometry;
  }>;
  return rows.flatMap((r) =>
    partsOf(r.geojson).map((part) => ({
      sectorId: r.id,
      part,
      bbox: ringBBox(part.outer),
      areaM2: partAreaM2(part),
    })),
  );
}

/** The sector of a point under the rule above, or null when no sector covers it. */
export function sectorAt(index: SectorIndex, lon: number, lat: number): string | null {
  let best: SectorIndexEntry | undefined;
  for (const e of index) {
    if (lon < e.bbox.minX || lon > e.bbox.maxX || lat < e.bbox.minY || lat > e.bbox.maxY) continue;
    if (best && (e.areaM2 > best.areaM2 || (e.areaM2 === best.areaM2 && e.sectorId > best.sectorId)))
      continue;
    if (locateInPart([lon, lat], e.part) !== 'outside') best = e;
  }
  return best?.sectorId ?? null;
}

const UPDATE_BATCH = 5000;

/**
 * Reassigns the addresses inside `scope` (every address of the tenant when
 * omitted) and returns those that changed sector, after telling the listeners.
 */
export async function reassignAddresses(
  trx: Knex.Transaction,
  scope: BBox[] | undefined,
  hooks: GeoHooks,
): Promise<AddressSectorChange[]> {
  if (scope && scope.length === 0) return [];
  const index = await loadSectorIndex(trx);
  // (tenant_id, lon) btree range: float comparisons are LEAKPROOF, so the index serves under RLS.
  const q = trx('addresses').select('id', 'lon', 'lat', 'sector_id');
  if (scope) {
    q.where((w) => {
      for (const b of scope)
        w.orWhere((o) => o.whereBetween('lon', [b.minX, b.maxX]).whereBetween('lat', [b.minY, b.maxY]));
    });
  }
  const rows = (await q) as Array<{ id: string; lon: number; lat: number; sector_id: string | null }>;
  const relevant = scope ? index.filter((e) => scope.some((b) => bboxesOverlap(b, e.bbox))) : index;
  const changes: AddressSectorChange[] = [];
  for (const a of rows) {
    const to = sectorAt(relevant, a.lon, a.lat);
    if (to !== a.sector_id) changes.push({ addressId: a.id, from: a.sector_id, to });
  }
  for (let i = 0; i < changes.length; i += UPDATE_BATCH) {
    const slice = changes.slice(i, i + UPDATE_BATCH).map((c) => ({ id: c.addressId, sector_id: c.to }));
    await trx.raw(
      `update addresses a set sector_id = v.sector_id, updated_at = now()
       from json_to_recordset(?::json) as v(id uuid, sector_id uuid) where a.id = v.id`,
      [JSON.stringify(slice)],
    );
  }
  await emitAddressesReassigned(trx, changes, hooks);
  return changes;
}
