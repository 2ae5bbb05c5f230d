// The whole loop on the real Temporal dev server, with the commune's timers
// shortened through settings: declared, validated, on the patrol list, a visit
// and its notice, new dates, an anomaly to the police chief, a worker stopped
// in the middle of the absence, the no-visit reminder and the summary after
// the return, then nothing left once the retention period is over.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '@vigie/platform/testing';
import { coreServices, withTenant, type ActivityDeps } from '@vigie/platform/plugin';
import plugin from './index.js';
import { ABSENCE_WATCH_KIND, type AbsenceWatchResult } from './workflows/contract.js';
import { absenceInput, codeOf, DECLARE, notices, World, type Person } from './testing/world.js';

let ctx: TestContext;
let world: World;
let resident: Person;

const SECOND = 1000;
const DAY = 86_400_000;
// No notice needed, a reminder after 4 seconds without a visit, deletion 0 days after the return.
const SETTINGS = { minNoticeDays: 0, noVisitReminderDays: (4 * SECOND) / DAY, retentionDays: 0 };

beforeAll(async () => {
  ctx = await createTestContext();
  world = await World.create(ctx, SETTINGS);
  resident = await world.resident('Alice', 0);
  await withTenant(ctx.ownerDb, world.tenant.id, async (trx) => {
    await trx('accounts')
      .where({ id: resident.accountId })
      .update({ phone: '+33612340001', phone_verified_at: new Date() });
    // No quiet hours (an empty window): the defaults, 22:00–07:00, would hold
    // her SMS notice until the morning when this runs at night.
    await trx('notification_preferences').insert({
      tenant_id: world.tenant.id,
      account_id: resident.accountId,
      quiet_hours_start: '00:00',
      quiet_hours_end: '00:00',
    });
  });
});
afterAll(async () => ctx?.close());

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

const VISIT =
  'mutation($id: ID!, $o: TvVisitOutcome!, $n: String) { logVisit(absenceId: $id, outcome: $o, note: $n) { id outcome visitedAt } }';

it('watches an absence from the declaration to the summary, across a worker restart', async () => {
  let worker = await ctx.startWorker();
  const [agent, chief] = await Promise.all([world.staff('police_agent'), world.staff('police_chief')]);
  const departs = new Date(Date.now() + 3 * SECOND);
  const returns = new Date(Date.now() + 25 * SECOND);
  const { declareAbsence } = await resident.browser.ok<{ declareAbsence: { id: string } }>(DECLARE, {
    i: absenceInput(departs, returns),
  });
  const id = declareAbsence.id;

  // Not validated yet: the workflow refuses the visit.
  expect(codeOf(await agent.browser.gql(VISIT, { id, o: 'ras' }))).toBe('TV_VISIT_REFUSED');
  await agent.browser.ok('mutation($id: ID!) { validateAbsence(id: $id) { id } }', { id });
  await until(async () => (await notices(resident, 'validated')).length > 0);

  // On today's patrol list; before the departure a visit is outside the absence.
  const patrol = await agent.browser.ok<{ tvPatrol: { stops: Array<{ absence: { id: string } }> } }>(
    '{ tvPatrol { stops { absence { id } } } }',
  );
  expect(patrol.tvPatrol.stops.map((s) => s.absence.id)).toContain(id);
  expect(codeOf(await agent.browser.gql(VISIT, { id, o: 'ras' }))).toBe('TV_VISIT_REFUSED');

  await wait(departs.getTime() - Date.now() + 200);
  const ok = await agent.browser.ok<{ logVisit: { outcome: string } }>(VISIT, {
    id,
    o: 'ras',
    n: 'Volets clos',
  });
  expect(ok.logVisit.outcome).toBe('ras');
  const [notice] = await notices(resident, 'visit');
  expect(notice!.title).toBe('Avis de passage');
  expect(notice!.body).toContain('rien à signaler');
  expect(notice!.body).not.toContain('Agent');
  // Alice chose an SMS notice too: it goes to her verified phone (the dev outbox here), without the agent's name.
  const sms = await until(async () => {
    const rows = (await withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
      trx('dev_outbox').where({ channel: 'sms', recipient: '+33612340001' }).select('body'),
    )) as Array<{ body: string }>;
    return rows.find((r) => r.body.includes('Avis de passage'));
  });
  expect(sms.body).toContain('rien à signaler');
  expect(sms.body).not.toContain('Agent');

  // The resident brings the return forward: the workflow follows the new date.
  const newReturn = new Date(Date.now() + 14 * SECOND);
  await resident.browser.ok(
    'mutation($id: ID!, $r: String!) { changeAbsenceDates(id: $id, returnsAt: $r) { id } }',
    {
      id,
      r: newReturn.toISOString(),
    },
  );

  // An anomaly: urgent notice to the police chief, shown at the top of the console.
  await agent.browser.ok(VISIT, { id, o: 'open_window', n: 'Fenêtre de la cuisine entrouverte' });
  const [urgent] = await notices(chief, 'anomaly');
  expect(urgent!.title).toMatch(/^URGENT/);
  const anomalies = await agent.browser.ok<{
    tvAnomalies: Array<{ absence: { id: string }; visit: { outcome: string } }>;
  }>('{ tvAnomalies { absence { id } visit { outcome } } }');
  expect(anomalies.tvAnomalies[0]).toEqual({ absence: { id }, visit: { outcome: 'open_window' } });

  // The worker goes away in the middle of the absence; the no-visit reminder is due meanwhile.
  await worker.shutdown();
  await wait(5 * SECOND);
  worker = await ctx.startWorker();
  await until(async () => (await notices(agent, 'no_visit')).length > 0);

  const handle = ctx.temporal.client.workflow.getHandle(`${world.tenant.slug}/${ABSENCE_WATCH_KIND}/${id}`);
  const result = (await handle.result()) as AbsenceWatchResult;
  expect(result).toMatchObject({ outcome: 'summarised', visits: 2 });
  expect(Date.now()).toBeGreaterThanOrEqual(newReturn.getTime());
  const [summary] = await notices(resident, 'summary');
  expect(summary!.body).toContain('2 passages');
  expect(summary!.body).toContain('1 anomalie');

  // After the return, a visit is refused (the watch is over).
  expect(codeOf(await agent.browser.gql(VISIT, { id, o: 'ras' }))).toBe('TV_VISIT_REFUSED');

  // The retention period (0 days here) is over: the sweep leaves nothing.
  await plugin.retention[0]!.purge(
    { db: ctx.db, services: ctx.app.services.get(coreServices.platform) } as unknown as ActivityDeps,
    new Date(Date.now() + SECOND),
  );
  const left = await withTenant(ctx.db, world.tenant.id, async (trx) => ({
    absences: Number((await trx('tv_absences').count('* as n').first())!.n),
    visits: Number((await trx('tv_visits').count('* as n').first())!.n),
  }));
  expect(left).toEqual({ absences: 0, visits: 0 });
}, 60_000);

