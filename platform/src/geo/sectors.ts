// Sectors: the named polygons (a street, a residence, a quartier) that make a
// commune's communities. Mairie admins create, redraw, rename and retire them;
// referents redraw their own. Every change that moves addresses from one sector
// to another returns the moves and tells the listeners (see hooks.ts), so that
// the residents concerned can be told.
import type { Knex } from 'knex';
import { fail } from './errors.js';
import { isVigieError } from '../lib/errors.js';
import './errors.js';
import {
  E6,
  bboxContains,
  bboxesOverlap,
  partAreaM2,
  pgBox,
  pgPolygon,
  pgPolygonArray,
  ringBBox,
  shapesOverlap,
  type BBox,
} from './geometry.js';
import {
  partsOf,
  validateSectorGeometry,
  type SectorGeometry,
  type ValidatedShape,
} from './sector-geometry.js';
import { reassignAddresses } from './assign.js';
import type { AddressSectorChange, GeoHooks } from './hooks.js';
import { lockTenantGeography } from './lock.js';

export const SECTOR_KINDS = ['street', 'residence', 'quartier'] as const;
export type SectorKind = (typeof SECTOR_KINDS)[number];

export interface Sector {
  id: string;
  name: string;
  kind: SectorKind;
  status: 'active' | 'retired';
  geometry: SectorGeometry;
  bbox: BBox;
  areaM2: number;
  sourceKey: string | null;
  retiredAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface SectorRef {
  id: string;
  name: string;
}

export interface SectorSaveResult {
  sector: Sector;
  /** Active sectors this one overlaps (saved anyway because the caller confirmed). */
  overlaps: SectorRef[];
  /** Addresses that changed sector because of this save. */
  changes: AddressSectorChange[];
}

export interface SectorWriteOptions {
  /** Save even though the shape overlaps other active sectors. */
  confirmOverlap?: boolean;
  hooks: GeoHooks;
}

interface SectorRow {
  id: string;
  tenant_id: string;
  name: string;
  kind: SectorKind;
  status: 'active' | 'retired';
  geojson: SectorGeometry;
  bbox: string;
  area_m2: number;
  source_key: string | null;
  retired_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** "(maxX,maxY),(minX,minY)", as PostgreSQL prints a box. */
export function parsePgBox(text: string): BBox {
  const n = text.match(/-?\d+(\.\d+)?(e-?\d+)?/gi)!.map(Number);
  return {
    minX: Math.min(n[0]!, n[2]!),
    minY: Math.min(n[1]!, n[3]!),
    maxX: Math.max(n[0]!, n[2]!),
    maxY: Math.max(n[1]!, n[3]!),
  };
}

function toSector(r: SectorRow): Sector {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    status: r.status,
    geometry: r.geojson,
    bbox: parsePgBox(r.bbox),
    areaM2: Math.round(r.area_m2),
    sourceKey: r.source_key,
    retiredAt: r.retired_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const SECTOR_COLUMNS = [
  'id',
  'tenant_id',
  'name',
  'kind',
  'status',
  'geojson',
  'bbox',
  'area_m2',
  'source_key',
  'retired_at',
  'created_at',
  'updated_at',
];

function cleanName(name: string): string {
  const n = name.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (n.length < 1 || n.length > 120)
    throw fail('VALIDATION_FAILED', 'Le nom du secteur doit faire entre 1 et 120 caractères.');
  return n;
}

function checkKind(kind: string): SectorKind {
  if (!(SECTOR_KINDS as readonly string[]).includes(kind))
    throw fail('VALIDATION_FAILED', 'Le type de secteur doit être street, residence ou quartier.');
  return kind as SectorKind;
}

async function loadSector(trx: Knex.Transaction, id: string, forUpdate = false): Promise<SectorRow> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw fail('SECTOR_NOT_FOUND');
  const q = trx('sectors').where({ id }).first(SECTOR_COLUMNS);
  const row = (await (forUpdate ? q.forUpdate() : q)) as SectorRow | undefined;
  if (!row) throw fail('SECTOR_NOT_FOUND');
  return row;
}

export async function getSector(trx: Knex.Transaction, id: string): Promise<Sector> {
  return toSector(await loadSector(trx, id));
}

/** The commune's extent, from its addresses, widened by a margin: fields and woods at the edge of town have no address. */
export async function communeExtent(trx: Knex.Transaction): Promise<BBox | undefined> {
  const res = await trx.raw<{
    rows: Array<{ n: number; min_x: number; min_y: number; max_x: number; max_y: number }>;
  }>(
    'select count(*)::int as n, min(lon) as min_x, min(lat) as min_y, max(lon) as max_x, max(lat) as max_y from addresses',
  );
  const r = res.rows[0]!;
  if (r.n === 0) return undefined;
  const marginX = Math.max(0.01, (r.max_x - r.min_x) * 0.2);
  const marginY = Math.max(0.01, (r.max_y - r.min_y) * 0.2);
  return {
    minX: r.min_x - marginX,
    minY: r.min_y - marginY,
    maxX: r.max_x + marginX,
    maxY: r.max_y + marginY,
  };
}

/** Refuses a shape that leaves the commune. Without imported addresses there is no extent to check against. */
async function checkInsideCommune(trx: Knex.Transaction, shape: ValidatedShape): Promise<void> {
  const extent = await communeExtent(trx);
  if (extent && !bboxContains(extent, shape.bbox)) {
    throw fail('SECTOR_OUTSIDE_COMMUNE', undefined, {
      extent: [extent.minX, extent.minY, extent.maxX, extent.maxY],
    });
  }
}

/**
 * The active sectors whose interior meets this shape's. Bounding boxes first
 * (the GiST index narrows to the tenant), then the exact test in TypeScript.
 */
export async function findOverlaps(
  trx: Knex.Transaction,
  shape: Pick<ValidatedShape, 'parts' | 'bbox'>,
  excludeId?: string,
): Promise<SectorRef[]> {
  const q = trx('sectors')
    .where({ status: 'active' })
    .select('id', 'name', 'geojson', 'bbox')
    .orderBy('name');
  if (excludeId) q.whereNot({ id: excludeId });
  const rows = (await q) as Array<Pick<SectorRow, 'id' | 'name' | 'geojson' | 'bbox'>>;
  return rows
    .filter((r) => bboxesOverlap(parsePgBox(r.bbox), shape.bbox))
    .filter((r) => shapesOverlap(shape.parts, partsOf(r.geojson)))
    .map((r) => ({ id: r.id, name: r.name }));
}

async function refuseUnconfirmedOverlap(
  trx: Knex.Transaction,
  shape: ValidatedShape,
  opts: SectorWriteOptions,
  excludeId?: string,
): Promise<SectorRef[]> {
  const overlaps = await findOverlaps(trx, shape, excludeId);
  if (overlaps.length > 0 && !opts.confirmOverlap) {
    throw fail(
      'SECTOR_OVERLAP',
      `Ce secteur chevauche ${overlaps.map((o) => `« ${o.name} »`).join(', ')}. Confirmez pour l'enregistrer quand même.`,
      { overlaps },
    );
  }
  return overlaps;
}

async function writeParts(
  trx: Knex.Transaction,
  tenantId: string,
  sectorId: string,
  shape: ValidatedShape,
): Promise<void> {
  await trx('sector_parts').where({ sector_id: sectorId }).delete();
  await trx('sector_parts').insert(
    shape.parts.map((p, i) => ({
      tenant_id: tenantId,
      sector_id: sectorId,
      part: i,
      ring_e6: trx.raw('?::polygon', [pgPolygon(p.outer, E6)]),
      holes_e6: trx.raw('?::polygon[]', [pgPolygonArray(p.holes, E6)]),
      bbox_e6: trx.raw('?::box', [pgBox(ringBBox(p.outer), E6)]),
      area_m2: partAreaM2(p),
    })),
  );
}

function shapeColumns(trx: Knex.Transaction, shape: ValidatedShape) {
  return {
    geojson: JSON.stringify(shape.geometry),
    bbox: trx.raw('?::box', [pgBox(shape.bbox)]),
    area_m2: shape.parts.reduce((s, p) => s + partAreaM2(p), 0),
  };
}

/** A unique-name violation becomes SECTOR_NAME_TAKEN instead of a 500. */
async function guardName<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!isVigieError(err) && (err as { constraint?: string }).constraint === 'sectors_active_name')
      throw fail('SECTOR_NAME_TAKEN');
    throw err;
  }
}

