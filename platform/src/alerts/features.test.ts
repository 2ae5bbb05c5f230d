// Delivery rules a resident or the police would notice, each on a small
// commune: typed failures and fallbacks, opt-outs, quiet hours and the daily
// digest, escalation of an urgent alert nobody acknowledged, and the monthly
// SMS budget. Real Temporal, PostgreSQL, Twilio stand-in and SES stand-in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALERT_DELIVERY_KIND,
  ALERT_HOUSEKEEPING_WORKFLOW,
  DELIVERIES_PENDING_SIGNAL,
  workflowId,
  type AlertHousekeepingResult,
} from '@vigie/workflows/contracts';
import { withTenant } from '../db/tenant.js';
import { recordOptOut } from '../notifications/opt-outs.js';
import { billingMonth } from '../notifications/sms-usage.js';
import { staffBrowser, uniqueId } from '../testing/index.js';
import {
  deliverAlert,
  RAISE,
  seedCommune,
  seedResident,
  startHarness,
  waitFor,
  type Harness,
  type SeededCommunity,
} from './testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.startWorkers();
}, 120_000);
afterAll(async () => h?.close());

const FAST = { retryInitialSeconds: 0.2, receiptWindowMinutes: 1 };

async function policeAlert(
  c: SeededCommunity,
  severity: string,
  text: string,
  category = 'incident',
): Promise<string> {
  const r = await c.police.browser.ok<{ raiseAlert: { id: string } }>(RAISE, {
    input: { category, severity, text, target: { kind: 'sectors', sectorIds: [c.sectorId] } },
  });
  return r.raiseAlert.id;
}

type Row = {
  id: string;
  account_id: string | null;
  purpose: string;
  channel: string;
  status: string;
  reason: string | null;
  fallback_of: string | null;
  not_before: Date | null;
};
const rowsOf = (c: SeededCommunity, alertId: string) =>
  withTenant(h.ctx.db, c.tenant.id, (trx) =>
    trx('deliveries').where({ alert_id: alertId }).select<Row[]>('*'),
  );

describe('typed failures and fallbacks', () => {
  it('falls back to email for an invalid number and an undelivered SMS, skips an opted-out number, and says why', async () => {
    const c = await seedCommune(h.ctx, { alerts: FAST });
    const invalid = await seedResident(h, c.tenant, c.sectorId, { phone: '+33600000101', channels: ['sms'] });
    const unreachable = await seedResident(h, c.tenant, c.sectorId, {
      phone: '+33600000102',
      channels: ['sms'],
    });
    const stopped = await seedResident(h, c.tenant, c.sectorId, { phone: '+33600000103', channels: ['sms'] });
    const fine = await seedResident(h, c.tenant, c.sectorId, { phone: '+33600000104', channels: ['sms'] });
    h.twilio.behaviour.rejections.set('+33600000101', 21211);
    h.twilio.behaviour.outcome = (to) =>
      to === '+33600000102' ? { status: 'undelivered', errorCode: 30003 } : { status: 'delivered' };
    await withTenant(h.ctx.db, c.tenant.id, (trx) =>
      recordOptOut(trx, c.tenant.id, {
        channel: 'sms',
        address: '+33600000103',
        reason: 'stop_keyword',
        source: 'twilio-inbound',
      }),
    );
    try {
      const alertId = await policeAlert(c, 'important', 'Coupure d’eau rue des Lilas jusqu’à 18 h.');
      const result = await deliverAlert(h, c.tenant, alertId);
      const rows = await rowsOf(c, alertId);
      const of = (p: { id: string }, channel: string) =>
        rows.find((r) => r.account_id === p.id && r.channel === channel);

      expect(of(invalid, 'sms')).toMatchObject({ status: 'failed', reason: 'INVALID_NUMBER' });
      expect(of(invalid, 'email')).toMatchObject({
        status: 'delivered',
        fallback_of: of(invalid, 'sms')!.id,
      });
      expect(of(unreachable, 'sms')).toMatchObject({ status: 'undelivered', reason: 'UNREACHABLE' });
      expect(of(unreachable, 'email')).toMatchObject({
        status: 'delivered',
        fallback_of: of(unreachable, 'sms')!.id,
      });
      expect(of(stopped, 'sms')).toMatchObject({ status: 'skipped', reason: 'OPTED_OUT' });
      expect(of(stopped, 'in_app')).toMatchObject({ status: 'delivered' });
      expect(of(fine, 'sms')).toMatchObject({ status: 'delivered', reason: null });
      expect(of(fine, 'email')).toBeUndefined();
      expect(h.twilio.sendsTo('+33600000103')).toBe(0);
      expect(result.byStatus).toEqual({ delivered: 4, failed: 1, undelivered: 1, skipped: 1 });
    } finally {
      h.twilio.behaviour.rejections.clear();
      h.twilio.behaviour.outcome = () => ({ status: 'delivered' });
    }
  }, 120_000);
});

