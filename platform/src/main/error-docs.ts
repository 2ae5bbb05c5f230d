// The README's table of error codes is generated from the catalogue that the app
// assembles from the installed core modules and plugins, so that it cannot drift
// from what clients receive: `npm run docs:errors` rewrites it, and
// error-docs.test.ts fails while it is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildErrorCatalogue, type CatalogueEntry } from '../lib/errors.js';
import { coreModules } from './core-modules.js';
import { installedPlugins } from './installed-plugins.js';

export const ERRORS_BEGIN =
  '<!-- errors-table:begin — generated from the installed modules and plugins by `npm run docs:errors`; do not edit by hand -->';
export const ERRORS_END = '<!-- errors-table:end -->';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function installedErrors(): CatalogueEntry[] {
  return buildErrorCatalogue([...coreModules, ...installedPlugins]).entries();
}

/** One row per code, grouped by owner in installation order (core, modules, plugins). */
export function errorsTable(entries: CatalogueEntry[] = installedErrors()): string {
  const rows = entries.map(
    (e) => `| \`${e.code}\` | ${e.status} | ${e.owner} | ${cell(e.fr)} | ${cell(e.en)} |`,
  );
  return [
    '| Code | HTTP | Declared by | Message (fr) | Message (en) |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

export function withErrorsTable(readme: string, entries?: CatalogueEntry[]): string {
  const begin = readme.indexOf(ERRORS_BEGIN);
  const end = readme.indexOf(ERRORS_END);
  if (begin < 0 || end < begin)
    throw new Error(`README.md lacks the markers ${ERRORS_BEGIN} … ${ERRORS_END}`);
  return `${readme.slice(0, begin + ERRORS_BEGIN.length)}\n${errorsTable(entries)}\n${readme.slice(end)}`;
}

export const README = path.resolve(import.meta.dirname, '../../../README.md');

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const before = readFileSync(README, 'utf8');
  const after = withErrorsTable(before);
  if (after !== before) writeFileSync(README, after);
  process.stdout.write(
    after === before
      ? 'README.md: the error table is up to date.\n'
      : `README.md: error table rewritten (${installedErrors().length} codes).\n`,
  );
}
