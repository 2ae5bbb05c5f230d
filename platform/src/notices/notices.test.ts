// A notice that asks for SMS and email (services.notify's `channels`) reaches
// each account through the providers (the real SDKs against the Twilio
// stand-in and SES local), after the commit and never for a rolled-back one;
// a phone not verified, an opt-out and quiet hours are respected, urgent
// excepted; the same notice stored twice is sent once.
import { afterAll, beforeAll, expect, it } from 'vitest';
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
    // Quiet hours far from now for Ana; Dan is in his quiet hours now.
    await quietHours(ana!.id, paris(120), paris(180));
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
