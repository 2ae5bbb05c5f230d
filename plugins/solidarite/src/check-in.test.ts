// The check-in workflow on the real Temporal dev server, with the commune's
// "day" shortened to 3 seconds and each escalation delay to 1 second: a
// missed interval walks through every step (volunteer, CCAS, police); news at
// each step stops it; withdrawn consent ends it and deletes the data. And the
// register's rules: consent, who sees what, pairing within a community.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '@vigie/platform/testing';
import { coreExtensions, withTenant } from '@vigie/platform/plugin';
import { CHECK_IN_KIND, type CheckInResult } from './workflows/contract.js';
import { codeOf, notices, personInput, REGISTER, until, wait, World, type Person } from './testing/world.js';

let ctx: TestContext;
let world: World;
let ccas: { browser: Person['browser']; accountId: string };
let mairie: { browser: Person['browser']; accountId: string };
let chief: { browser: Person['browser']; accountId: string };
let volunteer: Person;
let neighbour: Person;
let farAway: Person;

// A "day" of 3 s; the volunteer at once, the CCAS 1 s later, the police 1 s after that.
const SETTINGS = { dayMinutes: 0.05, volunteerReminderHours: 0, ccasDelayHours: 8, policeDelayHours: 8 };

beforeAll(async () => {
  ctx = await createTestContext();
  world = await World.create(ctx, SETTINGS, 10);
  [ccas, mairie, chief, volunteer, neighbour, farAway] = await Promise.all([
    world.staff('ccas_agent'),
    world.staff('mairie_admin'),
    world.staff('police_chief'),
    world.resident('Paul (bénévole)', 0, 1),
    world.resident('Nina', 0, 2),
    world.resident('Omar (autre quartier)', 1, 1),
  ]);
});
afterAll(async () => ctx?.close());

async function register(extra: Record<string, unknown> = {}, as = ccas) {
  const r = await as.browser.ok<{
    solRegisterPerson: { id: string; phone: string; healthNotes: string | null };
  }>(REGISTER, { i: personInput(world.addresses[0][0]!, extra) });
  return r.solRegisterPerson;
}

async function volunteerId(p: Person, name: string) {
  await p.browser.ok('mutation { solOfferToVolunteer(availability: "En semaine après 17 h") { volunteer } }');
  const { solVolunteers } = await ccas.browser.ok<{
    solVolunteers: Array<{ id: string; displayName: string }>;
  }>('{ solVolunteers { id displayName } }');
  return solVolunteers.find((v) => v.displayName === name)!.id;
}

const PAIR = 'mutation($p: ID!, $v: ID!) { solPair(personId: $p, volunteerId: $v) { id volunteers { id } } }';
const NEWS = 'mutation($p: ID!) { solNewsReceived(personId: $p) { lastSignAt } }';
const escalation = async (id: string) =>
  (
    await ccas.browser.ok<{ solPerson: { escalation: string } }>(
      'query($id: ID!) { solPerson(id: $id) { escalation } }',
      { id },
    )
  ).solPerson.escalation;
const about = (list: Array<{ body: string }>, name: string) => list.filter((n) => n.body.includes(name));

