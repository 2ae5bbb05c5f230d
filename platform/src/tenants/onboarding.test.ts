// Onboarding a commune from its INSEE code through the operator API, against
// the real PostgreSQL of the test run: bad INSEE codes and bad BAN files are
// refused with stable codes and nothing stored; proposed sectors cover every
// address without overlapping; the saved commune exports as tenants/<slug>/,
// and applying that folder changes nothing (the round trip).
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../testing/index.js';
import { createOperator } from '../identity/operators.js';
import { totpAt } from '../identity/totp.js';
import { withTenant } from '../db/tenant.js';
import { REPO_TENANTS } from './testing/fixtures.js';
import { exportTenant, writeTenantExport } from './export.js';
import { loadTenantFolder } from './load.js';
import { applyTenant, isNoChange } from './apply.js';
import { installedGeoImports } from './geo-hook.js';
import { checkAddresses, lookupCommune, readAddresses } from './onboarding.js';
import { geoServices, locateInPart, partsOf, shapesOverlap, type ProposedSector } from '../geo/index.js';

let ctx: TestContext;
let headers: Record<string, string>;

beforeAll(async () => {
  ctx = await createTestContext();
  const op = await createOperator(ctx.operatorDb, ctx.config, {
    email: 'onboarding@vigie.test',
    password: 'operator password 1',
    displayName: 'Ops',
  });
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/operator/login',
    payload: {
      email: 'onboarding@vigie.test',
      password: 'operator password 1',
      totp: totpAt(op.totpSecret, Date.now()),
    },
  });
  const cookie = res.cookies.find((c) => c.name === 'vigie_operator')!;
  headers = { cookie: `vigie_operator=${cookie.value}`, 'x-csrf-token': res.json().csrfToken };
});
afterAll(async () => ctx?.close());

/** Magny-le-Hongre's BAN file, as the repository's data generator wrote it (500 addresses). */
const MAGNY_CSV = readFileSync(path.join(REPO_TENANTS, 'magny-le-hongre', 'addresses.csv'), 'utf8');
const lines = MAGNY_CSV.trimEnd().split('\n');

const upload = (csv: string | Buffer, inseeCode = '77268', sectors?: number) =>
  ctx.app.inject({
    method: 'POST',
    url: `/operator/onboarding/addresses?inseeCode=${inseeCode}${sectors ? `&sectors=${sectors}` : ''}`,
    headers: { ...headers, 'content-type': 'text/csv' },
    payload: csv,
  });

const police = { phone: '01 99 00 27 68', email: 'pm@magny.example', street: '1 place de la Mairie' };

async function tenantCount(): Promise<number> {
  const r = await ctx.operatorDb('tenants').count<Array<{ count: string }>>('* as count');
  return Number(r[0]!.count);
}

describe('the INSEE code', () => {
  it('gives the official name, postal codes and population', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/operator/onboarding/communes/77268', headers });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      inseeCode: '77268',
      name: 'Magny-le-Hongre',
      postalCodes: ['77700'],
      slug: 'magny-le-hongre',
    });
    expect(res.json().population).toBeGreaterThan(5000);
  });

  it('refuses an unknown code and a retired one with stable codes, the latter naming its successor', async () => {
    const unknown = await ctx.app.inject({
      method: 'GET',
      url: '/operator/onboarding/communes/77999',
      headers,
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('ONBOARDING_INSEE_UNKNOWN');
    // 01340 was merged into Arboys en Bugey (01015).
    const retired = await ctx.app.inject({
      method: 'GET',
      url: '/operator/onboarding/communes/01340',
      headers,
    });
    expect(retired.statusCode).toBe(422);
    expect(retired.json().code).toBe('ONBOARDING_INSEE_RETIRED');
    expect(retired.json().details.successor).toEqual({ inseeCode: '01015', name: 'Arboys en Bugey' });
    const malformed = await ctx.app.inject({
      method: 'GET',
      url: '/operator/onboarding/communes/7726',
      headers,
    });
    expect(malformed.json().code).toBe('VALIDATION_FAILED');
  });

  it('is closed without an operator session, before a file is even read', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/operator/onboarding/communes/77268' });
    expect(res.json().code).toBe('UNAUTHENTICATED');
    for (const url of ['/operator/onboarding/addresses?inseeCode=77268', '/operator/onboarding']) {
      const big = await ctx.app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': url.endsWith('onboarding') ? 'application/json' : 'text/csv' },
        payload: '{'.repeat(1_000_000),
      });
      expect(big.json().code).toBe('UNAUTHENTICATED');
    }
    const noCsrf = await ctx.app.inject({
      method: 'POST',
      url: '/operator/onboarding/addresses?inseeCode=77268',
      headers: { cookie: headers.cookie!, 'content-type': 'text/csv' },
      payload: MAGNY_CSV,
    });
    expect(noCsrf.json().code).toBe('CSRF_TOKEN_INVALID');
  });
});

