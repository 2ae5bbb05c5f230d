import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../db/tenant.js';
import {
  Browser,
  createTenant,
  createTestAccount,
  createTestContext,
  staffBrowser,
  type TestContext,
  type TestTenant,
} from '../testing/index.js';
import * as migration from '../../migrations/0006_notifications.js';
import * as noticeSends from '../../migrations/0021_notice_sends.js';
import { startInAppRelay } from './live.js';
import { recordSmsSegments, smsUsage, billingMonth } from './sms-usage.js';
import { clearOptOut, isOptedOut, optedOutAmong, recordOptOut } from './opt-outs.js';
import { groupedOptOutCheck } from './channels.js';
import { loadPreferences, DEFAULT_PREFERENCES } from './preferences.js';
import type { InAppNotification } from './adapters/in-app.js';

let ctx: TestContext;
let serris: TestTenant;
let magny: TestTenant;

beforeAll(async () => {
  ctx = await createTestContext();
  [serris, magny] = await Promise.all([createTenant(ctx.operatorDb), createTenant(ctx.operatorDb)]);
});
afterAll(async () => ctx?.close());

describe('dev outbox (no provider configured)', () => {
  it('receives SMS and emails, reports them delivered, and shows them to the demo through GraphQL', async () => {
    const { channels } = ctx.app.notifications;
    const sms = await channels.sms.send({
      tenantId: serris.id,
      to: '+33611223344',
      body: 'Alerte : porte ouverte au 3 rue Haute',
      idempotencyKey: 'o-1',
    });
    expect(sms).toMatchObject({ provider: 'dev-outbox', status: 'delivered' });
    // An activity retried after a crash stores nothing twice.
    expect(
      (
        await channels.sms.send({
          tenantId: serris.id,
          to: '+33611223344',
          body: 'Alerte : porte ouverte au 3 rue Haute',
          idempotencyKey: 'o-1',
        })
      ).providerId,
    ).toBe(sms.providerId);
    await channels.email.send({
      tenantId: serris.id,
      to: 'voisin@example.test',
      subject: 'Alerte à Serris',
      html: '<p>Porte ouverte</p>',
      text: 'Porte ouverte',
    });

    const demo = new Browser(ctx.app, serris.host);
    const r = await demo.ok<{
      devOutbox: Array<{
        channel: string;
        recipient: string;
        subject: string | null;
        body: string;
        html: string | null;
      }>;
    }>('{ devOutbox { channel recipient subject body html } }');
    expect(r.devOutbox).toEqual([
      {
        channel: 'email',
        recipient: 'voisin@example.test',
        subject: 'Alerte à Serris',
        body: 'Porte ouverte',
        html: '<p>Porte ouverte</p>',
      },
      {
        channel: 'sms',
        recipient: '+33611223344',
        subject: null,
        body: 'Alerte : porte ouverte au 3 rue Haute',
        html: null,
      },
    ]);
    const onlySms = await demo.ok<{ devOutbox: unknown[] }>('{ devOutbox(channel: sms) { id } }');
    expect(onlySms.devOutbox).toHaveLength(1);
    // Another commune's portal sees its own outbox only.
    expect(
      (await new Browser(ctx.app, magny.host).ok<{ devOutbox: unknown[] }>('{ devOutbox { id } }')).devOutbox,
    ).toEqual([]);
  });
});

