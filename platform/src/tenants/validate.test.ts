import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTenantFolder, tenantFolders } from './load.js';
import { contrastWithWhite, validateTenantSpec } from './validate.js';
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
      branding: { displayName: 'Serris', primaryColor: 'blue', secondaryColor: '#4f762f' },
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

  describe('branding contrast with white (WCAG 2.1)', () => {
    const withColors = (primaryColor: string, secondaryColor: string) =>
      issuesOf({
        ...serrisSpec(),
        branding: { displayName: 'Ville de Serris', primaryColor, secondaryColor },
      });

    it('measures the contrast ratio with the WCAG relative-luminance formula', () => {
      expect(contrastWithWhite('#000000')).toBeCloseTo(21, 5);
      expect(contrastWithWhite('#ffffff')).toBeCloseTo(1, 5);
      // Reference values of the WebAIM contrast checker.
      expect(contrastWithWhite('#767676')).toBeCloseTo(4.54, 2);
      expect(contrastWithWhite('#7ab648')).toBeCloseTo(2.44, 2);
      expect(contrastWithWhite('#F2A900')).toBeCloseTo(contrastWithWhite('#f2a900'), 10);
    });

    it('refuses a primary colour under 4.5:1 and a secondary under 3:1, saying the ratio and what to do', () => {
      expect(withColors('#7ab648', '#f2a900')).toEqual([
        {
          path: '/branding/primaryColor',
          message:
            'contraste 2.43:1 avec le blanc, 4.5:1 minimum (WCAG 2.1, critère 1.4.3 : fond du texte blanc et texte sur fond blanc) : choisissez une couleur plus foncée (ex. #578133)',
        },
        {
          path: '/branding/secondaryColor',
          message:
            'contraste 2:1 avec le blanc, 3:1 minimum (WCAG 2.1, critère 1.4.11 : bordures, icônes et anneau de focus) : choisissez une couleur plus foncée (ex. #c48900)',
        },
      ]);
    });

    it('the darker colour it suggests passes', () => {
      const [issue] = withColors('#1d4f91', '#ffff00');
      const suggested = /ex\. (#[0-9a-f]{6})\)$/.exec(issue!.message)![1]!;
      expect(contrastWithWhite(suggested)).toBeGreaterThanOrEqual(3);
      expect(withColors('#1d4f91', suggested)).toEqual([]);
    });

    it('accepts dark colours, and the shipped communes’ colours', () => {
      expect(withColors('#1d4f91', '#4f762f')).toEqual([]); // Serris
      expect(withColors('#0b6e4f', '#a97600')).toEqual([]); // Magny-le-Hongre
      expect(withColors('#000000', '#000000')).toEqual([]);
    });

    it('draws the line at 4.5:1 and 3:1, without rounding the ratio up', () => {
      // #767676 is 4.54:1, #777777 4.48:1; #949494 is 3.03:1, #959595 2.99:1.
      expect(withColors('#767676', '#949494')).toEqual([]);
      expect(withColors('#777777', '#959595')).toEqual([
        {
          path: '/branding/primaryColor',
          message: expect.stringMatching(/^contraste 4\.47:1 avec le blanc, 4\.5:1 minimum/),
        },
        {
          path: '/branding/secondaryColor',
          message: expect.stringMatching(/^contraste 2\.99:1 avec le blanc, 3:1 minimum/),
        },
      ]);
    });

    it('is checked alongside the other problems, not instead of them', () => {
      expect(
        issuesOf({
          ...serrisSpec(),
          name: 'Chessy',
          branding: { displayName: 'Serris', primaryColor: '#1d4f91', secondaryColor: '#7ab648' },
        }).map((i) => i.path),
      ).toEqual(['/name', '/branding/secondaryColor']);
    });
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