async function assertNameFree(trx: Knex.Transaction, name: string, excludeId?: string): Promise<void> {
  const q = trx('sectors').where({ status: 'active' }).whereRaw('lower(name) = lower(?)', [name]).first('id');
  if (excludeId) q.whereNot({ id: excludeId });
  if (await q) throw fail('SECTOR_NAME_TAKEN');
}

export interface CreateSectorInput {
  name: string;
  kind?: SectorKind | string;
  geometry: unknown;
  /** Stable id of a seed feature (tenants/<slug>/sectors.geojson). */
  sourceKey?: string;
}

export async function createSector(
  trx: Knex.Transaction,
  tenantId: string,
  input: CreateSectorInput,
  opts: SectorWriteOptions,
): Promise<SectorSaveResult> {
  const name = cleanName(input.name);
  const kind = checkKind(input.kind ?? 'quartier');
  const shape = validateSectorGeometry(input.geometry);
  await lockTenantGeography(trx, tenantId);
  await checkInsideCommune(trx, shape);
  await assertNameFree(trx, name);
  const overlaps = await refuseUnconfirmedOverlap(trx, shape, opts);
  const [row] = await guardName(() =>
    trx('sectors')
      .insert({
        tenant_id: tenantId,
        name,
        kind,
        source_key: input.sourceKey ?? null,
        ...shapeColumns(trx, shape),
      })
      .returning(SECTOR_COLUMNS),
  );
  const sector = row as SectorRow;
  await writeParts(trx, tenantId, sector.id, shape);
  const changes = await reassignAddresses(trx, [shape.bbox], opts.hooks);
  return { sector: toSector(sector), overlaps, changes };
}

