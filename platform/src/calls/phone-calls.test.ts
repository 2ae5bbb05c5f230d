// Calls to a number that is not an account (services.phoneCalls), as the
// person called and the plugin that asked would notice them: the message is
// read twice in the call's language with its prompt, and the key pressed goes
// back to the asker's handler (1: confirmed, another: other_key); a call
// nobody answered rings again after the commune's delay, and ends busy or
// no_answer after its last attempt; the do-not-call list refuses a call, the
// calling hours hold it and the commune's hourly limit defers it in turn; no
// connection is held while Twilio answers. Bad
// inputs get their codes; a forged callback is refused, an unknown call hung
// up, a replayed one changes nothing. Real
// Temporal and PostgreSQL, the real twilio SDK against the Twilio stand-in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../db/tenant.js';
import { alertSettings } from '../alerts/settings.js';
import pino from 'pino';
import { createKnex, deriveUrls } from '../db/knex.js';
import { createChannels } from '../notifications/index.js';
import { createPhoneCallActivities } from './activities.js';
import { coreExtensions, coreServices } from '../core/refs.js';
import type { PhoneCallSettled } from '../core/phone-calls.js';
import type { PlatformServices, PhoneCallRequest } from '../plugins/index.js';
import { recordOptOut } from '../notifications/opt-outs.js';
import { twilioSignature } from '../testing/twilio-standin.js';
import {
  PUBLIC_URL,
  seedCommune,
  startHarness,
  waitFor,
  type Harness,
  type SeededCommunity,
} from '../alerts/testing/harness.js';
import { isVigieError } from '../lib/errors.js';
import { PHONE_CALL_KIND } from '@vigie/workflows/contracts';

let h: Harness;
let services: PlatformServices;
const told: PhoneCallSettled[] = [];

beforeAll(async () => {
  h = await startHarness();
  // The asker's handler, on both instances as a plugin's would be.
  for (const get of [h.ctx.vigie.get, h.workerGet])
    get(coreExtensions.phoneCalls).contribute({
      id: 'test-calls',
      async settled(trx, call) {
        // In the commune's transaction: the handler sees the call settled.
        const row = await trx('phone_calls').where({ id: call.callId }).first('status');
        expect(row.status).toBe('done');
        told.push(call);
        return {};
      },
    });
  services = h.ctx.app.services.get(coreServices.platform);
  await h.startWorkers();
}, 120_000);
afterAll(async () => h?.close());

/** Every hour is a calling hour, retries after 1 s, Twilio asked after 1 s of silence. */
const ALL_DAY = {
  voiceCallStart: '00:00',
  voiceCallEnd: '23:59',
  voiceRetrySeconds: 1,
  voiceAttempts: 2,
  receiptCheckSeconds: 1,
};

const place = (c: SeededCommunity, r: Partial<PhoneCallRequest> & { key: string; to: string }) =>
  withTenant(h.ctx.db, c.tenant.id, (trx) =>
    services.phoneCalls.place(trx, {
      tenantId: c.tenant.id,
      handler: 'test-calls',
      message: 'Bonjour, ici le CCAS de Serris : nous prenons de vos nouvelles.',
      prompt: 'Si tout va bien, appuyez sur 1.',
      context: { personId: 'p-1' },
      ...r,
    }),
  );

const settled = (callId: string) =>
  waitFor(`call ${callId} settled`, async () => told.find((t) => t.callId === callId), 60_000);

const rowOf = (c: SeededCommunity, id: string) =>
  withTenant(h.ctx.ownerDb, c.tenant.id, (trx) => trx('phone_calls').where({ id }).first());

async function post(path: string, params: Record<string, string>, signature?: string) {
  return h.ctx.app.inject({
    method: 'POST',
    url: path,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(signature ? { 'x-twilio-signature': signature } : {}),
    },
    payload: new URLSearchParams(params).toString(),
  });
}
const signed = (path: string, params: Record<string, string>) =>
  post(path, params, twilioSignature(h.twilio.authToken, PUBLIC_URL + path, params));

