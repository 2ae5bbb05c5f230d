// From a GeoJSON geometry drawn by a mairie or a referent to validated polygon
// parts, or a clear error code saying what is wrong and where.
import { Type, type Static } from '@sinclair/typebox';
import { fail } from './errors.js';
import { Value } from '@sinclair/typebox/value';

import './errors.js';
import {
  dropRepeatedPositions,
  findSelfIntersection,
  locateInRing,
  partsOverlap,
  ringBBox,
  samePosition,
  segmentsIntersect,
  signedArea,
  unionBBox,
  type BBox,
  type PolygonPart,
  type Position,
  type Ring,
} from './geometry.js';

const GeoPosition = Type.Array(Type.Number(), { minItems: 2, maxItems: 3 });
export const PolygonGeometry = Type.Object({
  type: Type.Literal('Polygon'),
  coordinates: Type.Array(Type.Array(GeoPosition), { minItems: 1 }),
});
export const MultiPolygonGeometry = Type.Object({
  type: Type.Literal('MultiPolygon'),
  coordinates: Type.Array(Type.Array(Type.Array(GeoPosition), { minItems: 1 }), { minItems: 1 }),
});
/** A sector's shape: a GeoJSON Polygon or MultiPolygon in WGS 84 longitude/latitude. */
export const SectorGeometry = Type.Union([PolygonGeometry, MultiPolygonGeometry]);
export type SectorGeometry = Static<typeof SectorGeometry>;

/** Beyond this, a drawing is a mistake (or an attack on the O(n²) checks). */
export const MAX_POSITIONS = 5000;

export interface ValidatedShape {
  parts: PolygonPart[];
  bbox: BBox;
  /** The geometry as stored: repeated positions removed, altitudes dropped. */
  geometry: SectorGeometry;
}

function checkRing(raw: number[][], where: { part: number; ring: number }): Ring {
  const ring: Ring = raw.map((p) => {
    const [lon, lat] = p as [number, number];
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90) {
      throw fail(
        'SECTOR_INVALID_GEOMETRY',
        'Le tracé contient un point hors des longitudes/latitudes possibles.',
        where,
      );
    }
    return [lon, lat] as Position;
  });
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (!first || !last || !samePosition(first, last)) throw fail('SECTOR_RING_NOT_CLOSED', undefined, where);
  const clean = dropRepeatedPositions(ring);
  if (clean.length < 4) throw fail('SECTOR_TOO_FEW_POINTS', undefined, { ...where, points: clean.length });
  const crossing = findSelfIntersection(clean);
  if (crossing) throw fail('SECTOR_SELF_INTERSECTING', undefined, { ...where, edges: crossing });
  if (signedArea(clean) === 0)
    throw fail('SECTOR_SELF_INTERSECTING', 'Le tracé du secteur est plat (surface nulle).', where);
  return clean;
}

function checkHoles(outer: Ring, holes: Ring[], part: number): void {
  const outerPart: PolygonPart = { outer, holes: [] };
  holes.forEach((hole, h) => {
    const where = { part, ring: h + 1 };
    // A hole lies strictly inside its outer ring: no vertex on or outside it, no edge crossing it.
    if (hole.some((p) => locateInRing(p, outer) !== 'inside'))
      throw fail('SECTOR_INVALID_HOLE', undefined, where);
    const asPart: PolygonPart = { outer: hole, holes: [] };
    if (!holeWithin(asPart, outerPart)) throw fail('SECTOR_INVALID_HOLE', undefined, where);
    for (let k = 0; k < h; k++) {
      if (partsOverlap(asPart, { outer: holes[k]!, holes: [] }))
        throw fail('SECTOR_INVALID_HOLE', 'Deux trous du secteur se chevauchent.', where);
    }
  });
}

/** Every edge of the hole stays inside the outer ring (vertices inside are not enough for concave rings). */
function holeWithin(hole: PolygonPart, outer: PolygonPart): boolean {
  const ring = hole.outer;
  for (let i = 0; i < ring.length - 1; i++) {
    const a = ring[i]!;
    const b = ring[i + 1]!;
    const mid: Position = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    if (locateInRing(mid, outer.outer) !== 'inside') return false;
    for (let j = 0; j < outer.outer.length - 1; j++) {
      if (segmentsIntersect(a, b, outer.outer[j]!, outer.outer[j + 1]!)) return false;
    }
  }
  return true;
}

/** Validates a drawn geometry; throws SECTOR_* codes with details saying which part and ring. */
export function validateSectorGeometry(input: unknown): ValidatedShape {
  if (!Value.Check(SectorGeometry, input)) throw fail('SECTOR_INVALID_GEOMETRY');
  const polygons = input.type === 'Polygon' ? [input.coordinates] : input.coordinates;
  const total = polygons.reduce((n, rings) => n + rings.reduce((m, r) => m + r.length, 0), 0);
  if (total > MAX_POSITIONS) throw fail('SECTOR_TOO_COMPLEX', undefined, { points: total });
  const parts: PolygonPart[] = polygons.map((rings, part) => {
    const [outerRaw, ...holesRaw] = rings;
    const outer = checkRing(outerRaw!, { part, ring: 0 });
    const holes = holesRaw.map((r, h) => checkRing(r, { part, ring: h + 1 }));
    checkHoles(outer, holes, part);
    return { outer, holes };
  });
  for (let i = 0; i < parts.length; i++) {
    for (let j = 0; j < i; j++) {
      if (partsOverlap(parts[i]!, parts[j]!))
        throw fail('SECTOR_SELF_INTERSECTING', 'Deux polygones du secteur se chevauchent.', {
          part: i,
          otherPart: j,
        });
    }
  }
  const coords = parts.map((p) => [p.outer, ...p.holes]);
  const geometry: SectorGeometry =
    parts.length === 1
      ? { type: 'Polygon', coordinates: coords[0]! }
      : { type: 'MultiPolygon', coordinates: coords };
  return { parts, bbox: unionBBox(parts.map((p) => ringBBox(p.outer))), geometry };
}

/** The parts of a geometry already stored (validated when it was saved). */
export function partsOf(geometry: SectorGeometry): PolygonPart[] {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.map(([outer, ...holes]) => ({ outer: outer as Ring, holes: holes as Ring[] }));
}
