// The geo module's public API, for the other core modules, `tenants apply`,
// the composition roots and the benchmarks.
import type { Knex } from 'knex';
import { importAddressFile } from './ban-import.js';
import { seedSectorFile } from './seed.js';

export { geoModule } from './module.js';
export { GEO_ERRORS } from './errors.js';
export {
  importAddresses,
  importAddressesInTransaction,
  importAddressFile,
  BAN_HEADER,
  BAN_REQUIRED_COLUMNS,
  MAX_LISTED_REJECTIONS,
  type ImportReport,
  type ImportOptions,
  type Rejection,
  type RejectionReason,
} from './ban-import.js';
export { searchAddresses, type AddressHit } from './search.js';
export { foldText, normalizeStreet, parseAddressQuery, ABBREVIATIONS } from './normalize.js';
export {
  createSector,
  redrawSector,
  renameSector,
  retireSector,
  getSector,
  listSectors,
  sectorForPoint,
  unassignedAddresses,
  findOverlaps,
  communeExtent,
  SECTOR_KINDS,
  type Sector,
  type SectorKind,
  type SectorRef,
  type SectorSaveResult,
  type SectorWriteOptions,
  type CreateSectorInput,
} from './sectors.js';
export { seedSectors, seedSectorFile, type SeedReport, type SeedOptions } from './seed.js';
export { reassignAddresses } from './assign.js';
export { geoHooks, onAddressesReassigned, type AddressSectorChange, type AddressesReassignedListener, type GeoHooks } from './hooks.js';
export { SectorGeometry, validateSectorGeometry } from './sector-geometry.js';
export { localGeocoder, ignGeocoder, withFallback, geocoderFor, type Geocoder, type GeocodeResult, type FetchFn } from './geocoder.js';

/**
 * The importers `vigie tenants apply` runs on a commune's folder (the shape of
 * tenants/geo-hook.ts's GeoImports): both idempotent, each in one transaction.
 */
export const tenantGeoImports = {
  async importAddresses(db: Knex, tenantId: string, csvPath: string) {
    const report = await importAddressFile(db, tenantId, csvPath);
    return { imported: report.added + report.updated + report.unchanged, report };
  },
  async seedSectors(db: Knex, tenantId: string, geojsonPath: string) {
    const report = await seedSectorFile(db, tenantId, geojsonPath);
    return { sectors: report.created.length + report.updated.length + report.unchanged.length, report };
  },
};