describe('dev outbox in production', () => {
  let prod: TestContext;
  beforeAll(async () => {
    prod = await createTestContext({
      env: { NODE_ENV: 'production', VIGIE_SECRET: 'a-production-secret-of-at-least-32-chars' },
    });
  });
  afterAll(async () => prod?.close());

  it('is readable only by staff holding notifications.outbox.read', async () => {
    const t = await createTenant(prod.operatorDb);
    await prod.app.notifications.channels.sms.send({
      tenantId: t.id,
      to: '+33611223355',
      body: 'code 123456',
      idempotencyKey: 'p-1',
    });
    expect(
      (await new Browser(prod.app, t.host).gql('{ devOutbox { id } }')).errors?.[0]?.extensions?.code,
    ).toBe('UNAUTHENTICATED');
    const resident = await createTestAccount(prod.db, t.id);
    const rb = new Browser(prod.app, t.host);
    await rb.login(resident.email);
    expect((await rb.gql('{ devOutbox { id } }')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const { browser: admin } = await staffBrowser(prod.app, prod.db, t, 'mairie_admin');
    expect(
      (await admin.ok<{ devOutbox: Array<{ body: string }> }>('{ devOutbox { body } }')).devOutbox,
    ).toEqual([{ body: 'code 123456' }]);
  });
});

describe('in-app notifications', () => {
  it('stores once per idempotency key, lists, counts and marks read for the recipient only', async () => {
    const camille = await createTestAccount(ctx.db, serris.id, { email: 'camille.inapp@example.test' });
    const other = await createTestAccount(ctx.db, serris.id);
    const { inApp } = ctx.app.notifications.channels;
    const msg = {
      tenantId: serris.id,
      accountId: camille.id,
      kind: 'alert',
      title: 'Individu suspect',
      body: 'Rue des Lilas',
      link: '/alertes/1',
      idempotencyKey: 'alert-1:camille',
    };
    const first = await inApp.send(msg);
    const again = await inApp.send(msg);
    expect(again.providerId).toBe(first.providerId);
    await inApp.send({ ...msg, title: 'Fin d’alerte', idempotencyKey: 'alert-1-closed:camille' });
    await inApp.send({ ...msg, accountId: other.id, idempotencyKey: 'alert-1:other' });

    const b = new Browser(ctx.app, serris.host);
    await b.login('camille.inapp@example.test');
    const list = await b.ok<{
      myNotifications: Array<{ id: string; title: string; link: string; readAt: string | null }>;
      myUnreadNotificationCount: number;
    }>('{ myNotifications { id title link readAt } myUnreadNotificationCount }');
    expect(list.myNotifications.map((n) => n.title)).toEqual(['Fin d’alerte', 'Individu suspect']);
    expect(list.myUnreadNotificationCount).toBe(2);
    const marked = await b.ok<{ markNotificationsRead: number }>(
      'mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }',
      { ids: [first.providerId] },
    );
    expect(marked.markNotificationsRead).toBe(1);
    expect(
      (await b.ok<{ myUnreadNotificationCount: number }>('{ myUnreadNotificationCount }'))
        .myUnreadNotificationCount,
    ).toBe(1);
    expect(
      (await b.ok<{ markNotificationsRead: number }>('mutation { markNotificationsRead }'))
        .markNotificationsRead,
    ).toBe(1);
    // The other resident's notification was untouched by Camille's "mark all read".
    const otherRow = await withTenant(ctx.db, serris.id, (trx) =>
      trx('in_app_notifications').where({ account_id: other.id }).first('read_at'),
    );
    expect(otherRow.read_at).toBeNull();
  });

  it('relays a stored notification to the recipient’s topic, from any process, on commit only', async () => {
    const account = await createTestAccount(ctx.db, serris.id);
    const published: Array<{ topic: string; payload: { inAppNotification: InAppNotification } }> = [];
    const relay = startInAppRelay({
      db: ctx.db,
      publish: (topic, payload) => published.push({ topic, payload }),
      log: ctx.app.log,
    });
    try {
      await relay.ready;
      relay.watch(serris.id, account.id);
      // A rolled-back insert is never announced.
      await withTenant(ctx.db, serris.id, async (trx) => {
        const { storeInApp } = await import('./adapters/in-app.js');
        await storeInApp(trx, {
          tenantId: serris.id,
          accountId: account.id,
          kind: 'alert',
          title: 'annulée',
          body: 'x',
        });
        await trx.rollback();
      }).catch(() => undefined);
      const sent = await ctx.app.notifications.channels.inApp.send({
        tenantId: serris.id,
        accountId: account.id,
        kind: 'alert',
        title: 'Chien perdu',
        body: 'Un labrador',
      });
      await expect.poll(() => published.length, { timeout: 5_000 }).toBe(1);
      expect(published[0]!.topic).toBe(`IN_APP:${serris.id}:${account.id}`);
      expect(published[0]!.payload.inAppNotification).toMatchObject({
        id: sent.providerId,
        title: 'Chien perdu',
        accountId: account.id,
      });
    } finally {
      await relay.close();
    }
  });

  it('stores a batch in one go, skips keys already stored, and relays each new row to its own recipient', async () => {
    const [a, b] = [await createTestAccount(ctx.db, serris.id), await createTestAccount(ctx.db, serris.id)];
    const published: Array<{ topic: string; payload: { inAppNotification: InAppNotification } }> = [];
    const relay = startInAppRelay({
      db: ctx.db,
      publish: (topic, payload) => published.push({ topic, payload }),
      log: ctx.app.log,
    });
    try {
      await relay.ready;
      const unwatchA = relay.watch(serris.id, a.id);
      relay.watch(serris.id, b.id);
      const { storeInAppMany } = await import('./adapters/in-app.js');
      const msg = (accountId: string, key: string) => ({
        tenantId: serris.id,
        accountId,
        kind: 'alert',
        title: 'Vol à la roulotte',
        body: 'Parking de la gare',
        idempotencyKey: key,
      });
      expect(
        await withTenant(ctx.db, serris.id, (trx) =>
          storeInAppMany(trx, [msg(a.id, 'batch:a'), msg(b.id, 'batch:b')]),
        ),
      ).toBe(2);
      // A retried batch: the stored key is skipped, the new one is stored.
      expect(
        await withTenant(ctx.db, serris.id, (trx) =>
          storeInAppMany(trx, [msg(a.id, 'batch:a'), msg(a.id, 'batch:a2')]),
        ),
      ).toBe(1);
      await expect.poll(() => published.length, { timeout: 5_000 }).toBe(3);
      expect(published.map((p) => p.topic).sort()).toEqual(
        [`IN_APP:${serris.id}:${a.id}`, `IN_APP:${serris.id}:${a.id}`, `IN_APP:${serris.id}:${b.id}`].sort(),
      );
      const rows = await withTenant(ctx.db, serris.id, (trx) =>
        trx('in_app_notifications')
          .whereIn('account_id', [a.id, b.id])
          .count<{ n: string }[]>('* as n')
          .first(),
      );
      expect(Number(rows!.n)).toBe(3);
      // Nobody subscribed here to a: its next notification is dropped without reading it.
      unwatchA();
      const before = relay.stats();
      await withTenant(ctx.db, serris.id, (trx) => storeInAppMany(trx, [msg(a.id, 'batch:a3')]));
      await expect.poll(() => relay.stats().signals, { timeout: 5_000 }).toBe(before.signals + 1);
      expect(relay.stats()).toMatchObject({
        skipped: before.skipped + 1,
        relayed: before.relayed,
        watching: 1,
      });
      expect(published).toHaveLength(3);
    } finally {
      await relay.close();
    }
  });

  it('signals a page of rows in one NOTIFY per 90 rows, and relays only the subscribed recipients’ rows, in one read', async () => {
    // Accounts without a password: hashing 200 of them would be the test's whole time.
    const accounts = (await withTenant(ctx.db, serris.id, (trx) =>
      trx('accounts')
        .insert(
          Array.from({ length: 200 }, (_, i) => ({
            tenant_id: serris.id,
            email: `page-${i}-${Date.now()}@example.test`,
            display_name: 'Voisin',
          })),
        )
        .returning('id'),
    )) as Array<{ id: string }>;
    const published: string[] = [];
    const relay = startInAppRelay({
      db: ctx.db,
      publish: (topic) => published.push(topic),
      log: ctx.app.log,
    });
    try {
      await relay.ready;
      const subscribed = [accounts[3]!, accounts[150]!];
      for (const s of subscribed) relay.watch(serris.id, s.id);
      const { storeInAppMany } = await import('./adapters/in-app.js');
      await withTenant(ctx.db, serris.id, (trx) =>
        storeInAppMany(
          trx,
          accounts.map((x) => ({
            tenantId: serris.id,
            accountId: x.id,
            kind: 'alert',
            title: 'Page',
            body: 'x',
          })),
        ),
      );
      // 200 rows: three signals (90 + 90 + 20); two carry a subscribed recipient, one is dropped unread.
      await expect.poll(() => relay.stats().signals, { timeout: 5_000 }).toBe(3);
      await expect.poll(() => published.length, { timeout: 5_000 }).toBe(2);
      expect(relay.stats()).toMatchObject({ relayed: 2, skipped: 1 });
      expect(published.sort()).toEqual(subscribed.map((s) => `IN_APP:${serris.id}:${s.id}`).sort());
    } finally {
      await relay.close();
    }
  });

  it('pushes the notification live over the GraphQL subscription of the logged-in resident', async () => {
    const me = await createTestAccount(ctx.db, serris.id, { email: 'live@example.test' });
    const neighbour = await createTestAccount(ctx.db, serris.id);
    const b = new Browser(ctx.app, serris.host);
    await b.login('live@example.test');
    await ctx.app.notifications.relay.ready;
    await ctx.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (ctx.app.server.address() as AddressInfo).port;
    const headers = { host: serris.host, cookie: b.cookie! };
    class HostWebSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers });
      }
    }
    const client = createClient({
      url: `ws://127.0.0.1:${port}/graphql`,
      webSocketImpl: HostWebSocket,
      lazy: false,
      retryAttempts: 0,
    });
    const received: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      client.subscribe<{ inAppNotification: { title: string } }>(
        { query: 'subscription { inAppNotification { title } }' },
        { next: (v) => received.push(v.data!.inAppNotification.title), error: reject, complete: resolve },
      );
    });
    try {
      // The subscription registers asynchronously: send until the first one arrives.
      for (let i = 0; i < 50 && received.length === 0; i++) {
        await ctx.app.notifications.channels.inApp.send({
          tenantId: serris.id,
          accountId: neighbour.id,
          kind: 'alert',
          title: `pour le voisin ${i}`,
          body: 'x',
        });
        await ctx.app.notifications.channels.inApp.send({
          tenantId: serris.id,
          accountId: me.id,
          kind: 'alert',
          title: `pour moi ${i}`,
          body: 'x',
        });
        await new Promise((r) => setTimeout(r, 100));
      }
      await expect.poll(() => received.length, { timeout: 5_000 }).toBeGreaterThan(0);
      expect(received.every((t) => t.startsWith('pour moi'))).toBe(true);
      expect(ctx.app.notifications.relay.stats().watching).toBe(1);
    } finally {
      await client.dispose();
      void done.catch(() => undefined);
    }
    // The socket closed: this process stops reading the resident's notifications.
    await expect.poll(() => ctx.app.notifications.relay.stats().watching, { timeout: 5_000 }).toBe(0);
  });
});

