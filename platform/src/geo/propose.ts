// Proposed sectors for a commune being onboarded, from its addresses alone.
//
// 1. Streets are kept whole and grouped into clusters of comparable household
//    counts (one address = one household: the BAN has no better count) by
//    weighted recursive bisection of the streets' centroids: each cut is along
//    the longer side of the group, at the weighted median, so groups stay
//    compact and their sizes differ by at most about one street.
// 2. The polygons are a partition of a grid laid over the addresses' extent
//    (with a margin, inside the extent the sector checks call the commune):
//    each cell goes to the cluster of its nearest address, and each address's
//    own cell to its own cluster. A partition cannot overlap itself and covers
//    every point of the extent, so every address lies in exactly one sector.
// 3. Each cluster's cells are traced into rings (holes and separate pieces
//    included) and collinear points dropped.
//
// We have no commune boundary offline (@etalab/decoupage-administratif has no
// geometry), so "inside the commune" means inside the extent of its addresses,
// which is what SECTOR_OUTSIDE_COMMUNE checks for every drawn sector too.
import { signedArea, locateInRing, type Position, type Ring } from './geometry.js';
import type { SectorGeometry } from './sector-geometry.js';

export interface ProposalAddress {
  lon: number;
  lat: number;
  /** Same street, same key (geo/normalize streetKey). */
  streetKey: string;
  nomVoie: string;
}

export interface ProposedSector {
  /** Stable within the proposal: `secteur-1`, … (the seed key once saved). */
  key: string;
  name: string;
  households: number;
  streets: string[];
  geometry: SectorGeometry;
}

export interface ProposeOptions {
  /** Number of sectors wanted; by default about one per 400 households, 2 to 50. */
  count?: number;
  /** Cells on the longer side of the extent. */
  resolution?: number;
}

export const MIN_PROPOSED = 1;
export const MAX_PROPOSED = 50;

export function defaultSectorCount(households: number): number {
  return Math.max(2, Math.min(MAX_PROPOSED, Math.round(households / 400)));
}

interface Street {
  key: string;
  name: string;
  x: number;
  y: number;
  weight: number;
}

/** Splits streets into `k` groups of comparable weight (see the top of this file). */
function bisect(streets: Street[], k: number): Street[][] {
  if (k <= 1 || streets.length <= 1) return [streets];
  const xs = streets.map((s) => s.x);
  const ys = streets.map((s) => s.y);
  const wide = Math.max(...xs) - Math.min(...xs) >= Math.max(...ys) - Math.min(...ys);
  const sorted = [...streets].sort((a, b) => (wide ? a.x - b.x : a.y - b.y) || (a.key < b.key ? -1 : 1));
  const left = Math.floor(k / 2);
  const total = sorted.reduce((n, s) => n + s.weight, 0);
  const target = (total * left) / k;
  let acc = 0;
  let cut = 0;
  for (; cut < sorted.length - 1; cut++) {
    const next = acc + sorted[cut]!.weight;
    // Stop where the running total is closest to the target.
    if (next > target && next - target > target - acc && cut > 0) break;
    acc = next;
  }
  cut = Math.max(1, Math.min(sorted.length - 1, cut));
  return [...bisect(sorted.slice(0, cut), left), ...bisect(sorted.slice(cut), k - left)];
}

