// The hook through which `vigie tenants apply` imports a commune's geography
// (addresses.csv in the BAN format, sectors.geojson) once the commune exists.
// The importers belong to the geo module (platform/src/geo); they are passed
// in, so that apply works, and says what it skipped, before that module lands.
import type { Knex } from 'knex';

export interface GeoImports {
  /** Imports the commune's BAN extract; idempotent (upsert by BAN id). `db` is the app pool. */
  importAddresses?(db: Knex, tenantId: string, csvPath: string): Promise<{ imported: number }>;
  /** Creates or updates the commune's sectors from a GeoJSON FeatureCollection; idempotent. */
  seedSectors?(db: Knex, tenantId: string, geojsonPath: string): Promise<{ sectors: number }>;
}

/**
 * The importers of this build. TODO(geo): return `{ importAddresses, seedSectors }`
 * from platform/src/geo once it exists; until then tenant folders with geography
 * files are applied without it and the report says "skipped".
 */
export function installedGeoImports(): GeoImports {
  return {};
}