describe('notification preferences', () => {
  it('reads the defaults, saves a choice, and refuses an invalid one with a stable code', async () => {
    await createTestAccount(ctx.db, serris.id, { email: 'prefs@example.test' });
    const b = new Browser(ctx.app, serris.host);
    await b.login('prefs@example.test');
    const q =
      '{ myNotificationPreferences { info important urgent quietHoursStart quietHoursEnd timezone digestInfo } }';
    expect((await b.ok<{ myNotificationPreferences: unknown }>(q)).myNotificationPreferences).toEqual({
      info: ['in_app'],
      important: ['in_app', 'email', 'push'],
      urgent: ['in_app', 'email', 'sms', 'push'],
      quietHoursStart: '22:00',
      quietHoursEnd: '07:00',
      timezone: 'Europe/Paris',
      digestInfo: false,
    });
    const input = {
      info: ['email'],
      important: ['sms', 'in_app'],
      urgent: ['sms'],
      quietHoursStart: '23:30',
      quietHoursEnd: '06:15',
      timezone: 'Europe/Paris',
      digestInfo: true,
    };
    const m =
      'mutation($i: NotificationPreferencesInput!) { updateNotificationPreferences(input: $i) { info urgent quietHoursStart digestInfo } }';
    expect(
      (await b.ok<{ updateNotificationPreferences: unknown }>(m, { i: input })).updateNotificationPreferences,
    ).toEqual({ info: ['email'], urgent: ['sms'], quietHoursStart: '23:30', digestInfo: true });
    expect(
      (await b.ok<{ myNotificationPreferences: { quietHoursEnd: string; important: string[] } }>(q))
        .myNotificationPreferences,
    ).toMatchObject({ quietHoursEnd: '06:15', important: ['sms', 'in_app'] });
    const bad = await b.gql(m, { i: { ...input, quietHoursStart: '24:00' } });
    expect(bad.errors?.[0]?.extensions?.code).toBe('NOTIFICATION_PREFERENCES_INVALID');
    const badZone = await b.gql(m, { i: { ...input, timezone: 'Europe/Atlantis' } });
    expect(badZone.errors?.[0]?.extensions?.code).toBe('NOTIFICATION_PREFERENCES_INVALID');
  });

  it('loads a page of recipients’ preferences in one query, with defaults for the silent ones', async () => {
    const a = await createTestAccount(ctx.db, serris.id);
    const b = await createTestAccount(ctx.db, serris.id);
    await withTenant(ctx.db, serris.id, (trx) =>
      trx('notification_preferences').insert({
        tenant_id: serris.id,
        account_id: a.id,
        urgent_channels: ['sms'],
        digest_info: true,
      }),
    );
    const prefs = await withTenant(ctx.db, serris.id, (trx) => loadPreferences(trx, [a.id, b.id]));
    expect(prefs.get(a.id)).toMatchObject({ channels: { urgent: ['sms'] }, digestInfo: true });
    expect(prefs.get(b.id)).toEqual(DEFAULT_PREFERENCES);
  });
});

