// Declaring, the commune's rules, privacy, the police's decision, the patrol
// list, retention, statistics and the RGPD export: through GraphQL, on the
// assembled app with a real PostgreSQL and Temporal (the workflow and its
// visits are in watch.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '@vigie/platform/testing';
import { coreExtensions, coreServices, withTenant, type ActivityDeps } from '@vigie/platform/plugin';
import plugin from './index.js';
import { absenceInput, codeOf, DECLARE, notices, World, type Person } from './testing/world.js';

let ctx: TestContext;
let world: World;
let alice: Person;
let bruno: Person;
let chloe: Person;
let police: { browser: Person['browser']; accountId: string };
let mairie: { browser: Person['browser']; accountId: string };

const DAY = 86_400_000;
const inDays = (d: number) => new Date(Date.now() + d * DAY);
type Declared = {
  declareAbsence: { id: string; status: string; addressLabel: string; declaredAtCounter: boolean };
};

beforeAll(async () => {
  ctx = await createTestContext();
  // The station at the west end of the street: the route walks east.
  world = await World.create(ctx, { secondaryHomes: false, station: { lon: 2.77, lat: 48.851 } });
  [alice, bruno, chloe, police, mairie] = await Promise.all([
    world.resident('Alice', 0),
    world.resident('Bruno', 1),
    world.resident('Chloé', 2),
    world.staff('police_agent'),
    world.staff('mairie_admin'),
  ]);
});
afterAll(async () => ctx?.close());

async function declare(p: Person, from: number, to: number, extra: Record<string, unknown> = {}) {
  return p.browser.gql<Declared>(DECLARE, { i: absenceInput(inDays(from), inDays(to), extra) });
}

describe('the commune’s rules', () => {
  it('refuses each rule with its code and names the rule', async () => {
    const short = await declare(alice, 1, 10);
    expect(codeOf(short)).toBe('TV_NOTICE_TOO_SHORT');
    expect(short.errors![0]!.message).toMatch(/3 jours/);
    expect(codeOf(await declare(alice, 50, 60))).toBe('TV_TOO_EARLY');
    expect(codeOf(await declare(alice, 5, 120))).toBe('TV_ABSENCE_TOO_LONG');
    expect(codeOf(await declare(alice, 10, 5))).toBe('TV_DATES_INVALID');
    expect(
      codeOf(await declare(alice, 5, 10, { residence: 'secondary', addressId: world.addresses[5] })),
    ).toBe('TV_SECONDARY_NOT_ALLOWED');
    expect(codeOf(await declare(alice, 5, 10, { departsAt: 'demain' }))).toBe('VALIDATION_FAILED');
  });

  it('refuses an address that is not the resident’s, and a resident without a verified address', async () => {
    expect(codeOf(await declare(alice, 5, 10, { addressId: world.addresses[1] }))).toBe(
      'TV_ADDRESS_NOT_YOURS',
    );
    const nomad = await world.account('Sans adresse');
    expect(codeOf(await declare(nomad, 5, 10))).toBe('TV_NO_RESIDENCE');
  });

  it('refuses an overlapping second declaration of the same home, not a later one', async () => {
    const first = await declare(alice, 5, 12);
    expect(first.errors).toBeUndefined();
    expect(first.data!.declareAbsence.addressLabel).toBe('1 Rue des Tilleuls');
    expect(codeOf(await declare(alice, 10, 20))).toBe('TV_ABSENCE_OVERLAP');
    expect((await declare(alice, 13, 20)).errors).toBeUndefined();
  });
});

describe('privacy', () => {
  it('shows a declaration to its owner and staff only, audits every view, and keeps secrets sealed at rest', async () => {
    const { data } = await declare(bruno, 4, 9);
    const id = data!.declareAbsence.id;
    const Q =
      'query($id: ID!) { tvAbsence(id: $id) { id doorCode keyHolders details { alarmCompany } residentName } }';
    const neighbour = await alice.browser.ok<{ tvAbsence: unknown }>(Q, { id });
    expect(neighbour.tvAbsence).toBeNull();
    expect(codeOf(await alice.browser.gql('{ tvAbsences { id } }'))).toBe('FORBIDDEN');
    const seen = await police.browser.ok<{
      tvAbsence: { doorCode: string; keyHolders: string; residentName: string };
    }>(Q, { id });
    expect(seen.tvAbsence).toMatchObject({
      doorCode: 'B1234',
      keyHolders: 'Mme Martin, 3 rue des Tilleuls',
      residentName: 'Bruno',
    });
    await police.browser.ok('{ tvAbsences { id } }');
    const stored = await withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
      trx('tv_absences').where({ id }).first(),
    );
    expect(stored.door_code_sealed).not.toContain('B1234');
    expect(stored.key_holders_sealed).not.toContain('Martin');
    const audit = await withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
      trx('audit_log')
        .where('action', 'like', 'tranquillite-vacances.absence.%')
        .select('action', 'actor_id', 'target_id', 'meta'),
    );
    expect(audit).toContainEqual(
      expect.objectContaining({
        action: 'tranquillite-vacances.absence.viewed',
        actor_id: police.accountId,
        target_id: id,
      }),
    );
    const listed = audit.find((a) => a.action === 'tranquillite-vacances.absence.listed');
    expect(listed.meta.absenceIds).toContain(id);
  });
});