export function proposeSectors(addresses: ProposalAddress[], opts: ProposeOptions = {}): ProposedSector[] {
  if (addresses.length === 0) return [];
  const byStreet = new Map<string, Street>();
  for (const a of addresses) {
    const s = byStreet.get(a.streetKey) ?? { key: a.streetKey, name: a.nomVoie, x: 0, y: 0, weight: 0 };
    s.x += a.lon;
    s.y += a.lat;
    s.weight++;
    byStreet.set(a.streetKey, s);
  }
  const streets = [...byStreet.values()].map((s) => ({ ...s, x: s.x / s.weight, y: s.y / s.weight }));
  const wanted = opts.count ?? defaultSectorCount(addresses.length);
  const k = Math.max(MIN_PROPOSED, Math.min(MAX_PROPOSED, wanted, streets.length));
  const groups = bisect(streets, k)
    .filter((g) => g.length > 0)
    // North first, then west: the numbering reads like a map.
    .map((g) => {
      const w = g.reduce((n, s) => n + s.weight, 0);
      return {
        streets: g,
        y: g.reduce((n, s) => n + s.y * s.weight, 0) / w,
        x: g.reduce((n, s) => n + s.x * s.weight, 0) / w,
      };
    })
    .sort((a, b) => b.y - a.y || a.x - b.x);
  const clusterOfStreet = new Map<string, number>();
  groups.forEach((g, i) => g.streets.forEach((s) => clusterOfStreet.set(s.key, i)));

  const labels = labelGrid(addresses, clusterOfStreet, opts.resolution ?? 96);
  // Households per sector as its polygon holds them (an address's cell may have gone to a neighbour's street).
  const households = new Array<number>(groups.length).fill(0);
  for (const a of addresses) households[labels.cell[cellIndex(labels, a.lon, a.lat)]!]!++;
  // A group whose addresses all share cells with another's (several streets at one point) got no cell:
  // its streets join the sector that holds them, and it is not proposed.
  const owner = new Map<number, number>();
  for (const a of addresses) {
    const own = clusterOfStreet.get(a.streetKey)!;
    if (households[own] === 0 && !owner.has(own))
      owner.set(own, labels.cell[cellIndex(labels, a.lon, a.lat)]!);
  }
  for (const [from, to] of owner) groups[to]!.streets.push(...groups[from]!.streets);
  const kept = groups.map((g, i) => ({ g, i })).filter(({ i }) => households[i]! > 0);
  return kept.map(({ g, i }, n) => {
    const biggest = [...g.streets].sort((a, b) => b.weight - a.weight || (a.name < b.name ? -1 : 1))[0]!;
    return {
      key: `secteur-${n + 1}`,
      name: `Secteur ${n + 1} – ${biggest.name}`.slice(0, 120),
      households: households[i]!,
      streets: g.streets.map((s) => s.name).sort((a, b) => a.localeCompare(b, 'fr')),
      geometry: traceCluster(labels, i),
    };
  });
}

// ---- the grid -----------------------------------------------------------------

interface Grid {
  cols: number;
  rows: number;
  x0: number;
  y0: number;
  dx: number;
  dy: number;
  cell: Int32Array;
}

/** Corner coordinates are computed from integers, so neighbouring sectors share them exactly. */
function corner(g: Grid, i: number, j: number): Position {
  return [round6(g.x0 + i * g.dx), round6(g.y0 + j * g.dy)];
}
const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

function cellIndex(g: Grid, lon: number, lat: number): number {
  const i = Math.min(g.cols - 1, Math.max(0, Math.floor((lon - g.x0) / g.dx)));
  const j = Math.min(g.rows - 1, Math.max(0, Math.floor((lat - g.y0) / g.dy)));
  return j * g.cols + i;
}