describe('opt-outs', () => {
  it('keys on a hash of the normalised address, per commune, and START lifts it', async () => {
    await withTenant(ctx.db, serris.id, (trx) =>
      recordOptOut(trx, serris.id, {
        channel: 'sms',
        address: '+33 6 12 34 56 78',
        reason: 'stop_keyword',
        source: 'twilio-inbound',
      }),
    );
    const row = await withTenant(ctx.db, serris.id, (trx) => trx('opt_outs').first());
    expect(JSON.stringify(row)).not.toContain('612345678');
    expect(await withTenant(ctx.db, serris.id, (trx) => isOptedOut(trx, 'sms', '+33612345678'))).toBe(true);
    expect(await withTenant(ctx.db, magny.id, (trx) => isOptedOut(trx, 'sms', '+33612345678'))).toBe(false);
    expect(
      await withTenant(ctx.db, serris.id, (trx) =>
        optedOutAmong(trx, 'sms', ['+33612345678', '+33699999999']),
      ),
    ).toEqual(new Set(['+33612345678']));
    expect(await withTenant(ctx.db, serris.id, (trx) => clearOptOut(trx, 'sms', '+33612345678'))).toBe(true);
    expect(await withTenant(ctx.db, serris.id, (trx) => isOptedOut(trx, 'sms', '+33612345678'))).toBe(false);
  });
  it('checks concurrent sends in grouped lookups, each answer its own address and commune', async () => {
    await withTenant(ctx.db, magny.id, (trx) =>
      recordOptOut(trx, magny.id, {
        channel: 'sms',
        address: '+33700000007',
        reason: 'stop_keyword',
        source: 'twilio-inbound',
      }),
    );
    let transactions = 0;
    const onQuery = (q: { sql: string }) => {
      if (/^begin/i.test(q.sql)) transactions++;
    };
    ctx.db.on('query', onQuery);
    try {
      const check = groupedOptOutCheck(ctx.db);
      const numbers = Array.from({ length: 60 }, (_, i) => `+337000000${String(i).padStart(2, '0')}`);
      const answers = await Promise.all([
        ...numbers.map((n) => check(magny.id, 'sms', n)),
        // The same number in another commune, and on another channel: not opted out there.
        check(serris.id, 'sms', '+33700000007'),
        check(magny.id, 'voice', '+33700000007'),
      ]);
      expect(answers.flatMap((out, i) => (out ? [i] : []))).toEqual([7]);
      // Three lookups (one per commune and channel), not 62.
      expect(transactions).toBe(3);
      // Idle again: a lone check goes at once, and still sees a new opt-out.
      await withTenant(ctx.db, magny.id, (trx) =>
        recordOptOut(trx, magny.id, {
          channel: 'sms',
          address: '+33700000008',
          reason: 'stop_keyword',
          source: 'twilio-inbound',
        }),
      );
      expect(await check(magny.id, 'sms', '+33700000008')).toBe(true);
      // A failed lookup fails every send that waited for it (none goes out unchecked).
      await expect(check('not-a-uuid', 'sms', '+33700000008')).rejects.toThrow();
      expect(await check(magny.id, 'sms', '+33700000009')).toBe(false);
    } finally {
      ctx.db.removeListener('query', onQuery);
    }
  });
});

