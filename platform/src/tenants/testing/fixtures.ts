// Commune folders for tests: a valid Serris definition to start from, written
// to a temporary tenants/ directory, then bent by each test.
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';

export const REPO_TENANTS = path.resolve(import.meta.dirname, '../../../../tenants');

export function serrisSpec(): Record<string, unknown> {
  return {
    slug: 'serris',
    name: 'Serris',
    inseeCode: '77449',
    postalCodes: ['77700'],
    branding: {
      displayName: 'Ville de Serris',
      primaryColor: '#1d4f91',
      secondaryColor: '#4f762f',
      logo: 'logo.svg',
    },
    police: {
      phone: '01 60 43 27 15',
      email: 'police.municipale@serris.fr',
      address: { street: '12 rue Émile Cloud', postalCode: '77700', city: 'Serris' },
    },
    firstAdmin: { email: 'premier.admin@serris.example' },
    settings: { smsMonthlyBudget: 5000 },
  };
}

export function magnySpec(): Record<string, unknown> {
  return {
    ...serrisSpec(),
    slug: 'magny-le-hongre',
    name: 'Magny-le-Hongre',
    inseeCode: '77268',
    branding: {
      displayName: 'Magny-le-Hongre',
      primaryColor: '#0b6e4f',
      secondaryColor: '#a97600',
      logo: 'logo.svg',
    },
    firstAdmin: { email: 'premier.admin@magny-le-hongre.example' },
  };
}

/** A fresh tenants/ root in the temp dir. */
export function tempTenantsRoot(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'vigie-tenants-'));
}

/** Writes <root>/<folder>/tenant.yaml (and a logo) and returns the folder. */
export function writeTenantFolder(
  root: string,
  spec: Record<string, unknown>,
  folder = String(spec.slug),
): string {
  const dir = path.join(root, folder);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'tenant.yaml'), stringify(spec));
  copyFileSync(path.join(REPO_TENANTS, 'serris', 'logo.svg'), path.join(dir, 'logo.svg'));
  return dir;
}
