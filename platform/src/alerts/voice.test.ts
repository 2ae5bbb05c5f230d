// Voice calls to landlines (issue 16), as a resident without a mobile phone
// and the police would notice them: the call says the alert twice in the
// resident's language and a key press is recorded `acknowledged`; a call
// nobody answered is placed again after the commune's delay, and fails with
// its reason (then falls back to email) once the attempts are spent; a forged
// callback is refused; the do-not-call list and the calling hours refuse a
// call with their reason. Real Temporal, PostgreSQL, the real twilio SDK
// against the Twilio stand-in (which fetches our TwiML and posts signed
// callbacks), and SES's stand-in for the fallbacks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../db/tenant.js';
import { recordOptOut } from '../notifications/opt-outs.js';
import { normalizePhone } from '../identity/accounts.js';
import { planDeliveries } from './recipients.js';
import { twilioSignature } from '../testing/twilio-standin.js';
import {
  deliverAlert,
  RAISE,
  seedCommune,
  seedResident,
  startHarness,
  type Harness,
  type Person,
  type SeededCommunity,
} from './testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.startWorkers();
}, 120_000);
afterAll(async () => h?.close());

const FAST = { retryInitialSeconds: 0.2, receiptWindowMinutes: 1, voiceRetrySeconds: 1 };

async function policeAlert(c: SeededCommunity, severity: string, text: string): Promise<string> {
  const r = await c.police.browser.ok<{ raiseAlert: { id: string } }>(RAISE, {
    input: { category: 'incident', severity, text, target: { kind: 'sectors', sectorIds: [c.sectorId] } },
  });
  return r.raiseAlert.id;
}

type Row = {
  id: string;
  account_id: string | null;
  channel: string;
  status: string;
  reason: string | null;
  attempts: number;
  fallback_of: string | null;
  provider_message_id: string | null;
};
async function rowOf(c: SeededCommunity, alertId: string, p: Person, channel: string) {
  return withTenant(h.ctx.db, c.tenant.id, (trx) =>
    trx('deliveries').where({ alert_id: alertId, account_id: p.id, channel }).first<Row | undefined>('*'),
  );
}

/** A resident with no mobile phone: voice (to a landline) and in-app for every severity. */
function landlineResident(c: SeededCommunity, landline: string) {
  return seedResident(h, c.tenant, c.sectorId, {
    phone: null,
    channels: ['voice', 'in_app'],
    prefs: { voice_phone: landline },
  });
}