function activeOrFail(row: SectorRow): void {
  if (row.status !== 'active') throw fail('SECTOR_RETIRED');
}

export async function redrawSector(
  trx: Knex.Transaction,
  tenantId: string,
  sectorId: string,
  geometry: unknown,
  opts: SectorWriteOptions,
): Promise<SectorSaveResult> {
  const shape = validateSectorGeometry(geometry);
  await lockTenantGeography(trx, tenantId);
  const before = await loadSector(trx, sectorId, true);
  activeOrFail(before);
  await checkInsideCommune(trx, shape);
  const overlaps = await refuseUnconfirmedOverlap(trx, shape, opts, sectorId);
  const [row] = await trx('sectors')
    .where({ id: sectorId })
    .update({ ...shapeColumns(trx, shape), updated_at: trx.fn.now() })
    .returning(SECTOR_COLUMNS);
  await writeParts(trx, tenantId, sectorId, shape);
  // Only addresses inside the old or the new outline can change sector.
  const changes = await reassignAddresses(trx, [parsePgBox(before.bbox), shape.bbox], opts.hooks);
  return { sector: toSector(row as SectorRow), overlaps, changes };
}

export async function renameSector(
  trx: Knex.Transaction,
  sectorId: string,
  input: { name?: string; kind?: SectorKind | string },
): Promise<Sector> {
  const before = await loadSector(trx, sectorId, true);
  activeOrFail(before);
  const name = input.name === undefined ? before.name : cleanName(input.name);
  const kind = input.kind === undefined ? before.kind : checkKind(input.kind);
  if (name.toLowerCase() !== before.name.toLowerCase()) await assertNameFree(trx, name, sectorId);
  const [row] = await guardName(() =>
    trx('sectors')
      .where({ id: sectorId })
      .update({ name, kind, updated_at: trx.fn.now() })
      .returning(SECTOR_COLUMNS),
  );
  return toSector(row as SectorRow);
}

/**
 * Retires a sector: it leaves the map (its parts are deleted) but its row and
 * GeoJSON stay for history. Its addresses fall to the sectors around, or to none.
 */
export async function retireSector(
  trx: Knex.Transaction,
  tenantId: string,
  sectorId: string,
  opts: Pick<SectorWriteOptions, 'hooks'>,
): Promise<SectorSaveResult> {
  await lockTenantGeography(trx, tenantId);
  const before = await loadSector(trx, sectorId, true);
  activeOrFail(before);
  const [row] = await trx('sectors')
    .where({ id: sectorId })
    .update({ status: 'retired', retired_at: trx.fn.now(), updated_at: trx.fn.now() })
    .returning(SECTOR_COLUMNS);
  await trx('sector_parts').where({ sector_id: sectorId }).delete();
  const changes = await reassignAddresses(trx, [parsePgBox(before.bbox)], opts.hooks);
  return { sector: toSector(row as SectorRow), overlaps: [], changes };
}

