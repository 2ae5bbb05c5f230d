// Issue 16: a person of the register with a mobile and no Vigie account, as
// the CCAS and the volunteers would notice it. When an interval ends without
// news the person is texted « répondez OUI » (the core's services.phoneCalls
// by SMS, the real twilio SDK against the Twilio stand-in, real Temporal and
// PostgreSQL), and their reply from that number, through the commune's signed
// inbound webhook, is what a key is to a call: OUI is a sign of life and
// nobody is bothered; another text, silence until the interval is over, or a
// number that sent STOP move the check-in to the volunteer at once. The same
// text goes out on each day of a plan canicule, and OUI counts the person as
// answered. No phone number in the call's context, the audit or Temporal.
// A person who prefers English is called and texted in English.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import {
  createTestContext,
  twilioForTests,
  TWILIO_TEST_PUBLIC_URL,
  type TestContext,
  type TwilioStandIn,
} from '@vigie/platform/testing';
import { coreServices, withTenant } from '@vigie/platform/plugin';
import { notices, personInput, REGISTER, until, World, type Person } from './testing/world.js';

let ctx: TestContext;
let twilio: TwilioStandIn;
let world: World;
let ccas: { browser: Person['browser']; accountId: string };
let volunteer: Person;
let volunteerId: string;
let app: FastifyInstance | undefined;

// A "day" of 3 s: an hour is 125 ms, so the volunteer's own delay is 9 s; a text's reply is awaited a day.
const SETTINGS = { dayMinutes: 0.05, volunteerReminderHours: 72, ccasDelayHours: 8, policeDelayHours: 8 };
const COMMUNE_NUMBER = '+33757000016';
const INBOUND = `${TWILIO_TEST_PUBLIC_URL}/webhooks/twilio/inbound`;
const PAIR = 'mutation($p: ID!, $v: ID!) { solPair(personId: $p, volunteerId: $v) { id } }';

beforeAll(async () => {
  const t = await twilioForTests(() => app);
  twilio = t.twilio;
  ctx = await createTestContext({ env: t.env });
  app = ctx.app;
  world = await World.create(ctx, SETTINGS, 10);
  // Texts at any hour; the commune's number takes the replies.
  await ctx
    .operatorDb('tenants')
    .where({ id: world.tenant.id })
    .update({
      settings: JSON.stringify({
        sms: { number: COMMUNE_NUMBER },
        alerts: { voiceCallStart: '00:00', voiceCallEnd: '23:59', receiptCheckSeconds: 1 },
      }),
    });
  [ccas, volunteer] = await Promise.all([world.staff('ccas_agent'), world.resident('Paul (bénévole)', 0, 1)]);
  await volunteer.browser.ok('mutation { solOfferToVolunteer(availability: "Le soir") { volunteer } }');
  const { solVolunteers } = await ccas.browser.ok<{ solVolunteers: Array<{ id: string }> }>(
    '{ solVolunteers { id } }',
  );
  volunteerId = solVolunteers[0]!.id;
}, 120_000);
afterAll(async () => {
  await ctx?.close();
  await twilio?.close();
});

const remindedAbout = async (name: string) =>
  (await notices(volunteer, 'no_news')).filter((n) => n.body.includes(name));
const textsTo = (to: string) => twilio.messages.filter((m) => m.to === to);

/** A text from the person's mobile to the commune's number, signed as Twilio signs it. */
async function reply(from: string, body: string) {
  const req = twilio.inbound(INBOUND, { from, to: COMMUNE_NUMBER, body });
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/webhooks/twilio/inbound',
    headers: req.headers,
    payload: req.body,
  });
  expect(res.statusCode).toBe(200);
  return res.body;
}

async function mobile(firstName: string, phone: string, extra: Record<string, unknown> = {}) {
  const r = await ccas.browser.ok<{ solRegisterPerson: { id: string } }>(REGISTER, {
    i: personInput(world.addresses[0][0]!, {
      firstName,
      lastName: 'Mobile',
      contactMethod: 'mobile',
      phone,
      escalatePolice: false,
      ...extra,
    }),
  });
  await ccas.browser.ok(PAIR, { p: r.solRegisterPerson.id, v: volunteerId });
  return r.solRegisterPerson.id;
}