describe('a voice call to a landline', () => {
  it('reads the alert twice in French, asks for 1, and records the key press as acknowledged; English for an English account', async () => {
    const c = await seedCommune(h.ctx, { alerts: FAST });
    const fr = await landlineResident(c, '+33164000001');
    const en = await landlineResident(c, '+33164000002');
    await withTenant(h.ctx.ownerDb, c.tenant.id, (trx) =>
      trx('accounts').where({ id: en.id }).update({ locale: 'en' }),
    );
    h.twilio.reset();
    const text = 'Crue de la Marne : évacuation du quai Est avant 18 h.';
    const alertId = await policeAlert(c, 'urgent', text);
    await deliverAlert(h, c.tenant, alertId);

    const frRow = await rowOf(c, alertId, fr, 'voice');
    expect(frRow).toMatchObject({ status: 'acknowledged', reason: null, attempts: 1 });
    const frCall = h.twilio.calls.find((x) => x.to === '+33164000001')!;
    expect(frRow!.provider_message_id).toBe(frCall.sid);
    expect(frCall.from).toBe(h.twilio.voiceNumber);
    expect(frCall.digitsSent).toBe('1');
    // The message twice, the prompt, all in French, then thanks after the key.
    const frSaid = frCall.said.filter((s) => s.text.includes(text));
    expect(frSaid).toHaveLength(2);
    expect(frSaid.every((s) => s.language === 'fr-FR')).toBe(true);
    expect(frCall.said.some((s) => s.text.includes('appuyez sur 1'))).toBe(true);
    expect(frCall.twiml[0]).toContain('<Gather numDigits="1"');
    expect(frCall.twiml[1]).toContain('votre confirmation est enregistrée');

    const enCall = h.twilio.calls.find((x) => x.to === '+33164000002')!;
    expect(enCall.said.filter((s) => s.text.includes(text) && s.language === 'en-GB')).toHaveLength(2);
    expect(enCall.said.some((s) => s.text.includes('press 1'))).toBe(true);
    expect(await rowOf(c, alertId, en, 'voice')).toMatchObject({ status: 'acknowledged' });
    // Nobody was sent an SMS: neither has a mobile phone.
    expect(h.twilio.messages.filter((m) => m.to.startsWith('+33164'))).toEqual([]);
  }, 120_000);

  it('calls again after the delay when nobody answered, and records the key pressed on the second call', async () => {
    const c = await seedCommune(h.ctx, { alerts: FAST });
    const p = await landlineResident(c, '+33164000011');
    h.twilio.reset();
    h.twilio.behaviour.callScript = (_to, attempt) =>
      attempt === 1 ? { answer: 'no-answer' } : { answer: 'answered', digits: '1' };
    try {
      const alertId = await policeAlert(c, 'urgent', 'Coupure de gaz rue de Paris.');
      await deliverAlert(h, c.tenant, alertId);
      expect(await rowOf(c, alertId, p, 'voice')).toMatchObject({
        status: 'acknowledged',
        reason: null,
        attempts: 2,
      });
      const calls = h.twilio.calls.filter((x) => x.to === '+33164000011');
      expect(calls.map((x) => x.status)).toEqual(['no-answer', 'completed']);
      // The second call waited for the commune's delay (1 s here).
      expect(calls[1]!.dateCreated.getTime() - calls[0]!.dateCreated.getTime()).toBeGreaterThanOrEqual(900);
      expect(await rowOf(c, alertId, p, 'email')).toBeUndefined();
    } finally {
      h.twilio.behaviour.callScript = () => ({ answer: 'answered', digits: '1' });
    }
  }, 120_000);

  it('gives up after the last attempt with the reason (busy), and falls back to email', async () => {
    const c = await seedCommune(h.ctx, { alerts: { ...FAST, voiceAttempts: 2 } });
    const p = await landlineResident(c, '+33164000021');
    const heard = await landlineResident(c, '+33164000022');
    h.twilio.reset();
    // Busy every time; the other one answers but presses nothing.
    h.twilio.behaviour.callScript = (to) =>
      to === '+33164000021' ? { answer: 'busy' } : { answer: 'answered', digits: null };
    try {
      const alertId = await policeAlert(c, 'urgent', 'Inondation : restez chez vous.');
      await deliverAlert(h, c.tenant, alertId);
      const voice = await rowOf(c, alertId, p, 'voice');
      expect(voice).toMatchObject({ status: 'undelivered', reason: 'BUSY', attempts: 2 });
      expect(h.twilio.callsTo('+33164000021')).toBe(2);
      expect(await rowOf(c, alertId, p, 'email')).toMatchObject({
        status: 'delivered',
        fallback_of: voice!.id,
      });
      // Answered without a key: heard, not confirmed.
      expect(await rowOf(c, alertId, heard, 'voice')).toMatchObject({ status: 'delivered', attempts: 1 });
      expect(await rowOf(c, alertId, heard, 'email')).toBeUndefined();
    } finally {
      h.twilio.behaviour.callScript = () => ({ answer: 'answered', digits: '1' });
    }
  }, 120_000);
});

