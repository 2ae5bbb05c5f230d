// Writes synthetic BAN-format address files (no real BAN extract can be fetched
// on these machines). Deterministic: running it again rewrites identical files.
//
//   node --import tsx bench/data/generate-tenant-data.ts
//       the demo communes' geography under tenants/ (addresses.csv, sectors.geojson)
//   node --import tsx bench/data/generate-tenant-data.ts --insee 77022 [--addresses 600]
//        [--bbox minLon,minLat,maxLon,maxLat] [--out barbizon.csv]
//       a BAN CSV for any current commune, named and postcoded from INSEE's list
//       (@etalab/decoupage-administratif), for the operator console's onboarding
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { banCsv, prng, type CommuneSpec } from './ban-synthetic.js';
import { sectorGrid } from './sectors-synthetic.js';
import { MAGNY, MAGNY_SECTORS, SERRIS, SERRIS_SECTORS } from './communes.js';

const root = path.resolve(import.meta.dirname, '../..');

interface Official {
  code: string;
  nom: string;
  type: string;
  codesPostaux?: string[];
  population?: number;
}

/** A commune of INSEE's list as a generator spec: about one address per 2.2 inhabitants, in a box of its own. */
export function communeSpec(
  inseeCode: string,
  opts: { addresses?: number; bbox?: [number, number, number, number] } = {},
): CommuneSpec {
  const require = createRequire(import.meta.url);
  const all = JSON.parse(
    readFileSync(require.resolve('@etalab/decoupage-administratif/data/communes.json'), 'utf8'),
  ) as Official[];
  const c = all.find((x) => x.code === inseeCode && x.type === 'commune-actuelle');
  if (!c) throw new Error(`${inseeCode} is not a current commune in INSEE's list`);
  const addresses = opts.addresses ?? Math.max(50, Math.round((c.population ?? 1000) / 2.2));
  const seed = Number.parseInt(inseeCode.replace(/\D/g, '0'), 10);
  // No coordinates offline: a box in metropolitan France picked from the code, sized by the address count.
  const rand = prng(seed);
  const side = 0.006 * Math.sqrt(addresses / 100);
  const lon = 0 + rand() * 5;
  const lat = 46 + rand() * 3;
  return {
    inseeCode,
    name: c.nom,
    postcode: c.codesPostaux?.[0] ?? '00000',
    bbox: opts.bbox ?? [lon, lat, lon + side * 1.4, lat + side],
    streets: [],
    addresses,
    seed,
  };
}

function demoCommunes(): void {
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
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const { values } = parseArgs({
    options: {
      insee: { type: 'string' },
      addresses: { type: 'string' },
      bbox: { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (!values.insee) demoCommunes();
  else {
    const bbox = values.bbox?.split(',').map(Number) as [number, number, number, number] | undefined;
    const spec = communeSpec(values.insee, {
      ...(values.addresses ? { addresses: Number(values.addresses) } : {}),
      ...(bbox && bbox.length === 4 ? { bbox } : {}),
    });
    const out = path.resolve(values.out ?? `${values.insee}-adresses.csv`);
    writeFileSync(out, banCsv(spec));
    process.stdout.write(`${spec.name} (${spec.inseeCode}): ${spec.addresses} addresses → ${out}\n`);
  }
}