export interface SectorSummary extends Sector {
  addressCount: number;
}

export async function listSectors(
  trx: Knex.Transaction,
  opts: { includeRetired?: boolean } = {},
): Promise<SectorSummary[]> {
  const q = trx('sectors as s')
    .select(SECTOR_COLUMNS.map((c) => `s.${c}`))
    .select(trx.raw('(select count(*)::int from addresses a where a.sector_id = s.id) as address_count'))
    .orderBy('s.name');
  if (!opts.includeRetired) q.where('s.status', 'active');
  const rows = (await q) as unknown as Array<SectorRow & { address_count: number }>;
  return rows.map((r) => ({ ...toSector(r), addressCount: r.address_count }));
}

/** KNN candidates per lookup; more bounding boxes than this around one point means nested sectors galore. */
const POINT_CANDIDATES = 32;

/**
 * The active sector containing a point (the smallest, when several do).
 * The GiST index on (tenant_id, bbox_e6) orders the tenant's parts by distance to
 * the point: those at distance 0 contain it in their bounding box, and only
 * those get the exact polygon test.
 */
export async function sectorForPoint(
  trx: Knex.Transaction,
  lon: number,
  lat: number,
): Promise<(SectorRef & { kind: SectorKind }) | null> {
  if (!Number.isFinite(lon) || !Number.isFinite(lat))
    throw fail('VALIDATION_FAILED', 'Coordonnées invalides.');
  const pt = [lon * E6, lat * E6];
  const lookup = async (limit: number | null) =>
    trx.raw<{
      rows: Array<{
        id: string;
        name: string;
        kind: SectorKind;
        d: number;
        inside: boolean;
        area_m2: number;
      }>;
    }>(
      `select s.id, s.name, s.kind, c.d, c.area_m2,
              (c.d = 0 and c.ring_e6 @> point(?, ?) and not exists (select 1 from unnest(c.holes_e6) h where h @> point(?, ?))) as inside
       from (select sp.sector_id, sp.ring_e6, sp.holes_e6, sp.area_m2, sp.bbox_e6 <-> point(?, ?) as d
             from sector_parts sp order by sp.bbox_e6 <-> point(?, ?) ${limit === null ? '' : 'limit ?'}) c
       join sectors s on s.id = c.sector_id`,
      [...pt, ...pt, ...pt, ...pt, ...(limit === null ? [] : [limit])],
    );
  let res = await lookup(POINT_CANDIDATES);
  if (res.rows.length === POINT_CANDIDATES && res.rows.every((r) => r.d === 0)) res = await lookup(null);
  const best = res.rows
    .filter((r) => r.inside)
    .sort((a, b) => a.area_m2 - b.area_m2 || (a.id < b.id ? -1 : 1))[0];
  return best ? { id: best.id, name: best.name, kind: best.kind } : null;
}

export interface UnassignedAddress {
  id: string;
  banId: string;
  numero: number;
  rep: string | null;
  street: string;
  lon: number;
  lat: number;
}

/** Addresses in no active sector: the mairie's list of coverage holes. */
export async function unassignedAddresses(
  trx: Knex.Transaction,
  opts: { limit?: number; offset?: number } = {},
): Promise<{ total: number; addresses: UnassignedAddress[] }> {
  const limit = Math.min(Math.max(1, opts.limit ?? 100), 1000);
  const count = await trx.raw<{ rows: Array<{ total: number }> }>(
    'select count(*)::int as total from addresses where sector_id is null',
  );
  const total = count.rows[0]!.total;
  const rows = await trx('addresses')
    .whereNull('sector_id')
    .orderBy([{ column: 'nom_voie' }, { column: 'numero' }, { column: 'rep', nulls: 'first' }])
    .limit(limit)
    .offset(Math.max(0, opts.offset ?? 0))
    .select('id', 'ban_id', 'numero', 'rep', 'nom_voie', 'lon', 'lat');
  return {
    total: Number(total),
    addresses: rows.map(
      (r: {
        id: string;
        ban_id: string;
        numero: number;
        rep: string | null;
        nom_voie: string;
        lon: number;
        lat: number;
      }) => ({
        id: r.id,
        banId: r.ban_id,
        numero: r.numero,
        rep: r.rep,
        street: r.nom_voie,
        lon: r.lon,
        lat: r.lat,
      }),
    ),
  };
}
