// Two API instances on one database, as two API pods behind a load balancer
// (in one test process, each with its own assembly, pools and relay
// connection): a resident subscribed on the second receives live an alert
// raised through the first, and a delivery receipt posted to both at once is
// recorded once.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import pino from 'pino';
import twilio from 'twilio';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createKnex, deriveUrls } from '../db/knex.js';
import { withTenant } from '../db/tenant.js';
import { assemble } from '../main/assembly.js';
import { Browser } from '../testing/index.js';
import { RAISE, seedCommune, seedResident, startHarness, waitFor, type Harness } from './testing/harness.js';

let h: Harness;
let second: FastifyInstance;
let pools: Knex[] = [];

beforeAll(async () => {
  // The stand-in's own status callbacks wait: the test posts the receipt itself, to both instances.
  h = await startHarness({ twilio: { callbackDelayMs: 600_000 } });
  await h.startWorkers();
  const urls = deriveUrls(h.ctx.database.ownerUrl, {
    appPassword: h.ctx.env.appPassword,
    operatorPassword: h.ctx.env.operatorPassword,
  });
  const db = createKnex(urls.app, 10, 'vigie-test-second-api');
  const operatorDb = createKnex(urls.operator, 2, 'vigie-test-second-api-operator');
  pools = [db, operatorDb];
  const vigie = await assemble({
    config: h.ctx.config,
    db,
    operatorDb,
    temporal: h.ctx.temporal,
    log: pino({ level: 'silent' }),
    plugins: h.ctx.plugins,
  });
  second = await vigie.buildApp({ logger: false });
  await second.ready();
  await second.notifications.relay.ready;
  await second.listen({ host: '127.0.0.1', port: 0 });
}, 120_000);

afterAll(async () => {
  await second?.close();
  await Promise.all(pools.map((p) => p.destroy()));
  await h?.close();
});

describe('two API instances on one database', () => {
  it('pushes an alert raised through the first to a resident subscribed on the second, and records a receipt once', async () => {
    const c = await seedCommune(h.ctx, { alerts: { retryInitialSeconds: 0.2, receiptWindowMinutes: 5 } });
    const resident = await seedResident(h, c.tenant, c.sectorId, {
      phone: '+33612345678',
      channels: ['sms', 'in_app'],
    });
    const onSecond = new Browser(second, c.tenant.host);
    await onSecond.login(resident.email);
    const port = (second.server.address() as AddressInfo).port;
    const headers = { host: c.tenant.host, cookie: onSecond.cookie! };
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
    client.subscribe<{ inAppNotification: { title: string; body: string } }>(
      { query: 'subscription { inAppNotification { title body } }' },
      {
        next: (v) => received.push(v.data!.inAppNotification.body),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    try {
      await waitFor('the subscription is registered on the second instance', async () =>
        second.notifications.relay.stats().watching === 1 ? true : undefined,
      );
      // Raised through the first instance (the police's session lives there).
      const raised = await c.police.browser.ok<{ raiseAlert: { id: string } }>(RAISE, {
        input: {
          category: 'incident',
          severity: 'urgent',
          text: 'Fuite de gaz rue des Lilas',
          target: { kind: 'sectors', sectorIds: [c.sectorId] },
        },
      });
      await waitFor('the alert reaches the second instance live', async () =>
        received.some((b) => b.includes('Fuite de gaz')) ? true : undefined,
      );

      // The SMS went to the stand-in; its receipt is posted to both instances at the same time.
      const sms = await waitFor(
        'the SMS is handed to the provider',
        async () =>
          withTenant(h.ctx.db, c.tenant.id, (trx) =>
            trx('deliveries')
              .where({ alert_id: raised.raiseAlert.id, channel: 'sms' })
              .whereNotNull('provider_message_id')
              .first('id', 'provider_message_id', 'status'),
          ) as Promise<{ id: string; provider_message_id: string; status: string } | undefined>,
      );
      const message = h.twilio.messages.find((m) => m.sid === sms.provider_message_id)!;
      const url = message.statusCallback!;
      const params = {
        AccountSid: h.twilio.accountSid,
        MessageSid: message.sid,
        MessageStatus: 'delivered',
        To: message.to,
        From: h.twilio.senderNumber,
      };
      const payload = new URLSearchParams(params).toString();
      const signature = twilio.getExpectedTwilioSignature(h.twilio.authToken, url, params);
      const path = new URL(url).pathname + new URL(url).search;
      const post = (app: FastifyInstance) =>
        app.inject({
          method: 'POST',
          url: path,
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
          payload,
        });
      const answers = await Promise.all([post(h.ctx.app), post(second)]);
      expect(answers.map((a) => a.statusCode)).toEqual([200, 200]);
      expect(answers.map((a) => (a.json() as { result: string }).result).sort()).toEqual([
        'duplicate',
        'receipt',
      ]);
      const events = await h.ctx
        .ownerDb('webhook_events')
        .where({ provider: 'twilio', event_id: `${message.sid}:delivered` });
      expect(events).toHaveLength(1);
      const row = await withTenant(h.ctx.db, c.tenant.id, (trx) =>
        trx('deliveries').where({ id: sms.id }).first('status'),
      );
      expect(row.status).toBe('delivered');
    } finally {
      await client.dispose();
    }
  });
});
