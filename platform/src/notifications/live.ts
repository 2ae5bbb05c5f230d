// The live half of in-app notifications. The in-app sender NOTIFYs on commit
// (adapters/in-app.ts), from whichever process stored the row; every API
// process LISTENs and republishes on its GraphQL pubsub, under one topic per
// recipient. A notification stored while this connection was down is not
// pushed, but it is in the inbox: clients refetch `myNotifications` when their
// WebSocket reconnects.
import pg from 'pg';
import type { Knex } from 'knex';
import type { FastifyBaseLogger } from 'fastify';
import { withTenant } from '../db/index.js';
import { getInApp, IN_APP_CHANNEL, type InAppNotification, type InAppSignal } from './adapters/in-app.js';

export function inAppTopic(tenantId: string, accountId: string): string {
  return `IN_APP:${tenantId}:${accountId}`;
}

export interface RelayDeps {
  db: Knex;
  publish: (topic: string, payload: { inAppNotification: InAppNotification }) => void;
  log: FastifyBaseLogger;
  retryMs?: number;
}

export interface Relay {
  /** Resolves once LISTEN is in place (tests wait for it before storing). */
  ready: Promise<void>;
  close(): Promise<void>;
}

function connectionString(db: Knex): string {
  const conn = (db.client as { config: Knex.Config }).config.connection as
    { connectionString?: string } | string;
  const s = typeof conn === 'string' ? conn : conn?.connectionString;
  if (!s) throw new Error('The in-app relay needs the pool to be configured with a connection string');
  return s;
}

export function startInAppRelay(deps: RelayDeps): Relay {
  let client: pg.Client | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let markReady!: () => void;
  const ready = new Promise<void>((r) => (markReady = r));

  const relay = async (payload: string | undefined) => {
    try {
      const s = JSON.parse(payload ?? '') as InAppSignal;
      const n = await withTenant(deps.db, s.tenantId, (trx) => getInApp(trx, s.id));
      if (n) deps.publish(inAppTopic(s.tenantId, s.accountId), { inAppNotification: n });
    } catch (err) {
      deps.log.warn({ err }, 'in-app notification not relayed');
    }
  };

  const connect = async () => {
    if (closed) return;
    const c = new pg.Client({
      connectionString: connectionString(deps.db),
      application_name: 'vigie-in-app-relay',
    });
    client = c;
    c.on('notification', (n) => void relay(n.payload));
    c.on('error', (err) => {
      deps.log.warn({ err }, 'in-app relay connection lost');
      retry(c);
    });
    c.on('end', () => retry(c));
    try {
      await c.connect();
      await c.query(`listen ${IN_APP_CHANNEL}`);
      markReady();
    } catch (err) {
      deps.log.warn({ err }, 'in-app relay could not listen');
      retry(c);
    }
  };

  const retry = (c: pg.Client) => {
    if (closed || client !== c || timer) return;
    client = undefined;
    c.end().catch(() => undefined);
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, deps.retryMs ?? 1_000);
  };

  void connect();
  return {
    ready,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