it('refuses a visit for a cancelled absence', async () => {
  await ctx.startWorker();
  const agent = await world.staff('police_agent');
  const bruno = await world.resident('Bruno', 1);
  const { declareAbsence } = await bruno.browser.ok<{ declareAbsence: { id: string } }>(DECLARE, {
    i: absenceInput(new Date(Date.now() + SECOND), new Date(Date.now() + 60 * SECOND)),
  });
  const id = declareAbsence.id;
  await agent.browser.ok('mutation($id: ID!) { validateAbsence(id: $id) { id } }', { id });
  await bruno.browser.ok('mutation($id: ID!) { cancelAbsence(id: $id) { id } }', { id });
  expect(codeOf(await agent.browser.gql(VISIT, { id, o: 'ras' }))).toBe('TV_VISIT_REFUSED');
  const result = (await ctx.temporal.client.workflow
    .getHandle(`${world.tenant.slug}/${ABSENCE_WATCH_KIND}/${id}`)
    .result()) as AbsenceWatchResult;
  expect(result.outcome).toBe('cancelled');
}, 30_000);

it('closes the watch on an early return and sends the summary at once', async () => {
  await ctx.startWorker();
  const agent = await world.staff('police_agent');
  const chloe = await world.resident('Chloé', 2);
  const { declareAbsence } = await chloe.browser.ok<{ declareAbsence: { id: string } }>(DECLARE, {
    i: absenceInput(new Date(Date.now() + SECOND), new Date(Date.now() + 3_600_000)),
  });
  const id = declareAbsence.id;
  await agent.browser.ok('mutation($id: ID!) { validateAbsence(id: $id) { id } }', { id });
  await wait(1500);
  const back = await chloe.browser.ok<{ declareEarlyReturn: { earlyReturn: boolean; status: string } }>(
    'mutation($id: ID!) { declareEarlyReturn(id: $id) { earlyReturn status } }',
    { id },
  );
  expect(back.declareEarlyReturn).toEqual({ earlyReturn: true, status: 'validated' });
  const result = (await ctx.temporal.client.workflow
    .getHandle(`${world.tenant.slug}/${ABSENCE_WATCH_KIND}/${id}`)
    .result()) as AbsenceWatchResult;
  expect(result).toMatchObject({ outcome: 'summarised', visits: 0 });
  const [summary] = await notices(chloe, 'summary');
  expect(summary!.body).toContain('0 passage');
  const changed = await notices(agent, 'changed');
  expect(changed.some((n) => n.body.includes('retour anticipé'))).toBe(true);
}, 30_000);
