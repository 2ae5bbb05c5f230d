// Plane geometry on lon/lat degrees, enough for sectors of one commune: ring
// validation, point location and the "do these two shapes overlap" test.
// At the scale of a commune (a few km), treating degrees as a plane changes
// no answer that matters; areas are converted to square metres separately.
//
// Overlap means the interiors intersect. Two quartiers drawn edge to edge share
// a border and do NOT overlap: that is the common case and must not nag the mairie.

export type Position = [number, number];
export type Ring = Position[];

/** One polygon: its outer ring and its holes, each closed (first position repeated last). */
export interface PolygonPart {
  outer: Ring;
  holes: Ring[];
}

export interface BBox {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** Distance (in degrees, about 0.1 mm) under which a point counts as lying on a segment. */
export const TOLERANCE = 1e-9;
/** How far from a shared border the overlap test probes (about 1 cm): thinner overlaps are touches. */
const PROBE = 1e-7;

export function ringBBox(ring: Ring): BBox {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of ring) {
    if (x < minX) minX = x;
    if (y < minY) minY = y;
    if (x > maxX) maxX = x;
    if (y > maxY) maxY = y;
  }
  return { minX, minY, maxX, maxY };
}

export function unionBBox(boxes: BBox[]): BBox {
  return {
    minX: Math.min(...boxes.map((b) => b.minX)),
    minY: Math.min(...boxes.map((b) => b.minY)),
    maxX: Math.max(...boxes.map((b) => b.maxX)),
    maxY: Math.max(...boxes.map((b) => b.maxY)),
  };
}

export function bboxesOverlap(a: BBox, b: BBox): boolean {
  return a.minX <= b.maxX && b.minX <= a.maxX && a.minY <= b.maxY && b.minY <= a.maxY;
}

export function bboxContains(outer: BBox, inner: BBox): boolean {
  return (
    inner.minX >= outer.minX &&
    inner.maxX <= outer.maxX &&
    inner.minY >= outer.minY &&
    inner.maxY <= outer.maxY
  );
}

export function samePosition(a: Position, b: Position): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

/** -1, 0 or 1: which side of the line a→b the point c is on; 0 within TOLERANCE of the line. */
function orientation(a: Position, b: Position, c: Position): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const cross = dx * (c[1] - a[1]) - dy * (c[0] - a[0]);
  const length = Math.hypot(dx, dy);
  if (Math.abs(cross) <= TOLERANCE * length) return 0;
  return cross > 0 ? 1 : -1;
}

/** True when p lies on the segment a–b (within TOLERANCE). */
export function onSegment(p: Position, a: Position, b: Position): boolean {
  if (p[0] < Math.min(a[0], b[0]) - TOLERANCE || p[0] > Math.max(a[0], b[0]) + TOLERANCE) return false;
  if (p[1] < Math.min(a[1], b[1]) - TOLERANCE || p[1] > Math.max(a[1], b[1]) + TOLERANCE) return false;
  if (samePosition(a, b)) return Math.hypot(p[0] - a[0], p[1] - a[1]) <= TOLERANCE;
  return orientation(a, b, p) === 0;
}

/** The segments cross at one point interior to both (not at an end, not along a shared line). */
export function segmentsCrossProperly(a: Position, b: Position, c: Position, d: Position): boolean {
  const o1 = orientation(a, b, c);
  const o2 = orientation(a, b, d);
  const o3 = orientation(c, d, a);
  const o4 = orientation(c, d, b);
  return o1 * o2 < 0 && o3 * o4 < 0;
}

/** The segments share at least one point (crossing, touching or overlapping). */
export function segmentsIntersect(a: Position, b: Position, c: Position, d: Position): boolean {
  if (segmentsCrossProperly(a, b, c, d)) return true;
  return onSegment(c, a, b) || onSegment(d, a, b) || onSegment(a, c, d) || onSegment(b, c, d);
}

