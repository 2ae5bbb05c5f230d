// Writes the synthetic geography of the demo communes:
//   node --import tsx bench/data/generate-tenant-data.ts
// Deterministic: running it again rewrites identical files.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { banCsv } from './ban-synthetic.js';
import { sectorGrid } from './sectors-synthetic.js';
import { MAGNY, MAGNY_SECTORS, SERRIS, SERRIS_SECTORS } from './communes.js';

const root = path.resolve(import.meta.dirname, '../..');
for (const [slug, commune, sectors] of [
  ['serris', SERRIS, SERRIS_SECTORS],
  ['magny-le-hongre', MAGNY, MAGNY_SECTORS],
] as const) {
  const dir = path.join(root, 'tenants', slug);
  writeFileSync(path.join(dir, 'addresses.csv'), banCsv(commune));
  // One position per line keeps the file readable and its diffs small.
  const geojson = JSON.stringify(sectorGrid(sectors), null, 2).replace(
    /\[\s+(-?[\d.]+),\s+(-?[\d.]+)\s+\]/g,
    '[$1, $2]',
  );
  writeFileSync(path.join(dir, 'sectors.geojson'), `${geojson}\n`);
  process.stdout.write(
    `${slug}: ${commune.addresses} addresses, ${sectors.columns * sectors.rows} sectors\n`,
  );
}
