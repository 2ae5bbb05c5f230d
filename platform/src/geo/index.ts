// The geo module's public API, for the other core modules, `tenants apply`
// (see tenants/geo-hook.ts), the composition roots and the benchmarks.
export { geoModule } from './module.js';
export { geoErrors } from './errors.js';
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
export { searchAddresses, explainAddressSearch, type AddressHit } from './search.js';
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
export {
  geoExtensions,
  geoServices,
  noGeoHooks,
  type AddressesReassignedExtension,
  type AddressSectorChange,
  type AddressesReassignedListener,
  type GeoHooks,
} from './hooks.js';
export { SectorGeometry, validateSectorGeometry } from './sector-geometry.js';
export {
  localGeocoder,
  ignGeocoder,
  withFallback,
  geocoderFor,
  type Geocoder,
  type GeocodeResult,
  type FetchFn,
} from './geocoder.js';
export { addressLabel } from './normalize.js';
export { checkBanCsv, decodeBan, type BanCheck, type CheckedAddress } from './ban-check.js';
export {
  proposeSectors,
  defaultSectorCount,
  MAX_PROPOSED,
  type ProposalAddress,
  type ProposedSector,
} from './propose.js';
export { partsOf } from './sector-geometry.js';
export {
  shapesOverlap,
  locateInPart,
  bboxContains,
  ringBBox,
  unionBBox,
  pgPolygon,
  E6,
  type BBox,
  type PolygonPart,
} from './geometry.js';
export { checkBal, balToBanCsv, looksLikeBal, type BalCheck, type BalIssue } from './bal.js';
