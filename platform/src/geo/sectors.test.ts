// Sectors on a real PostgreSQL, as the application role: seeding, point in
// sector, every validation error, overlaps refused then confirmed, redraws that
// move addresses, retirement, coverage holes, and the GraphQL API with its permissions.
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../db/tenant.js';
import { isVigieError } from '../lib/errors.js';
import {
  Browser,
  createTestAccount,
  createTestContext,
  staffBrowser,
  type TestContext,
  type TestTenant,
} from '../testing/index.js';
import { importAddresses, importAddressFile } from './ban-import.js';
import { seedSectorFile, seedSectors } from './seed.js';
import {
  createSector,
  listSectors,
  redrawSector,
  renameSector,
  retireSector,
  sectorForPoint,
  unassignedAddresses,
  type Sector,
  type SectorSummary,
} from './sectors.js';
import { geoServices, type AddressSectorChange, type GeoHooks } from './hooks.js';
import type { Ring } from './geometry.js';

let ctx: TestContext;
/** The context's instance's listeners, as a request's save would have. */
const instanceHooks = () => ctx.vigie.get(geoServices.hooks);
let tenant: TestTenant;
const file = (name: string) => path.join(ctx.env.repoRoot, 'tenants/serris', name);
const tx = <T>(fn: Parameters<typeof withTenant<T>>[2]) => withTenant(ctx.db, tenant.id, fn);

beforeAll(async () => {
  ctx = await createTestContext();
  const [row] = await ctx
    .operatorDb('tenants')
    .insert({
      slug: 'serris',
      name: 'Serris',
      insee_code: '77449',
      postal_codes: ['77700'],
      status: 'active',
    })
    .returning('id');
  tenant = { id: row.id as string, slug: 'serris', host: 'serris.localhost' };
  await importAddressFile(ctx.db, tenant.id, file('addresses.csv'), { hooks: instanceHooks() });
});
afterAll(async () => ctx?.close());

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    if (isVigieError(err)) return err.code;
    throw err;
  }
}

function recorder(): { hooks: GeoHooks; seen: AddressSectorChange[][] } {
  const seen: AddressSectorChange[][] = [];
  return { seen, hooks: { onAddressesReassigned: [async (_trx, changes) => void seen.push(changes)] } };
}

async function sectorByName(name: string): Promise<SectorSummary> {
  const s = (await tx((trx) => listSectors(trx))).find((x) => x.name === name);
  if (!s) throw new Error(`no sector ${name}`);
  return s;
}

/** The outer ring of a sector, shrunk toward its centre: a shape strictly inside it. */
function shrunk(s: Sector, k: number): { type: 'Polygon'; coordinates: Ring[] } {
  if (s.geometry.type !== 'Polygon') throw new Error('polygon expected');
  const ring = s.geometry.coordinates[0] as Ring;
  const pts = ring.slice(0, -1);
  const cx = pts.reduce((a, p) => a + p[0], 0) / pts.length;
  const cy = pts.reduce((a, p) => a + p[1], 0) / pts.length;
  return {
    type: 'Polygon',
    coordinates: [ring.map(([x, y]) => [cx + (x - cx) * k, cy + (y - cy) * k] as [number, number])],
  };
}

async function sectorOfAddresses(): Promise<Map<string, string | null>> {
  const rows = await tx((trx) => trx('addresses').select('id', 'sector_id'));
  return new Map(rows.map((r: { id: string; sector_id: string | null }) => [r.id, r.sector_id]));
}

describe('seeding sectors', () => {
  it('creates the quartiers of sectors.geojson, edge to edge without overlap, covering every address', async () => {
    const r = await seedSectorFile(ctx.db, tenant.id, file('sectors.geojson'), { hooks: instanceHooks() });
    expect(r.created).toHaveLength(8);
    expect(r.overlaps).toEqual([]);
    expect(r.reassigned).toBe(3000);
    expect((await tx((trx) => unassignedAddresses(trx))).total).toBe(0);
  });

  it('is idempotent by feature id: a second seed changes nothing', async () => {
    const again = await tx((trx) =>
      seedSectors(trx, tenant.id, JSON.parse(readFileSync(file('sectors.geojson'), 'utf8')), {
        hooks: instanceHooks(),
      }),
    );
    expect(again).toMatchObject({ created: [], updated: [], reassigned: 0 });
    expect(again.unchanged).toHaveLength(8);
  });
});