describe('the register', () => {
  it('refuses an entry without consent, a bad phone or interval, and hides it from neighbours', async () => {
    expect(
      codeOf(
        await ccas.browser.gql(REGISTER, { i: personInput(world.addresses[0][0]!, { consent: false }) }),
      ),
    ).toBe('SOL_CONSENT_REQUIRED');
    expect(
      codeOf(
        await ccas.browser.gql(REGISTER, { i: personInput(world.addresses[0][0]!, { intervalDays: 16 }) }),
      ),
    ).toBe('VALIDATION_FAILED');
    expect(
      codeOf(
        await ccas.browser.gql(REGISTER, {
          i: personInput(world.addresses[0][0]!, { contactMethod: 'mobile', phone: '01 60 43 00 00' }),
        }),
      ),
    ).toBe('SOL_PHONE_INVALID');
    expect(
      codeOf(
        await ccas.browser.gql(REGISTER, { i: personInput(world.addresses[0][0]!, { phone: undefined }) }),
      ),
    ).toBe('SOL_PHONE_REQUIRED');
    expect(codeOf(await ccas.browser.gql(REGISTER, { i: personInput('1') }))).toBe('VALIDATION_FAILED');
    expect(
      codeOf(
        await ccas.browser.gql(REGISTER, {
          i: personInput(world.addresses[0][0]!, { firstName: 'A\u0000' }),
        }),
      ),
    ).toBe('VALIDATION_FAILED');
    // A neighbour may not enter someone "as an agent", nor read the register.
    expect(codeOf(await neighbour.browser.gql(REGISTER, { i: personInput(world.addresses[0][0]!) }))).toBe(
      'FORBIDDEN',
    );
    expect(codeOf(await neighbour.browser.gql('{ solRegister { id } }'))).toBe('FORBIDDEN');

    const p = await register({ firstName: 'Louise', healthNotes: 'Diabète ; vit seule au 2e étage.' });
    expect(p.phone).toBe('01 60 43 00 00');
    expect(p.healthNotes).toBe('Diabète ; vit seule au 2e étage.');
    // Health notes are the CCAS's: the mairie agent sees that there are some, not what they say.
    const seen = await mairie.browser.ok<{
      solPerson: { healthNotes: string | null; hasHealthNotes: boolean };
    }>('query($id: ID!) { solPerson(id: $id) { healthNotes hasHealthNotes } }', { id: p.id });
    expect(seen.solPerson).toEqual({ healthNotes: null, hasHealthNotes: true });
    // Sealed at rest: the database holds no plain text.
    const raw = await withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
      trx('sol_people').where({ id: p.id }).first(),
    );
    expect(raw.health_notes_sealed).not.toContain('Diabète');
    expect(raw.phone_sealed).not.toContain('0160');
    // Not found (not forbidden) for a neighbour; a bad ID is not an internal error.
    expect(
      (
        await neighbour.browser.ok<{ solPerson: null }>('query($id: ID!) { solPerson(id: $id) { id } }', {
          id: p.id,
        })
      ).solPerson,
    ).toBeNull();
    expect(codeOf(await ccas.browser.gql('{ solPerson(id: "1") { id } }'))).toBe('VALIDATION_FAILED');
    expect(codeOf(await ccas.browser.gql(NEWS, { p: '1' }))).toBe('VALIDATION_FAILED');
    await ccas.browser.ok('mutation($id: ID!) { solWithdrawConsent(id: $id) }', { id: p.id });
  });

  it('pairs one or two volunteers of the same community, who see a first name and how to reach them', async () => {
    const p = await register({ firstName: 'Marcel', lastName: 'Dupuis' });
    const v1 = await volunteerId(volunteer, 'Paul (bénévole)');
    const v2 = await volunteerId(neighbour, 'Nina');
    const v3 = await volunteerId(farAway, 'Omar (autre quartier)');
    expect(codeOf(await ccas.browser.gql(PAIR, { p: p.id, v: v3 }))).toBe('SOL_OTHER_COMMUNITY');
    expect(codeOf(await mairie.browser.gql(PAIR, { p: p.id, v: v1 }))).toBe('FORBIDDEN');
    await ccas.browser.ok(PAIR, { p: p.id, v: v1 });
    await ccas.browser.ok(PAIR, { p: p.id, v: v2 });
    // A third: refused (two at most), even from the same community.
    const extra = await world.resident('Zoé', 0, 5);
    expect(codeOf(await ccas.browser.gql(PAIR, { p: p.id, v: await volunteerId(extra, 'Zoé') }))).toBe(
      'SOL_TOO_MANY_VOLUNTEERS',
    );
    const mine = await volunteer.browser.ok<{
      solMyVolunteering: { people: Array<Record<string, unknown>> };
    }>('{ solMyVolunteering { people { id firstName contact contactMethod } } }');
    expect(mine.solMyVolunteering.people).toEqual([
      { id: p.id, firstName: 'Marcel', contact: '01 60 43 00 00', contactMethod: 'landline' },
    ]);
    expect((await notices(volunteer, 'paired')).length).toBe(1);
    // Someone who asked for the CCAS alone: no volunteer.
    const hidden = await register({ firstName: 'Rose', visibility: 'ccas' });
    expect(codeOf(await ccas.browser.gql(PAIR, { p: hidden.id, v: v1 }))).toBe('SOL_VOLUNTEERS_NOT_ALLOWED');
    // A volunteer not paired with someone cannot give their news.
    expect(codeOf(await farAway.browser.gql(NEWS, { p: p.id }))).toBe('SOL_NOT_PAIRED');
    for (const id of [p.id, hidden.id])
      await ccas.browser.ok('mutation($id: ID!) { solWithdrawConsent(id: $id) }', { id });
  });
});