describe('the police’s decision and the resident’s changes', () => {
  it('validates or refuses with a reason, and the resident is told', async () => {
    const one = (await declare(chloe, 4, 6)).data!.declareAbsence.id;
    const two = (await declare(chloe, 8, 10)).data!.declareAbsence.id;
    expect(
      codeOf(await chloe.browser.gql('mutation($id: ID!) { validateAbsence(id: $id) { id } }', { id: one })),
    ).toBe('FORBIDDEN');
    await police.browser.ok('mutation($id: ID!) { validateAbsence(id: $id) { status } }', { id: one });
    expect(
      codeOf(await police.browser.gql('mutation($id: ID!) { validateAbsence(id: $id) { id } }', { id: one })),
    ).toBe('TV_ABSENCE_ALREADY_DECIDED');
    const refused = await police.browser.ok<{ refuseAbsence: { status: string; refusalReason: string } }>(
      'mutation($id: ID!, $r: String!) { refuseAbsence(id: $id, reason: $r) { status refusalReason } }',
      { id: two, r: 'Adresse hors secteur de patrouille' },
    );
    expect(refused.refuseAbsence).toEqual({
      status: 'refused',
      refusalReason: 'Adresse hors secteur de patrouille',
    });
    const told = await notices(chloe);
    expect(told.map((n) => n.kind)).toEqual(
      expect.arrayContaining(['tranquillite-vacances.validated', 'tranquillite-vacances.refused']),
    );
    expect(told.find((n) => n.kind === 'tranquillite-vacances.refused')!.body).toContain('hors secteur');
    expect((await notices(police, 'declared')).length).toBeGreaterThan(0);
  });

  it('lets the resident move the dates within the rules and cancel, each change audited and told to the police', async () => {
    const id = (await declare(chloe, 20, 25)).data!.declareAbsence.id;
    const M =
      'mutation($id: ID!, $d: String, $r: String!) { changeAbsenceDates(id: $id, departsAt: $d, returnsAt: $r) { returnsAt } }';
    expect(codeOf(await chloe.browser.gql(M, { id, r: inDays(200).toISOString() }))).toBe(
      'TV_ABSENCE_TOO_LONG',
    );
    expect(codeOf(await bruno.browser.gql(M, { id, r: inDays(26).toISOString() }))).toBe(
      'TV_ABSENCE_NOT_FOUND',
    );
    const r = inDays(27).toISOString();
    expect(
      (await chloe.browser.ok<{ changeAbsenceDates: { returnsAt: string } }>(M, { id, r })).changeAbsenceDates
        .returnsAt,
    ).toBe(r);
    await chloe.browser.ok('mutation($id: ID!) { cancelAbsence(id: $id) { status } }', { id });
    expect(codeOf(await chloe.browser.gql(M, { id, r }))).toBe('TV_ABSENCE_CLOSED');
    const visit = await police.browser.gql(
      'mutation($id: ID!) { logVisit(absenceId: $id, outcome: ras) { id } }',
      { id },
    );
    expect(codeOf(visit)).toBe('TV_VISIT_REFUSED');
    const changes = (await notices(police, 'changed')).map((n) => n.body);
    expect(changes.some((b) => b.includes('nouvelles dates'))).toBe(true);
    expect(changes.some((b) => b.includes('annulée'))).toBe(true);
  });

  it('lets a mairie agent declare at the counter for a resident; a resident cannot declare for another', async () => {
    const dora = await world.resident('Dora', 3);
    const FIND = 'query($e: String!) { tvResident(email: $e) { accountId displayName addressLabel } }';
    const found = await mairie.browser.ok<{ tvResident: unknown }>(FIND, { e: dora.email.toUpperCase() });
    expect(found.tvResident).toEqual({
      accountId: dora.accountId,
      displayName: 'Dora',
      addressLabel: '4 Rue des Tilleuls',
    });
    expect(codeOf(await police.browser.gql(FIND, { e: dora.email }))).toBe('FORBIDDEN');
    expect(codeOf(await alice.browser.gql(FIND, { e: dora.email }))).toBe('FORBIDDEN');
    const r = await mairie.browser.ok<Declared>(DECLARE, {
      i: absenceInput(inDays(5), inDays(8)),
      for: dora.accountId,
    });
    expect(r.declareAbsence).toMatchObject({ declaredAtCounter: true, addressLabel: '4 Rue des Tilleuls' });
    const mine = await dora.browser.ok<{ myAbsences: Array<{ id: string }> }>('{ myAbsences { id } }');
    expect(mine.myAbsences.map((a) => a.id)).toEqual([r.declareAbsence.id]);
    expect(
      codeOf(
        await alice.browser.gql(DECLARE, { i: absenceInput(inDays(5), inDays(8)), for: dora.accountId }),
      ),
    ).toBe('FORBIDDEN');
  });
});

