// Runs every benchmark under bench/ (files named *.bench.ts), or the ones named
// on the command line: `npm run bench -- address-search`. Each benchmark prints
// its figures and a ratio against a bare baseline measured in the same run,
// because these machines are noisy.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = import.meta.dirname;
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();
if (files.length === 0) {
  process.stdout.write('No benchmark matched.\n');
} else {
  for (const f of files) {
    process.stdout.write(`\n=== ${f} ===\n`);
    const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as { default?: () => Promise<void> };
    if (typeof mod.default === 'function') await mod.default();
  }
}