describe('a call whose status callback never came', () => {
  it('asks Twilio how the call ended: answered is delivered, busy is called again and then fails BUSY', async () => {
    const c = await seedCommune(h.ctx, { alerts: { ...FAST, receiptCheckSeconds: 1 } });
    const heard = await landlineResident(c, '+33164000081');
    const busy = await landlineResident(c, '+33164000082');
    h.twilio.reset();
    // Our endpoint "down" for status callbacks: only the TwiML fetch reaches us.
    h.twilio.behaviour.lostCallbackRate = 1;
    h.twilio.behaviour.callScript = (to) =>
      to === '+33164000082' ? { answer: 'busy' } : { answer: 'answered', digits: null };
    try {
      const t0 = Date.now();
      const alertId = await policeAlert(c, 'urgent', 'Alerte météo : vents violents cette nuit.');
      await deliverAlert(h, c.tenant, alertId);
      expect(h.twilio.callbacks.filter((x) => x.url.includes('/voice/status'))).toEqual([]);
      expect(h.twilio.lostCallbacks).toBeGreaterThanOrEqual(3);
      expect(await rowOf(c, alertId, heard, 'voice')).toMatchObject({ status: 'delivered', attempts: 1 });
      const b = await rowOf(c, alertId, busy, 'voice');
      expect(b).toMatchObject({ status: 'undelivered', reason: 'BUSY', attempts: 2 });
      expect(h.twilio.callsTo('+33164000082')).toBe(2);
      expect(await rowOf(c, alertId, busy, 'email')).toMatchObject({
        status: 'delivered',
        fallback_of: b!.id,
      });
      // Settled by the checks, long before the one-minute receipt window.
      expect(Date.now() - t0).toBeLessThan(50_000);
    } finally {
      h.twilio.behaviour.lostCallbackRate = 0;
      h.twilio.behaviour.callScript = () => ({ answer: 'answered', digits: '1' });
    }
  }, 120_000);
});

describe('webhooks of voice calls', () => {
  it('refuses a forged status callback or key press with 403 WEBHOOK_SIGNATURE_INVALID, and changes nothing', async () => {
    const c = await seedCommune(h.ctx, { alerts: FAST });
    const p = await landlineResident(c, '+33164000031');
    h.twilio.reset();
    h.twilio.behaviour.callScript = () => ({ answer: 'answered', digits: null });
    try {
      const alertId = await policeAlert(c, 'urgent', 'Alerte de test.');
      await deliverAlert(h, c.tenant, alertId);
      const row = (await rowOf(c, alertId, p, 'voice'))!;
      expect(row.status).toBe('delivered');
      const base = 'https://api.vigie.test';
      for (const [path, params] of [
        ['/webhooks/twilio/voice/status', { CallSid: row.provider_message_id!, CallStatus: 'no-answer' }],
        ['/webhooks/twilio/voice/gather', { CallSid: row.provider_message_id!, Digits: '1' }],
        ['/webhooks/twilio/voice', { CallSid: row.provider_message_id!, CallStatus: 'in-progress' }],
      ] as const) {
        const url = `${path}?t=${c.tenant.id}&r=${row.id}`;
        // Signed with another key, and not signed at all.
        for (const signature of [twilioSignature('not-the-auth-token', base + url, params), undefined]) {
          const res = await h.ctx.app.inject({
            method: 'POST',
            url,
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              ...(signature ? { 'x-twilio-signature': signature } : {}),
            },
            payload: new URLSearchParams(params).toString(),
          });
          expect(res.statusCode).toBe(403);
          expect(res.json()).toMatchObject({ code: 'WEBHOOK_SIGNATURE_INVALID' });
        }
      }
      expect(await rowOf(c, alertId, p, 'voice')).toMatchObject({ status: 'delivered', attempts: 1 });
      // The same request signed as Twilio signs it is taken: the key press confirms.
      const url = `/webhooks/twilio/voice/gather?t=${c.tenant.id}&r=${row.id}`;
      const params = { CallSid: row.provider_message_id!, Digits: '1', To: '+33164000031' };
      const ok = await h.ctx.app.inject({
        method: 'POST',
        url,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilioSignature(h.twilio.authToken, base + url, params),
        },
        payload: new URLSearchParams(params).toString(),
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['content-type']).toContain('text/xml');
      expect(await rowOf(c, alertId, p, 'voice')).toMatchObject({ status: 'acknowledged' });
    } finally {
      h.twilio.behaviour.callScript = () => ({ answer: 'answered', digits: '1' });
    }
  }, 120_000);
});