describe('the patrol list', () => {
  it('holds the validated homes of the day, in a route, with times that change from day to day', async () => {
    const homes = await Promise.all([4, 5, 6, 7].map((n) => world.resident(`Voisin ${n}`, n)));
    for (const h of homes) {
      const id = (await declare(h, 3.5, 9)).data!.declareAbsence.id;
      await police.browser.ok('mutation($id: ID!) { validateAbsence(id: $id) { id } }', { id });
    }
    const day = (d: number) => inDays(d).toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' });
    const Q =
      'query($d: String) { tvPatrol(date: $d) { date stops { order suggestedTime absence { addressLabel doorCode } } } }';
    type P = { tvPatrol: { stops: Array<{ suggestedTime: string; absence: { addressLabel: string } }> } };
    const a = await police.browser.ok<P>(Q, { d: day(5) });
    const b = await police.browser.ok<P>(Q, { d: day(6) });
    expect(a.tvPatrol.stops.length).toBeGreaterThanOrEqual(4);
    const labels = a.tvPatrol.stops.map((s) => s.absence.addressLabel);
    // Addresses 5..8 lie at 0, 6, 2, 4 steps east of the station: the route walks them in that order.
    const order = ['5 Rue des Tilleuls', '7 Rue des Tilleuls', '8 Rue des Tilleuls', '6 Rue des Tilleuls'];
    const picked = labels.filter((l) => order.includes(l));
    expect(picked).toEqual(order);
    const times = a.tvPatrol.stops.map((s) => s.suggestedTime);
    expect([...times].sort()).toEqual(times);
    expect(times.join()).not.toEqual(b.tvPatrol.stops.map((s) => s.suggestedTime).join());
    expect(codeOf(await mairie.browser.gql(Q, { d: day(5) }))).toBe('FORBIDDEN');
    expect(codeOf(await alice.browser.gql(Q, { d: day(5) }))).toBe('FORBIDDEN');
  });
});

describe('retention, statistics and RGPD', () => {
  it('counts absences for the statistics, exports them, and deletes them after the retention period while the counts stay', async () => {
    const stats = ctx.app.services
      .get(coreExtensions.statistics)
      .sources()
      .find((s) => s.id === 'tranquillite-vacances')!;
    const period = { from: inDays(-1), to: inDays(1) };
    const before = await withTenant(ctx.db, world.tenant.id, (trx) => stats.compute(trx, period));
    expect(before.find((f) => f.key === 'absences')!.value).toBeGreaterThan(5);

    const [kind] = plugin.personalData;
    const exported = await withTenant(ctx.db, world.tenant.id, (trx) =>
      kind!.export(trx, alice.accountId, async () => new Map()),
    );
    expect(exported).toHaveLength(2);
    expect(JSON.stringify(exported)).not.toContain('B1234');

    const purge = plugin.retention[0]!;
    const deps = {
      db: ctx.db,
      services: ctx.app.services.get(coreServices.platform),
    } as unknown as ActivityDeps;
    // Within the period (30 days after the return, or after a refusal or a cancellation), nothing goes.
    expect(await purge.purge(deps, inDays(1))).toBe(0);
    expect(await purge.purge(deps, inDays(90))).toBeGreaterThan(5);
    const left = await withTenant(ctx.db, world.tenant.id, (trx) =>
      trx('tv_absences').count('* as n').first(),
    );
    expect(Number(left!.n)).toBe(0);
    const after = await withTenant(ctx.db, world.tenant.id, (trx) => stats.compute(trx, period));
    expect(after).toEqual(before);

    await withTenant(ctx.db, world.tenant.id, (trx) =>
      kind!.erase(trx, alice.accountId, ctx.app.services.get(coreServices.platform)),
    );
  });
});

describe('the resident’s RGPD export and erasure', () => {
  it('include the declarations and their visits, and erasure deletes them', async () => {
    const erin = await world.resident('Erin', 6);
    await declare(erin, 10, 14);
    const out = await erin.browser.ok<{ exportMyData: { json: string; html: string } }>(
      'mutation { exportMyData { json html } }',
    );
    const section = JSON.parse(out.exportMyData.json).plugins['tranquillite-vacances'].sections.absences;
    expect(section.rows).toEqual([
      expect.objectContaining({
        adresse: '7 Rue des Tilleuls',
        statut: 'pending',
        codeDePorte: 'renseigné (chiffré)',
      }),
    ]);
    expect(out.exportMyData.json).not.toContain('B1234');
    expect(out.exportMyData.html).toContain('Absences déclarées');
    await erin.browser.ok('mutation($p: String!) { deleteMyAccount(password: $p) }', {
      p: 'correct horse battery',
    });
    const left = await withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
      trx('tv_absences').where({ account_id: erin.accountId }).count('* as n').first(),
    );
    expect(Number(left!.n)).toBe(0);
  });
});
