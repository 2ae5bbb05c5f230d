// The plugin sees the platform only through @vigie/platform/plugin. Lint says
// so too (eslint.config.js); this test holds even where lint is not run, and
// also catches relative paths that climb out of the package.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

const ALWAYS = [
  /^@vigie\/platform\/plugin$/,
  /^@vigie\/workflows\/contracts$/,
  /^@sinclair\/typebox(\/value)?$/,
  /^graphql$/,
  /^@temporalio\/[a-z-]+$/,
];
const TESTS_ONLY = [/^@vigie\/platform\/testing$/, /^vitest$/, /^node:[a-z/]+$/];

function isTestSupport(file: string): boolean {
  return file.endsWith('.test.ts') || file.startsWith(`src${path.sep}testing${path.sep}`);
}

/** Every module specifier of a source: static imports and re-exports, dynamic imports, require. */
export function specifiers(source: string): string[] {
  const out: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const p of patterns) for (const m of source.matchAll(p)) out.push(m[1]!);
  return out;
}

/** Why an import is not allowed in `file` (relative to the package root), or null. */
export function violation(file: string, spec: string): string | null {
  if (spec.startsWith('.')) {
    const target = path.resolve(ROOT, path.dirname(file), spec);
    const inside = ['src', 'migrations'].some((d) => target.startsWith(path.join(ROOT, d) + path.sep));
    if (!inside) return `${spec} leaves the plugin's sources`;
    if (!isTestSupport(file) && target.startsWith(path.join(ROOT, 'src', 'testing') + path.sep))
      return `${spec}: production code must not use test support`;
    return null;
  }
  if (ALWAYS.some((r) => r.test(spec))) return null;
  if (isTestSupport(file) && TESTS_ONLY.some((r) => r.test(spec))) return null;
  return `${spec} is not part of the plugin API (only @vigie/platform/plugin${isTestSupport(file) ? ', @vigie/platform/testing' : ''})`;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sourceFiles(rel);
    return e.name.endsWith('.ts') ? [rel] : [];
  });
}

describe('plugin boundaries', () => {
  it('imports nothing from the platform but @vigie/platform/plugin, and nothing from other plugins', () => {
    // This file is left out: its own examples of forbidden imports are strings.
    const files = [...sourceFiles('src'), ...sourceFiles('migrations')].filter(
      (f) => f !== path.join('src', 'boundaries.test.ts'),
    );
    expect(files.length).toBeGreaterThan(20);
    const problems = files.flatMap((f) =>
      specifiers(readFileSync(path.join(ROOT, f), 'utf8')).flatMap((s) => {
        const why = violation(f, s);
        return why ? [`${f}: ${why}`] : [];
      }),
    );
    expect(problems).toEqual([]);
  });

  it('would catch each kind of forbidden import', () => {
    const bad = `
      import { withTenant } from '@vigie/platform';
      import type { Knex } from 'knex';
      import { audit } from '../../platform/src/identity/audit.js';
      export { x } from '@vigie/plugin-mairie-vigilante';
      const m = await import('@vigie/platform/src/db/index.js');
      import '@vigie/platform/testing';
    `;
    const found = specifiers(bad);
    expect(found).toHaveLength(6);
    expect(found.filter((s) => violation('src/community/graphql.ts', s) === null)).toEqual([]);
    expect(violation('src/community/community.test.ts', '@vigie/platform/testing')).toBeNull();
    expect(violation('src/community/community.test.ts', '@vigie/platform')).not.toBeNull();
    expect(violation('src/index.ts', './testing/world.js')).not.toBeNull();
    expect(violation('src/index.ts', './community/index.js')).toBeNull();
  });
});
