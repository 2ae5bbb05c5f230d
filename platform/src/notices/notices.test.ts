// A notice that asks for SMS and email (services.notify's `channels`) reaches
// each account through the providers (the real SDKs against the Twilio
// stand-in and SES local), after the commit and never for a rolled-back one;
// a phone not verified, an opt-out and quiet hours are respected, urgent
// excepted; the same notice stored twice is sent once. No connection is held
// while a provider answers; a claim lost between the call and its record is
// sent again at most once.
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createKnex, deriveUrls } from '../db/knex.js';
import { createChannels } from '../notifications/index.js';
import { createNoticeActivities } from './activities.js';
import { withTenant } from '../db/tenant.js';
import { coreServices } from '../core/refs.js';
import { recordOptOut } from '../notifications/index.js';
import { createTenant, createTestAccount, type TestTenant } from '../testing/index.js';
import { startHarness, waitFor, type Harness } from '../alerts/testing/harness.js';
import type { PlatformServices } from '../plugins/index.js';

let h: Harness;
let tenant: TestTenant;
let services: PlatformServices;
beforeAll(async () => {
  h = await startHarness();
  tenant = await createTenant(h.ctx.operatorDb);
  services = h.ctx.app.services.get(coreServices.platform);
}, 120_000);
afterAll(async () => h?.close());

/** HH:MM in Paris, `minutes` from now. */
const paris = (minutes: number) =>
  new Date(Date.now() + minutes * 60_000).toLocaleTimeString('fr-FR', {
    timeZone: 'Europe/Paris',
    hour: '2-digit',
    minute: '2-digit',
  });

async function quietHours(accountId: string, start: string, end: string) {
  await withTenant(h.ctx.ownerDb, tenant.id, (trx) =>
    trx('notification_preferences').insert({
      tenant_id: tenant.id,
      account_id: accountId,
      info_channels: ['in_app'],
      important_channels: ['in_app'],
      urgent_channels: ['in_app', 'sms'],
      quiet_hours_start: start,
      quiet_hours_end: end,
    }),
  );
}

const sendsOf = (ids: string[]) =>
  withTenant(h.ctx.ownerDb, tenant.id, (trx) =>
    trx('notice_sends').whereIn('account_id', ids).orderBy(['account_id', 'channel']),
  );

