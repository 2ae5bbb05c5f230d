// The live half of in-app notifications. The in-app sender NOTIFYs on commit
// (adapters/in-app.ts), one signal per page of rows with their recipients,
// from whichever process stored them; every API process LISTENs, keeps only
// the rows of accounts subscribed to it (no query at all when none is), reads
// those in one query and republishes them on its GraphQL pubsub, under one
// topic per recipient. A notification stored while this connection was down is not
// pushed, but it is in the inbox: clients refetch `myNotifications` when their
// WebSocket reconnects.
import pg from 'pg';
import type { Knex } from 'knex';
import type { FastifyBaseLogger } from 'fastify';
import { withTenant } from '../db/index.js';
import { getInAppMany, IN_APP_CHANNEL, type InAppNotification, type InAppSignal } from './adapters/in-app.js';

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
  /** An account subscribed on this process; returns the function that ends the watch. */
  watch(tenantId: string, accountId: string): () => void;
  /** Signals seen, rows relayed, signals dropped without a query (nobody here subscribed), accounts watched. */
  stats(): { signals: number; relayed: number; skipped: number; watching: number };
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

  // tenant → account → subscriptions of that account on this process
  const watched = new Map<string, Map<string, number>>();
  const stats = { signals: 0, relayed: 0, skipped: 0 };

  const relay = async (payload: string | undefined) => {
    stats.signals++;
    try {
      const s = JSON.parse(payload ?? '') as InAppSignal;
      const here = watched.get(s.t);
      const ids = here ? s.n.filter(([, accountId]) => here.has(accountId)).map(([id]) => id) : [];
      if (ids.length === 0) {
        stats.skipped++;
        return;
      }
      const rows = await withTenant(deps.db, s.t, (trx) => getInAppMany(trx, ids));
      for (const n of rows) deps.publish(inAppTopic(s.t, n.accountId), { inAppNotification: n });
      stats.relayed += rows.length;
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
    watch(tenantId, accountId) {
      const accounts = watched.get(tenantId) ?? new Map<string, number>();
      watched.set(tenantId, accounts);
      accounts.set(accountId, (accounts.get(accountId) ?? 0) + 1);
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        const left = (accounts.get(accountId) ?? 1) - 1;
        if (left > 0) accounts.set(accountId, left);
        else accounts.delete(accountId);
        if (accounts.size === 0 && watched.get(tenantId) === accounts) watched.delete(tenantId);
      };
    },
    stats: () => ({ ...stats, watching: [...watched.values()].reduce((n, a) => n + a.size, 0) }),
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