describe('a call to a number', () => {
  it('reads the message twice with its prompt, and hands 1 back to the asker as confirmed', async () => {
    const c = await seedCommune(h.ctx, { alerts: ALL_DAY });
    const { callId, created } = await place(c, { key: 'check-in:1', to: '01 64 00 10 01' });
    expect(created).toBe(true);
    const got = await settled(callId);
    expect(got).toMatchObject({
      tenantId: c.tenant.id,
      key: 'check-in:1',
      context: { personId: 'p-1' },
      outcome: 'confirmed',
      reason: null,
      attempts: 1,
    });
    const call = h.twilio.calls.find((x) => x.to === '+33164001001')!;
    expect(call.from).toBe(h.twilio.voiceNumber);
    const said = call.said.filter((s) => s.text.includes('nous prenons de vos nouvelles'));
    expect(said).toHaveLength(2);
    expect(said.every((s) => s.language === 'fr-FR')).toBe(true);
    expect(call.said.some((s) => s.text === 'Si tout va bien, appuyez sur 1.')).toBe(true);
    expect(call.twiml[0]).toContain('<Gather numDigits="1"');
    expect(call.twiml[1]).toContain('votre réponse est enregistrée');
    // Asked again with the same key (a retried activity): the same call, not a second one.
    expect(await place(c, { key: 'check-in:1', to: '01 64 00 10 01' })).toEqual({ callId, created: false });
    const row = await rowOf(c, callId);
    expect(row).toMatchObject({ status: 'done', outcome: 'confirmed', attempts: 1, digits: '1' });
    expect(row.handled_at).not.toBeNull();
    // The number is sealed at rest, and never in the workflow's history.
    expect(row.number_sealed).not.toContain('64001001');
    const history = await h.ctx.temporal.client.workflow
      .getHandle(`${c.tenant.slug}/${PHONE_CALL_KIND}/${callId}`)
      .fetchHistory();
    expect(JSON.stringify(history)).not.toMatch(/64 ?00 ?10 ?01/);
    // What the asker can read of it.
    expect(
      await withTenant(h.ctx.db, c.tenant.id, (trx) => services.phoneCalls.status(trx, callId)),
    ).toMatchObject({ id: callId, status: 'done', outcome: 'confirmed', attempts: 1 });
    expect(told.filter((t) => t.callId === callId)).toHaveLength(1);
  }, 90_000);

  it('calls again after the delay when nobody answered, and tells another key as other_key', async () => {
    const c = await seedCommune(h.ctx, { alerts: ALL_DAY });
    h.twilio.behaviour.callScript = (to, attempt) =>
      to === '+33164001002' && attempt === 1 ? { answer: 'no-answer' } : { answer: 'answered', digits: '2' };
    try {
      const { callId } = await place(c, {
        key: 'k2',
        to: '+33164001002',
        locale: 'en',
        message: 'Hello from the CCAS.',
      });
      expect(await settled(callId)).toMatchObject({ outcome: 'other_key', attempts: 2 });
      const calls = h.twilio.calls.filter((x) => x.to === '+33164001002');
      expect(calls.map((x) => x.status)).toEqual(['no-answer', 'completed']);
      expect(calls[1]!.dateCreated.getTime() - calls[0]!.dateCreated.getTime()).toBeGreaterThanOrEqual(900);
      expect(
        calls[1]!.said.filter((s) => s.text.includes('Hello from the CCAS.') && s.language === 'en-GB'),
      ).toHaveLength(2);
    } finally {
      h.twilio.behaviour.callScript = () => ({ answer: 'answered', digits: '1' });
    }
  }, 90_000);

  it('ends busy after the last attempt, and heard when answered without a key', async () => {
    const c = await seedCommune(h.ctx, { alerts: ALL_DAY });
    h.twilio.behaviour.callScript = (to) =>
      to === '+33164001003' ? { answer: 'busy' } : { answer: 'answered', digits: null };
    try {
      const busy = await place(c, { key: 'busy', to: '+33164001003' });
      const heard = await place(c, { key: 'heard', to: '+33164001004' });
      expect(await settled(busy.callId)).toMatchObject({ outcome: 'busy', reason: 'BUSY', attempts: 2 });
      expect(h.twilio.callsTo('+33164001003')).toBe(2);
      expect(await settled(heard.callId)).toMatchObject({ outcome: 'heard', attempts: 1 });
    } finally {
      h.twilio.behaviour.callScript = () => ({ answer: 'answered', digits: '1' });
    }
  }, 90_000);
});