describe('re-importing addresses into a commune with sectors', () => {
  it('gives every new address its sector as it is written, and tells the listeners about an address that moved', async () => {
    const [header, ...lines] = readFileSync(file('addresses.csv'), 'utf8').trimEnd().split('\n');
    const first = lines[0]!.split(';');
    const before = await tx((trx) => trx('addresses').where({ ban_id: first[0] }).first('id', 'sector_id'));
    const target = (await tx((trx) => listSectors(trx))).find((s) => s.id !== before.sector_id)!;
    const [x, y] = shrunk(target, 0.1).coordinates[0]![0]!;
    first[12] = String(x);
    first[13] = String(y);
    const { hooks, seen } = recorder();
    const r = await importAddresses(
      ctx.db,
      tenant.id,
      Readable.from([`${[header, first.join(';'), ...lines.slice(1)].join('\n')}\n`]),
      { inseeCode: '77449', hooks },
    );
    expect(r).toMatchObject({ updated: 1, unchanged: 2999, reassigned: 1, unassigned: 0 });
    expect(seen).toEqual([[{ addressId: before.id, from: before.sector_id, to: target.id }]]);
    // Moved back, as the file says.
    const back = await importAddressFile(ctx.db, tenant.id, file('addresses.csv'), {
      hooks: instanceHooks(),
    });
    expect(back).toMatchObject({ updated: 1, reassigned: 1 });
  });
});

describe('point in sector', () => {
  // Two implementations of one rule: the assignment computed in TypeScript at import, and the SQL lookup (GiST KNN, then polygon @> point).
  it('agrees with the stored assignment, on a sample of 300 addresses', async () => {
    const rows = await tx((trx) =>
      trx('addresses').select('id', 'lon', 'lat', 'sector_id').orderBy('ban_id'),
    );
    let checked = 0;
    for (const a of rows.filter((_: unknown, i: number) => i % 10 === 0) as Array<{
      lon: number;
      lat: number;
      sector_id: string;
    }>) {
      const found = await tx((trx) => sectorForPoint(trx, a.lon, a.lat));
      expect(found?.id).toBe(a.sector_id);
      checked++;
    }
    expect(checked).toBe(300);
  });

  it('answers null outside every sector', async () => {
    expect(await tx((trx) => sectorForPoint(trx, 2.35, 48.85))).toBeNull();
  });
});

describe('sector validation', () => {
  const create = (geometry: unknown) =>
    tx((trx) => createSector(trx, tenant.id, { name: 'Essai', geometry }, { hooks: instanceHooks() }));
  const at = (pts: number[][]) => ({ type: 'Polygon', coordinates: [pts] });

  it('refuses each invalid geometry with a clear code, and stores nothing', async () => {
    expect(
      await codeOf(
        create(
          at([
            [2.78, 48.85],
            [2.79, 48.85],
            [2.79, 48.855],
            [2.78, 48.855],
          ]),
        ),
      ),
    ).toBe('SECTOR_RING_NOT_CLOSED');
    expect(
      await codeOf(
        create(
          at([
            [2.78, 48.85],
            [2.79, 48.855],
            [2.79, 48.85],
            [2.78, 48.855],
            [2.78, 48.85],
          ]),
        ),
      ),
    ).toBe('SECTOR_SELF_INTERSECTING');
    expect(
      await codeOf(
        create(
          at([
            [2.78, 48.85],
            [2.79, 48.85],
            [2.78, 48.85],
          ]),
        ),
      ),
    ).toBe('SECTOR_TOO_FEW_POINTS');
    // Drawn over Paris: outside the extent of Serris's addresses.
    expect(
      await codeOf(
        create(
          at([
            [2.34, 48.85],
            [2.35, 48.85],
            [2.35, 48.86],
            [2.34, 48.86],
            [2.34, 48.85],
          ]),
        ),
      ),
    ).toBe('SECTOR_OUTSIDE_COMMUNE');
    // One vertex dragged 5 km away.
    expect(
      await codeOf(
        create(
          at([
            [2.78, 48.85],
            [2.79, 48.85],
            [2.79, 48.9],
            [2.78, 48.855],
            [2.78, 48.85],
          ]),
        ),
      ),
    ).toBe('SECTOR_OUTSIDE_COMMUNE');
    expect(
      await codeOf(
        create({
          type: 'LineString',
          coordinates: [
            [2.78, 48.85],
            [2.79, 48.85],
          ],
        }),
      ),
    ).toBe('SECTOR_INVALID_GEOMETRY');
    expect((await tx((trx) => listSectors(trx))).map((s) => s.name)).not.toContain('Essai');
  });
});

