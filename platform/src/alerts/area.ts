// An alert down to a zone drawn on the map (issue 12). The zone is a polygon
// checked by the same rules as a sector's outline (closed, simple, at most
// MAX_POSITIONS points); its recipients are the residents whose address lies
// inside it, border included. One SQL predicate decides "inside" for the
// preview, the refusal of an empty zone and the delivery, so the three agree.
import type { Knex } from 'knex';
import { VigieError } from '../lib/errors.js';
import {
  E6,
  partsOf,
  pgPolygon,
  ringBBox,
  unionBBox,
  validateSectorGeometry,
  type PolygonPart,
  type SectorGeometry,
} from '../geo/index.js';
import { fail } from './errors.js';

type Trx = Knex.Transaction;

/** The longest GeoJSON text accepted for a zone (5,000 points fit well within it). */
export const AREA_MAX_CHARS = 200_000;

/** Parses and checks a drawn zone; a bad one is ALERT_AREA_INVALID with the outline rule it broke. */
export function parseArea(text: string | undefined): SectorGeometry {
  if (!text) throw fail('ALERT_AREA_INVALID', undefined, { reason: 'missing' });
  if (text.length > AREA_MAX_CHARS) throw fail('ALERT_AREA_INVALID', undefined, { reason: 'too_long' });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw fail('ALERT_AREA_INVALID', undefined, { reason: 'not_json' });
  }
  try {
    return validateSectorGeometry(raw).geometry;
  } catch (e) {
    if (e instanceof VigieError)
      throw fail('ALERT_AREA_INVALID', undefined, { reason: e.code, ...(e.details ?? {}) });
    throw e;
  }
}

/**
 * `where` for the addresses inside the zone (alias `ad`): a bounding-box range
 * first (the (tenant_id, lon) btree serves it under RLS), then PostgreSQL's
 * polygon-contains-point on micro-degrees, as sectors do (see 0003_geo).
 */
export function insideArea(trx: Trx, area: SectorGeometry, alias = 'ad'): (q: Knex.QueryBuilder) => void {
  const parts: PolygonPart[] = partsOf(area);
  const box = unionBBox(parts.map((p) => ringBBox(p.outer)));
  return (q) => {
    q.whereBetween(`${alias}.lon`, [box.minX, box.maxX]).whereBetween(`${alias}.lat`, [box.minY, box.maxY]);
    q.where((any) => {
      for (const part of parts) {
        any.orWhere((w) => {
          const pt = `point(${alias}.lon * ${E6}, ${alias}.lat * ${E6})`;
          w.whereRaw(`?::polygon @> ${pt}`, [pgPolygon(part.outer, E6)]);
          // A point on a hole's border is still in the zone.
          for (const hole of part.holes) w.whereRaw(`not (?::polygon @> ${pt})`, [pgPolygon(hole, E6)]);
        });
      }
    });
  };
}

/**
 * The sectors the zone reaches (those of its addresses), sorted; a zone with
 * no address of the commune in it is refused, since it would reach nobody.
 */
export async function sectorsOfArea(trx: Trx, area: SectorGeometry): Promise<string[]> {
  const rows = (await trx('addresses as ad')
    .where(insideArea(trx, area))
    .select(
      trx.raw('count(*)::int as n'),
      trx.raw('array_remove(array_agg(distinct ad.sector_id), null) as ids'),
    )
    .first()) as { n: number; ids: string[] };
  if (rows.n === 0) throw fail('ALERT_AREA_EMPTY');
  return [...rows.ids].sort();
}