describe('calls that are refused or held', () => {
  it('refuses a number on the do-not-call list without calling it', async () => {
    const c = await seedCommune(h.ctx, { alerts: ALL_DAY });
    await withTenant(h.ctx.db, c.tenant.id, (trx) =>
      recordOptOut(trx, c.tenant.id, {
        channel: 'voice',
        address: '+33164001005',
        reason: 'do_not_call',
        source: 'mairie',
      }),
    );
    const { callId } = await place(c, { key: 'dnc', to: '01 64 00 10 05' });
    expect(await settled(callId)).toMatchObject({ outcome: 'refused', reason: 'DO_NOT_CALL', attempts: 0 });
    expect(h.twilio.callsTo('+33164001005')).toBe(0);
  }, 60_000);

  it('holds a call outside the calling hours until they open; an urgent one rings at once', async () => {
    // A window that closed a minute ago and opens in two hours (Paris time).
    const paris = (minutes: number) =>
      new Date(Date.now() + minutes * 60_000).toLocaleTimeString('fr-FR', {
        timeZone: 'Europe/Paris',
        hour: '2-digit',
        minute: '2-digit',
      });
    const c = await seedCommune(h.ctx, {
      alerts: { ...ALL_DAY, voiceCallStart: paris(120), voiceCallEnd: paris(-1) },
    });
    const held = await place(c, { key: 'held', to: '+33164001006' });
    const urgent = await place(c, { key: 'urgent', to: '+33164001007', urgent: true });
    expect(await settled(urgent.callId)).toMatchObject({ outcome: 'confirmed' });
    const row = await waitFor('held until the morning', async () => {
      const r = await rowOf(c, held.callId);
      return r.not_before.getTime() > Date.now() + 60 * 60_000 && r;
    });
    expect(row).toMatchObject({ status: 'pending', attempts: 0 });
    expect(h.twilio.callsTo('+33164001006')).toBe(0);
    // The asker forgets it (consent withdrawn): the row goes, the workflow ends at its next look, untold.
    const forget = (keyPrefix: string) =>
      withTenant(h.ctx.db, c.tenant.id, (trx) =>
        services.phoneCalls.forget(trx, { handler: 'test-calls', keyPrefix }),
      );
    await expect(forget('h')).rejects.toMatchObject({ code: 'PHONE_CALL_INVALID' });
    expect(await forget('held')).toBe(1);
    const handle = h.ctx.temporal.client.workflow.getHandle(
      `${c.tenant.slug}/${PHONE_CALL_KIND}/${held.callId}`,
    );
    await handle.signal('phoneCallChanged');
    expect(await handle.result()).toMatchObject({ outcome: null });
    expect(told.some((t) => t.callId === held.callId)).toBe(false);
    expect(await rowOf(c, urgent.callId)).toBeDefined();
  }, 60_000);

  it('holds the calls beyond the commune’s hourly limit, each in turn; an urgent one rings anyway', async () => {
    const c = await seedCommune(h.ctx, { alerts: { ...ALL_DAY, phoneCallsPerHour: 2 } });
    const first = await Promise.all(
      [1, 2].map((n) => place(c, { key: `limit-${n}`, to: `+3316400110${n}` })),
    );
    // Placed (how each call ended is the tests above' business: 1 s to hear the key is tight on a busy machine).
    for (const f of first) expect(await settled(f.callId)).toMatchObject({ attempts: 1 });
    // Both at once: their turns are decided side by side, and must still differ.
    const later = await Promise.all(
      [3, 4].map((n) => place(c, { key: `limit-${n}`, to: `+3316400110${n}` })),
    );
    const urgent = await place(c, { key: 'limit-urgent', to: '+33164001109', urgent: true });
    expect(await settled(urgent.callId)).toMatchObject({ attempts: 1 });
    expect(h.twilio.callsTo('+33164001109')).toBe(1);
    const statusOf = (callId: string) =>
      withTenant(h.ctx.db, c.tenant.id, (trx) => services.phoneCalls.status(trx, callId));
    const held = await waitFor('both held', async () => {
      const s = await Promise.all(later.map((l) => statusOf(l.callId)));
      return s.every((x) => x?.reason === 'PHONE_CALL_RATE_LIMITED') && s;
    });
    // Held until the hour's first calls age out, then one every half hour (2 an hour), never rung meanwhile.
    const hour = Date.now() + 55 * 60_000;
    expect(held.map((x) => x!.status)).toEqual(['pending', 'pending']);
    expect(held[0]!.notBefore.getTime()).toBeGreaterThan(hour);
    const gap = Math.abs(held[1]!.notBefore.getTime() - held[0]!.notBefore.getTime());
    expect(gap).toBeGreaterThanOrEqual(30 * 60_000 - 1000);
    expect(h.twilio.callsTo('+33164001103') + h.twilio.callsTo('+33164001104')).toBe(0);
    // A setting out of its bounds falls back to the default limit (300 an hour).
    expect(alertSettings({ alerts: { phoneCallsPerHour: 0 } }).voice.callsPerHour).toBe(300);
    expect(alertSettings({ alerts: { phoneCallsPerHour: 'many' } }).voice.callsPerHour).toBe(300);
    await withTenant(h.ctx.db, c.tenant.id, (trx) =>
      services.phoneCalls.forget(trx, { handler: 'test-calls', keyPrefix: 'limit-' }),
    );
  }, 60_000);

  it('holds no connection while Twilio answers: a query on the same one-connection pool gets through', async () => {
    const c = await seedCommune(h.ctx, { alerts: ALL_DAY });
    const url = deriveUrls(h.ctx.database.ownerUrl, {
      appPassword: h.ctx.env.appPassword,
      operatorPassword: h.ctx.env.operatorPassword,
    }).app;
    const pool = createKnex(url, 1, 'vigie-test-calls-one');
    const acts = createPhoneCallActivities({
      db: pool,
      config: h.ctx.config,
      log: pino({ level: 'silent' }),
      channels: createChannels(h.ctx.config, { db: pool, timeoutMs: 15_000 }),
      open: services.secrets.open,
      handlers: () => h.ctx.app.services.get(coreExtensions.phoneCalls),
      temporal: () => h.ctx.temporal,
    });
    try {
      // The row as place() writes it, without its workflow: this test takes the step itself.
      const [row] = await withTenant(h.ctx.ownerDb, c.tenant.id, (trx) =>
        trx('phone_calls')
          .insert({
            tenant_id: c.tenant.id,
            handler: 'test-calls',
            key: 'stall-1',
            number_sealed: services.secrets.seal(c.tenant.id, 'phone-call', '+33164001201'),
            message: 'Bonjour, ici le CCAS.',
          })
          .returning('id'),
      );
      h.twilio.behaviour.delayMs = 3_000;
      const before = h.twilio.requests;
      const step = acts.phoneCallStep({ tenantId: c.tenant.id, callId: row.id });
      await waitFor('the call at Twilio', async () => h.twilio.requests > before, 10_000, 20);
      const t0 = Date.now();
      const seen = await withTenant(pool, c.tenant.id, (trx) =>
        trx('phone_calls').where({ id: row.id }).first(),
      );
      // Answered while Twilio still stalls (3 s): the claim's transaction was over.
      expect(Date.now() - t0).toBeLessThan(1_500);
      expect(seen).toMatchObject({ status: 'calling', attempts: 1, call_sid: null });
      expect(await step).toMatchObject({ done: false });
      expect((await rowOf(c, row.id)).call_sid).toMatch(/^CA/);
    } finally {
      h.twilio.behaviour.delayMs = 0;
      await pool.destroy();
      await withTenant(h.ctx.db, c.tenant.id, (trx) =>
        services.phoneCalls.forget(trx, { handler: 'test-calls', keyPrefix: 'stall-' }),
      );
    }
  }, 60_000);

  it('refuses an invalid number, message or key with a stable code, and stores nothing', async () => {
    const c = await seedCommune(h.ctx, { alerts: ALL_DAY });
    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => 'accepted',
        (err: unknown) => (isVigieError(err) ? err.code : String(err)),
      );
    expect(await codeOf(place(c, { key: 'bad-1', to: '08 92 68 00 00' }))).toBe('VOICE_NUMBER_INVALID');
    expect(await codeOf(place(c, { key: 'bad-2', to: '+33 1' }))).toBe('VOICE_NUMBER_INVALID');
    expect(await codeOf(place(c, { key: 'bad-3', to: 'tel:0164001008' }))).toBe('VOICE_NUMBER_INVALID');
    expect(await codeOf(place(c, { key: 'bad-4', to: '0164001008', message: '   ' }))).toBe(
      'PHONE_CALL_INVALID',
    );
    expect(await codeOf(place(c, { key: 'bad-5', to: '0164001008', message: 'a\u0007b' }))).toBe(
      'PHONE_CALL_INVALID',
    );
    expect(await codeOf(place(c, { key: 'x'.repeat(201), to: '0164001008' }))).toBe('PHONE_CALL_INVALID');
    expect(
      await codeOf(place(c, { key: 'bad-6', to: '0164001008', context: { big: 'x'.repeat(3000) } })),
    ).toBe('PHONE_CALL_INVALID');
    expect(await codeOf(place(c, { key: 'bad-7', to: '0164001008', handler: 'nobody' }))).toMatch(
      /No phone call handler/,
    );
    // By SMS: a mobile only, a reply awaited at most 30 days, and no reply window for a voice call.
    expect(await codeOf(place(c, { key: 'bad-8', to: '01 64 00 10 08', channel: 'sms' }))).toBe(
      'PHONE_CALL_NOT_MOBILE',
    );
    expect(await codeOf(place(c, { key: 'bad-9', to: '+33 1', channel: 'sms' }))).toBe(
      'PHONE_CALL_NOT_MOBILE',
    );
    expect(
      await codeOf(
        place(c, { key: 'bad-10', to: '0612000000', channel: 'sms', replyWithinSeconds: 31 * 86_400 }),
      ),
    ).toBe('PHONE_CALL_INVALID');
    expect(
      await codeOf(place(c, { key: 'bad-11', to: '0612000000', channel: 'sms', replyWithinSeconds: 1.5 })),
    ).toBe('PHONE_CALL_INVALID');
    expect(await codeOf(place(c, { key: 'bad-12', to: '0164001008', replyWithinSeconds: 60 }))).toBe(
      'PHONE_CALL_INVALID',
    );
    expect(
      await codeOf(place(c, { key: 'bad-13', to: '0612000000', channel: 'fax' as unknown as 'sms' })),
    ).toBe('PHONE_CALL_INVALID');
    const n = await withTenant(h.ctx.ownerDb, c.tenant.id, (trx) =>
      trx('phone_calls').count({ n: '*' }).first(),
    );
    expect(Number(n!.n)).toBe(0);
  });
});