describe('calls that are refused', () => {
  it('refuses a number on the do-not-call list with DO_NOT_CALL, places no call, and falls back to email', async () => {
    const c = await seedCommune(h.ctx, { alerts: FAST });
    const p = await landlineResident(c, '+33164000041');
    await withTenant(h.ctx.db, c.tenant.id, (trx) =>
      recordOptOut(trx, c.tenant.id, {
        channel: 'voice',
        address: '+33164000041',
        reason: 'do_not_call',
        source: 'mairie',
      }),
    );
    h.twilio.reset();
    const alertId = await policeAlert(c, 'urgent', 'Alerte : pas d’appel pour ce numéro.');
    await deliverAlert(h, c.tenant, alertId);
    const voice = await rowOf(c, alertId, p, 'voice');
    expect(voice).toMatchObject({ status: 'failed', reason: 'DO_NOT_CALL' });
    expect(h.twilio.callsTo('+33164000041')).toBe(0);
    expect(await rowOf(c, alertId, p, 'email')).toMatchObject({
      status: 'delivered',
      fallback_of: voice!.id,
    });
  }, 120_000);

  it('puts a number that pressed 9 on the do-not-call list: the next alert does not call it', async () => {
    const c = await seedCommune(h.ctx, { alerts: FAST });
    const p = await landlineResident(c, '+33164000051');
    h.twilio.reset();
    h.twilio.behaviour.callScript = () => ({ answer: 'answered', digits: '9' });
    try {
      const first = await policeAlert(c, 'urgent', 'Première alerte.');
      await deliverAlert(h, c.tenant, first);
      expect(await rowOf(c, first, p, 'voice')).toMatchObject({ status: 'delivered' });
      const second = await policeAlert(c, 'urgent', 'Deuxième alerte.');
      await deliverAlert(h, c.tenant, second);
      expect(await rowOf(c, second, p, 'voice')).toMatchObject({ status: 'failed', reason: 'DO_NOT_CALL' });
      expect(h.twilio.callsTo('+33164000051')).toBe(1);
    } finally {
      h.twilio.behaviour.callScript = () => ({ answer: 'answered', digits: '1' });
    }
  }, 120_000);

  it('refuses a call outside the calling hours with OUTSIDE_CALL_HOURS, except for an urgent alert', async () => {
    // A window that is never now: it opens in two hours and closes in three (Paris time).
    const paris = (d: Date) =>
      new Intl.DateTimeFormat('fr-FR', {
        timeZone: 'Europe/Paris',
        hour: '2-digit',
        minute: '2-digit',
      }).format(d);
    const now = Date.now();
    const c = await seedCommune(h.ctx, {
      alerts: {
        ...FAST,
        voiceCallStart: paris(new Date(now + 2 * 3600_000)),
        voiceCallEnd: paris(new Date(now + 3 * 3600_000)),
      },
    });
    const p = await landlineResident(c, '+33164000061');
    h.twilio.reset();
    const important = await policeAlert(c, 'important', 'Travaux de nuit avenue Foch.');
    await deliverAlert(h, c.tenant, important);
    const voice = await rowOf(c, important, p, 'voice');
    expect(voice).toMatchObject({ status: 'failed', reason: 'OUTSIDE_CALL_HOURS' });
    expect(await rowOf(c, important, p, 'email')).toMatchObject({
      status: 'delivered',
      fallback_of: voice!.id,
    });
    expect(h.twilio.callsTo('+33164000061')).toBe(0);
    // Urgent alerts ring at any hour unless the commune says otherwise (voiceUrgentAnyHour).
    const urgent = await policeAlert(c, 'urgent', 'Incendie : fermez vos fenêtres.');
    await deliverAlert(h, c.tenant, urgent);
    expect(await rowOf(c, urgent, p, 'voice')).toMatchObject({ status: 'acknowledged' });
    expect(h.twilio.callsTo('+33164000061')).toBe(1);
  }, 120_000);
});

