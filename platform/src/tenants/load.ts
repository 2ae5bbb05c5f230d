// Reads a commune folder: tenants/<slug>/tenant.yaml, the logo next to it, and
// the optional geography files (addresses.csv in the BAN format, sectors.geojson).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Yaml from 'yaml';
import type { VigiePlugin } from '../plugins/index.js';
import type { CommuneRegistry } from './communes.js';
import { checkLogoBytes, validateTenantSpec, type SpecIssue, type TenantDefinition } from './validate.js';

export const TENANT_FILE = 'tenant.yaml';

// The YAML parser loads with the first commune folder read (`vigie start`, `vigie
// tenants`), not in `vigie api`, which never reads one: about 6 MB resident.
const requireCjs = createRequire(import.meta.url);
const yaml = (): typeof Yaml => requireCjs('yaml') as typeof Yaml;

export interface TenantFolder {
  dir: string;
  definition: TenantDefinition;
  /** Geography to import after the commune exists, when the files are present. */
  addressesCsv: string | undefined;
  sectorsGeojson: string | undefined;
}

export type LoadResult = { ok: true; folder: TenantFolder } | { ok: false; dir: string; issues: SpecIssue[] };

export interface LoadOptions {
  plugins: readonly VigiePlugin[];
  communes?: CommuneRegistry;
}

export function loadTenantFolder(dir: string, opts: LoadOptions): LoadResult {
  const abs = path.resolve(dir);
  const file = path.join(abs, TENANT_FILE);
  if (!existsSync(file))
    return { ok: false, dir: abs, issues: [{ path: '', message: `${TENANT_FILE} introuvable dans ${abs}` }] };
  const doc = yaml().parseDocument(readFileSync(file, 'utf8'), { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    return {
      ok: false,
      dir: abs,
      issues: doc.errors.map((e) => ({ path: '', message: `YAML invalide : ${e.message.split('\n')[0]}` })),
    };
  }
  const raw: unknown = doc.toJS();
  const result = validateTenantSpec(raw, { ...opts, resolveLogo: (logo) => readLogo(abs, logo) });
  const folderSlug = path.basename(abs);
  const issues = result.ok ? [] : [...result.issues];
  const declared = (raw as { slug?: unknown } | null)?.slug;
  if (typeof declared === 'string' && declared !== folderSlug) {
    issues.push({
      path: '/slug',
      message: `le slug « ${declared} » doit être le nom du dossier (« ${folderSlug} »)`,
    });
  }
  if (!result.ok || issues.length) return { ok: false, dir: abs, issues };
  const optionalFile = (name: string) =>
    existsSync(path.join(abs, name)) ? path.join(abs, name) : undefined;
  return {
    ok: true,
    folder: {
      dir: abs,
      definition: result.definition,
      addressesCsv: optionalFile('addresses.csv'),
      sectorsGeojson: optionalFile('sectors.geojson'),
    },
  };
}

/** Every folder under `root` that holds a tenant.yaml, sorted by name. */
export function tenantFolders(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(root, d.name, TENANT_FILE)))
    .map((d) => path.join(root, d.name))
    .sort();
}

function readLogo(dir: string, logo: string): { dataUrl: string } | { problem: string } {
  if (logo.startsWith('data:'))
    return { problem: 'dans un dossier de commune, le logo est un fichier (ex. logo.svg)' };
  const file = path.resolve(dir, logo);
  if (path.isAbsolute(logo) || path.relative(dir, file).startsWith('..'))
    return { problem: 'le logo doit être un fichier du dossier de la commune' };
  const ext = path.extname(file).toLowerCase();
  const type = ext === '.svg' ? 'image/svg+xml' : ext === '.png' ? 'image/png' : undefined;
  if (!type) return { problem: 'logo attendu au format .svg ou .png' };
  if (!existsSync(file) || !statSync(file).isFile()) return { problem: `fichier introuvable : ${logo}` };
  return checkLogoBytes(type, readFileSync(file));
}
