// BAN import, address search and the local geocoder, on a real PostgreSQL as
// the application role (row-level security on).
import path from 'node:path';
import { Readable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { withTenant } from '../db/tenant.js';
import { isVigieError } from '../lib/errors.js';
import { createTestContext, type TestContext } from '../testing/index.js';
import { BAN_HEADER, importAddresses, importAddressFile, type ImportReport } from './ban-import.js';
import { explainAddressSearch, searchAddresses } from './search.js';
import { geocoderFor, localGeocoder, type FetchFn } from './geocoder.js';
import { geoServices } from './hooks.js';
import { cliContext } from '../main/cli-instance.js';
import { addressesCommand, slugFromPath } from './cli.js';

let ctx: TestContext;
/** The context's instance's listeners, as a request's import would have. */
const hooks = () => ctx.vigie.get(geoServices.hooks);
let serris: string;
const SERRIS_CSV = () => path.join(ctx.env.repoRoot, 'tenants/serris/addresses.csv');

async function commune(slug: string, inseeCode: string, name: string): Promise<string> {
  const [row] = await ctx
    .operatorDb('tenants')
    .insert({ slug, name, insee_code: inseeCode, postal_codes: ['77700'], status: 'active' })
    .returning('id');
  return row.id as string;
}

beforeAll(async () => {
  ctx = await createTestContext();
  serris = await commune('serris', '77449', 'Serris');
});
afterAll(async () => ctx?.close());

type Fields = Partial<Record<(typeof BAN_HEADER)[number], string>>;

/** One BAN line; fields not given take the values of 12 Rue Émile Cloud, Serris. */
function line(f: Fields = {}): string {
  const d: Fields = {
    id: '77449_0500_00012',
    id_fantoir: '77449_0500',
    numero: '12',
    rep: '',
    nom_voie: 'Rue de Test',
    code_postal: '77700',
    code_insee: '77449',
    nom_commune: 'Serris',
    x: '684700.00',
    y: '6861800.00',
    lon: '2.7914',
    lat: '48.8563',
    type_position: 'entrée',
    libelle_acheminement: 'SERRIS',
    source_position: 'commune',
    source_nom_voie: 'commune',
    certification_commune: '1',
  };
  return BAN_HEADER.map((c) => f[c] ?? d[c] ?? '').join(';');
}

function csv(lines: string[], header = BAN_HEADER.join(';')): Readable {
  return Readable.from([Buffer.from(`${header}\n${lines.join('\n')}\n`)]);
}

async function count(tenantId: string, table = 'addresses'): Promise<number> {
  return withTenant(
    ctx.db,
    tenantId,
    async (trx) => (await trx.raw(`select count(*)::int as n from ${table}`)).rows[0].n as number,
  );
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    if (isVigieError(err)) return err.code;
    throw err;
  }
}