describe('receipts that never came', () => {
  it('asks Twilio the status of SMS whose callbacks were lost, records it, and falls back to email for an undelivered one', async () => {
    const c = await seedCommune(h.ctx, {
      alerts: { ...FAST, receiptWindowMinutes: 10, receiptCheckSeconds: 2 },
    });
    const fine = await Promise.all(
      [0, 1, 2].map((i) =>
        seedResident(h, c.tenant, c.sectorId, { phone: `+3360000021${i}`, channels: ['sms'] }),
      ),
    );
    const unreachable = await seedResident(h, c.tenant, c.sectorId, {
      phone: '+33600000219',
      channels: ['sms'],
    });
    h.twilio.reset();
    // Our endpoint "down": not one status callback arrives.
    h.twilio.behaviour.lostCallbackRate = 1;
    h.twilio.behaviour.outcome = (to) =>
      to === '+33600000219' ? { status: 'undelivered', errorCode: 30003 } : { status: 'delivered' };
    try {
      const t0 = Date.now();
      const alertId = await policeAlert(c, 'important', 'Fuite de gaz signalée avenue des Platanes.');
      const result = await deliverAlert(h, c.tenant, alertId);
      const ms = Date.now() - t0;
      expect(h.twilio.callbacks).toEqual([]);
      expect(h.twilio.lostCallbacks).toBeGreaterThanOrEqual(4 * 2);
      const rows = await rowsOf(c, alertId);
      const of = (p: { id: string }, channel: string) =>
        rows.find((r) => r.account_id === p.id && r.channel === channel);
      for (const p of fine) expect(of(p, 'sms')).toMatchObject({ status: 'delivered', reason: null });
      expect(of(unreachable, 'sms')).toMatchObject({ status: 'undelivered', reason: 'UNREACHABLE' });
      expect(of(unreachable, 'email')).toMatchObject({
        status: 'delivered',
        fallback_of: of(unreachable, 'sms')!.id,
      });
      expect(result.byStatus).toEqual({ delivered: 4, undelivered: 1 });
      // Settled by the checks, long before the ten-minute receipt window.
      expect(ms).toBeLessThan(60_000);
      expect(h.twilio.duplicateSends()).toBe(0);
    } finally {
      h.twilio.behaviour.lostCallbackRate = 0;
      h.twilio.behaviour.outcome = () => ({ status: 'delivered' });
    }
  }, 120_000);
});