describe('overlaps, redraws and retirement', () => {
  let residenceId: string;

  it('refuses an overlapping sector and names the sectors it overlaps', async () => {
    const parc = await sectorByName('Le Parc');
    const err = await tx((trx) =>
      createSector(
        trx,
        tenant.id,
        {
          name: 'Résidence du Parc',
          kind: 'residence',
          geometry: shrunk(parc, 0.5),
        },
        { hooks: instanceHooks() },
      ),
    ).catch((e: unknown) => e);
    expect(isVigieError(err) && err.code).toBe('SECTOR_OVERLAP');
    expect(isVigieError(err) && err.details).toEqual({ overlaps: [{ id: parc.id, name: 'Le Parc' }] });
    expect((await tx((trx) => listSectors(trx))).map((s) => s.name)).not.toContain('Résidence du Parc');
  });

  it('saves it once confirmed, moves the addresses inside to it (the smaller sector wins), and tells the listeners', async () => {
    const parc = await sectorByName('Le Parc');
    const before = await sectorOfAddresses();
    const { hooks, seen } = recorder();
    const saved = await tx((trx) =>
      createSector(
        trx,
        tenant.id,
        { name: 'Résidence du Parc', kind: 'residence', geometry: shrunk(parc, 0.5) },
        { confirmOverlap: true, hooks },
      ),
    );
    residenceId = saved.sector.id;
    expect(saved.overlaps).toEqual([{ id: parc.id, name: 'Le Parc' }]);
    expect(saved.changes.length).toBeGreaterThan(0);
    expect(saved.changes.every((c) => c.from === parc.id && c.to === residenceId)).toBe(true);
    expect(seen).toEqual([saved.changes]);
    const after = await sectorOfAddresses();
    const moved = [...after].filter(([id, s]) => before.get(id) !== s).map(([id]) => id);
    expect(moved.sort()).toEqual(saved.changes.map((c) => c.addressId).sort());
  });

  it('redraws: refused over another sector until confirmed, then moves addresses out of the old outline and into the new one', async () => {
    const parc = await sectorByName('Le Parc');
    const centre = await sectorByName('Centre Urbain');
    const elsewhere = shrunk(centre, 0.4);
    const err = await tx((trx) =>
      redrawSector(trx, tenant.id, residenceId, elsewhere, { hooks: instanceHooks() }),
    ).catch((e: unknown) => e);
    expect(isVigieError(err) && err.code).toBe('SECTOR_OVERLAP');
    expect(
      isVigieError(err) && (err.details as { overlaps: Array<{ name: string }> }).overlaps.map((o) => o.name),
    ).toEqual(['Centre Urbain']);

    const { hooks, seen } = recorder();
    const saved = await tx((trx) =>
      redrawSector(trx, tenant.id, residenceId, elsewhere, { confirmOverlap: true, hooks }),
    );
    const back = saved.changes.filter((c) => c.from === residenceId);
    const into = saved.changes.filter((c) => c.to === residenceId);
    expect(back.length).toBeGreaterThan(0);
    expect(back.every((c) => c.to === parc.id)).toBe(true);
    expect(into.length).toBeGreaterThan(0);
    expect(into.every((c) => c.from === centre.id)).toBe(true);
    expect(back.length + into.length).toBe(saved.changes.length);
    expect(seen).toEqual([saved.changes]);
    const after = await sectorOfAddresses();
    for (const c of saved.changes) expect(after.get(c.addressId)).toBe(c.to);
  });

  it('renames, refusing the name of another active sector', async () => {
    expect(await codeOf(tx((trx) => renameSector(trx, residenceId, { name: 'le bourg' })))).toBe(
      'SECTOR_NAME_TAKEN',
    );
    const s = await tx((trx) =>
      renameSector(trx, residenceId, { name: '  Résidence   des Arts ', kind: 'residence' }),
    );
    expect(s).toMatchObject({ name: 'Résidence des Arts', kind: 'residence' });
  });

  it('retires: the addresses fall back to the sector around, and a retired sector cannot be edited', async () => {
    const centre = await sectorByName('Centre Urbain');
    const saved = await tx((trx) => retireSector(trx, tenant.id, residenceId, { hooks: instanceHooks() }));
    expect(saved.sector).toMatchObject({ status: 'retired' });
    expect(saved.changes.length).toBeGreaterThan(0);
    expect(saved.changes.every((c) => c.from === residenceId && c.to === centre.id)).toBe(true);
    expect(
      await codeOf(tx((trx) => retireSector(trx, tenant.id, residenceId, { hooks: instanceHooks() }))),
    ).toBe('SECTOR_RETIRED');
    expect(
      await codeOf(
        tx((trx) =>
          redrawSector(trx, tenant.id, residenceId, shrunk(centre, 0.2), { hooks: instanceHooks() }),
        ),
      ),
    ).toBe('SECTOR_RETIRED');
    const all = await tx((trx) => listSectors(trx, { includeRetired: true }));
    expect(all.find((s) => s.id === residenceId)?.status).toBe('retired');
  });

  it('lists the addresses no sector covers any more, for the mairie', async () => {
    const gondoire = await sectorByName('La Gondoire');
    const saved = await tx((trx) => retireSector(trx, tenant.id, gondoire.id, { hooks: instanceHooks() }));
    expect(saved.changes.length).toBe(gondoire.addressCount);
    expect(saved.changes.every((c) => c.to === null)).toBe(true);
    const holes = await tx((trx) => unassignedAddresses(trx, { limit: 5 }));
    expect(holes.total).toBe(gondoire.addressCount);
    expect(holes.addresses).toHaveLength(5);
  });
});

