// The README's configuration table is generated from ENV_VARS, the list the
// code reads, so that the README cannot drift from it: `npm run docs:config`
// rewrites it, and config.test.ts fails while it is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ENV_VARS, type EnvVarDoc } from './config.js';

export const TABLE_BEGIN =
  '<!-- config-table:begin — generated from ENV_VARS in platform/src/config/config.ts by `npm run docs:config`; do not edit by hand -->';
export const TABLE_END = '<!-- config-table:end -->';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Literal defaults read as code; explanations in parentheses read as prose. */
function defaultCell(value: string): string {
  if (value.startsWith('(') || /\s/.test(value)) return cell(value);
  return `\`${value.replace(/\|/g, '\\|')}\``;
}

export function configTable(vars: EnvVarDoc[] = ENV_VARS): string {
  const rows = vars.map((v) => `| \`${v.name}\` | ${defaultCell(v.default)} | ${cell(v.description)} |`);
  return ['| Variable | Default | What it does |', '|---|---|---|', ...rows].join('\n');
}

/** The README with its table replaced; the markers must already be there. */
export function withConfigTable(readme: string, vars: EnvVarDoc[] = ENV_VARS): string {
  const begin = readme.indexOf(TABLE_BEGIN);
  const end = readme.indexOf(TABLE_END);
  if (begin < 0 || end < begin) throw new Error(`README.md lacks the markers ${TABLE_BEGIN} … ${TABLE_END}`);
  return `${readme.slice(0, begin + TABLE_BEGIN.length)}\n${configTable(vars)}\n${readme.slice(end)}`;
}

export const README = path.resolve(import.meta.dirname, '../../../README.md');

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const before = readFileSync(README, 'utf8');
  const after = withConfigTable(before);
  if (after !== before) writeFileSync(README, after);
  process.stdout.write(
    after === before
      ? 'README.md: the configuration table is up to date.\n'
      : `README.md: configuration table rewritten (${ENV_VARS.length} variables).\n`,
  );
}