export type Location = 'inside' | 'outside' | 'boundary';

/** Where p is relative to a closed ring (crossing number, with the boundary detected first). */
export function locateInRing(p: Position, ring: Ring): Location {
  let inside = false;
  for (let i = 0; i < ring.length - 1; i++) {
    const a = ring[i]!;
    const b = ring[i + 1]!;
    if (onSegment(p, a, b)) return 'boundary';
    if (a[1] > p[1] !== b[1] > p[1]) {
      const x = a[0] + ((p[1] - a[1]) / (b[1] - a[1])) * (b[0] - a[0]);
      if (p[0] < x) inside = !inside;
    }
  }
  return inside ? 'inside' : 'outside';
}

export function locateInPart(p: Position, part: PolygonPart): Location {
  const outer = locateInRing(p, part.outer);
  if (outer !== 'inside') return outer;
  for (const hole of part.holes) {
    const h = locateInRing(p, hole);
    if (h === 'inside') return 'outside';
    if (h === 'boundary') return 'boundary';
  }
  return 'inside';
}

interface Segment {
  a: Position;
  b: Position;
}

function ringSegments(ring: Ring): Segment[] {
  const out: Segment[] = [];
  for (let i = 0; i < ring.length - 1; i++) out.push({ a: ring[i]!, b: ring[i + 1]! });
  return out;
}

function partSegments(part: PolygonPart): Segment[] {
  return [part.outer, ...part.holes].flatMap(ringSegments);
}

