// A plan canicule over 50 people of the register with a mix of channels, on
// the real Temporal dev server with a 15-second "day": each day every person
// gets a contact; residents answer « Je vais bien », the CCAS records its
// calls, a volunteer records visits; at the end of the day whoever was not
// reached is "not answered"; the deactivation closes the day under way and
// the activation keeps its counts only.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '@vigie/platform/testing';
import { withTenant } from '@vigie/platform/plugin';
import { PLAN_ROUND_KIND, type PlanRoundResult } from './workflows/contract.js';
import { codeOf, notices, personInput, REGISTER, until, World, type Person } from './testing/world.js';

let ctx: TestContext;
let world: World;

const DAY_S = 15;
const SETTINGS = { dayMinutes: DAY_S / 60 };

beforeAll(async () => {
  // The worker shares the app pool here: 50 people's notices and calls in
  // flight hold connections while the CCAS's requests need some too.
  ctx = await createTestContext({ appPool: 30 });
  world = await World.create(ctx, SETTINGS, 30);
});
afterAll(async () => ctx?.close());

type Counts = { pending: number; answered: number; notAnswered: number; visited: number };
const PLAN =
  '{ solPlan { id day counts { pending answered notAnswered visited } summary { answered notAnswered visited } contacts { id channel status firstName } } }';
const RECORD =
  'mutation($c: ID!, $o: SolOutcome!) { solRecordContact(contactId: $c, outcome: $o) { status } }';