describe('SMS usage and budget', () => {
  it('counts segments without losing concurrent increments, warns at 80 % exactly once, and says when the budget is spent', async () => {
    const now = new Date('2026-11-27T10:00:00Z');
    const results = await Promise.all(
      Array.from({ length: 30 }, () =>
        withTenant(ctx.db, magny.id, (trx) =>
          recordSmsSegments(trx, magny.id, { segments: 3, now, budget: 100 }),
        ),
      ),
    );
    expect(results.filter((r) => r.warn80)).toHaveLength(1);
    const usage = await withTenant(ctx.db, magny.id, (trx) => smsUsage(trx, { now, budget: 100 }));
    expect(usage).toEqual({
      month: '2026-11-01',
      segmentsSent: 90,
      messagesSent: 30,
      budget: 100,
      overBudget: false,
    });
    const more = await withTenant(ctx.db, magny.id, (trx) =>
      recordSmsSegments(trx, magny.id, { segments: 12, now, budget: 100 }),
    );
    expect(more).toMatchObject({ segmentsSent: 102, overBudget: true, warn80: false });
  });

  it('bills a message sent at 00:30 on the 1st, Paris time, to the new month', () => {
    expect(billingMonth(new Date('2026-11-30T23:30:00Z'))).toBe('2026-12-01');
    expect(billingMonth(new Date('2026-11-30T22:30:00Z'))).toBe('2026-11-01');
  });
});

describe('migration 0006_notifications', () => {
  it('is reversible and creates its tables with forced row-level security', async () => {
    const tables = ['in_app_notifications', 'notification_preferences', 'opt_outs', 'sms_usage'];
    const rls = async () =>
      (
        await ctx.ownerDb.raw(
          'select relname, relrowsecurity, relforcerowsecurity from pg_class where relname = any(?) order by relname',
          [tables],
        )
      ).rows as Array<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>;
    await ctx.ownerDb.transaction(async (trx) => {
      // Later migrations that reference its tables go first, as a rollback would take them.
      await noticeSends.down(trx);
      await migration.down(trx);
      expect(
        await trx.raw('select relname from pg_class where relname = any(?)', [tables]).then((r) => r.rows),
      ).toEqual([]);
      await migration.up(trx);
      await noticeSends.up(trx);
    });
    expect(await rls()).toEqual(
      [...tables].sort().map((relname) => ({ relname, relrowsecurity: true, relforcerowsecurity: true })),
    );
  });
});
