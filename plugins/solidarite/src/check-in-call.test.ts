// A person of the register with a landline and no Vigie account, as the CCAS
// and the volunteers would notice it: when an interval ends without news, the
// person's landline rings first (the core's services.phoneCalls, the real
// twilio SDK against the Twilio stand-in, real Temporal and PostgreSQL): a 1
// is a sign of life and nobody is bothered; no answer (twice), busy, another
// key, or a number on the do-not-call list move the check-in to the volunteer
// at once, long before the volunteer's own delay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import {
  createTestContext,
  putOnDoNotCall,
  twilioForTests,
  type TestContext,
  type TwilioStandIn,
} from '@vigie/platform/testing';
import { withTenant } from '@vigie/platform/plugin';
import { notices, personInput, REGISTER, until, wait, World, type Person } from './testing/world.js';

let ctx: TestContext;
let twilio: TwilioStandIn;
let world: World;
let ccas: { browser: Person['browser']; accountId: string };
let volunteer: Person;
let app: FastifyInstance | undefined;

// A "day" of 3 s: an hour is 125 ms, so the volunteer's own delay is 9 s and the CCAS's 1 s after.
const SETTINGS = { dayMinutes: 0.05, volunteerReminderHours: 72, ccasDelayHours: 8, policeDelayHours: 8 };

beforeAll(async () => {
  const t = await twilioForTests(() => app);
  twilio = t.twilio;
  ctx = await createTestContext({ env: t.env });
  app = ctx.app;
  world = await World.create(ctx, SETTINGS, 10);
  // Calls at any hour, again after 1 s when nobody answered, two calls at most.
  await ctx
    .operatorDb('tenants')
    .where({ id: world.tenant.id })
    .update({
      settings: JSON.stringify({
        alerts: {
          voiceCallStart: '00:00',
          voiceCallEnd: '23:59',
          voiceRetrySeconds: 1,
          voiceAttempts: 2,
          receiptCheckSeconds: 1,
        },
      }),
    });
  [ccas, volunteer] = await Promise.all([world.staff('ccas_agent'), world.resident('Paul (bénévole)', 0, 1)]);
}, 120_000);
afterAll(async () => {
  await ctx?.close();
  await twilio?.close();
});

const PAIR = 'mutation($p: ID!, $v: ID!) { solPair(personId: $p, volunteerId: $v) { id } }';
const escalation = async (id: string) =>
  (
    await ccas.browser.ok<{ solPerson: { escalation: string } }>(
      'query($id: ID!) { solPerson(id: $id) { escalation } }',
      { id },
    )
  ).solPerson;
const remindedAbout = async (name: string) =>
  (await notices(volunteer, 'no_news')).filter((n) => n.body.includes(name));

async function landline(firstName: string, phone: string, volunteerId: string) {
  const r = await ccas.browser.ok<{ solRegisterPerson: { id: string } }>(REGISTER, {
    i: personInput(world.addresses[0][0]!, { firstName, lastName: 'Fixe', phone, escalatePolice: false }),
  });
  await ccas.browser.ok(PAIR, { p: r.solRegisterPerson.id, v: volunteerId });
  return r.solRegisterPerson.id;
}