describe('webhooks of calls to a number', () => {
  it('refuses a forged callback, hangs up on an unknown call, and takes a replayed one once', async () => {
    const c = await seedCommune(h.ctx, { alerts: ALL_DAY });
    h.twilio.behaviour.callScript = (to) =>
      to === '+33164001009' ? { answer: 'answered', digits: null } : { answer: 'answered', digits: '1' };
    let callId: string;
    try {
      ({ callId } = await place(c, { key: 'hooks', to: '+33164001009' }));
      expect(await settled(callId)).toMatchObject({ outcome: 'heard' });
    } finally {
      h.twilio.behaviour.callScript = () => ({ answer: 'answered', digits: '1' });
    }
    const sid = (await rowOf(c, callId)).call_sid as string;
    for (const hook of ['', '/gather', '/status']) {
      const path = `/webhooks/twilio/call${hook}?t=${c.tenant.id}&r=${callId}`;
      const params = { CallSid: sid, Digits: '1', CallStatus: 'no-answer' };
      for (const signature of [twilioSignature('not-the-auth-token', PUBLIC_URL + path, params), undefined]) {
        const res = await post(path, params, signature);
        expect(res.statusCode).toBe(403);
        expect(res.json()).toMatchObject({ code: 'WEBHOOK_SIGNATURE_INVALID' });
      }
      // Signed, but for a tenant and a call that are not UUIDs: refused before anything is read.
      const bad = `/webhooks/twilio/call${hook}?t=x&r=y`;
      expect((await signed(bad, params)).statusCode).toBe(400);
    }
    expect(await rowOf(c, callId)).toMatchObject({ outcome: 'heard', digits: null });

    // An unknown call (signed as Twilio signs): hung up, nothing recorded.
    const unknown = '00000000-0000-4000-8000-000000000000';
    const twiml = await signed(`/webhooks/twilio/call?t=${c.tenant.id}&r=${unknown}`, { CallSid: 'CA0' });
    expect(twiml.statusCode).toBe(200);
    expect(twiml.body).toContain('<Hangup/>');
    expect(twiml.body).not.toContain('<Say');
    const gather = await signed(`/webhooks/twilio/call/gather?t=${c.tenant.id}&r=${unknown}`, {
      CallSid: 'CA0',
      Digits: '1',
    });
    expect(gather.statusCode).toBe(200);
    expect(gather.body).toContain('<Hangup/>');

    // A settled call's TwiML is a hang-up; its key pressed late changes nothing.
    expect(
      (await signed(`/webhooks/twilio/call?t=${c.tenant.id}&r=${callId}`, { CallSid: sid })).body,
    ).not.toContain('<Say');
    const late = `/webhooks/twilio/call/gather?t=${c.tenant.id}&r=${callId}`;
    expect((await signed(late, { CallSid: sid, Digits: '1' })).statusCode).toBe(200);
    expect(await rowOf(c, callId)).toMatchObject({ outcome: 'heard', digits: null });

    // Replayed callbacks of a confirmed call: recorded once, the handler told once.
    const { callId: other } = await place(c, { key: 'replayed', to: '+33164001010' });
    await settled(other);
    const replayed = h.twilio.callbacks.filter(
      (x) => x.url.includes(`r=${other}`) && !x.url.includes('/call?'),
    );
    expect(replayed.length).toBeGreaterThanOrEqual(2);
    for (const cb of replayed) {
      const u = new URL(cb.url);
      const res = await h.ctx.app.inject({
        method: 'POST',
        url: u.pathname + u.search,
        headers: cb.headers,
        payload: cb.body,
      });
      expect(res.statusCode).toBe(200);
    }
    await new Promise((r) => setTimeout(r, 1500));
    expect(told.filter((t) => t.callId === other)).toHaveLength(1);
    expect(await rowOf(c, other)).toMatchObject({ outcome: 'confirmed', attempts: 1 });
  }, 90_000);
});
