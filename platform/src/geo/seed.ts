// Seeding sectors from tenants/<slug>/sectors.geojson, idempotently.
//
// Each feature has a stable key (its `id`, else `properties.id`, else its
// name). By default a seed only creates the sectors that do not exist yet: a
// sector the mairie has since redrawn, renamed or retired through the portal
// is left as the mairie made it, so restarting the demo or re-applying a
// commune never undoes their work. `mode: 'sync'` makes the file win instead.
import { readFile } from 'node:fs/promises';
import { fail } from './errors.js';
import type { Knex } from 'knex';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { isVigieError, VigieError } from '../lib/errors.js';
import { withTenant } from '../db/index.js';
import './errors.js';
import { createSector, redrawSector, renameSector, type SectorRef } from './sectors.js';
import { validateSectorGeometry } from './sector-geometry.js';
import { foldText } from './normalize.js';
import type { GeoHooks } from './hooks.js';

export const SeedFeature = Type.Object({
  type: Type.Literal('Feature'),
  id: Type.Optional(Type.Union([Type.String(), Type.Number()])),
  properties: Type.Object({
    name: Type.String({ minLength: 1, maxLength: 120 }),
    kind: Type.Optional(
      Type.Union([Type.Literal('street'), Type.Literal('residence'), Type.Literal('quartier')]),
    ),
    id: Type.Optional(Type.String()),
  }),
  geometry: Type.Unknown(),
});
export const SeedCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(SeedFeature),
});
export type SeedCollection = Static<typeof SeedCollection>;

export interface SeedReport {
  created: string[];
  updated: string[];
  unchanged: string[];
  skipped: Array<{ key: string; reason: 'retired' | 'name_taken' }>;
  /** Seeded sectors that overlap others (saved: a seed file is a deliberate choice). */
  overlaps: Array<{ key: string; with: SectorRef[] }>;
  /** Addresses that changed sector. */
  reassigned: number;
}

export interface SeedOptions {
  mode?: 'create-missing' | 'sync';
  hooks: GeoHooks;
}

function featureKey(f: Static<typeof SeedFeature>): string {
  const raw = f.id ?? f.properties.id;
  return raw !== undefined ? String(raw) : foldText(f.properties.name).replace(/ /g, '-');
}

export async function seedSectors(
  trx: Knex.Transaction,
  tenantId: string,
  collection: unknown,
  opts: SeedOptions,
): Promise<SeedReport> {
  if (!Value.Check(SeedCollection, collection)) {
    const first = Value.Errors(SeedCollection, collection).First();
    throw fail(
      'SECTOR_INVALID_GEOMETRY',
      'Le fichier des secteurs doit être une FeatureCollection GeoJSON dont chaque entité a un nom (properties.name).',
      { path: first?.path ?? '' },
    );
  }
  const report: SeedReport = {
    created: [],
    updated: [],
    unchanged: [],
    skipped: [],
    overlaps: [],
    reassigned: 0,
  };
  const hooks = opts.hooks;
  const keys = new Set<string>();
  for (const feature of collection.features) {
    const key = featureKey(feature);
    if (keys.has(key))
      throw fail('VALIDATION_FAILED', `Deux secteurs du fichier ont la même clé « ${key} ».`, { key });
    keys.add(key);
    try {
      await seedOne(trx, tenantId, key, feature, opts.mode ?? 'create-missing', hooks, report);
    } catch (err) {
      // Say which feature is wrong: a seed file has tens of them.
      if (isVigieError(err) && err.code !== 'SECTOR_NAME_TAKEN')
        throw new VigieError(err, `${err.message} (secteur « ${key} »)`, { ...err.details, feature: key });
      throw err;
    }
  }
  return report;
}

async function seedOne(
  trx: Knex.Transaction,
  tenantId: string,
  key: string,
  feature: Static<typeof SeedFeature>,
  mode: 'create-missing' | 'sync',
  hooks: GeoHooks,
  report: SeedReport,
): Promise<void> {
  const existing = await trx('sectors')
    .where({ source_key: key })
    .first<{ id: string; name: string; kind: string; status: string; geojson: unknown } | undefined>(
      'id',
      'name',
      'kind',
      'status',
      'geojson',
    );
  const kind = feature.properties.kind ?? 'quartier';
  if (!existing) {
    try {
      const saved = await createSector(
        trx,
        tenantId,
        { name: feature.properties.name, kind, geometry: feature.geometry, sourceKey: key },
        { confirmOverlap: true, hooks },
      );
      report.created.push(key);
      report.reassigned += saved.changes.length;
      if (saved.overlaps.length > 0) report.overlaps.push({ key, with: saved.overlaps });
    } catch (err) {
      if (isVigieError(err) && err.code === 'SECTOR_NAME_TAKEN')
        report.skipped.push({ key, reason: 'name_taken' });
      else throw err;
    }
    return;
  }
  if (existing.status !== 'active') {
    report.skipped.push({ key, reason: 'retired' });
    return;
  }
  if (mode === 'create-missing') {
    report.unchanged.push(key);
    return;
  }
  const shape = validateSectorGeometry(feature.geometry);
  let changed = false;
  if (existing.name !== feature.properties.name.trim() || existing.kind !== kind) {
    await renameSector(trx, existing.id, { name: feature.properties.name, kind });
    changed = true;
  }
  if (JSON.stringify(existing.geojson) !== JSON.stringify(shape.geometry)) {
    const saved = await redrawSector(trx, tenantId, existing.id, feature.geometry, {
      confirmOverlap: true,
      hooks,
    });
    report.reassigned += saved.changes.length;
    if (saved.overlaps.length > 0) report.overlaps.push({ key, with: saved.overlaps });
    changed = true;
  }
  (changed ? report.updated : report.unchanged).push(key);
}

/** Seeds a tenant's sectors from a GeoJSON file, in one transaction. */
export async function seedSectorFile(
  db: Knex,
  tenantId: string,
  path: string,
  opts: SeedOptions,
): Promise<SeedReport> {
  let collection: unknown;
  try {
    collection = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw err;
    throw fail('SECTOR_INVALID_GEOMETRY', "Le fichier des secteurs n'est pas du JSON valide.");
  }
  return withTenant(db, tenantId, (trx) => seedSectors(trx, tenantId, collection, opts));
}
