// An anomaly at a home under watch calls the person to contact named in the
// declaration (a number typed in the form, not an account), as the police
// would notice it on their console: the call says what was found and the
// police's number, a 1 is recorded `confirmed`, no answer twice `no_answer`,
// and a number no phone can reach is `invalid_number` without losing the
// visit. Erasing the account, or the declaration's retention period, forgets
// the contact's number at once; a contact the resident says speaks English
// is called in English. Real Temporal and PostgreSQL, the real twilio
// SDK against the stand-in.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import {
  createTestContext,
  twilioForTests,
  type TestContext,
  type TwilioStandIn,
} from '@vigie/platform/testing';
import { coreServices, withTenant, type ActivityDeps } from '@vigie/platform/plugin';
import plugin from './index.js';
import { absenceInput, DECLARE, notices, World, type Person } from './testing/world.js';
import { OUTCOMES } from './texts.js';

let ctx: TestContext;
let twilio: TwilioStandIn;
let world: World;
let app: FastifyInstance | undefined;
let agent: Person | { browser: Person['browser']; accountId: string };

const SECOND = 1000;
const FORCED = OUTCOMES.forced_entry.fr;
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(fn: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await wait(200);
  }
}

beforeAll(async () => {
  const t = await twilioForTests(() => app);
  twilio = t.twilio;
  ctx = await createTestContext({ env: t.env });
  app = ctx.app;
  world = await World.create(ctx, { minNoticeDays: 0 });
  await ctx
    .operatorDb('tenants')
    .where({ id: world.tenant.id })
    .update({
      settings: JSON.stringify({
        police: { phone: '01 64 17 47 00' },
        // Outside the usual hours on purpose: an anomaly is urgent and rings anyway.
        alerts: {
          voiceCallStart: '03:00',
          voiceCallEnd: '03:01',
          voiceUrgentAnyHour: true,
          voiceRetrySeconds: 1,
          voiceAttempts: 2,
          receiptCheckSeconds: 1,
        },
      }),
    });
  agent = await world.staff('police_agent');
}, 120_000);
afterAll(async () => {
  await ctx?.close();
  await twilio?.close();
});

const VISIT =
  'mutation($id: ID!, $o: TvVisitOutcome!, $n: String) { logVisit(absenceId: $id, outcome: $o, note: $n) { id contactCall } }';
const ANOMALIES = '{ tvAnomalies { absence { id } visit { id outcome contactCall } } }';

async function underWatch(
  name: string,
  n: number,
  contactPhone: string,
  extra: Record<string, unknown> = {},
) {
  const resident = await world.resident(name, n);
  const departs = new Date(Date.now() + 1.5 * SECOND);
  const { declareAbsence } = await resident.browser.ok<{ declareAbsence: { id: string } }>(DECLARE, {
    i: absenceInput(departs, new Date(Date.now() + 60 * SECOND), { contactPhone, ...extra }),
  });
  await agent.browser.ok('mutation($id: ID!) { validateAbsence(id: $id) { id } }', { id: declareAbsence.id });
  await wait(departs.getTime() - Date.now() + 300);
  return { resident, id: declareAbsence.id };
}

const contactCallOf = async (visitId: string) =>
  (
    await agent.browser.ok<{ tvAnomalies: Array<{ visit: { id: string; contactCall: string | null } }> }>(
      ANOMALIES,
    )
  ).tvAnomalies.find((a) => a.visit.id === visitId)?.visit.contactCall;