it('reaches 50 people each day, live, until the plan is deactivated', async () => {
  const worker = await ctx.startWorker();
  try {
    const [ccas, volunteer] = await Promise.all([
      world.staff('ccas_agent'),
      world.resident('Paul (bénévole)', 0, 29),
    ]);
    // 20 residents enter themselves (mobile), 15 by landline and 15 for a visit, entered at the CCAS.
    const residents: Person[] = [];
    for (let n = 0; n < 20; n++) residents.push(await world.resident(`Habitant ${n}`, 0, n));
    for (const [n, r] of residents.entries())
      await r.browser.ok(REGISTER, {
        i: {
          ...personInput(world.addresses[0][n]!, {
            firstName: `Habitant${n}`,
            contactMethod: 'mobile',
            phone: `06 12 34 56 ${String(n).padStart(2, '0')}`,
            consentBy: 'self',
            intervalDays: 15,
          }),
          addressId: undefined,
          consentName: undefined,
        },
      });
    for (let n = 0; n < 15; n++)
      await ccas.browser.ok(REGISTER, {
        i: personInput(world.addresses[1][n]!, { firstName: `Fixe${n}`, intervalDays: 15 }),
      });
    await volunteer.browser.ok('mutation { solOfferToVolunteer { volunteer } }');
    const { solVolunteers } = await ccas.browser.ok<{ solVolunteers: Array<{ id: string }> }>(
      '{ solVolunteers { id } }',
    );
    for (let n = 0; n < 15; n++) {
      const { solRegisterPerson } = await ccas.browser.ok<{ solRegisterPerson: { id: string } }>(REGISTER, {
        i: personInput(world.addresses[0][20 + (n % 9)]!, {
          firstName: `Visite${n}`,
          contactMethod: 'visit',
          phone: undefined,
          intervalDays: 15,
        }),
      });
      await ccas.browser.ok('mutation($p: ID!, $v: ID!) { solPair(personId: $p, volunteerId: $v) { id } }', {
        p: solRegisterPerson.id,
        v: solVolunteers[0]!.id,
      });
    }
    expect(codeOf(await ccas.browser.gql('mutation { solDeactivatePlan { id } }'))).toBe(
      'SOL_PLAN_NOT_ACTIVE',
    );
    expect(
      codeOf(await residents[0]!.browser.gql('mutation { solActivatePlan(kind: canicule) { id } }')),
    ).toBe('FORBIDDEN');

    const { solActivatePlan } = await ccas.browser.ok<{ solActivatePlan: { id: string } }>(
      'mutation { solActivatePlan(kind: canicule, prefectureLevel: "Vigilance orange canicule") { id } }',
    );
    expect(codeOf(await ccas.browser.gql('mutation { solActivatePlan(kind: grand_froid) { id } }'))).toBe(
      'SOL_PLAN_ALREADY_ACTIVE',
    );
    const plan = async () =>
      (
        await ccas.browser.ok<{
          solPlan: {
            day: number;
            counts: Counts;
            summary: Omit<Counts, 'pending'>;
            contacts: Array<{ id: string; channel: string; status: string; firstName: string }>;
          };
        }>(PLAN)
      ).solPlan;
    const day1 = await until(async () => {
      const p = await plan();
      return p.day === 1 && p.counts.pending === 50 && p;
    });
    expect(day1.contacts.filter((c) => c.channel === 'mobile')).toHaveLength(20);
    expect(day1.contacts.filter((c) => c.channel === 'landline')).toHaveLength(15);
    expect(day1.contacts.filter((c) => c.channel === 'visit')).toHaveLength(15);
    // Residents were asked in Vigie; the volunteer was asked to visit.
    expect((await notices(residents[0]!, 'round'))[0]!.title).toBe('Plan canicule : comment allez-vous ?');
    expect((await notices(volunteer, 'round_visit')).length).toBe(15);

    // 12 residents answer; the CCAS reaches 10 landlines and fails 3; the volunteer visits 10.
    for (const r of residents.slice(0, 12)) await r.browser.ok('mutation { solImFine { lastSignAt } }');
    const landlines = day1.contacts.filter((c) => c.channel === 'landline');
    for (const c of landlines.slice(0, 10)) await ccas.browser.ok(RECORD, { c: c.id, o: 'answered' });
    for (const c of landlines.slice(10, 13)) await ccas.browser.ok(RECORD, { c: c.id, o: 'not_answered' });
    const mine = await volunteer.browser.ok<{
      solMyVolunteering: { people: Array<{ roundContactId: string | null }> };
    }>('{ solMyVolunteering { people { roundContactId } } }');
    const visits = mine.solMyVolunteering.people.map((p) => p.roundContactId!).filter(Boolean);
    expect(visits).toHaveLength(15);
    for (const c of visits.slice(0, 10)) await volunteer.browser.ok(RECORD, { c, o: 'visited' });
    // Nobody records someone else's contact; a resident only says they answered.
    expect(codeOf(await residents[13]!.browser.gql(RECORD, { c: visits[11], o: 'visited' }))).toBe(
      'SOL_PERSON_NOT_FOUND',
    );
    expect((await plan()).counts).toEqual({ pending: 15, answered: 22, notAnswered: 3, visited: 10 });

    // The day ends: the 15 not reached are "not answered", and day 2 begins for everyone.
    const day2 = await until(
      async () => {
        const p = await plan();
        return p.day === 2 && p.counts.pending === 50 && p;
      },
      (DAY_S + 15) * 1000,
    );
    expect(day2.summary).toEqual({ answered: 22, notAnswered: 18, visited: 10 });
    expect((await notices(ccas, 'round_closed'))[0]!.body).toContain('18 personnes');
    // A contact of the day before can no longer change.
    expect(codeOf(await ccas.browser.gql(RECORD, { c: landlines[14]!.id, o: 'answered' }))).toBe(
      'SOL_PLAN_NOT_ACTIVE',
    );

    await residents[0]!.browser.ok('mutation { solImFine { lastSignAt } }');
    await ccas.browser.ok('mutation { solDeactivatePlan { id } }');
    const handle = ctx.temporal.client.workflow.getHandle(
      `${world.tenant.slug}/${PLAN_ROUND_KIND}/${solActivatePlan.id}`,
    );
    expect(((await handle.result()) as PlanRoundResult).days).toBe(2);
    const { solActivations } = await ccas.browser.ok<{
      solActivations: Array<{ endedAt: string | null; summary: Omit<Counts, 'pending'> }>;
    }>('{ solActivations { endedAt summary { answered notAnswered visited } } }');
    expect(solActivations[0]!.endedAt).not.toBeNull();
    expect(solActivations[0]!.summary).toEqual({ answered: 23, notAnswered: 67, visited: 10 });
    // Every contact ended answered, not answered or visited.
    const left = await withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
      trx('sol_round_contacts').where({ status: 'pending' }).count({ n: '*' }).first(),
    );
    expect(Number(left!.n)).toBe(0);
    expect(await ccas.browser.ok('{ solPlan { id } }')).toEqual({ solPlan: null });
  } finally {
    await worker.shutdown();
  }
}, 120_000);