it('sends SMS and email after the commit, as each account can be reached, once', async () => {
  const worker = await h.startWorkers();
  try {
    const phone = (n: number) => `+3361122330${n}`;
    const [ana, ben, cleo, dan] = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        createTestAccount(h.ctx.db, tenant.id, {
          displayName: `Voisin ${n}`,
          email: `voisin${n}@example.test`,
          phone: phone(n),
          phoneVerified: n !== 2,
        }),
      ),
    );
    // Quiet hours far from now for Ana, none for Ben and Cleo (an empty window:
    // the defaults, 22:00–07:00, would hold theirs when this runs at night);
    // Dan is in his quiet hours now.
    await quietHours(ana!.id, paris(120), paris(180));
    await quietHours(ben!.id, '00:00', '00:00');
    await quietHours(cleo!.id, '00:00', '00:00');
    await quietHours(dan!.id, paris(-60), paris(60));
    await withTenant(h.ctx.db, tenant.id, (trx) =>
      recordOptOut(trx, tenant.id, {
        channel: 'sms',
        address: phone(3),
        reason: 'stop_keyword',
        source: 'twilio-inbound',
      }),
    );
    const notice = (accountIds: string[], key: string, severity: 'info' | 'urgent' = 'info') =>
      withTenant(h.ctx.db, tenant.id, (trx) =>
        services.notify(trx, {
          tenantId: tenant.id,
          accountIds,
          kind: 'test.visit',
          title: 'Avis de passage',
          body: 'La police municipale est passée : rien à signaler.',
          link: '/tranquillite-vacances',
          dedupeKey: key,
          channels: ['sms', 'email'],
          severity,
        }),
      );
    // A rolled-back notice sends nothing.
    await withTenant(h.ctx.db, tenant.id, async (trx) => {
      await services.notify(trx, {
        tenantId: tenant.id,
        accountIds: [ana!.id],
        kind: 'test.rolled-back',
        title: 'Jamais envoyé',
        body: '—',
        channels: ['sms'],
      });
      throw new Error('rollback');
    }).catch(() => undefined);

    await notice([ana!.id, ben!.id, cleo!.id, dan!.id], 'visit-1');
    // The same notice again (a retried activity): stored once, sent once.
    await notice([ana!.id], 'visit-1');

    const sms = await waitFor(
      'Ana’s SMS',
      async () =>
        h.twilio.messages.filter((m) => m.to === phone(1)).length > 0 &&
        h.twilio.messages.filter((m) => m.to === phone(1)),
    );
    expect(sms).toHaveLength(1);
    expect(sms[0]!.body).toContain('Avis de passage');
    expect(sms[0]!.body).toMatch(/https?:\/\/[^ ]+\/tranquillite-vacances$/);
    const mail = await waitFor('Ana’s email', async () => {
      const m = await h.ses.emailsTo('voisin1@example.test');
      return m.length > 0 && m;
    });
    expect(mail[0]!.subject).toBe('Avis de passage');
    await waitFor('every row decided but Dan’s', async () => {
      const rows = await sendsOf([ana!.id, ben!.id, cleo!.id]);
      return rows.every((r) => r.status !== 'pending') && rows;
    });
    const rows = await sendsOf([ana!.id, ben!.id, cleo!.id, dan!.id]);
    const by = (id: string, channel: string) =>
      rows.find((r) => r.account_id === id && r.channel === channel);
    expect(by(ana!.id, 'sms')).toMatchObject({ status: 'sent' });
    expect(by(ben!.id, 'sms')).toMatchObject({ status: 'skipped', reason: 'NO_VERIFIED_PHONE' });
    expect(by(ben!.id, 'email')).toMatchObject({ status: 'sent' });
    expect(by(cleo!.id, 'sms')).toMatchObject({ status: 'skipped', reason: 'OPTED_OUT' });
    // Dan's quiet hours hold his until they end.
    expect(by(dan!.id, 'sms')).toMatchObject({ status: 'pending' });
    expect(by(dan!.id, 'sms')!.not_before.getTime()).toBeGreaterThan(Date.now() + 30 * 60_000);
    expect(h.twilio.messages.filter((m) => m.to === phone(4))).toHaveLength(0);
    // An urgent one reaches him now.
    await notice([dan!.id], 'anomaly-1', 'urgent');
    await waitFor('Dan’s urgent SMS', async () => h.twilio.messages.some((m) => m.to === phone(4)));
    expect(h.twilio.messages.some((m) => m.body.includes('Jamais envoyé'))).toBe(false);
  } finally {
    await worker.shutdown();
  }
}, 60_000);

/** The notice activities on a pool of one connection, as a starved `npm start` process has left. */
function onOneConnection() {
  const url = deriveUrls(h.ctx.database.ownerUrl, {
    appPassword: h.ctx.env.appPassword,
    operatorPassword: h.ctx.env.operatorPassword,
  }).app;
  const pool = createKnex(url, 1, 'vigie-test-notices-one');
  const acts = createNoticeActivities({
    db: pool,
    config: h.ctx.config,
    log: pino({ level: 'silent' }),
    channels: createChannels(h.ctx.config, { db: pool, timeoutMs: 10_000 }),
    temporal: () => h.ctx.temporal,
  });
  return { pool, acts };
}