function labelGrid(addresses: ProposalAddress[], clusterOf: Map<string, number>, resolution: number): Grid {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const a of addresses) {
    minX = Math.min(minX, a.lon);
    maxX = Math.max(maxX, a.lon);
    minY = Math.min(minY, a.lat);
    maxY = Math.max(maxY, a.lat);
  }
  // A margin around the outermost addresses, well inside the commune extent's own (20 %, 0.01° at least).
  const mx = Math.max(0.002, (maxX - minX) * 0.05);
  const my = Math.max(0.002, (maxY - minY) * 0.05);
  minX -= mx;
  maxX += mx;
  minY -= my;
  maxY += my;
  const w = maxX - minX;
  const h = maxY - minY;
  const cols = w >= h ? resolution : Math.max(4, Math.round((resolution * w) / h));
  const rows = h > w ? resolution : Math.max(4, Math.round((resolution * h) / w));
  const g: Grid = {
    cols,
    rows,
    x0: round6(minX),
    y0: round6(minY),
    dx: w / cols,
    dy: h / rows,
    cell: new Int32Array(cols * rows).fill(-1),
  };
  // Nearest address per cell, through buckets of the same grid searched in growing rings.
  const buckets = new Map<number, number[]>();
  const cellOf = (lon: number, lat: number): [number, number] => {
    const n = cellIndex(g, lon, lat);
    return [n % cols, Math.floor(n / cols)];
  };
  addresses.forEach((a, n) => {
    const [i, j] = cellOf(a.lon, a.lat);
    const list = buckets.get(j * cols + i) ?? [];
    list.push(n);
    buckets.set(j * cols + i, list);
  });
  // Distances in metres-like units: a degree of longitude is shorter than one of latitude.
  const kx = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  const distance = (n: number, cx: number, cy: number) => {
    const a = addresses[n]!;
    return ((a.lon - cx) * kx) ** 2 + (a.lat - cy) ** 2;
  };
  // Few distinct points (a hamlet, or many addresses at one spot): comparing each cell with each is cheapest.
  const distinct = [...new Map(addresses.map((a, n) => [`${a.lon},${a.lat}`, n])).values()];
  const ringOf = (i: number, j: number, r: number): number[] => {
    if (r === 0) return [j * cols + i];
    const out: number[] = [];
    const push = (ii: number, jj: number) => {
      if (ii >= 0 && jj >= 0 && ii < cols && jj < rows) out.push(jj * cols + ii);
    };
    for (let d = -r; d <= r; d++) {
      push(i + d, j - r);
      push(i + d, j + r);
    }
    for (let d = -r + 1; d <= r - 1; d++) {
      push(i - r, j + d);
      push(i + r, j + d);
    }
    return out;
  };
  const step = Math.min(g.dx * kx, g.dy);
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      const cx = g.x0 + (i + 0.5) * g.dx;
      const cy = g.y0 + (j + 0.5) * g.dy;
      let best = -1;
      let bestD = Infinity;
      if (distinct.length <= 256) {
        for (const n of distinct) {
          const d = distance(n, cx, cy);
          if (d < bestD) [bestD, best] = [d, n];
        }
      } else {
        for (let r = 0; r < Math.max(cols, rows); r++) {
          for (const cell of ringOf(i, j, r))
            for (const n of buckets.get(cell) ?? []) {
              const d = distance(n, cx, cy);
              if (d < bestD) [bestD, best] = [d, n];
            }
          // Whatever lies beyond ring r is at least r cells away: stop once the best found is nearer.
          if (best >= 0 && r * step > Math.sqrt(bestD)) break;
        }
      }
      g.cell[j * cols + i] = clusterOf.get(addresses[best]!.streetKey)!;
    }
  }
  // An address's own cell belongs to its own sector (the first address wins when two share a cell).
  const claimed = new Set<number>();
  for (const a of addresses) {
    const [i, j] = cellOf(a.lon, a.lat);
    if (claimed.has(j * cols + i)) continue;
    claimed.add(j * cols + i);
    g.cell[j * cols + i] = clusterOf.get(a.streetKey)!;
  }
  removePinches(g);
  return g;
}

/**
 * Two cells of one sector touching only by a corner (a checkerboard 2×2) would
 * make a ring touch itself; the validator rightly refuses that. One cell of
 * the pair joins its diagonal neighbours until no such corner is left.
 */
function removePinches(g: Grid): void {
  for (let pass = 0; pass < 100; pass++) {
    let changed = false;
    for (let j = 0; j < g.rows - 1; j++) {
      for (let i = 0; i < g.cols - 1; i++) {
        const a = g.cell[j * g.cols + i]!;
        const b = g.cell[j * g.cols + i + 1]!;
        const c = g.cell[(j + 1) * g.cols + i]!;
        const d = g.cell[(j + 1) * g.cols + i + 1]!;
        if (a === d && b !== a && c !== a) {
          g.cell[j * g.cols + i + 1] = a;
          changed = true;
        } else if (b === c && a !== b && d !== b) {
          g.cell[j * g.cols + i] = b;
          changed = true;
        }
      }
    }
    if (!changed) return;
  }
}

