// Prometheus metrics of one instance (`GET /metrics` on the API and on the
// worker's probe port). One registry per instance, never prom-client's global
// one: two instances in one process (tests) keep their own counts.
//
// Labels carry no personal data and no tenant free text: channels, states,
// typed reasons and providers are small fixed sets.
import type { Knex } from 'knex';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { safeEqual } from './crypto.js';

export interface Metrics {
  registry: Registry;
  /** A message handed to a provider (accepted) or refused by it, per channel. */
  sends: Counter<'channel' | 'outcome'>;
  /** Provider refusals and errors by our typed reason (RATE_LIMITED, INVALID_NUMBER…). */
  providerErrors: Counter<'channel' | 'reason'>;
  /** Deliveries that ended failed after their retries (the fallbacks then take over). */
  deliveriesFailed: Counter<'channel'>;
  /** Provider receipts applied to deliveries, by the status they carried. */
  receipts: Counter<'provider' | 'status'>;
  /** Webhook requests by provider and outcome (forged, invalid, stale, duplicate, receipt…). */
  webhooks: Counter<'provider' | 'result'>;
  /** Time from an alert's creation to each provider call for it. */
  alertToSend: Histogram<'channel'>;
}

export interface MetricsOptions {
  /** Database pools whose use is exported (`vigie_db_pool_connections{pool,state}`). */
  pools: Record<string, Knex>;
  /** Node's own metrics (memory, event loop, GC); off in tests, which build many instances. */
  processMetrics?: boolean;
}

interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}

export function createMetrics(o: MetricsOptions): Metrics {
  const registry = new Registry();
  if (o.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'vigie_' });
  const registers = [registry];
  const pools = o.pools;
  new Gauge({
    name: 'vigie_db_pool_connections',
    help: 'Connections of each database pool, by state (used, free, pending acquires).',
    labelNames: ['pool', 'state'],
    registers,
    collect() {
      for (const [name, db] of Object.entries(pools)) {
        const pool = (db.client as { pool?: TarnPool }).pool;
        if (!pool) continue;
        this.set({ pool: name, state: 'used' }, pool.numUsed());
        this.set({ pool: name, state: 'free' }, pool.numFree());
        this.set({ pool: name, state: 'pending' }, pool.numPendingAcquires());
      }
    },
  });
  return {
    registry,
    sends: new Counter({
      name: 'vigie_provider_sends_total',
      help: 'Messages handed to a provider, by channel and outcome (accepted, refused).',
      labelNames: ['channel', 'outcome'],
      registers,
    }),
    providerErrors: new Counter({
      name: 'vigie_provider_errors_total',
      help: 'Provider refusals and errors, by channel and typed reason.',
      labelNames: ['channel', 'reason'],
      registers,
    }),
    deliveriesFailed: new Counter({
      name: 'vigie_deliveries_failed_total',
      help: 'Deliveries that ended failed after their retries, by channel.',
      labelNames: ['channel'],
      registers,
    }),
    receipts: new Counter({
      name: 'vigie_receipts_total',
      help: 'Provider receipts applied to deliveries, by provider and status.',
      labelNames: ['provider', 'status'],
      registers,
    }),
    webhooks: new Counter({
      name: 'vigie_webhooks_total',
      help: 'Webhook requests by provider and outcome; forged, invalid and stale ones are refused.',
      labelNames: ['provider', 'result'],
      registers,
    }),
    alertToSend: new Histogram({
      name: 'vigie_alert_to_send_seconds',
      help: 'Time from an alert to each provider call for it, by channel.',
      labelNames: ['channel'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900],
      registers,
    }),
  };
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Who may read /metrics: the bearer of VIGIE_METRICS_TOKEN, or, without a
 * token configured, a caller on this machine only (the socket's address, not a
 * forwarded one). Counts are not personal data, but they tell an outsider how
 * busy the police are.
 */
export function metricsAllowed(
  authorization: string | undefined,
  remoteAddress: string | undefined,
  token: string | undefined,
): boolean {
  if (token) return typeof authorization === 'string' && safeEqual(authorization, `Bearer ${token}`);
  return remoteAddress !== undefined && LOOPBACK.has(remoteAddress);
}
