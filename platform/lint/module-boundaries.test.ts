// The layers of platform/src hold, and the lint rules that keep them would
// catch a regression: a probe file reaching into another module, and one
// closing a cycle, are both reported.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import boundaries, { folderGraph, pathBetween, runtimeImports } from './module-boundaries.js';

const SRC = path.resolve(import.meta.dirname, '../src');

function lint(file: string, code: string) {
  const linter = new Linter({ configType: 'flat' });
  return linter.verify(
    code,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser as Linter.Parser },
        plugins: { vigie: boundaries as never },
        rules: { 'vigie/module-boundaries': 'error', 'vigie/no-import-cycle': 'error' },
      },
    ],
    path.join(SRC, file),
  );
}

describe('the folders of platform/src', () => {
  it('form no import cycle (runtime imports)', () => {
    const graph = folderGraph();
    expect(graph.size).toBeGreaterThan(10);
    const cycles: string[] = [];
    for (const [from, tos] of graph)
      for (const to of tos.keys()) {
        const back = pathBetween(graph, to, from);
        if (back) cycles.push([from, ...back].join(' → '));
      }
    expect(cycles).toEqual([]);
  });

  it('keep the plugin API types-only: the contract and the services it describes import no runtime code', () => {
    for (const file of ['plugins/api.ts', 'plugins/contract.ts', 'core/lifecycle.ts'])
      expect([file, runtimeImports(readFileSync(path.join(SRC, file), 'utf8'))]).toEqual([file, []]);
  });
});

describe('the lint rules', () => {
  it('refuse an import of another module’s internal file, and accept its index', () => {
    const internal = lint(
      'alerts/probe.ts',
      "import { audit } from '../identity/accounts.js';\nexport { audit };\n",
    );
    expect(internal.map((m) => m.ruleId)).toContain('vigie/module-boundaries');
    const viaIndex = lint(
      'alerts/probe.ts',
      "import { grantRole } from '../identity/index.js';\nexport { grantRole };\n",
    );
    expect(viaIndex.filter((m) => m.ruleId === 'vigie/module-boundaries')).toEqual([]);
    const library = lint('alerts/probe.ts', "import { seal } from '../lib/crypto.js';\nexport { seal };\n");
    expect(library).toEqual([]);
  });

  it('refuse a runtime import that closes a cycle, not a type-only one', () => {
    // identity is below residents (residents imports identity): identity importing residents closes a cycle.
    const cycle = lint(
      'identity/probe.ts',
      "import { residentsModule } from '../residents/index.js';\nexport { residentsModule };\n",
    );
    expect(cycle.find((m) => m.ruleId === 'vigie/no-import-cycle')?.message).toMatch(
      /identity → residents → .*identity/,
    );
    const typeOnly = lint(
      'identity/probe.ts',
      "import type { ResidentsHooks } from '../residents/index.js';\nexport type { ResidentsHooks };\n",
    );
    expect(typeOnly).toEqual([]);
  });
});