describe('the BAN file', () => {
  it('is read with a BOM and CRLF line endings', async () => {
    const res = await upload(`\uFEFF${lines.join('\r\n')}\r\n`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ lines: 500, addresses: 500 });
    expect(res.json().points).toHaveLength(500);
  });

  it('refuses bad rows and empty coordinates with their line numbers, and stores nothing', async () => {
    const bad = [...lines];
    const cells = (n: number) => bad[n]!.split(';');
    const noLat = cells(3);
    noLat[13] = '';
    bad[3] = noLat.join(';');
    const noLon = cells(10);
    noLon[12] = '';
    bad[10] = noLon.join(';');
    bad[20] = 'not;a;ban;line';
    const res = await upload(bad.join('\n'));
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('ONBOARDING_ADDRESSES_REFUSED');
    expect(res.json().details.rejected).toEqual([
      expect.objectContaining({ line: 4, reason: 'bad_coordinates' }),
      expect.objectContaining({ line: 11, reason: 'bad_coordinates' }),
      expect.objectContaining({ line: 21, reason: 'column_count' }),
    ]);
    expect(res.json().message).toMatch(/lignes 4, 11, 21/);
    expect(await tenantCount()).toBe(0);
  });

  it("refuses another commune's file", async () => {
    const res = await upload(MAGNY_CSV, '77449');
    expect(res.json().code).toBe('ONBOARDING_OTHER_COMMUNE');
    expect(res.json().details).toEqual({ expected: '77449', found: { '77268': 500 } });
  });

  it('refuses an empty file, a file with only a header, a non-BAN header and Latin-1 bytes', async () => {
    expect((await upload('')).json().code).toBe('GEO_IMPORT_BAD_HEADER');
    expect((await upload(`${lines[0]}\n`)).json().code).toBe('ONBOARDING_NO_ADDRESSES');
    expect((await upload('a,b,c\n1,2,3\n')).json().code).toBe('GEO_IMPORT_BAD_HEADER');
    const latin1 = Buffer.from(`${lines[0]}\n${lines[1]!.replace('Montguillon', 'Montguillön')}\n`, 'latin1');
    expect((await upload(latin1)).json().code).toBe('GEO_IMPORT_BAD_ENCODING');
  });
});

/** Magny's addresses as the commune's own Base Adresse Locale (BAL 1.4 columns), CRLF as the BAL editors write it. */
function magnyBal(edit: (rows: string[][]) => void = () => {}): string {
  const header = lines[0]!.split(';');
  const col = (r: string[], name: string) => r[header.indexOf(name)]!;
  const rows = lines.slice(1).map((l) => {
    const r = l.split(';');
    return [
      '',
      col(r, 'id').toLowerCase(),
      col(r, 'code_insee'),
      col(r, 'nom_commune'),
      '',
      '',
      col(r, 'nom_voie'),
      '',
      col(r, 'numero'),
      col(r, 'rep'),
      'entrée',
      col(r, 'x'),
      col(r, 'y'),
      col(r, 'lon'),
      col(r, 'lat'),
      '',
      'Mairie de Magny-le-Hongre',
      '2026-11-02',
      '1',
    ];
  });
  edit(rows);
  const head =
    'uid_adresse;cle_interop;commune_insee;commune_nom;commune_deleguee_insee;commune_deleguee_nom;voie_nom;lieudit_complement_nom;numero;suffixe;position;x;y;long;lat;cad_parcelles;source;date_der_maj;certification_commune';
  return `${[head, ...rows.map((r) => r.join(';'))].join('\r\n')}\r\n`;
}

describe('the Base Adresse Locale (BAL 1.4)', () => {
  it('is checked by the BAN validator and gives the same addresses as the BAN file', async () => {
    const res = await upload(magnyBal());
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ format: 'bal', lines: 500, addresses: 500 });
    const ban = await upload(MAGNY_CSV);
    expect(res.json().streets).toBe(ban.json().streets);
    // What is saved and exported is the BAN format: the converted file passes the BAN checks line for line.
    const read = await readAddresses(Buffer.from(magnyBal()), lookupCommune('77268'));
    const again = checkAddresses(read.banCsv, '77268');
    expect(again.addresses.map((a) => [a.banId, a.lon, a.lat])).toEqual(
      read.addresses.map((a) => [a.banId, a.lon, a.lat]),
    );
    expect(again.addresses).toHaveLength(500);
  }, 30_000);

  it("reports the validator's errors line by line and stores nothing", async () => {
    const res = await upload(
      magnyBal((rows) => {
        rows[2]![13] = '';
        rows[2]![14] = '';
        rows[6]![8] = 'douze';
      }),
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('GEO_BAL_INVALID');
    const errors = (
      res.json().details.issues as Array<{ line: number; code: string; level: string; label: string }>
    ).filter((i) => i.level === 'E');
    expect(errors.map((e) => e.line)).toEqual(expect.arrayContaining([4, 8]));
    expect(errors.find((e) => e.line === 4)!.label).toMatch(/\S/);
    expect(await tenantCount()).toBe(0);
  }, 30_000);
});