describe('the check-in workflow', () => {
  it('walks a missed interval through every step, stops at news, and ends with withdrawn consent', async () => {
    const worker = await ctx.startWorker();
    try {
      const v = await volunteerId(volunteer, 'Paul (bénévole)');
      // Ernest: no news → volunteer, then the CCAS, then the police (he asked for it).
      const ernest = await register({ firstName: 'Ernest', lastName: 'Lenoir', escalatePolice: true });
      await ccas.browser.ok(PAIR, { p: ernest.id, v });
      // Gaston did not ask for the police: the CCAS is the last step.
      const gaston = await register({ firstName: 'Gaston', lastName: 'Petit', escalatePolice: false });
      const start = Date.now();

      await until(async () => about(await notices(volunteer, 'no_news'), 'Ernest').length > 0, 10_000);
      expect(Date.now() - start).toBeGreaterThanOrEqual(2_500);
      await until(async () => about(await notices(ccas, 'no_news_ccas'), 'Ernest Lenoir').length > 0, 10_000);
      const [toPolice] = about(
        await until(
          async () =>
            about(await notices(chief, 'no_news_police'), 'Ernest').length > 0 &&
            notices(chief, 'no_news_police'),
          10_000,
        ),
        'Ernest',
      );
      expect(toPolice!.body).toContain('1 Rue des Tilleuls');
      expect(await escalation(ernest.id)).toBe('police');
      // Gaston: the CCAS, never the police.
      await until(async () => (await escalation(gaston.id)) === 'ccas', 10_000);
      await wait(2_000);
      expect(about(await notices(chief, 'no_news_police'), 'Gaston')).toEqual([]);

      // Yvette: news at each step stops the escalation.
      const yvette = await register({ firstName: 'Yvette', lastName: 'Morel', escalatePolice: true });
      await ccas.browser.ok(PAIR, { p: yvette.id, v });
      // Her landline is called first (the dev outbox: nobody presses 1), then her volunteer is reminded
      // and gives news at that step: the CCAS hears nothing.
      await until(async () => (await escalation(yvette.id)) === 'volunteer', 10_000);
      await volunteer.browser.ok(NEWS, { p: yvette.id });
      expect(await escalation(yvette.id)).toBe('none');
      await wait(1_800);
      expect(about(await notices(ccas, 'no_news_ccas'), 'Yvette')).toEqual([]);
      // A new interval: reminded again, and this time the CCAS calls her at its step.
      await until(async () => (await escalation(yvette.id)) === 'ccas', 10_000);
      await ccas.browser.ok(NEWS, { p: yvette.id });
      await wait(1_800);
      expect(about(await notices(chief, 'no_news_police'), 'Yvette')).toEqual([]);

      // Everything is audited.
      const audit = await withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
        trx('audit_log').where({ target_id: ernest.id }).pluck('action'),
      );
      expect(audit).toEqual(
        expect.arrayContaining([
          'solidarite.person.registered',
          'solidarite.person.paired',
          'solidarite.escalation.volunteer',
          'solidarite.escalation.ccas',
          'solidarite.escalation.police',
        ]),
      );

      // Consent withdrawn: the workflow ends and nothing is left of the entry.
      for (const p of [ernest, yvette, gaston]) {
        await ccas.browser.ok('mutation($id: ID!) { solWithdrawConsent(id: $id) }', { id: p.id });
        const handle = ctx.temporal.client.workflow.getHandle(
          `${world.tenant.slug}/${CHECK_IN_KIND}/${p.id}`,
        );
        const result = (await handle.result()) as CheckInResult;
        expect(result.outcome).toBe('withdrawn');
      }
      const left = await withTenant(ctx.ownerDb, world.tenant.id, async (trx) => ({
        people: Number((await trx('sol_people').count({ n: '*' }).first())!.n),
        signs: Number((await trx('sol_signs').count({ n: '*' }).first())!.n),
        pairings: Number((await trx('sol_pairings').count({ n: '*' }).first())!.n),
      }));
      expect(left).toEqual({ people: 0, signs: 0, pairings: 0 });
    } finally {
      await worker.shutdown();
    }
  }, 90_000);

  it('asks a person with an account first, by SMS, and takes « OUI » as news', async () => {
    const worker = await ctx.startWorker();
    try {
      const rose = await world.resident('Rose', 0, 7);
      await withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
        trx('accounts')
          .where({ id: rose.accountId })
          .update({ phone: '+33612349999', phone_verified_at: new Date() }),
      );
      const { solRegisterPerson: entry } = await rose.browser.ok<{ solRegisterPerson: { id: string } }>(
        REGISTER,
        {
          i: {
            ...personInput(world.addresses[0][7]!, {
              firstName: 'Rose',
              contactMethod: 'mobile',
              phone: '06 12 34 99 99',
              consentBy: 'self',
              escalatePolice: false,
            }),
            addressId: undefined,
            consentName: undefined,
          },
        },
      );
      // The interval ends: Rose herself is asked, by SMS too (her verified phone).
      const [ask] = await until(async () => {
        const n = await notices(rose, 'ask');
        return n.length > 0 && n;
      }, 10_000);
      expect(ask!.title).toBe('Rose, tout va bien ?');
      await until(async () =>
        withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
          trx('dev_outbox').where({ channel: 'sms', recipient: '+33612349999' }).first('id'),
        ),
      );
      // Her « Oui ! » from that phone, as the commune's number hands it over.
      const handler = ctx.app.services
        .get(coreExtensions.smsReplies)
        .handlers()
        .find((x) => x.id === 'solidarite')!;
      const notOurs = await withTenant(ctx.db, world.tenant.id, (trx) =>
        handler.claim(trx, {
          tenantId: world.tenant.id,
          accountId: rose.accountId,
          from: '+33612349999',
          body: 'Cambriolage rue Haute',
          locale: 'fr',
        }),
      );
      expect(notOurs).toBeNull();
      const claim = await withTenant(ctx.db, world.tenant.id, (trx) =>
        handler.claim(trx, {
          tenantId: world.tenant.id,
          accountId: rose.accountId,
          from: '+33612349999',
          body: 'Oui !',
          locale: 'fr',
        }),
      );
      expect(claim!.reply).toContain('le CCAS sait que vous allez bien');
      await claim!.afterCommit!();
      expect(await escalation(entry.id)).toBe('none');
      const signs = await withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
        trx('sol_signs').where({ person_id: entry.id }).pluck('source'),
      );
      expect(signs).toEqual(['self']);
      await rose.browser.ok('mutation($id: ID!) { solWithdrawConsent(id: $id) }', { id: entry.id });
    } finally {
      await worker.shutdown();
    }
  }, 60_000);
});