it('calls the person to contact after an anomaly and shows the police how the call went', async () => {
  const worker = await ctx.startWorker();
  twilio.behaviour.callScript = (to) =>
    to === '+33655667701' ? { answer: 'answered', digits: '1' } : { answer: 'no-answer' };
  try {
    const chief = await world.staff('police_chief');
    const a = await underWatch('Alice', 0, '06 55 66 77 01');
    const b = await underWatch('Bruno', 1, '06 55 66 77 02');
    const c = await underWatch('Chloé', 2, '08 99 00 00 00');
    const d = await underWatch('Denis', 3, '06 55 66 77 04');

    const va = await agent.browser.ok<{ logVisit: { id: string; contactCall: string } }>(VISIT, {
      id: a.id,
      o: 'forced_entry',
      n: 'Porte d’entrée fracturée',
    });
    expect(va.logVisit.contactCall).toBe('calling');
    const vb = await agent.browser.ok<{ logVisit: { id: string } }>(VISIT, { id: b.id, o: 'open_window' });
    // A number no phone can reach (08: a special-rate service): the visit and the chief's alert stand.
    const vc = await agent.browser.ok<{ logVisit: { id: string; contactCall: string } }>(VISIT, {
      id: c.id,
      o: 'letterbox',
    });
    expect(vc.logVisit.contactCall).toBe('invalid_number');
    // Nothing found: nobody is called.
    const vd = await agent.browser.ok<{ logVisit: { id: string; contactCall: string | null } }>(VISIT, {
      id: d.id,
      o: 'ras',
    });
    expect(vd.logVisit.contactCall).toBeNull();

    expect(await until(async () => (await contactCallOf(va.logVisit.id)) === 'confirmed' || undefined)).toBe(
      true,
    );
    const [call] = twilio.calls.filter((x) => x.to === '+33655667701');
    const said = call!.said.filter((s) => s.text.includes('Vous êtes la personne à prévenir'));
    expect(said).toHaveLength(2);
    expect(said.every((s) => s.language === 'fr-FR')).toBe(true);
    expect(said[0]!.text).toContain(`nous avons constaté : ${FORCED}`);
    expect(said[0]!.text).toContain('01 64 17 47 00');
    expect(call!.said.some((s) => s.text.includes('appuyez sur 1'))).toBe(true);
    expect(
      await until(async () => (await contactCallOf(vb.logVisit.id)) === 'no_answer' || undefined, 20_000),
    ).toBe(true);
    expect(twilio.callsTo('+33655667702')).toBe(2);
    expect(twilio.calls.filter((x) => x.to.startsWith('+338'))).toEqual([]);
    expect(await contactCallOf(vc.logVisit.id)).toBe('invalid_number');
    // The chief's urgent alerts came as before, one per anomaly.
    expect((await notices(chief, 'anomaly')).length).toBe(3);
    // The resident never sees the call (their notice gives the time and the outcome only).
    const own = await a.resident.browser.ok<{ tvAbsence: { visits: Array<{ contactCall: string | null }> } }>(
      'query($id: ID!) { tvAbsence(id: $id) { visits { contactCall } } }',
      { id: a.id },
    );
    expect(own.tvAbsence.visits).toEqual([{ contactCall: null }]);
    const audit = await withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
      trx('audit_log').where({ action: 'tranquillite-vacances.contact.called' }).select('meta'),
    );
    expect(audit.map((r) => r.meta.outcome).sort()).toEqual(['confirmed', 'no_answer']);
    expect(JSON.stringify(audit)).not.toMatch(/55 ?66|\+33655/);

    // RGPD: Alice erases her account, so her declaration goes, and the call to her contact's number at once
    // (not 30 days after it was settled); Bruno's declaration and call stay until the retention period.
    const callOf = (visitId: string) =>
      withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
        trx('phone_calls')
          .where({ key: `anomaly:${visitId}` })
          .first('id'),
      );
    expect(await callOf(va.logVisit.id)).toBeDefined();
    await a.resident.browser.ok('mutation($p: String!) { deleteMyAccount(password: $p) }', {
      p: 'correct horse battery',
    });
    expect(await callOf(va.logVisit.id)).toBeUndefined();
    expect(await callOf(vb.logVisit.id)).toBeDefined();
    // The declarations' retention period is over: their calls go with them.
    await plugin.retention[0]!.purge(
      { db: ctx.db, services: ctx.app.services.get(coreServices.platform) } as unknown as ActivityDeps,
      new Date(Date.now() + 400 * 86_400_000),
    );
    expect(await callOf(vb.logVisit.id)).toBeUndefined();
  } finally {
    twilio.behaviour.callScript = () => ({ answer: 'answered', digits: '1' });
    await worker.shutdown();
  }
}, 90_000);

it('calls the person to contact in English when the declaration says so', async () => {
  const worker = await ctx.startWorker();
  try {
    const e = await underWatch('Emma', 4, '06 55 66 77 05', { contactLocale: 'en' });
    const { tvAbsence } = await e.resident.browser.ok<{ tvAbsence: { details: { contactLocale: string } } }>(
      'query($id: ID!) { tvAbsence(id: $id) { details { contactLocale } } }',
      { id: e.id },
    );
    expect(tvAbsence.details.contactLocale).toBe('en');
    await agent.browser.ok(VISIT, { id: e.id, o: 'forced_entry' });
    const [call] = await until(async () => {
      const c = twilio.calls.filter((x) => x.to === '+33655667705' && x.status === 'completed');
      return c.length > 0 && c;
    });
    const said = call!.said.filter((s) => s.text.includes('You are the person to contact'));
    expect(said).toHaveLength(2);
    expect(said[0]!.text).toContain(`we found: ${OUTCOMES.forced_entry.en}`);
    expect(call!.said.every((s) => s.language === 'en-GB')).toBe(true);
    // A language Vigie does not speak is refused by the schema.
    const bad = await e.resident.browser.gql(DECLARE, {
      i: absenceInput(new Date(Date.now() + 2 * SECOND), new Date(Date.now() + 60 * SECOND), {
        contactPhone: '06 55 66 77 06',
        contactLocale: 'de',
      }),
    });
    expect(bad.errors?.length).toBeGreaterThan(0);
  } finally {
    await worker.shutdown();
  }
}, 60_000);
