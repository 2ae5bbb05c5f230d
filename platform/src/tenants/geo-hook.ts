// The hook through which `vigie tenants apply` imports a commune's geography
// (addresses.csv in the BAN format, sectors.geojson) once the commune exists.
// The importers belong to the geo module; apply only needs to know how many
// rows there are and how many changed, so that a second apply says "no change".
import type { Knex } from 'knex';
import { importAddressFile, seedSectorFile, type GeoHooks } from '../geo/index.js';

export interface GeoImportResult {
  /** Rows the file describes (addresses, sectors). */
  total: number;
  /** Rows added or updated by this run. */
  changed: number;
  /** Lines refused (for addresses: another commune, bad coordinates…). */
  rejected: number;
}

export interface GeoImports {
  /** Idempotent import of the commune's BAN extract. `db` is the app pool, or a transaction. */
  importAddresses?(db: Knex, tenantId: string, csvPath: string): Promise<GeoImportResult>;
  /** Idempotent creation or update of the commune's sectors from a GeoJSON FeatureCollection. */
  seedSectors?(db: Knex, tenantId: string, geojsonPath: string): Promise<GeoImportResult>;
}

/** The importers of this build: the geo module's, telling the instance's listeners of addresses that move. */
export function installedGeoImports(hooks: GeoHooks): GeoImports {
  return {
    async importAddresses(db, tenantId, csvPath) {
      const r = await importAddressFile(db, tenantId, csvPath, { hooks });
      return {
        total: r.added + r.updated + r.unchanged,
        changed: r.added + r.updated,
        rejected: r.rejectedCount,
      };
    },
    async seedSectors(db, tenantId, geojsonPath) {
      const r = await seedSectorFile(db, tenantId, geojsonPath, { hooks });
      return {
        total: r.created.length + r.updated.length + r.unchanged.length,
        changed: r.created.length + r.updated.length,
        rejected: r.skipped.length,
      };
    },
  };
}
