// The official list of French communes (INSEE's Code officiel géographique, as
// packaged by Etalab in @etalab/decoupage-administratif). A commune is a tenant
// only if INSEE knows it: a typo in an INSEE or postal code would otherwise put a
// town's alerts under the wrong name, or send residents to the wrong police.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface OfficialCommune {
  code: string;
  nom: string;
  type: 'commune-actuelle' | 'commune-deleguee' | 'commune-associee' | 'arrondissement-municipal';
  codesPostaux?: string[];
  /** For a commune déléguée or associée: the INSEE code of the commune it belongs to. */
  chefLieu?: string;
  departement?: string;
  /** Municipal population (INSEE), for the commune actuelle. */
  population?: number;
  /** INSEE codes of former communes merged into this one. */
  anciensCodes?: string[];
}

export interface CommuneRegistry {
  /** The current commune with this INSEE code (type `commune-actuelle`). */
  current(code: string): OfficialCommune | undefined;
  /** Any entry with this code (a former commune, a commune déléguée, an arrondissement). */
  any(code: string): OfficialCommune | undefined;
  /** For a code retired by a merger (no entry of its own): the current commune that absorbed it. */
  mergedInto(code: string): OfficialCommune | undefined;
}

let loaded: CommuneRegistry | undefined;

/**
 * Loads the 37,000 entries once (8 MB of JSON, about 150 ms). The package's own
 * index.js reads `./data` relative to the process's working directory, so the
 * JSON file is resolved and read directly instead.
 */
export function communeRegistry(): CommuneRegistry {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const file = require.resolve('@etalab/decoupage-administratif/data/communes.json');
  const all = JSON.parse(readFileSync(file, 'utf8')) as OfficialCommune[];
  const current = new Map<string, OfficialCommune>();
  const others = new Map<string, OfficialCommune>();
  const merged = new Map<string, OfficialCommune>();
  for (const c of all) {
    if (c.type === 'commune-actuelle') current.set(c.code, c);
    else if (!others.has(c.code)) others.set(c.code, c);
    if (c.type === 'commune-actuelle') for (const old of c.anciensCodes ?? []) merged.set(old, c);
  }
  loaded = {
    current: (code) => current.get(code),
    any: (code) => current.get(code) ?? others.get(code),
    mergedInto: (code) => merged.get(code),
  };
  return loaded;
}

/**
 * Compares names the way a person would: "Magny le Hongre", "MAGNY-LE-HONGRE"
 * and "Magny-le-Hongre" are the same commune, "Magny-le-Hongr" is not.
 */
export function sameCommuneName(a: string, b: string): boolean {
  const norm = (s: string) =>
    s
      .normalize('NFD')
      .replace(/\p{Diacritic}/gu, '')
      .toLowerCase()
      .replace(/[\s\-'’]+/g, ' ')
      .replace(/\bst\b/g, 'saint')
      .replace(/\bste\b/g, 'sainte')
      .trim();
  return norm(a) === norm(b);
}
