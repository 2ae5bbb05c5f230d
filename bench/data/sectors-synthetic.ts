// Deterministic quartiers that tile a commune's box edge to edge: a grid whose
// inner corners and edge midpoints are shifted a little, so the shapes look
// drawn by hand while neighbours still share exactly the same border.
import { prng } from './ban-synthetic.js';

type Position = [number, number];

export interface GridSpec {
  /** [minLon, minLat, maxLon, maxLat] of the area to cover. */
  bbox: [number, number, number, number];
  columns: number;
  rows: number;
  /** One name per cell, row by row from the south-west corner. */
  names: string[];
  seed: number;
}

export interface SectorFeature {
  type: 'Feature';
  id: string;
  properties: { name: string; kind: 'quartier' };
  geometry: { type: 'Polygon'; coordinates: Position[][] };
}

const round = (v: number) => Number(v.toFixed(6));

function slug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export function sectorGrid(spec: GridSpec): { type: 'FeatureCollection'; features: SectorFeature[] } {
  const rand = prng(spec.seed);
  const [minX, minY, maxX, maxY] = spec.bbox;
  const w = (maxX - minX) / spec.columns;
  const h = (maxY - minY) / spec.rows;
  const jitter = (size: number) => (rand() - 0.5) * 0.3 * size;
  // Corners: the outer ones stay on the box, the inner ones move.
  const corner: Position[][] = [];
  for (let i = 0; i <= spec.columns; i++) {
    corner.push([]);
    for (let j = 0; j <= spec.rows; j++) {
      const inner = i > 0 && i < spec.columns && j > 0 && j < spec.rows;
      corner[i]!.push([
        round(minX + i * w + (inner ? jitter(w) : 0)),
        round(minY + j * h + (inner ? jitter(h) : 0)),
      ]);
    }
  }
  // Midpoints of inner edges bend the border; outer edges stay straight.
  const mid = (a: Position, b: Position, inner: boolean, horizontal: boolean): Position => {
    const m: Position = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    if (!inner) return [round(m[0]), round(m[1])];
    return horizontal ? [round(m[0]), round(m[1] + jitter(h))] : [round(m[0] + jitter(w)), round(m[1])];
  };
  const horizontalMid = new Map<string, Position>();
  const verticalMid = new Map<string, Position>();
  for (let i = 0; i < spec.columns; i++) {
    for (let j = 0; j <= spec.rows; j++)
      horizontalMid.set(`${i},${j}`, mid(corner[i]![j]!, corner[i + 1]![j]!, j > 0 && j < spec.rows, true));
  }
  for (let i = 0; i <= spec.columns; i++) {
    for (let j = 0; j < spec.rows; j++)
      verticalMid.set(`${i},${j}`, mid(corner[i]![j]!, corner[i]![j + 1]!, i > 0 && i < spec.columns, false));
  }
  const features: SectorFeature[] = [];
  for (let j = 0; j < spec.rows; j++) {
    for (let i = 0; i < spec.columns; i++) {
      const name = spec.names[j * spec.columns + i] ?? `Quartier ${j * spec.columns + i + 1}`;
      const ring: Position[] = [
        corner[i]![j]!,
        horizontalMid.get(`${i},${j}`)!,
        corner[i + 1]![j]!,
        verticalMid.get(`${i + 1},${j}`)!,
        corner[i + 1]![j + 1]!,
        horizontalMid.get(`${i},${j + 1}`)!,
        corner[i]![j + 1]!,
        verticalMid.get(`${i},${j}`)!,
        corner[i]![j]!,
      ];
      features.push({
        type: 'Feature',
        id: slug(name),
        properties: { name, kind: 'quartier' },
        geometry: { type: 'Polygon', coordinates: [ring] },
      });
    }
  }
  return { type: 'FeatureCollection', features };
}
