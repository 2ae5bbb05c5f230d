import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { README, errorsTable, installedErrors, withErrorsTable } from './error-docs.js';

describe('README error table', () => {
  it('lists every code of the installed modules and plugins (run `npm run docs:errors` when this fails)', () => {
    const readme = readFileSync(README, 'utf8');
    expect(withErrorsTable(readme), 'README.md is out of date: run npm run docs:errors').toBe(readme);
    const entries = installedErrors();
    // The plugin's codes are there too, declared through @vigie/platform/plugin.
    expect(entries.find((e) => e.code === 'NEIGHBOUR_ALERT_CLOSED')?.owner).toBe('voisins-vigilants');
    expect(entries.find((e) => e.code === 'SECTOR_NOT_FOUND')?.owner).toBe('geo');
    for (const e of entries) expect(readme).toContain(`| \`${e.code}\` | ${e.status} |`);
  });

  it('keeps markdown intact whatever the text', () => {
    const table = errorsTable([{ code: 'X', status: 400, owner: 'core', fr: 'a|b', en: '<c>' }]);
    expect(table.split('\n')[2]).toBe('| `X` | 400 | core | a\\|b | &lt;c&gt; |');
  });
});