describe('calls held for the night', () => {
  it('an information held by quiet hours (until 07:00) calls at 08:00, when calls may ring; none waits for a digest', async () => {
    const c = await seedCommune(h.ctx, {});
    const night = await landlineResident(c, '+33164000091');
    const digest = await seedResident(h, c.tenant, c.sectorId, {
      channels: ['voice', 'in_app'],
      prefs: { voice_phone: '+33164000092', digest_info: true },
    });
    // 23:00 in Paris, a January evening (UTC+1).
    const now = new Date('2026-01-15T22:00:00Z');
    const rows = await withTenant(h.ctx.db, c.tenant.id, (trx) =>
      planDeliveries(
        trx,
        {
          tenantId: c.tenant.id,
          alertId: '00000000-0000-4000-8000-000000000000',
          severity: 'info',
          now,
          smsOverBudget: false,
          voiceHours: { callStart: '08:00', callEnd: '21:00', timeZone: 'Europe/Paris' },
        },
        [night, digest].map((p) => ({
          id: p.id,
          email: p.email,
          email_verified_at: now,
          phone: null,
          phone_verified_at: null,
        })),
      ),
    );
    const voice = rows.filter((r) => r.channel === 'voice');
    expect(voice).toHaveLength(1);
    expect(voice[0]).toMatchObject({ account_id: night.id, status: 'held', reason: 'QUIET_HOURS' });
    expect(voice[0]!.not_before!.toISOString()).toBe('2026-01-16T07:00:00.000Z');
  });
});

describe('the voice number in the preferences', () => {
  const SAVE = /* GraphQL */ `
    mutation ($input: NotificationPreferencesInput!) {
      updateNotificationPreferences(input: $input) {
        urgent
        voicePhone
      }
    }
  `;
  const input = (o: Record<string, unknown>) => ({
    info: ['in_app'],
    important: ['in_app'],
    urgent: ['voice', 'in_app'],
    quietHoursStart: '22:00',
    quietHoursEnd: '07:00',
    timezone: 'Europe/Paris',
    digestInfo: false,
    ...o,
  });

  it('accepts a French landline for voice calls and refuses what no call reaches; the account phone stays mobile-only', async () => {
    const c = await seedCommune(h.ctx, {});
    const p = await seedResident(h, c.tenant, c.sectorId, {});
    const ok = await p.browser.ok<{
      updateNotificationPreferences: { urgent: string[]; voicePhone: string };
    }>(SAVE, { input: input({ voicePhone: '01 64 00 00 71' }) });
    expect(ok.updateNotificationPreferences).toEqual({
      urgent: ['voice', 'in_app'],
      voicePhone: '+33164000071',
    });
    const box = await p.browser.ok<{ updateNotificationPreferences: { voicePhone: string } }>(SAVE, {
      input: input({ voicePhone: '09 70 00 00 72' }),
    });
    expect(box.updateNotificationPreferences.voicePhone).toBe('+33970000072');
    // An older client that does not send the number keeps it.
    const kept = await p.browser.ok<{ updateNotificationPreferences: { voicePhone: string } }>(SAVE, {
      input: input({}),
    });
    expect(kept.updateNotificationPreferences.voicePhone).toBe('+33970000072');
    for (const [voicePhone, code] of [
      ['08 92 00 00 00', 'VOICE_NUMBER_INVALID'],
      ['12345', 'VOICE_NUMBER_INVALID'],
      ['', 'VOICE_NUMBER_REQUIRED'],
      [null, 'VOICE_NUMBER_REQUIRED'],
    ] as const) {
      const r = await p.browser.gql(SAVE, { input: input({ voicePhone }) });
      expect(r.errors?.[0]?.extensions?.code, String(voicePhone)).toBe(code);
    }
    // Landlines stay refused where an SMS must reach them.
    expect(() => normalizePhone('01 64 00 00 71')).toThrow(
      expect.objectContaining({ code: 'PHONE_INVALID' }),
    );
    expect(normalizePhone('06 12 34 56 78')).toBe('+33612345678');
  }, 60_000);
});