const withdraw = (id: string) =>
  ccas.browser.ok('mutation($id: ID!) { solWithdrawConsent(id: $id) }', { id });

describe('a mobile with no Vigie account', () => {
  it('is texted « répondez OUI »: OUI from that number is news, anything else or silence the volunteer at once', async () => {
    const worker = await ctx.startWorker();
    try {
      // Nina texted STOP to the commune's number long ago: she is never texted.
      await reply('+33612345604', 'STOP');
      const start = Date.now();
      const lucie = await mobile('Lucie', '06 12 34 56 01');
      const marc = await mobile('Marc', '06 12 34 56 02');
      const odile = await mobile('Odile', '06 12 34 56 03');
      const nina = await mobile('Nina', '06 12 34 56 04');

      // Lucie is asked by SMS once her interval is over, and answers OUI.
      const [asked] = await until(
        async () => textsTo('+33612345601').length > 0 && textsTo('+33612345601'),
        10_000,
      );
      expect(asked!.body).toContain('Bonjour Lucie, ici le CCAS');
      expect(asked!.body).toContain('répondez OUI à ce SMS');
      expect(await reply('+33612345601', 'Oui !')).toContain('le CCAS sait que vous allez bien');
      const signs = await until(async () => {
        const s = await withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
          trx('sol_signs').where({ person_id: lucie }).pluck('source'),
        );
        return s.length > 0 && s;
      }, 5_000);
      expect(signs).toEqual(['self']);
      const lucieCall = await withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
        trx('phone_calls').where('key', 'like', `person:${lucie}:check-in:%`).first('channel', 'outcome'),
      );
      expect(lucieCall).toEqual({ channel: 'sms', outcome: 'confirmed' });
      expect(await remindedAbout('Lucie')).toEqual([]);

      // Marc answers something else: his volunteer, at once; nothing is raised as an alert.
      await until(async () => textsTo('+33612345602').length > 0, 10_000);
      expect(await reply('+33612345602', 'Non, je suis tombé')).toContain(
        'un bénévole va prendre de vos nouvelles',
      );
      // Odile never answers (a day), Nina is never texted: their volunteer too, well before his 9 s.
      for (const name of ['Marc', 'Odile', 'Nina'])
        await until(async () => (await remindedAbout(name)).length > 0, 9_000);
      expect(Date.now() - start).toBeLessThan(9_000);
      expect(textsTo('+33612345604')).toHaveLength(0);
      const outcomeOf = (id: string) =>
        withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
          trx('phone_calls')
            .where('key', 'like', `person:${id}:check-in:%`)
            .orderBy('created_at')
            .first('outcome', 'reason'),
        );
      expect(await outcomeOf(marc)).toEqual({ outcome: 'other_key', reason: null });
      expect(await outcomeOf(odile)).toEqual({ outcome: 'no_answer', reason: 'NO_REPLY' });
      expect(await outcomeOf(nina)).toEqual({ outcome: 'refused', reason: 'OPTED_OUT' });
      const alerts = await withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
        trx('alerts').count({ n: '*' }).first(),
      );
      expect(Number(alerts!.n)).toBe(0);

      // No phone number in the audit, the calls' context or the call workflow's history.
      const audit = await withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
        trx('audit_log').whereIn('target_id', [lucie, marc, odile, nina]).select('action', 'meta'),
      );
      expect(audit.some((a) => a.action === 'solidarite.sign.recorded')).toBe(true);
      const calls = await withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
        trx('phone_calls').where('key', 'like', `person:${lucie}:%`).select('id', 'context'),
      );
      const platform = ctx.app.services.get(coreServices.platform);
      const wfId = platform.workflows.options(world.tenant, 'phone-call', calls[0]!.id).workflowId;
      const history = await platform.workflows.client().workflow.getHandle(wfId).fetchHistory();
      const seen = JSON.stringify({ audit, calls, history });
      expect(seen).not.toMatch(/612345|12 34 56|6 ?12 ?34/);

      for (const id of [lucie, marc, odile, nina]) await withdraw(id);
      // Withdrawn consent takes their texts too (the sealed number, the words with their first name).
      const left = await withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
        trx('phone_calls').where('channel', 'sms').count({ n: '*' }).first(),
      );
      expect(Number(left!.n)).toBe(0);
      // A late OUI from a number no text awaits any more is not an answer: the usual reply to a stranger.
      expect(await reply('+33612345601', 'OUI')).not.toContain('le CCAS sait');
    } finally {
      await worker.shutdown();
    }
  }, 90_000);

  it('calls and texts in English when the register says the person prefers it', async () => {
    const worker = await ctx.startWorker();
    try {
      const mary = await mobile('Mary', '06 12 34 56 31', { locale: 'en' });
      const r = await ccas.browser.ok<{ solRegisterPerson: { id: string } }>(REGISTER, {
        i: personInput(world.addresses[0][1]!, {
          firstName: 'John',
          lastName: 'Fixe',
          phone: '01 60 43 00 31',
          escalatePolice: false,
          locale: 'en',
        }),
      });
      const john = r.solRegisterPerson.id;
      const { solPerson } = await ccas.browser.ok<{ solPerson: { locale: string } }>(
        'query($id: ID!) { solPerson(id: $id) { locale } }',
        { id: john },
      );
      expect(solPerson.locale).toBe('en');
      const [text] = await until(
        async () => textsTo('+33612345631').length > 0 && textsTo('+33612345631'),
        10_000,
      );
      expect(text!.body).toContain('Hello Mary, this is the CCAS');
      expect(text!.body).toContain('reply OK to this text');
      expect(await reply('+33612345631', 'OK')).toContain('the CCAS knows you are well');
      const [call] = await until(async () => {
        const c = twilio.calls.filter((x) => x.to === '+33160430031' && x.status === 'completed');
        return c.length > 0 && c;
      }, 10_000);
      expect(call!.said.filter((s) => s.text.includes('Hello John, this is the CCAS'))).toHaveLength(2);
      expect(call!.said.every((s) => s.language === 'en-GB')).toBe(true);
      // French stays the default; a language Vigie does not speak is refused by the schema, and nothing is stored.
      const bad = await ccas.browser.gql(REGISTER, {
        i: personInput(world.addresses[0][2]!, { firstName: 'Hans', locale: 'de' }),
      });
      expect(bad.errors?.length).toBeGreaterThan(0);
      const { solRegister } = await ccas.browser.ok<{
        solRegister: Array<{ firstName: string; locale: string }>;
      }>('{ solRegister { firstName locale } }');
      expect(solRegister.some((p) => p.firstName === 'Hans')).toBe(false);
      for (const id of [mary, john]) await withdraw(id);
    } finally {
      await worker.shutdown();
    }
  }, 60_000);

  it('is texted on each day of a plan canicule: OUI counts the person as answered', async () => {
    const worker = await ctx.startWorker();
    try {
      // Once a week: no check-in step comes in the way of the plan's round.
      const fine = await mobile('Jules', '06 12 34 56 21', { intervalDays: 7 });
      const silent = await mobile('Odette', '06 12 34 56 22', { intervalDays: 7 });
      await ccas.browser.ok('mutation { solActivatePlan(kind: canicule) { id } }');
      const [text] = await until(
        async () => textsTo('+33612345621').length > 0 && textsTo('+33612345621'),
        10_000,
      );
      expect(text!.body).toContain('Le plan canicule est activé');
      expect(await reply('+33612345621', 'oui')).toContain('Pensez à boire de l’eau');
      const plan = await until(async () => {
        const r = await ccas.browser.ok<{
          solPlan: { contacts: Array<{ firstName: string; status: string }> } | null;
        }>('{ solPlan { contacts { firstName status } } }');
        const jules = r.solPlan?.contacts.find((c) => c.firstName === 'Jules');
        return jules?.status === 'answered' ? r.solPlan! : undefined;
      }, 10_000);
      expect(plan.contacts.find((c) => c.firstName === 'Odette')!.status).toBe('pending');
      expect(textsTo('+33612345622').length).toBeGreaterThan(0);
      await ccas.browser.ok('mutation { solDeactivatePlan { id } }');
      for (const id of [fine, silent]) await withdraw(id);
    } finally {
      await worker.shutdown();
    }
  }, 60_000);
});