describe('quiet hours and the daily digest', () => {
  const hhmm = (d: Date) => d.toISOString().slice(11, 16);

  it('holds an `info` email during quiet hours, sends in-app at once, and sends the email when the quiet hours end', async () => {
    const c = await seedCommune(h.ctx, { alerts: FAST });
    const now = Date.now();
    const q = await seedResident(h, c.tenant, c.sectorId, {
      channels: ['email', 'in_app'],
      prefs: {
        quiet_hours_start: hhmm(new Date(now - 3_600_000)),
        quiet_hours_end: hhmm(new Date(now + 3_600_000)),
        timezone: 'UTC',
      },
    });
    const alertId = await policeAlert(c, 'info', 'Marché de nuit samedi sur la place.', 'information');
    const handle = h.ctx.temporal.client.workflow.getHandle(
      workflowId(c.tenant.slug, ALERT_DELIVERY_KIND, alertId),
    );
    await waitFor('the in-app notification', async () =>
      (await rowsOf(c, alertId)).find((r) => r.channel === 'in_app' && r.status === 'delivered'),
    );
    const held = (await rowsOf(c, alertId)).find((r) => r.account_id === q.id && r.channel === 'email')!;
    expect(held).toMatchObject({ status: 'held', reason: 'QUIET_HOURS' });
    expect(Math.abs(held.not_before!.getTime() - (now + 3_600_000))).toBeLessThan(61_000);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    expect(await h.ses.emailsTo(q.email)).toEqual([]);

    // The morning comes (moved forward here instead of waiting an hour): the workflow sends the email.
    await withTenant(h.ctx.ownerDb, c.tenant.id, (trx) =>
      trx('deliveries')
        .where({ id: held.id })
        .update({ not_before: new Date(Date.now() - 1000) }),
    );
    await handle.signal(DELIVERIES_PENDING_SIGNAL);
    const result = await deliverAlert(h, c.tenant, alertId);
    expect(result.byStatus).toEqual({ delivered: 2 });
    expect(await h.ses.emailsTo(q.email)).toHaveLength(1);
  }, 120_000);

  it('gathers `info` alerts into one daily digest email for residents who chose it', async () => {
    const c = await seedCommune(h.ctx, { alerts: FAST });
    const g = await seedResident(h, c.tenant, c.sectorId, {
      channels: ['email'],
      prefs: { digest_info: true },
    });
    const first = await policeAlert(c, 'info', 'Collecte des encombrants mardi.', 'information');
    const second = await policeAlert(c, 'info', 'Chat tigré trouvé près de l’école.', 'animal-perdu');
    await Promise.all([deliverAlert(h, c.tenant, first), deliverAlert(h, c.tenant, second)]);
    const held = [...(await rowsOf(c, first)), ...(await rowsOf(c, second))];
    expect(held.map((r) => [r.status, r.reason])).toEqual([
      ['held', 'DIGEST'],
      ['held', 'DIGEST'],
    ]);
    const due = new Date(Math.max(...held.map((r) => r.not_before!.getTime())) + 60_000);
    const out = await h.ctx.temporal.client.workflow.execute<
      (i: { asOf: string }) => Promise<AlertHousekeepingResult>
    >(ALERT_HOUSEKEEPING_WORKFLOW, {
      taskQueue: h.ctx.taskQueue,
      workflowId: `platform/alert-housekeeping/${uniqueId()}`,
      args: [{ asOf: due.toISOString() }],
    });
    expect(out.digests).toBe(1);
    const mails = await h.ses.emailsTo(g.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toMatch(/^Votre résumé du jour/);
    expect(mails[0]!.body.text).toContain('Collecte des encombrants mardi.');
    expect(mails[0]!.body.text).toContain('Chat tigré trouvé près de l’école.');
    const after = [...(await rowsOf(c, first)), ...(await rowsOf(c, second))];
    expect(after.every((r) => r.status === 'sent')).toBe(true);
  }, 120_000);
});

describe('escalation of an urgent alert', () => {
  it('re-sends it to the on-duty contact and the police chief when nobody acknowledged it in time', async () => {
    const c = await seedCommune(h.ctx, {
      alerts: { ...FAST, escalationMinutes: 0.05, onDuty: { phone: '+33699990000' } },
    });
    const chief = await seedResident(h, c.tenant, null, {
      phone: '+33699990001',
      roles: [{ role: 'police_chief' }],
    });
    const r = await seedResident(h, c.tenant, c.sectorId, { channels: ['in_app'] });
    const { raiseAlert } = await r.browser.ok<{ raiseAlert: { id: string; status: string } }>(RAISE, {
      input: { category: 'personne-agee', text: 'Ma voisine de 90 ans ne répond plus depuis hier.' },
    });
    expect(raiseAlert.status).toBe('received');
    const result = await deliverAlert(h, c.tenant, raiseAlert.id);
    expect(result.escalated).toBe(true);

    const esc = (await rowsOf(c, raiseAlert.id)).filter((x) => x.purpose === 'escalation');
    expect(esc.map((x) => [x.account_id, x.channel, x.status]).sort()).toEqual(
      [
        [chief.id, 'email', 'delivered'],
        [chief.id, 'in_app', 'delivered'],
        [chief.id, 'sms', 'delivered'],
        [null, 'sms', 'delivered'],
      ].sort(),
    );
    const onDuty = h.twilio.messages.filter((m) => m.to === '+33699990000');
    expect(onDuty).toHaveLength(1);
    expect(onDuty[0]!.body).toContain('ESCALADE');
    const audit = await withTenant(h.ctx.db, c.tenant.id, (trx) =>
      trx('audit_log').where({ action: 'alert.escalated', target_id: raiseAlert.id }).select('id'),
    );
    expect(audit).toHaveLength(1);
  }, 120_000);

  it('does not escalate once a police agent acknowledged the alert', async () => {
    const c = await seedCommune(h.ctx, {
      alerts: { ...FAST, escalationMinutes: 0.5, onDuty: { phone: '+33699990002' } },
    });
    await seedResident(h, c.tenant, null, { phone: '+33699990003', roles: [{ role: 'police_chief' }] });
    const r = await seedResident(h, c.tenant, c.sectorId, { channels: ['in_app'] });
    const { raiseAlert } = await r.browser.ok<{ raiseAlert: { id: string } }>(RAISE, {
      input: { category: 'individu-suspect', severity: 'urgent', text: 'Individu armé vu près du parc.' },
    });
    const t0 = Date.now();
    await c.police.browser.ok('mutation ($id: ID!) { acknowledgeAlert(id: $id) { status } }', {
      id: raiseAlert.id,
    });
    const result = await deliverAlert(h, c.tenant, raiseAlert.id);
    expect(result.escalated).toBe(false);
    // The acknowledgement signal ended the wait: the workflow did not sit out the 30 s timer.
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect((await rowsOf(c, raiseAlert.id)).filter((x) => x.purpose === 'escalation')).toEqual([]);
    expect(h.twilio.sendsTo('+33699990002')).toBe(0);
  }, 120_000);
});

describe('the officer on duty, set from the console', () => {
  it('receives the escalation instead of every agent; only the chief or the mairie may set one, and only a police officer', async () => {
    const c = await seedCommune(h.ctx, { alerts: { ...FAST, escalationMinutes: 0.05 } });
    const { browser: chief } = await staffBrowser(h.ctx.app, h.ctx.db, c.tenant, 'police_chief', '10.20.0.1');
    const onDuty = await seedResident(h, c.tenant, null, {
      phone: '+33699990011',
      roles: [{ role: 'police_agent' }],
    });
    const r = await seedResident(h, c.tenant, c.sectorId, { channels: ['in_app'] });
    const SET = 'mutation ($id: ID) { setPoliceOnDuty(accountId: $id) { accountId displayName since } }';

    // An agent may not choose; a resident or a malformed id is no officer.
    const denied = await c.police.browser.gql(SET, { id: onDuty.id });
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    for (const [id, code] of [
      [r.id, 'ALERT_ON_DUTY_INVALID'],
      ['not-an-id', 'VALIDATION_FAILED'],
    ] as const) {
      const bad = await chief.gql(SET, { id });
      expect(bad.errors?.[0]?.extensions?.code, id).toBe(code);
    }
    const set = await chief.ok<{ setPoliceOnDuty: { accountId: string } }>(SET, { id: onDuty.id });
    expect(set.setPoliceOnDuty.accountId).toBe(onDuty.id);
    const read = await c.police.browser.ok<{ policeOnDuty: { accountId: string } | null }>(
      '{ policeOnDuty { accountId displayName } }',
    );
    expect(read.policeOnDuty?.accountId).toBe(onDuty.id);

    const { raiseAlert } = await r.browser.ok<{ raiseAlert: { id: string } }>(RAISE, {
      input: {
        category: 'individu-suspect',
        severity: 'urgent',
        text: 'Quelqu’un force une porte rue des Lilas.',
      },
    });
    const result = await deliverAlert(h, c.tenant, raiseAlert.id);
    expect(result.escalated).toBe(true);
    const esc = (await rowsOf(c, raiseAlert.id)).filter((x) => x.purpose === 'escalation');
    const to = (id: string) =>
      esc
        .filter((x) => x.account_id === id)
        .map((x) => x.channel)
        .sort();
    expect(to(onDuty.id)).toEqual(['email', 'in_app', 'sms']);
    // The other agent is not woken up: someone is on duty.
    expect(to(c.police.accountId)).toEqual([]);

    // Cleared: every agent is reached again.
    expect((await chief.ok<{ setPoliceOnDuty: null }>(SET, { id: null })).setPoliceOnDuty).toBeNull();
    const actions = await withTenant(h.ctx.db, c.tenant.id, (trx) =>
      trx('audit_log').where('action', 'like', 'alert.on_duty%').orderBy('id').pluck('action'),
    );
    expect(actions).toEqual(['alert.on_duty_set', 'alert.on_duty_cleared']);
  }, 120_000);
});

describe('the channels the sender keeps', () => {
  it('an alert down sent without SMS reaches each resident on their other channels, as its preview said', async () => {
    const c = await seedCommune(h.ctx, { alerts: FAST });
    const r = await seedResident(h, c.tenant, c.sectorId, {
      phone: '+33600000301',
      channels: ['sms', 'email', 'in_app'],
    });
    const input = {
      category: 'incident',
      severity: 'important',
      text: 'Coupure d’eau demain matin, rue des Lilas.',
      target: { kind: 'sectors', sectorIds: [c.sectorId] },
      channels: ['email'],
    };
    const preview = await c.police.browser.ok<{
      alertPreview: { byChannel: Array<{ channel: string; now: number }> };
    }>('query ($input: RaiseAlertInput!) { alertPreview(input: $input) { byChannel { channel now } } }', {
      input,
    });
    const previewed = Object.fromEntries(preview.alertPreview.byChannel.map((x) => [x.channel, x.now]));
    expect(previewed.sms ?? 0).toBe(0);
    expect(previewed.email).toBeGreaterThan(0);
    expect(previewed.in_app).toBeGreaterThan(0);

    const { raiseAlert } = await c.police.browser.ok<{ raiseAlert: { id: string } }>(RAISE, { input });
    await deliverAlert(h, c.tenant, raiseAlert.id);
    const mine = (await rowsOf(c, raiseAlert.id)).filter((x) => x.account_id === r.id);
    expect(mine.map((x) => x.channel).sort()).toEqual(['email', 'in_app']);
    expect(h.twilio.sendsTo('+33600000301')).toBe(0);

    // An unknown channel is refused by the schema, with nothing stored.
    const bad = await c.police.browser.gql(RAISE, { input: { ...input, channels: ['fax'] } });
    expect(bad.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
  }, 120_000);
});

describe('the monthly SMS budget', () => {
  const presetUsage = (c: SeededCommunity, segments: number) =>
    withTenant(h.ctx.ownerDb, c.tenant.id, (trx) =>
      trx('sms_usage').insert({
        tenant_id: c.tenant.id,
        month: billingMonth(new Date()),
        segments_sent: segments,
        messages_sent: segments,
      }),
    );

  it('past the budget, sends non-urgent alerts by email and in-app instead of SMS, and urgent ones still by SMS', async () => {
    const c = await seedCommune(h.ctx, { smsMonthlyBudget: 10, alerts: FAST });
    const members = [
      await seedResident(h, c.tenant, c.sectorId, { phone: '+33600000201', channels: ['sms'] }),
      await seedResident(h, c.tenant, c.sectorId, { phone: '+33600000202', channels: ['sms'] }),
    ];
    await presetUsage(c, 10);
    const important = await policeAlert(c, 'important', 'Travaux : la rue de la Gare sera fermée demain.');
    await deliverAlert(h, c.tenant, important);
    const rows = await rowsOf(c, important);
    for (const m of members) {
      expect(
        rows
          .filter((r) => r.account_id === m.id)
          .map((r) => [r.channel, r.status, r.reason])
          .sort(),
      ).toEqual([
        ['email', 'delivered', null],
        ['in_app', 'delivered', null],
        ['sms', 'skipped', 'SMS_BUDGET'],
      ]);
      expect(h.twilio.sendsTo(m.phone!)).toBe(0);
    }
    const urgent = await policeAlert(c, 'urgent', 'Fuite de gaz rue de la Gare : restez chez vous.');
    await deliverAlert(h, c.tenant, urgent);
    expect((await rowsOf(c, urgent)).filter((r) => r.channel === 'sms').map((r) => r.status)).toEqual([
      'delivered',
      'delivered',
    ]);
    for (const m of members) expect(h.twilio.sendsTo(m.phone!)).toBe(1);
  }, 120_000);

  it('warns the mairie once when 80 % of the budget is spent', async () => {
    const c = await seedCommune(h.ctx, { smsMonthlyBudget: 100, alerts: FAST });
    const mairie = await seedResident(h, c.tenant, null, { roles: [{ role: 'mairie_admin' }] });
    for (let i = 0; i < 3; i++)
      await seedResident(h, c.tenant, c.sectorId, { phone: `+3360000030${i}`, channels: ['sms'] });
    await presetUsage(c, 79);
    await deliverAlert(
      h,
      c.tenant,
      await policeAlert(c, 'urgent', 'Inondation rue basse : montez les objets de valeur.'),
    );
    await deliverAlert(
      h,
      c.tenant,
      await policeAlert(c, 'urgent', 'Inondation rue basse : la décrue commence.'),
    );
    const usage = await withTenant(h.ctx.db, c.tenant.id, (trx) =>
      trx('sms_usage').first('segments_sent', 'messages_sent', 'warned_80'),
    );
    expect(usage.segments_sent).toBeGreaterThanOrEqual(85);
    expect(usage).toMatchObject({ messages_sent: 79 + 6, warned_80: true });
    const warnings = await withTenant(h.ctx.db, c.tenant.id, (trx) =>
      trx('in_app_notifications').where({ account_id: mairie.id, kind: 'sms_budget' }).select('title'),
    );
    expect(warnings).toEqual([{ title: 'Budget SMS : 80 % consommés' }]);
  }, 120_000);
});
