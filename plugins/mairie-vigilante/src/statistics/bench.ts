// For bench/statistics.bench.ts only: the report's computation and the data
// it is timed on, reached as `@vigie/plugin-mairie-vigilante/statistics-bench`.
export { buildReport } from './report.js';
export { seedStatisticsScale, type ScaleSeed } from './scale-seed.js';