describe('proposed sectors, then the commune saved and exported', () => {
  let proposal: { sectors: ProposedSector[]; points: Array<[number, number]> };

  it('proposes sectors of comparable household counts that cover every address and overlap nothing', async () => {
    const res = await upload(MAGNY_CSV, '77268', 3);
    expect(res.statusCode).toBe(200);
    proposal = res.json();
    expect(proposal.sectors).toHaveLength(3);
    const counts = proposal.sectors.map((s) => s.households);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(500);
    expect(Math.max(...counts) / Math.min(...counts)).toBeLessThan(1.6);
    const parts = proposal.sectors.map((s) => partsOf(s.geometry));
    for (let i = 0; i < parts.length; i++)
      for (let j = 0; j < i; j++) expect(shapesOverlap(parts[i]!, parts[j]!)).toBe(false);
    for (const [lon, lat] of proposal.points)
      expect(parts.some((ps) => ps.some((p) => locateInPart([lon, lat], p) !== 'outside'))).toBe(true);
    // A street stays in one sector.
    const streets = proposal.sectors.flatMap((s) => s.streets);
    expect(new Set(streets).size).toBe(streets.length);
  });

  it('refuses overlapping sectors and sectors that leave addresses out, and stores nothing', async () => {
    const save = (sectors: unknown) =>
      ctx.app.inject({
        method: 'POST',
        url: '/operator/onboarding',
        headers,
        payload: { inseeCode: '77268', police, addressesCsv: MAGNY_CSV, sectors },
      });
    const [a, b] = proposal.sectors;
    const overlap = await save([
      { key: 'a', name: 'A', geometry: a!.geometry },
      { key: 'b', name: 'B', geometry: a!.geometry },
    ]);
    expect(overlap.json().code).toBe('ONBOARDING_SECTORS_INVALID');
    expect(overlap.json().details.reason).toBe('overlap');
    const missing = await save([{ key: 'a', name: 'A', geometry: b!.geometry }]);
    expect(missing.json().code).toBe('ONBOARDING_SECTORS_INVALID');
    expect(missing.json().details.reason).toBe('uncovered');
    expect(await tenantCount()).toBe(0);
  });

  it('creates the commune with its addresses and sectors, every address in its sector', async () => {
    const t0 = Date.now();
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/operator/onboarding',
      headers,
      payload: {
        inseeCode: '77268',
        police,
        addressesCsv: MAGNY_CSV,
        sectors: proposal.sectors.map((s) => ({ key: s.key, name: s.name, geometry: s.geometry })),
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ slug: 'magny-le-hongre', addresses: 500, sectors: 3 });
    expect(Date.now() - t0).toBeLessThan(30_000);
    const tenant = await ctx.operatorDb('tenants').where({ slug: 'magny-le-hongre' }).first();
    expect(tenant).toMatchObject({ name: 'Magny-le-Hongre', insee_code: '77268', status: 'trial' });
    const counts = await withTenant(ctx.db, tenant.id, async (trx) => ({
      addresses: await trx('addresses').count<Array<{ count: string }>>('* as count'),
      unassigned: await trx('addresses').whereNull('sector_id').count<Array<{ count: string }>>('* as count'),
      sectors: await trx('sectors').select('name').orderBy('name'),
    }));
    expect(Number(counts.addresses[0]!.count)).toBe(500);
    expect(Number(counts.unassigned[0]!.count)).toBe(0);
    expect(counts.sectors.map((s) => s.name)).toEqual(proposal.sectors.map((s) => s.name).sort());
    // A second onboarding of the same code is refused: the commune exists.
    const again = await ctx.app.inject({
      method: 'GET',
      url: '/operator/onboarding/communes/77268',
      headers,
    });
    expect(again.json().code).toBe('TENANT_EXISTS');
  });

  it('invites the first mairie admin with the existing invitation API', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/operator/communes/magny-le-hongre/admin-invitations',
      headers,
      payload: { email: 'dgs@magny.example' },
    });
    expect(res.json()).toEqual({ outcome: 'invited' });
  });

  it('exports tenants/<slug>/ that `tenants apply` reads back as the same commune', async () => {
    const tar = await ctx.app.inject({
      method: 'GET',
      url: '/operator/communes/magny-le-hongre/export',
      headers,
    });
    expect(tar.statusCode).toBe(200);
    expect(tar.headers['content-type']).toBe('application/x-tar');
    expect(tar.rawPayload.subarray(257, 262).toString()).toBe('ustar');

    const exp = await exportTenant(ctx, 'magny-le-hongre');
    expect(exp.files.map((f) => f.name)).toEqual(['tenant.yaml', 'addresses.csv', 'sectors.geojson']);
    const dir = await writeTenantExport(mkdtempSync(path.join(os.tmpdir(), 'vigie-export-')), exp);
    const loaded = loadTenantFolder(dir, { plugins: ctx.plugins });
    expect(loaded.ok, JSON.stringify(loaded)).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.folder.definition.firstAdmin?.email).toBe('dgs@magny.example');
    const plan = await applyTenant(
      {
        operatorDb: ctx.operatorDb,
        db: ctx.db,
        config: ctx.config,
        plugins: ctx.plugins,
        geo: installedGeoImports(ctx.vigie.get(geoServices.hooks)),
      },
      {
        definition: loaded.folder.definition,
        addressesCsv: loaded.folder.addressesCsv,
        sectorsGeojson: loaded.folder.sectorsGeojson,
      },
      { actor: { type: 'system', source: 'test' } },
    );
    expect(plan.changes).toEqual([]);
    expect(plan.geo).toEqual([
      expect.objectContaining({ kind: 'addresses', outcome: 'unchanged', total: 500 }),
      expect.objectContaining({ kind: 'sectors', outcome: 'unchanged', total: 3 }),
    ]);
    expect(isNoChange(plan)).toBe(true);
  });

  it('exports a commune applied from the repository (logo, settings, plugins) back to a folder that applies unchanged', async () => {
    const deps = {
      operatorDb: ctx.operatorDb,
      db: ctx.db,
      config: ctx.config,
      plugins: ctx.plugins,
      geo: installedGeoImports(ctx.vigie.get(geoServices.hooks)),
    };
    const repo = loadTenantFolder(path.join(REPO_TENANTS, 'serris'), { plugins: ctx.plugins });
    if (!repo.ok) throw new Error(JSON.stringify(repo.issues));
    await applyTenant(deps, { ...repo.folder }, { actor: { type: 'system', source: 'test' } });
    const exp = await exportTenant(ctx, 'serris');
    expect(exp.files.map((f) => f.name)).toEqual([
      'tenant.yaml',
      'logo.svg',
      'addresses.csv',
      'sectors.geojson',
    ]);
    expect(exp.files[1]!.content).toEqual(readFileSync(path.join(REPO_TENANTS, 'serris', 'logo.svg')));
    const dir = await writeTenantExport(mkdtempSync(path.join(os.tmpdir(), 'vigie-export-')), exp);
    const loaded = loadTenantFolder(dir, { plugins: ctx.plugins });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    expect(loaded.folder.definition.branding).toEqual(repo.folder.definition.branding);
    expect(loaded.folder.definition.settings).toEqual(repo.folder.definition.settings);
    const plan = await applyTenant(deps, { ...loaded.folder }, { actor: { type: 'system', source: 'test' } });
    expect(plan.changes).toEqual([]);
    expect(isNoChange(plan)).toBe(true);
    await ctx.operatorDb('tenants').where({ slug: 'serris' }).delete();
  }, 60_000);

  it('lists the commune in the console with its figures, and its creation and suspension in the audit', async () => {
    const overview = await ctx.app.inject({ method: 'GET', url: '/operator/overview', headers });
    expect(overview.json()).toEqual([
      expect.objectContaining({
        slug: 'magny-le-hongre',
        status: 'trial',
        addresses: 500,
        sectors: 3,
        members: 1,
        smsThisMonth: 0,
        lastAlertAt: null,
        plan: { tier: null, state: 'none', graceUntil: null, deletion: null },
        health: expect.objectContaining({ failedDeliveries7d: 0, webhooksRefused7d: 0 }),
      }),
    ]);
    await ctx.app.inject({
      method: 'POST',
      url: '/operator/communes/magny-le-hongre/suspend',
      headers,
      payload: { reason: 'test' },
    });
    const audit = await ctx.app.inject({
      method: 'GET',
      url: '/operator/transitions?slug=magny-le-hongre',
      headers,
    });
    expect(audit.json().map((e: { action: string }) => e.action)).toEqual([
      'tenant.suspended',
      'tenant.created',
    ]);
    expect(audit.json()[0]).toMatchObject({
      slug: 'magny-le-hongre',
      source: 'operator',
      operatorEmail: 'onboarding@vigie.test',
    });
  });
});