/** Where along a→b (0..1) the point p, known to lie on it, sits. */
function parameterOn(p: Position, a: Position, b: Position): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  if (len2 === 0) return 0;
  return Math.min(1, Math.max(0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
}

/**
 * Probes both sides of every piece of `from`'s boundary, cut wherever it meets
 * `other`'s boundary: if some probe lies inside both shapes, their interiors
 * meet. A shared border gives probes inside one shape only; a real overlap
 * always has a piece of boundary with both shapes on one side.
 */
function probesFindCommonInterior(from: PolygonPart, other: PolygonPart, otherSegments: Segment[]): boolean {
  for (const s of partSegments(from)) {
    const cuts = [0, 1];
    for (const o of otherSegments) {
      if (onSegment(o.a, s.a, s.b)) cuts.push(parameterOn(o.a, s.a, s.b));
      if (onSegment(o.b, s.a, s.b)) cuts.push(parameterOn(o.b, s.a, s.b));
    }
    cuts.sort((x, y) => x - y);
    const dx = s.b[0] - s.a[0];
    const dy = s.b[1] - s.a[1];
    const length = Math.hypot(dx, dy);
    if (length === 0) continue;
    const nx = (-dy / length) * PROBE;
    const ny = (dx / length) * PROBE;
    for (let i = 0; i < cuts.length - 1; i++) {
      const t0 = cuts[i]!;
      const t1 = cuts[i + 1]!;
      if ((t1 - t0) * length <= TOLERANCE) continue;
      const t = (t0 + t1) / 2;
      const m: Position = [s.a[0] + dx * t, s.a[1] + dy * t];
      for (const p of [
        [m[0] + nx, m[1] + ny],
        [m[0] - nx, m[1] - ny],
      ] as Position[]) {
        if (locateInPart(p, from) === 'inside' && locateInPart(p, other) === 'inside') return true;
      }
    }
  }
  return false;
}

/** Do the interiors of two polygons intersect? Touching borders or corners is not an overlap. */
export function partsOverlap(a: PolygonPart, b: PolygonPart): boolean {
  if (!bboxesOverlap(ringBBox(a.outer), ringBBox(b.outer))) return false;
  const sa = partSegments(a);
  const sb = partSegments(b);
  for (const x of sa) {
    for (const y of sb) {
      if (segmentsCrossProperly(x.a, x.b, y.a, y.b)) return true;
    }
  }
  return probesFindCommonInterior(a, b, sb) || probesFindCommonInterior(b, a, sa);
}

export function shapesOverlap(a: PolygonPart[], b: PolygonPart[]): boolean {
  return a.some((pa) => b.some((pb) => partsOverlap(pa, pb)));
}

/** The first pair of edges of a ring that meet where they should not, if any. */
export function findSelfIntersection(ring: Ring): [number, number] | undefined {
  const n = ring.length - 1; // number of edges
  const boxes = Array.from({ length: n }, (_, i) => ringBBox([ring[i]!, ring[i + 1]!]));
  for (let i = 0; i < n; i++) {
    const a = ring[i]!;
    const b = ring[i + 1]!;
    for (let j = i + 1; j < n; j++) {
      if (!bboxesOverlap(boxes[i]!, boxes[j]!)) continue;
      const c = ring[j]!;
      const d = ring[j + 1]!;
      const adjacent = j === i + 1 || (i === 0 && j === n - 1);
      if (adjacent) {
        // Consecutive edges share one vertex; they must not fold back along each other.
        const shared = j === i + 1 ? b : a;
        const otherOfFirst = j === i + 1 ? a : b;
        const otherOfSecond = j === i + 1 ? d : c;
        if (onSegment(otherOfSecond, a, b) && !samePosition(otherOfSecond, shared)) return [i, j];
        if (onSegment(otherOfFirst, c, d) && !samePosition(otherOfFirst, shared)) return [i, j];
        continue;
      }
      if (segmentsIntersect(a, b, c, d)) return [i, j];
    }
  }
  return undefined;
}

/** Removes repeated consecutive positions (drawing tools emit them on double clicks). */
export function dropRepeatedPositions(ring: Ring): Ring {
  const out: Ring = [];
  for (const p of ring) {
    const last = out[out.length - 1];
    if (!last || !samePosition(last, p)) out.push(p);
  }
  return out;
}

/** Signed area in square degrees (positive when counter-clockwise). */
export function signedArea(ring: Ring): number {
  let s = 0;
  for (let i = 0; i < ring.length - 1; i++) {
    const [x1, y1] = ring[i]!;
    const [x2, y2] = ring[i + 1]!;
    s += x1 * y2 - x2 * y1;
  }
  return s / 2;
}

const METRES_PER_DEGREE_LAT = 111_132;

/** Area in square metres, projecting degrees onto a plane at the ring's latitude. */
export function ringAreaM2(ring: Ring): number {
  const box = ringBBox(ring);
  const lat = ((box.minY + box.maxY) / 2) * (Math.PI / 180);
  return Math.abs(signedArea(ring)) * METRES_PER_DEGREE_LAT * METRES_PER_DEGREE_LAT * Math.cos(lat);
}

export function partAreaM2(part: PolygonPart): number {
  return Math.max(0, ringAreaM2(part.outer) - part.holes.reduce((s, h) => s + ringAreaM2(h), 0));
}

/**
 * Scale of the geometry stored for PostgreSQL's operators (micro-degrees):
 * their fixed 1e-6 tolerance is far too coarse for degrees (see 0003_geo).
 */
export const E6 = 1_000_000;

/** The PostgreSQL `polygon` literal of a closed ring (the closing position is implicit there). */
export function pgPolygon(ring: Ring, scale = 1): string {
  return `(${ring
    .slice(0, -1)
    .map(([x, y]) => `(${x * scale},${y * scale})`)
    .join(',')})`;
}

export function pgBox(b: BBox, scale = 1): string {
  return `((${b.minX * scale},${b.minY * scale}),(${b.maxX * scale},${b.maxY * scale}))`;
}

/** A `polygon[]` literal: each element quoted, since polygons contain commas. */
export function pgPolygonArray(rings: Ring[], scale = 1): string {
  return `{${rings.map((r) => `"${pgPolygon(r, scale)}"`).join(',')}}`;
}