describe('sectors over GraphQL', () => {
  const CREATE = `mutation($i: CreateSectorInput!) { createSector(input: $i) { sector { id name kind } overlaps { name } moves { addressId from to } } }`;
  const REDRAW = `mutation($id: ID!, $g: String!) { redrawSector(id: $id, geometry: $g, confirmOverlap: true) { sector { id } moves { addressId } } }`;

  it('lets anyone on the portal search addresses and see the sectors, without an account', async () => {
    const b = new Browser(ctx.app, tenant.host);
    const r = await b.ok<{
      searchAddresses: Array<{ label: string; sectorId: string }>;
      sectors: Array<{ name: string; geometry: string }>;
    }>(
      '{ searchAddresses(query: "12 rue emile cl", limit: 3) { label sectorId } sectors { name geometry } }',
    );
    expect(r.searchAddresses[0]?.label).toBe('12 Rue Émile Cloud 77700 Serris');
    expect(r.sectors.map((s) => s.name)).toContain('Le Bourg');
    expect(JSON.parse(r.sectors[0]!.geometry).type).toBe('Polygon');
  });

  it('lets a mairie admin create a sector (overlap confirmed) and audits it; refuses residents', async () => {
    const { browser: admin } = await staffBrowser(ctx.app, ctx.db, tenant, 'mairie_admin');
    const bourg = await sectorByName('Le Bourg');
    const geometry = JSON.stringify(shrunk(bourg, 0.3));
    const refused = await admin.gql(CREATE, { i: { name: 'Square du Bourg', kind: 'residence', geometry } });
    expect(refused.errors?.[0]?.extensions?.code).toBe('SECTOR_OVERLAP');
    expect(refused.errors?.[0]?.extensions?.details).toEqual({
      overlaps: [{ id: bourg.id, name: 'Le Bourg' }],
    });
    const ok = await admin.ok<{
      createSector: { sector: { id: string }; overlaps: Array<{ name: string }> };
    }>(CREATE, { i: { name: 'Square du Bourg', kind: 'residence', geometry, confirmOverlap: true } });
    expect(ok.createSector.overlaps).toEqual([{ name: 'Le Bourg' }]);
    const audit = await tx((trx) =>
      trx('audit_log').where({ action: 'geo.sector.created', target_id: ok.createSector.sector.id }).first(),
    );
    expect(audit).toBeDefined();

    const resident = await createTestAccount(ctx.db, tenant.id);
    const b = new Browser(ctx.app, tenant.host);
    await b.login(resident.email);
    expect((await b.gql(CREATE, { i: { name: 'Pirate', geometry } })).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    expect((await b.gql('{ unassignedAddresses { total } }')).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    expect(
      (await admin.ok<{ unassignedAddresses: { total: number } }>('{ unassignedAddresses { total } }'))
        .unassignedAddresses.total,
    ).toBeGreaterThan(0);
  });

  it('lets a referent redraw their own community, and only theirs', async () => {
    const village = await sectorByName('Le Village');
    const bourg = await sectorByName('Le Bourg');
    const referent = await createTestAccount(ctx.db, tenant.id, {
      roles: [{ role: 'referent', scopeId: village.id }],
    });
    const b = new Browser(ctx.app, tenant.host);
    await b.login(referent.email);
    const own = await b.ok<{ redrawSector: { sector: { id: string } } }>(REDRAW, {
      id: village.id,
      g: JSON.stringify(village.geometry),
    });
    expect(own.redrawSector.sector.id).toBe(village.id);
    expect(
      (await b.gql(REDRAW, { id: bourg.id, g: JSON.stringify(bourg.geometry) })).errors?.[0]?.extensions
        ?.code,
    ).toBe('FORBIDDEN');
    expect(
      (await b.gql(`mutation($id: ID!) { retireSector(id: $id) { sector { id } } }`, { id: village.id }))
        .errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
    // A mairie admin without two-factor authentication is told so, rather than just refused.
    const admin = await createTestAccount(ctx.db, tenant.id, { roles: [{ role: 'mairie_admin' }] });
    const a = new Browser(ctx.app, tenant.host);
    await a.login(admin.email);
    expect(
      (await a.gql(REDRAW, { id: bourg.id, g: JSON.stringify(bourg.geometry) })).errors?.[0]?.extensions
        ?.code,
    ).toBe('TOTP_SETUP_REQUIRED');
  });
});