describe('the automatic call to a landline', () => {
  it('takes 1 as news, and moves anything else to the volunteer at once', async () => {
    const worker = await ctx.startWorker();
    try {
      await volunteer.browser.ok('mutation { solOfferToVolunteer(availability: "Le soir") { volunteer } }');
      const { solVolunteers } = await ccas.browser.ok<{ solVolunteers: Array<{ id: string }> }>(
        '{ solVolunteers { id } }',
      );
      const v = solVolunteers[0]!.id;
      twilio.behaviour.callScript = (to) =>
        to === '+33160430001'
          ? { answer: 'answered', digits: '1' }
          : to === '+33160430002'
            ? { answer: 'no-answer' }
            : to === '+33160430003'
              ? { answer: 'answered', digits: '5' }
              : { answer: 'busy' };
      const start = Date.now();
      const louise = await landline('Louise', '01 60 43 00 01', v);
      const marcel = await landline('Marcel', '01 60 43 00 02', v);
      const rose = await landline('Rose', '01 60 43 00 03', v);
      const andre = await landline('André', '01 60 43 00 04', v);

      // Louise pressed 1: a sign of life, and a new interval.
      const [call] = await until(async () => {
        const c = twilio.calls.filter((x) => x.to === '+33160430001' && x.status === 'completed');
        return c.length > 0 && c;
      }, 15_000);
      expect(call!.said.filter((s) => s.text.includes('Bonjour Louise, ici le CCAS'))).toHaveLength(2);
      expect(call!.said.every((s) => s.language === 'fr-FR')).toBe(true);
      expect(call!.said.some((s) => s.text.startsWith('Si tout va bien, appuyez sur 1.'))).toBe(true);
      expect(call!.twiml[1]).toContain('le CCAS sait que vous allez bien');
      const signs = await until(async () => {
        const s = await withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
          trx('sol_signs').where({ person_id: louise }).pluck('source'),
        );
        return s.length > 0 && s;
      }, 10_000);
      expect(signs).toEqual(['self']);

      // Marcel (no answer, twice), Rose (another key), André (busy, twice): the volunteer, well before 9 s.
      for (const name of ['Marcel', 'Rose', 'André'])
        await until(async () => (await remindedAbout(name)).length > 0, 8_000);
      expect(Date.now() - start).toBeLessThan(9_000);
      expect(twilio.callsTo('+33160430002')).toBe(2);
      expect(twilio.callsTo('+33160430003')).toBe(1);
      expect(twilio.callsTo('+33160430004')).toBe(2);
      for (const id of [marcel, rose, andre]) expect((await escalation(id)).escalation).not.toBe('none');
      // Louise's volunteer heard nothing about her first interval.
      expect(await remindedAbout('Louise')).toEqual([]);
      const audit = await withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
        trx('audit_log')
          .whereIn('target_id', [louise, rose])
          .whereIn('action', ['solidarite.sign.recorded', 'solidarite.call.unanswered'])
          .select('target_id', 'action', 'meta'),
      );
      expect(audit).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ target_id: louise, action: 'solidarite.sign.recorded' }),
          expect.objectContaining({
            target_id: rose,
            action: 'solidarite.call.unanswered',
            meta: expect.objectContaining({ outcome: 'other_key' }),
          }),
        ]),
      );
      // Nothing in the audit log or the call's context carries a phone number.
      expect(JSON.stringify(audit)).not.toMatch(/60 ?43|\+3316/);
      const contexts = await withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
        trx('phone_calls').pluck('context'),
      );
      expect(contexts.length).toBeGreaterThanOrEqual(4);
      expect(JSON.stringify(contexts)).not.toMatch(/60 ?43|\+3316/);
      for (const id of [louise, marcel, rose, andre])
        await ccas.browser.ok('mutation($id: ID!) { solWithdrawConsent(id: $id) }', { id });
      // Withdrawn consent takes their calls too (the sealed number, the words with their first name).
      const left = await withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
        trx('phone_calls')
          .where((q) => {
            for (const id of [louise, marcel, rose, andre]) q.orWhere('key', 'like', `person:${id}:%`);
          })
          .count({ n: '*' })
          .first(),
      );
      expect(Number(left!.n)).toBe(0);
    } finally {
      twilio.behaviour.callScript = () => ({ answer: 'answered', digits: '1' });
      await worker.shutdown();
    }
  }, 90_000);

  it('never calls a number on the do-not-call list: the volunteer is reminded at once', async () => {
    const worker = await ctx.startWorker();
    try {
      const { solVolunteers } = await ccas.browser.ok<{ solVolunteers: Array<{ id: string }> }>(
        '{ solVolunteers { id } }',
      );
      // The mairie put the number on the do-not-call list.
      await putOnDoNotCall(ctx.db, world.tenant.id, '+33160430099');
      const start = Date.now();
      const id = await landline('Yvonne', '01 60 43 00 99', solVolunteers[0]!.id);
      await until(async () => (await remindedAbout('Yvonne')).length > 0, 8_000);
      expect(Date.now() - start).toBeLessThan(9_000);
      expect(twilio.callsTo('+33160430099')).toBe(0);
      const reason = await withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
        trx('phone_calls').where('key', 'like', `person:${id}:check-in:%`).first('outcome', 'reason'),
      );
      expect(reason).toEqual({ outcome: 'refused', reason: 'DO_NOT_CALL' });
      await ccas.browser.ok('mutation($id: ID!) { solWithdrawConsent(id: $id) }', { id });
      await wait(200);
    } finally {
      await worker.shutdown();
    }
  }, 60_000);

  it('calls every landline on each day of a plan canicule: a 1 counts the person as answered', async () => {
    const worker = await ctx.startWorker();
    twilio.behaviour.callScript = (to) =>
      to === '+33160430021' ? { answer: 'answered', digits: '1' } : { answer: 'no-answer' };
    try {
      const { solVolunteers } = await ccas.browser.ok<{ solVolunteers: Array<{ id: string }> }>(
        '{ solVolunteers { id } }',
      );
      // Once a week: no check-in step comes in the way of the plan's round.
      const fine = await ccas.browser.ok<{ solRegisterPerson: { id: string } }>(REGISTER, {
        i: personInput(world.addresses[0][0]!, {
          firstName: 'Jules',
          phone: '01 60 43 00 21',
          intervalDays: 7,
        }),
      });
      const silent = await ccas.browser.ok<{ solRegisterPerson: { id: string } }>(REGISTER, {
        i: personInput(world.addresses[0][0]!, {
          firstName: 'Odette',
          phone: '01 60 43 00 22',
          intervalDays: 7,
        }),
      });
      await ccas.browser.ok(PAIR, { p: fine.solRegisterPerson.id, v: solVolunteers[0]!.id });
      await ccas.browser.ok('mutation { solActivatePlan(kind: canicule) { id } }');
      const plan = await until(async () => {
        const r = await ccas.browser.ok<{
          solPlan: { contacts: Array<{ firstName: string; status: string }> } | null;
        }>('{ solPlan { contacts { firstName status } } }');
        const jules = r.solPlan?.contacts.find((c) => c.firstName === 'Jules');
        return jules?.status === 'answered' ? r.solPlan! : undefined;
      }, 15_000);
      expect(plan.contacts.find((c) => c.firstName === 'Odette')!.status).toBe('pending');
      const [call] = twilio.calls.filter((x) => x.to === '+33160430021');
      expect(call!.said.filter((s) => s.text.includes('Le plan canicule est activé'))).toHaveLength(2);
      await ccas.browser.ok('mutation { solDeactivatePlan { id } }');
      for (const p of [fine, silent])
        await ccas.browser.ok('mutation($id: ID!) { solWithdrawConsent(id: $id) }', {
          id: p.solRegisterPerson.id,
        });
    } finally {
      twilio.behaviour.callScript = () => ({ answer: 'answered', digits: '1' });
      await worker.shutdown();
    }
  }, 60_000);
});