/** A notice by SMS to these accounts (no worker runs here: the test sends its batch itself). */
async function smsNotice(accountIds: string[], key: string): Promise<string> {
  await withTenant(h.ctx.db, tenant.id, (trx) =>
    services.notify(trx, {
      tenantId: tenant.id,
      accountIds,
      kind: 'test.visit',
      title: 'Avis de passage',
      body: 'Rien à signaler.',
      dedupeKey: key,
      channels: ['sms'],
      severity: 'urgent',
    }),
  );
  const [row] = await sendsOf(accountIds);
  return row!.batch_id as string;
}

it('holds no connection while the provider answers: a query on the same one-connection pool gets through', async () => {
  const { pool, acts } = onOneConnection();
  try {
    const eve = await createTestAccount(h.ctx.db, tenant.id, { phone: '+33611223311', phoneVerified: true });
    const batchId = await smsNotice([eve.id], 'stall-1');
    h.twilio.behaviour.delayMs = 3_000;
    const before = h.twilio.requests;
    const run = acts.sendNoticeBatch({ tenantId: tenant.id, batchId });
    await waitFor('the SMS at the provider', async () => h.twilio.requests > before, 10_000, 20);
    const t0 = Date.now();
    const answered = await withTenant(pool, tenant.id, (trx) =>
      trx('notice_sends').where({ batch_id: batchId }),
    );
    // Answered while the provider still stalls (3 s): the claim's transaction was over.
    expect(Date.now() - t0).toBeLessThan(1_500);
    expect(answered[0]).toMatchObject({ status: 'sending', provider_id: null });
    expect(await run).toMatchObject({ sent: 1, failed: 0, nextAt: null });
    expect(await sendsOf([eve.id])).toMatchObject([{ status: 'sent', resent: false }]);
    expect(h.twilio.messages.filter((m) => m.to === '+33611223311')).toHaveLength(1);
  } finally {
    h.twilio.behaviour.delayMs = 0;
    await pool.destroy();
  }
}, 60_000);

it('sends a claim lost before its record again once, then fails it; a claim in flight is left alone', async () => {
  const { pool, acts } = onOneConnection();
  try {
    const phone = (n: number) => `+3361122332${n}`;
    const [lost, lostTwice, inFlight] = await Promise.all(
      [1, 2, 3].map((n) => createTestAccount(h.ctx.db, tenant.id, { phone: phone(n), phoneVerified: true })),
    );
    const batchId = await smsNotice([lost!.id, lostTwice!.id, inFlight!.id], 'lost-1');
    const claim = (accountId: string, sendingAt: Date, resent: boolean) =>
      withTenant(h.ctx.ownerDb, tenant.id, (trx) =>
        trx('notice_sends')
          .where({ account_id: accountId })
          .update({ status: 'sending', sending_at: sendingAt, resent, attempts: 1 }),
      );
    const longAgo = new Date(Date.now() - 10 * 60_000);
    await claim(lost!.id, longAgo, false);
    await claim(lostTwice!.id, longAgo, true);
    await claim(inFlight!.id, new Date(), false);
    const round = await acts.sendNoticeBatch({ tenantId: tenant.id, batchId });
    expect(round).toMatchObject({ sent: 1, failed: 1 });
    // The workflow comes back for the claim in flight once it is stale.
    expect(Date.parse(round.nextAt!)).toBeGreaterThan(Date.now() + 30_000);
    const rows = await sendsOf([lost!.id, lostTwice!.id, inFlight!.id]);
    const of = (id: string) => rows.find((r) => r.account_id === id);
    expect(of(lost!.id)).toMatchObject({ status: 'sent', resent: true, attempts: 2 });
    expect(of(lostTwice!.id)).toMatchObject({ status: 'failed', reason: 'SEND_UNCONFIRMED' });
    expect(of(inFlight!.id)).toMatchObject({ status: 'sending', provider_id: null });
    expect(h.twilio.messages.filter((m) => m.to === phone(1))).toHaveLength(1);
    expect(h.twilio.messages.filter((m) => m.to === phone(2) || m.to === phone(3))).toHaveLength(0);
  } finally {
    await pool.destroy();
  }
}, 60_000);