describe('BAN import', () => {
  it('imports the Serris extract, then finds every line unchanged on a second run', async () => {
    const first = await importAddressFile(ctx.db, serris, SERRIS_CSV(), { hooks: hooks() });
    expect(first).toMatchObject({ lines: 3000, added: 3000, updated: 0, unchanged: 0, rejectedCount: 0 });
    expect(first.streets).toBeGreaterThan(50);
    const second = await importAddressFile(ctx.db, serris, SERRIS_CSV(), { hooks: hooks() });
    expect(second).toMatchObject({
      lines: 3000,
      added: 0,
      updated: 0,
      unchanged: 3000,
      rejectedCount: 0,
      reassigned: 0,
    });
    expect(await count(serris)).toBe(3000);
  });

  it('updates only the line that changed', async () => {
    const t = await commune('update-case', '77450', 'Update');
    const a = line({ id: '77450_0001_00001', code_insee: '77450', numero: '1' });
    const b = line({ id: '77450_0001_00002', code_insee: '77450', numero: '2' });
    await importAddresses(ctx.db, t, csv([a, b]), { inseeCode: '77450', hooks: hooks() });
    const moved = line({ id: '77450_0001_00002', code_insee: '77450', numero: '2', lon: '2.7920' });
    const r = await importAddresses(ctx.db, t, csv([a, moved]), { inseeCode: '77450', hooks: hooks() });
    expect(r).toMatchObject({ added: 0, updated: 1, unchanged: 1 });
    const lon = await withTenant(ctx.db, t, (trx) =>
      trx('addresses').where({ ban_id: '77450_0001_00002' }).first('lon'),
    );
    expect(lon.lon).toBe(2.792);
  });

  it('refuses a file with a wrong header as a whole and stores nothing', async () => {
    const t = await commune('bad-header', '77451', 'Header');
    const header = BAN_HEADER.join(';').replace('nom_voie', 'voie');
    const err = await importAddresses(ctx.db, t, csv([line({ code_insee: '77451' })], header), {
      inseeCode: '77451',
      hooks: hooks(),
    }).catch((e: unknown) => e);
    expect(isVigieError(err) && err.code).toBe('GEO_IMPORT_BAD_HEADER');
    expect(isVigieError(err) && err.details).toMatchObject({ missing: ['nom_voie'] });
    // A comma-separated export gets a hint about the separator.
    const commas = await importAddresses(ctx.db, t, csv([], BAN_HEADER.join(',')), {
      inseeCode: '77451',
      hooks: hooks(),
    }).catch((e: unknown) => e);
    expect(isVigieError(commas) && commas.message).toContain('« ; »');
    expect(
      await codeOf(
        importAddresses(ctx.db, t, Readable.from([Buffer.alloc(0)]), { inseeCode: '77451', hooks: hooks() }),
      ),
    ).toBe('GEO_IMPORT_BAD_HEADER');
    expect(await count(t)).toBe(0);
  });

  it('rolls back lines already written when the file turns out to be broken further down', async () => {
    const t = await commune('broken-tail', '77452', 'Broken');
    const good = Array.from({ length: 2500 }, (_, i) =>
      line({
        id: `77452_0001_${String(i + 1).padStart(5, '0')}`,
        code_insee: '77452',
        numero: String(i + 1),
      }),
    );
    // An opening quote never closed: the CSV itself is broken, not just one address.
    const broken = line({ id: '77452_0001_99999', code_insee: '77452', nom_voie: '"Rue sans fin' });
    const err = await importAddresses(ctx.db, t, csv([...good, broken]), {
      inseeCode: '77452',
      hooks: hooks(),
      batchSize: 1000,
    }).catch((e: unknown) => e);
    expect(isVigieError(err) && err.code).toBe('GEO_IMPORT_MALFORMED_CSV');
    expect(await count(t)).toBe(0);
    expect(await count(t, 'address_streets')).toBe(0);
  });

  it('refuses a file that is not UTF-8 and stores nothing', async () => {
    const t = await commune('latin1', '77453', 'Latin');
    const body = `${BAN_HEADER.join(';')}\n${line({ code_insee: '77453', nom_voie: 'Rue Émile Cloud' })}\n`;
    expect(
      await codeOf(
        importAddresses(ctx.db, t, Readable.from([Buffer.from(body, 'latin1')]), {
          inseeCode: '77453',
          hooks: hooks(),
        }),
      ),
    ).toBe('GEO_IMPORT_BAD_ENCODING');
    expect(await count(t)).toBe(0);
  });

  it('rejects lines for another commune, with their line number and reason, and imports the others', async () => {
    const t = await commune('other-commune', '77454', 'Other');
    const r = await importAddresses(
      ctx.db,
      t,
      csv([
        line({ id: '77454_0001_00001', code_insee: '77454' }),
        line({ id: '77268_0001_00002', code_insee: '77268', nom_commune: 'Magny-le-Hongre' }),
        line({ id: '77454_0001_00003', code_insee: '77454', numero: '3' }),
      ]),
      { inseeCode: '77454', hooks: hooks() },
    );
    expect(r).toMatchObject({ added: 2, rejectedCount: 1 });
    expect(r.rejected).toEqual([
      { line: 3, reason: 'other_commune', detail: 'Adresse de la commune 77268, pas de 77454.' },
    ]);
  });

  it('rejects each kind of malformed line with its reason', async () => {
    const t = await commune('malformed', '77455', 'Malformed');
    const ok = (n: number, f: Fields = {}) =>
      line({ id: `77455_0001_${String(n).padStart(5, '0')}`, code_insee: '77455', numero: String(n), ...f });
    const r: ImportReport = await importAddresses(
      ctx.db,
      t,
      csv([
        ok(1),
        ok(2, { lon: 'abc' }),
        ok(3, { lat: '95.2' }),
        ok(4, { lon: '' }),
        ok(5, { id: '' }),
        ok(6, { numero: 'douze' }),
        ok(7, { nom_voie: '' }),
        ok(8, { code_postal: '7770' }),
        ok(1),
        `${ok(9)};extra`,
        ok(10),
      ]),
      { inseeCode: '77455', hooks: hooks() },
    );
    expect(r.rejected.map((x) => [x.line, x.reason])).toEqual([
      [3, 'bad_coordinates'],
      [4, 'bad_coordinates'],
      [5, 'bad_coordinates'],
      [6, 'missing_id'],
      [7, 'bad_number'],
      [8, 'missing_street'],
      [9, 'bad_postcode'],
      [10, 'duplicate_id'],
      [11, 'column_count'],
    ]);
    expect(r).toMatchObject({ lines: 11, added: 2, rejectedCount: 9 });
    expect(await count(t)).toBe(2);
  });

  it('in strict mode, aborts on the first rejected line and stores nothing', async () => {
    const t = await commune('strict', '77456', 'Strict');
    const lines = [
      line({ id: '77456_0001_00001', code_insee: '77456' }),
      line({ id: '77456_0001_00002', code_insee: '77456', lat: 'x' }),
    ];
    expect(
      await codeOf(
        importAddresses(ctx.db, t, csv(lines), { inseeCode: '77456', strict: true, hooks: hooks() }),
      ),
    ).toBe('GEO_IMPORT_LINES_REJECTED');
    expect(await count(t)).toBe(0);
  });

  it('runs as `vigie addresses import tenants/<slug>/addresses.csv`, the commune read from the path', async () => {
    expect(slugFromPath('tenants/magny-le-hongre/addresses.csv')).toBe('magny-le-hongre');
    const magny = await commune('magny-le-hongre', '77268', 'Magny-le-Hongre');
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const saved = { ...process.env };
    let printed = '';
    Object.assign(process.env, {
      DATABASE_URL: ctx.database.ownerUrl,
      VIGIE_DB_APP_PASSWORD: ctx.env.appPassword,
      VIGIE_DB_OPERATOR_PASSWORD: ctx.env.operatorPassword,
    });
    try {
      const code = await addressesCommand.run(
        ['import', path.join(ctx.env.repoRoot, 'tenants/magny-le-hongre/addresses.csv')],
        cliContext,
      );
      expect(code).toBe(0);
      printed = out.mock.calls.map((c) => String(c[0])).join('');
    } finally {
      process.env = saved;
      out.mockRestore();
    }
    expect(printed).toContain('500 lines read: 500 added');
    expect(await count(magny)).toBe(500);
  });
});