/**
 * The boundary of one cluster's cells as GeoJSON: directed edges with the
 * cluster on their left, chained into rings (outer rings counter-clockwise,
 * holes clockwise), collinear points dropped, holes put in the ring around them.
 */
function traceCluster(g: Grid, cluster: number): SectorGeometry {
  const at = (i: number, j: number) =>
    i < 0 || j < 0 || i >= g.cols || j >= g.rows ? -2 : g.cell[j * g.cols + i]!;
  // Edge from vertex (i,j) to a neighbouring vertex; key "i,j".
  const next = new Map<string, Array<[number, number]>>();
  const add = (a: [number, number], b: [number, number]) => {
    const k = `${a[0]},${a[1]}`;
    const list = next.get(k) ?? [];
    list.push(b);
    next.set(k, list);
  };
  for (let j = 0; j < g.rows; j++) {
    for (let i = 0; i < g.cols; i++) {
      if (at(i, j) !== cluster) continue;
      if (at(i, j - 1) !== cluster) add([i, j], [i + 1, j]); // bottom, going east
      if (at(i + 1, j) !== cluster) add([i + 1, j], [i + 1, j + 1]); // right, going north
      if (at(i, j + 1) !== cluster) add([i + 1, j + 1], [i, j + 1]); // top, going west
      if (at(i - 1, j) !== cluster) add([i, j + 1], [i, j]); // left, going south
    }
  }
  const rings: Array<Array<[number, number]>> = [];
  for (const [start, outs] of next) {
    while (outs.length > 0) {
      const [si, sj] = start.split(',').map(Number) as [number, number];
      const ring: Array<[number, number]> = [[si, sj]];
      let cur: [number, number] = outs.pop()!;
      while (!(cur[0] === si && cur[1] === sj)) {
        ring.push(cur);
        const list = next.get(`${cur[0]},${cur[1]}`)!;
        cur = list.pop()!;
      }
      ring.push([si, sj]);
      rings.push(dropCollinear(ring));
    }
  }
  const asRing = (r: Array<[number, number]>): Ring => r.map(([i, j]) => corner(g, i, j));
  const outers = rings.filter((r) => signedArea(asRing(r)) > 0).map(asRing);
  const holes = rings.filter((r) => signedArea(asRing(r)) < 0).map(asRing);
  const polygons: Ring[][] = outers.map((o) => [o]);
  for (const h of holes) {
    // A hole's vertices lie on its outer ring's grid too; test the centre of its first edge, off the grid lines.
    const probe: Position = [
      (h[0]![0] + h[1]![0]) / 2 + (h[1]![1] - h[0]![1]) * 1e-3,
      (h[0]![1] + h[1]![1]) / 2 - (h[1]![0] - h[0]![0]) * 1e-3,
    ];
    const owner = polygons.find((p) => locateInRing(probe, p[0]!) === 'inside') ?? polygons[0];
    owner?.push(h);
  }
  return polygons.length === 1
    ? { type: 'Polygon', coordinates: polygons[0]! }
    : { type: 'MultiPolygon', coordinates: polygons };
}

function dropCollinear(ring: Array<[number, number]>): Array<[number, number]> {
  const open = ring.slice(0, -1);
  const kept = open.filter((p, n) => {
    const a = open[(n - 1 + open.length) % open.length]!;
    const b = open[(n + 1) % open.length]!;
    return (p[0] - a[0]) * (b[1] - p[1]) - (p[1] - a[1]) * (b[0] - p[0]) !== 0;
  });
  return [...kept, kept[0]!];
}
