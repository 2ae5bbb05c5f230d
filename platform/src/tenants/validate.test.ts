import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTenantFolder, tenantFolders } from './load.js';
import { validateTenantSpec } from './validate.js';
import { testBasePlugin, testDependentPlugin } from './testing/plugins.js';
import { REPO_TENANTS, serrisSpec, tempTenantsRoot, writeTenantFolder } from './testing/fixtures.js';
import type { VigiePlugin } from '../plugins/contract.js';
import { installedPlugins } from '../main/installed-plugins.js';

const plugins = [testBasePlugin, testDependentPlugin] as unknown as VigiePlugin[];
const issuesOf = (spec: unknown) => {
  const r = validateTenantSpec(spec, { plugins });
  return r.ok ? [] : r.issues;
};

describe('tenant.yaml validation', () => {
  it('accepts the shipped communes and turns the logo file into a data URL', () => {
    const dirs = tenantFolders(REPO_TENANTS);
    expect(dirs.map((d) => path.basename(d))).toEqual(['magny-le-hongre', 'serris']);
    for (const dir of dirs) {
      const r = loadTenantFolder(dir, { plugins: installedPlugins });
      expect(r.ok ? [] : r.issues).toEqual([]);
    }
    const serris = loadTenantFolder(path.join(REPO_TENANTS, 'serris'), { plugins: installedPlugins });
    if (!serris.ok) throw new Error('serris must load');
    expect(serris.folder.definition.settings.police).toEqual({
      phone: '01 60 43 27 15',
      email: 'police.municipale@serris.fr',
      address: { street: '12 rue Émile Cloud', postalCode: '77700', city: 'Serris' },
    });
    expect(serris.folder.definition.branding.logo).toMatch(/^data:image\/svg\+xml;base64,/);
    // The plugin's defaults are filled in: what is stored is what the plugin reads.
    expect(serris.folder.definition.plugins['voisins-vigilants']).toMatchObject({
      enabled: true,
      settings: { alertsPerHour: 3 },
    });
  });

  it('refuses an unknown INSEE code', () => {
    expect(
      issuesOf({
        ...serrisSpec(),
        inseeCode: '77999',
        branding: { ...(serrisSpec().branding as object), logo: undefined },
      }),
    ).toEqual([
      {
        path: '/inseeCode',
        message: expect.stringContaining("code INSEE inconnu : 77999 n'est pas une commune française"),
      },
    ]);
  });

  it('refuses a postal code that does not belong to the commune, naming the right ones', () => {
    const issues = issuesOf({
      ...serrisSpec(),
      postalCodes: ['77700', '75001'],
      branding: { ...(serrisSpec().branding as object), logo: undefined },
    });
    expect(issues).toEqual([
      {
        path: '/postalCodes/1',
        message: "le code postal 75001 n'appartient pas à Serris (codes postaux : 77700)",
      },
    ]);
  });

  it('refuses a name that is not the commune of the INSEE code, but not a difference of case or hyphens', () => {
    const base = { ...serrisSpec(), branding: { ...(serrisSpec().branding as object), logo: undefined } };
    expect(issuesOf({ ...base, name: 'Chessy' })).toEqual([
      { path: '/name', message: 'le code INSEE 77449 est celui de « Serris », pas de « Chessy »' },
    ]);
    expect(issuesOf({ ...base, inseeCode: '77268', name: 'MAGNY LE HONGRE' })).toEqual([]);
  });

  it('refuses a bad colour, a bad phone and a missing field, all in one report', () => {
    const spec = serrisSpec();
    const issues = issuesOf({
      ...spec,
      branding: { displayName: 'Serris', primaryColor: 'blue', secondaryColor: '#7ab648' },
      police: { ...(spec.police as object), phone: '12 34' },
      postalCodes: undefined,
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: '/branding/primaryColor', message: 'couleur attendue au format #rrggbb (ex. #1d4f91)' },
        { path: '/police/phone', message: 'numéro de téléphone français attendu (ex. 01 60 43 27 15)' },
        { path: '/postalCodes', message: 'champ obligatoire manquant' },
      ]),
    );
  });

  it('refuses an unknown plugin, naming the installed ones, and invalid plugin settings', () => {
    const base = { ...serrisSpec(), branding: { ...(serrisSpec().branding as object), logo: undefined } };
    expect(issuesOf({ ...base, plugins: { 'voisins-vigilants': { enabled: true } } })).toEqual([
      {
        path: '/plugins/voisins-vigilants',
        message: 'module inconnu « voisins-vigilants » (modules installés : test-base, test-dependent)',
      },
    ]);
    expect(issuesOf({ ...base, plugins: { 'test-base': { settings: { radiusMeters: 10 } } } })).toEqual([
      { path: '/plugins/test-base/settings/radiusMeters', message: expect.stringContaining('50') },
    ]);
    expect(issuesOf({ ...base, plugins: { 'test-base': { enabled: false }, 'test-dependent': {} } })).toEqual(
      [
        {
          path: '/plugins/test-dependent',
          message: 'dépend de « test-base », désactivé dans cette définition',
        },
      ],
    );
  });

  it('applies plugin settings defaults and keeps unknown commune settings', () => {
    const r = validateTenantSpec(
      {
        ...serrisSpec(),
        branding: { ...(serrisSpec().branding as object), logo: undefined },
        plugins: { 'test-base': {} },
        settings: { futureKnob: 3 },
      },
      { plugins },
    );
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.definition.plugins).toEqual({ 'test-base': { enabled: true, settings: { radiusMeters: 500 } } });
    expect(r.definition.settings.futureKnob).toBe(3);
  });

  it('refuses known settings out of range and the reserved police key', () => {
    const base = { ...serrisSpec(), branding: { ...(serrisSpec().branding as object), logo: undefined } };
    expect(
      issuesOf({ ...base, settings: { retention: { alertsDays: 2 }, police: {} } }).map((i) => i.path),
    ).toEqual(['/settings/retention/alertsDays', '/settings/police']);
  });

  it('checks the folder: slug equals folder name, logo exists and carries no script', () => {
    const root = tempTenantsRoot();
    const wrongFolder = writeTenantFolder(root, serrisSpec(), 'not-serris');
    const r1 = loadTenantFolder(wrongFolder, { plugins });
    expect(r1.ok ? [] : r1.issues).toEqual([
      { path: '/slug', message: 'le slug « serris » doit être le nom du dossier (« not-serris »)' },
    ]);

    const dir = writeTenantFolder(root, serrisSpec());
    writeFileSync(
      path.join(dir, 'logo.svg'),
      '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
    );
    const r2 = loadTenantFolder(dir, { plugins });
    expect(r2.ok ? [] : r2.issues).toEqual([
      { path: '/branding/logo', message: expect.stringContaining('script') },
    ]);

    const escape = writeTenantFolder(root, {
      ...serrisSpec(),
      branding: { ...(serrisSpec().branding as object), logo: '../../etc/passwd.svg' },
    });
    const r3 = loadTenantFolder(escape, { plugins });
    expect(r3.ok ? [] : r3.issues).toEqual([
      { path: '/branding/logo', message: 'le logo doit être un fichier du dossier de la commune' },
    ]);
  });

  it('reports YAML syntax errors instead of throwing', () => {
    const root = tempTenantsRoot();
    const dir = writeTenantFolder(root, serrisSpec());
    writeFileSync(path.join(dir, 'tenant.yaml'), 'slug: serris\nname: [unclosed\n');
    const r = loadTenantFolder(dir, { plugins });
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.issues[0]!.message).toMatch(/^YAML invalide/);
  });
});