describe('address search', () => {
  const search = (q: string, limit = 5, tenant = serris) =>
    withTenant(ctx.db, tenant, (trx) => searchAddresses(trx, q, limit));

  it('finds "12 rue emile cl" as 12 Rue Émile Cloud, whatever the case and accents', async () => {
    for (const q of [
      '12 rue emile cl',
      '12 RUE ÉMILE CLOUD',
      '12 r. Emile Cloud',
      'rue émile cloud 12',
      '12 rue emile cloud 77700 serris',
    ]) {
      const [first] = await search(q);
      expect(first?.label, q).toBe('12 Rue Émile Cloud 77700 Serris');
    }
  });

  it('understands abbreviations', async () => {
    expect((await search('3 crs du danube'))[0]?.label).toBe('3 Cours du Danube 77700 Serris');
    expect((await search('5 bd robert thib'))[0]?.label).toBe('5 Boulevard Robert Thiboust 77700 Serris');
    expect((await search('2 pl d ariane'))[0]?.label).toBe("2 Place d'Ariane 77700 Serris");
    const doppler = await search('av christian doppler', 10);
    expect(doppler).toHaveLength(10);
    expect(new Set(doppler.map((h) => h.street))).toEqual(new Set(['Avenue Christian Doppler']));
  });

  it('prefers the exact repetition index, and falls back to the nearest numbers', async () => {
    expect((await search('1 bis rue emile cloud'))[0]?.label).toBe('1 bis Rue Émile Cloud 77700 Serris');
    expect((await search('1 rue emile cloud'))[0]?.label).toBe('1 Rue Émile Cloud 77700 Serris');
    const far = await search('9999 rue emile cloud', 3);
    expect(far).toHaveLength(3);
    expect(far.every((h) => h.street === 'Rue Émile Cloud')).toBe(true);
    expect(far[0]!.numero).toBeGreaterThanOrEqual(far[1]!.numero);
  });

  it('tolerates a typo when no street matches the words exactly', async () => {
    expect((await search('12 rue emille cloud'))[0]?.label).toBe('12 Rue Émile Cloud 77700 Serris');
  });

  it('answers nothing to a number alone, to nonsense, and across communes', async () => {
    expect(await search('12')).toEqual([]);
    expect(await search('zzqx wvut')).toEqual([]);
    const magny = (await ctx.operatorDb('tenants').where({ slug: 'magny-le-hongre' }).first('id'))
      .id as string;
    expect((await search('rue emile cloud', 5, magny)).some((h) => h.street === 'Rue Émile Cloud')).toBe(
      false,
    );
  });

  it('uses indexes under row-level security (no sequential scan of the addresses)', async () => {
    const plan = await withTenant(ctx.db, serris, (trx) => explainAddressSearch(trx, '12 rue emile cl'));
    expect(plan).toContain('addresses_street_numero');
    expect(plan).not.toMatch(/Seq Scan on addresses/);
  });
});

describe('local geocoder', () => {
  it('geocodes from the imported addresses and reverse-geocodes a point to the nearest address', async () => {
    const geocoder = localGeocoder(ctx.db, serris);
    const [hit] = await geocoder.geocode('12 rue emile cloud');
    expect(hit).toMatchObject({
      label: '12 Rue Émile Cloud 77700 Serris',
      source: 'local',
      postcode: '77700',
    });
    const back = await geocoder.reverse!(hit!.lon + 0.00001, hit!.lat);
    expect(back?.addressId).toBe(hit!.addressId);
    // Far from any address of the commune (Paris): no answer.
    expect(await geocoder.reverse!(2.35, 48.85)).toBeNull();
  });

  it("with VIGIE_GEOCODER=ign, asks the IGN service only for what the commune's extract does not know", async () => {
    const asked: string[] = [];
    const ign: FetchFn = async (url) => {
      asked.push(new URL(url).searchParams.get('q') ?? '');
      const body = {
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            geometry: { type: 'Point', coordinates: [2.7975, 48.8498] },
            properties: {
              label: 'Gare de Val d’Europe 77700 Serris',
              score: 0.8,
              type: 'locality',
              citycode: '77449',
            },
          },
        ],
      };
      return { ok: true, status: 200, json: async () => body };
    };
    const geocoder = geocoderFor(
      { geocoder: 'ign', ignGeocoderUrl: 'http://ign.invalid/geocodage' },
      { db: ctx.db, tenant: { id: serris, inseeCode: '77449' }, fetch: ign },
    );
    expect((await geocoder.geocode('12 rue emile cloud'))[0]).toMatchObject({ source: 'local' });
    expect(asked).toEqual([]);
    expect((await geocoder.geocode('gare de val d europe'))[0]).toMatchObject({
      source: 'ign',
      label: 'Gare de Val d’Europe 77700 Serris',
    });
    expect(asked).toEqual(['gare de val d europe']);
  });

  it('writes the BAN columns exactly as the generator of the demo files does', () => {
    const header = readFileSync(path.join(ctx.env.repoRoot, 'tenants/serris/addresses.csv'), 'utf8').split(
      '\n',
      1,
    )[0];
    expect(header).toBe(BAN_HEADER.join(';'));
  });
});
