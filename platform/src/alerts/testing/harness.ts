// The delivery test harness: the assembled app with real Twilio (stand-in)
// and SES (aws-ses-v2-local) adapters, the main worker and the send workers on
// the test's task queues, and an "SES events" relay that does what SES and SNS
// do in production: for each email SES accepted, post a signed Delivery
// notification carrying the message's tags to /webhooks/ses.
import type { Knex } from 'knex';
import pino from 'pino';
import { withTenant } from '../../db/tenant.js';
import { assemble, type Vigie } from '../../main/assembly.js';
import { ALERT_DELIVERY_KIND, workflowId, type AlertDeliveryResult } from '@vigie/workflows/contracts';
import type { Role } from '../../identity/permissions.js';
import {
  Browser,
  createTenant,
  createTestAccount,
  createTestContext,
  staffBrowser,
  type TestContext,
  type TestDatabase,
  type TestEnvironment,
  type TestTenant,
} from '../../testing/index.js';
import { testPlugins } from '../../testing/environment.js';
import { sortByDependencies } from '../../plugins/contract.js';
import { loadConfig } from '../../config/config.js';
import { buildApp } from '../../server/app.js';
import { connectTemporal } from '../../temporal/client.js';
import {
  startSesLocal,
  type SesApiCall,
  type SesLocal,
  type SesLocalEmail,
} from '../../testing/ses-local.js';
import { snsSigner, type SnsSigner } from '../../testing/sns-signing.js';
import {
  startTwilioStandIn,
  type TwilioStandIn,
  type TwilioStandInOptions,
} from '../../testing/twilio-standin.js';
import type { RunningWorker } from '../../temporal/worker.js';
import { createKnex, deriveUrls } from '../../db/knex.js';
import type { ActivityFn } from '../../plugins/contract.js';
import { installTemporalRuntime } from '../../main/start.js';
import type { Metrics } from '../../lib/metrics.js';

export const PUBLIC_URL = 'https://api.vigie.test';
/** Far above what the tests send: the rate limit itself is not what they measure. */
export const TEST_RATES = {
  smsPerSecond: 5000,
  emailPerSecond: 5000,
  pushPerSecond: 5000,
  voicePerSecond: 5000,
  concurrency: 40,
};
/** The workers' own pool, as a worker process has: sized for the sends in flight, apart from the API's. */
const WORKER_POOL = 30;
const API_POOL = 30;

/** The alerts module's queue rates (by queue name) and concurrency, as startWorkers takes them. */
export function queueRates(r: Partial<typeof TEST_RATES>): {
  rates: Record<string, number>;
  concurrency?: number;
} {
  const rates: Record<string, number> = {};
  if (r.smsPerSecond) rates.sms = r.smsPerSecond;
  if (r.emailPerSecond) rates.email = r.emailPerSecond;
  if (r.pushPerSecond) rates.push = r.pushPerSecond;
  if (r.voicePerSecond) rates.voice = r.voicePerSecond;
  return { rates, ...(r.concurrency ? { concurrency: r.concurrency } : {}) };
}

export interface Harness {
  ctx: TestContext;
  twilio: TwilioStandIn;
  ses: SesLocal;
  signer: SnsSigner;
  /** The env given to the app and the workers (also what a separate worker process needs). */
  env: Record<string, string>;
  activities(): Record<string, ActivityFn>;
  /** What the workers' instance provides (its extension points), as the API's is `ctx.app.services`. */
  workerGet: Vigie['get'];
  /**
   * Starts the production workers (main queue and send queues) in this process,
   * on the workers' instance; `separate`: on an instance of their own (its own
   * pool and rate gates), as a second worker process would be.
   */
  startWorkers(o?: { separate?: boolean }): Promise<RunningWorker & { metrics: Metrics }>;
  /** Posts a signed SES Delivery event for every email accepted since the last call; returns how many. */
  relaySesDeliveries(): Promise<number>;
  close(): Promise<void>;
}

/** Where the harness runs: the vitest run's services by default, or ones a benchmark started itself. */
export interface HarnessBase {
  env: TestEnvironment;
  database: TestDatabase;
}

export interface HarnessOptions {
  twilio?: TwilioStandInOptions;
  base?: HarnessBase;
  rates?: Partial<typeof TEST_RATES>;
  /** Activities in flight per send queue worker (a batch each); default: the rates' concurrency. */
  queueConcurrency?: number;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  installTemporalRuntime('ERROR');
  const rates = { ...TEST_RATES, ...opts.rates };
  let ctxRef: TestContext | undefined;
  const inject = async (url: string, headers: Record<string, string>, body: string) => {
    const u = new URL(url);
    const res = await ctxRef!.app.inject({
      method: 'POST',
      url: u.pathname + u.search,
      headers,
      payload: body,
    });
    return res.statusCode;
  };
  // An answered call's TwiML is read from the answer's body.
  const request = async (url: string, headers: Record<string, string>, body: string) => {
    const u = new URL(url);
    const res = await ctxRef!.app.inject({
      method: 'POST',
      url: u.pathname + u.search,
      headers,
      payload: body,
    });
    return { status: res.statusCode, body: res.body };
  };
  const [twilio, ses, signer] = await Promise.all([
    startTwilioStandIn({ sink: inject, request, ...opts.twilio }),
    startSesLocal(),
    snsSigner(),
  ]);
  const env = {
    VIGIE_PUBLIC_URL: PUBLIC_URL,
    TWILIO_ACCOUNT_SID: twilio.accountSid,
    TWILIO_AUTH_TOKEN: twilio.authToken,
    TWILIO_MESSAGING_SERVICE_SID: twilio.messagingServiceSid,
    TWILIO_API_BASE_URL: twilio.url,
    TWILIO_VOICE_FROM: twilio.voiceNumber,
    SES_FROM: 'Vigie <alertes@vigie.test>',
    SES_ENDPOINT: ses.endpoint,
    SES_CONFIGURATION_SET: 'vigie-events',
    SNS_TRUSTED_CERT_PATH: signer.certPath,
    // The shared token buckets hold these rates across the workers (alerts/send-rate.ts).
    VIGIE_SMS_PER_SECOND: String(rates.smsPerSecond),
    VIGIE_EMAIL_PER_SECOND: String(rates.emailPerSecond),
    VIGIE_PUSH_PER_SECOND: String(rates.pushPerSecond),
    VIGIE_VOICE_PER_SECOND: String(rates.voicePerSecond),
    VIGIE_SENDS_IN_FLIGHT: String(rates.concurrency),
  };
  // Larger app pool: thousands of signed webhooks arrive while the fan-out runs,
  // on two shared cores, and ten connections would queue past the acquire timeout.
  const ctx = await createTestContext({ env, appPool: API_POOL, ...(opts.base ? { base: opts.base } : {}) });
  ctxRef = ctx;
  const log = pino({ level: 'silent' });
  const appUrl = deriveUrls(ctx.database.ownerUrl, {
    appPassword: ctx.env.appPassword,
    operatorPassword: ctx.env.operatorPassword,
  }).app;
  const workerDb = createKnex(appUrl, WORKER_POOL, 'vigie-test-worker');
  const pools = [workerDb];
  // The workers' own instance, as a worker process has: its own pool, the same modules and plugins.
  const workerVigie = await assemble({
    config: ctx.config,
    db: workerDb,
    operatorDb: ctx.operatorDb,
    temporal: ctx.temporal,
    log,
    plugins: ctx.plugins,
  });
  const activities = () => workerVigie.activities();
  const workers: RunningWorker[] = [];
  const relayed = new Set<string>();
  let relayedCalls = 0;
  let since = 0;
  const pendingCalls = new Map<string, SesApiCall[]>();
  return {
    ctx,
    twilio,
    ses,
    signer,
    env,
    activities,
    workerGet: workerVigie.get,
    async startWorkers(o = {}) {
      let vigie = workerVigie;
      if (o.separate) {
        const pool = createKnex(appUrl, WORKER_POOL, 'vigie-test-worker-2');
        pools.push(pool);
        vigie = await assemble({
          config: ctx.config,
          db: pool,
          operatorDb: ctx.operatorDb,
          temporal: ctx.temporal,
          log,
          plugins: ctx.plugins,
        });
      }
      const w = await vigie.startWorkers({
        taskQueue: ctx.taskQueue,
        bundle: { codePath: ctx.env.bundlePath },
        ...queueRates(rates),
        ...(opts.queueConcurrency ? { concurrency: opts.queueConcurrency } : {}),
      });
      workers.push(w);
      return { ...w, metrics: vigie.metrics };
    },
    async relaySesDeliveries() {
      // The proxy saw each request (with its tags), the store has the message id: match them by recipient and subject.
      for (; relayedCalls < ses.calls.length; relayedCalls++) {
        const c = ses.calls[relayedCalls]!;
        if (c.action !== 'SendEmail' || c.status !== 200) continue;
        const key = `${c.params['Destination.ToAddresses.member.1']}\u0000${c.params['Message.Subject.Data']}`;
        pendingCalls.set(key, [...(pendingCalls.get(key) ?? []), c]);
      }
      const res = await fetch(`${ses.endpoint}/store?since=${since}`);
      const emails = ((await res.json()) as { emails: SesLocalEmail[] }).emails;
      // The next fetch starts at the oldest email not relayed yet (its request may not be matched yet).
      let oldestLeft = Infinity;
      let newest = since;
      const posts: Array<{ e: SesLocalEmail; key: string; call: SesApiCall }> = [];
      for (const e of emails) {
        newest = Math.max(newest, e.at);
        if (relayed.has(e.messageId)) continue;
        const key = `${e.destination.to[0] ?? ''}\u0000${e.subject}`;
        const call = pendingCalls.get(key)?.shift();
        if (call) posts.push({ e, key, call });
        else oldestLeft = Math.min(oldestLeft, e.at);
      }
      let n = 0;
      // SNS delivers notifications concurrently too.
      for (let i = 0; i < posts.length; i += 20) {
        await Promise.all(
          posts.slice(i, i + 20).map(async ({ e, key, call }) => {
            const tags: Record<string, string[]> = {};
            for (let k = 1; call.params[`Tags.member.${k}.Name`]; k++)
              tags[call.params[`Tags.member.${k}.Name`]!] = [call.params[`Tags.member.${k}.Value`]!];
            const at = new Date().toISOString();
            const to = e.destination.to[0] ?? '';
            const event = {
              eventType: 'Delivery',
              mail: { messageId: e.messageId, timestamp: at, destination: [to], tags },
              delivery: { timestamp: at, recipients: [to] },
            };
            const res = await ctx.app.inject({
              method: 'POST',
              url: '/webhooks/ses',
              headers: { 'content-type': 'text/plain; charset=UTF-8' },
              payload: JSON.stringify(signer.notification(event)),
            });
            // Like SNS, retry later what the endpoint refused.
            if (res.statusCode !== 200) {
              console.warn(`[ses relay] /webhooks/ses answered ${res.statusCode}: ${res.body}`);
              pendingCalls.get(key)?.unshift(call);
              oldestLeft = Math.min(oldestLeft, e.at);
              return;
            }
            relayed.add(e.messageId);
            n++;
          }),
        );
      }
      since = Math.min(oldestLeft, newest - 1);
      return n;
    },
    async close() {
      await Promise.all(workers.map((w) => w.shutdown()));
      await Promise.all(pools.map((p) => p.destroy()));
      await ctx.close();
      await twilio.close();
      await ses.close();
    },
  };
}

export interface SeededCommunity {
  tenant: TestTenant;
  sectorId: string;
  police: { browser: Browser; accountId: string };
}

/** A commune with one sector and a police agent (TOTP enrolled), with the given settings. */
export async function seedCommune(
  ctx: TestContext,
  settings: Record<string, unknown> = {},
): Promise<SeededCommunity> {
  const tenant = await createTenant(ctx.operatorDb);
  await ctx
    .operatorDb('tenants')
    .where({ id: tenant.id })
    .update({ settings: JSON.stringify(settings) });
  const sectorId = await createSectorRow(ctx.ownerDb, tenant.id, 'Centre');
  const police = await staffBrowser(ctx.app, ctx.db, tenant, 'police_agent');
  return { tenant, sectorId, police };
}

export async function createSectorRow(owner: Knex, tenantId: string, name: string): Promise<string> {
  const geojson = {
    type: 'Polygon',
    coordinates: [
      [
        [2.78, 48.84],
        [2.8, 48.84],
        [2.8, 48.86],
        [2.78, 48.86],
        [2.78, 48.84],
      ],
    ],
  };
  const [row] = await withTenant(owner, tenantId, (trx) =>
    trx('sectors')
      .insert({
        tenant_id: tenantId,
        name,
        geojson: JSON.stringify(geojson),
        bbox: '((2.78,48.84),(2.8,48.86))',
        area_m2: 4_000_000,
      })
      .returning('id'),
  );
  return (row as { id: string }).id;
}

export interface SeedMembers {
  count: number;
  /** Distinct numbers across calls: 0, 10_000, … */
  phoneOffset?: number;
  phoneVerified?: boolean;
  emailVerified?: boolean;
  /** Channels chosen for every severity (notification_preferences); default: none stored, the defaults apply. */
  channels?: Array<'sms' | 'email' | 'push' | 'voice' | 'in_app'>;
}

/**
 * Residents of a community, inserted in bulk SQL (thousands in well under a
 * second): verified accounts with the resident role and an active residence.
 */
export async function seedMembers(
  owner: Knex,
  tenantId: string,
  sectorId: string,
  m: SeedMembers,
): Promise<string[]> {
  const offset = m.phoneOffset ?? 0;
  return withTenant(owner, tenantId, async (trx) => {
    const res = await trx.raw(
      `insert into accounts (tenant_id, email, email_verified_at, display_name, phone, phone_verified_at)
       select ?, 'voisin' || (g + ?) || '@example.test', case when ? then now() end, 'Voisin ' || (g + ?),
              '+336' || lpad((g + ?)::text, 8, '0'), case when ? then now() end
       from generate_series(1, ?) g
       returning id`,
      [tenantId, offset, m.emailVerified ?? true, offset, offset, m.phoneVerified ?? true, m.count],
    );
    const ids = (res.rows as Array<{ id: string }>).map((r) => r.id);
    // A PostgreSQL array literal: knex would expand a JS array into a list of parameters.
    const list = `{${ids.join(',')}}`;
    await trx.raw(
      `insert into role_assignments (tenant_id, account_id, role) select ?, unnest(?::uuid[]), 'resident'`,
      [tenantId, list],
    );
    await trx.raw(
      `insert into residences (tenant_id, account_id, sector_id, address_label, status, source, activated_at) select ?, unnest(?::uuid[]), ?, 'Adresse de test', 'active', 'manual', now()`,
      [tenantId, list, sectorId],
    );
    if (m.channels) {
      const ch = `{${m.channels.join(',')}}`;
      await trx.raw(
        `insert into notification_preferences (tenant_id, account_id, info_channels, important_channels, urgent_channels) select ?, unnest(?::uuid[]), ?::text[], ?::text[], ?::text[]`,
        [tenantId, list, ch, ch, ch],
      );
    }
    return ids;
  });
}

export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
  everyMs = 250,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function deliveryCounts(
  db: Knex,
  tenantId: string,
  alertId: string,
): Promise<Record<string, number>> {
  const rows = await withTenant(db, tenantId, (trx) =>
    trx('deliveries')
      .where({ alert_id: alertId })
      .groupBy(['channel', 'status'])
      .select('channel', 'status')
      .count('* as n'),
  );
  return Object.fromEntries(
    (rows as Array<{ channel: string; status: string; n: number }>).map((r) => [
      `${r.channel}:${r.status}`,
      Number(r.n),
    ]),
  );
}

export const RAISE = /* GraphQL */ `
  mutation ($input: RaiseAlertInput!) {
    raiseAlert(input: $input) {
      id
      ref
      status
      severity
      authorKind
      targetKind
    }
  }
`;

export interface Person {
  id: string;
  email: string;
  phone: string | null;
  browser: Browser;
}

/** A resident of a community with verified addresses, logged in; `channels` sets their preferences for every severity. */
let residents = 0;
const residentIp = () => `10.77.${Math.floor(++residents / 250) % 250}.${(residents % 250) + 1}`;

export async function seedResident(
  h: Harness,
  tenant: TestTenant,
  sectorId: string | null,
  opts: {
    phone?: string | null;
    channels?: Array<'sms' | 'email' | 'push' | 'voice' | 'in_app'>;
    roles?: Array<{ role: Role; scopeId?: string | null }>;
    prefs?: Record<string, unknown>;
  } = {},
): Promise<Person> {
  const a = await createTestAccount(h.ctx.db, tenant.id, {
    phone: opts.phone ?? null,
    phoneVerified: !!opts.phone,
    ...(opts.roles ? { roles: opts.roles } : {}),
  });
  await withTenant(h.ctx.ownerDb, tenant.id, async (trx) => {
    if (sectorId) {
      await trx('residences').insert({
        tenant_id: tenant.id,
        account_id: a.id,
        sector_id: sectorId,
        address_label: '3 rue des Lilas',
        status: 'active',
        source: 'manual',
        activated_at: new Date(),
      });
    }
    if (opts.channels || opts.prefs) {
      const ch = opts.channels ? `{${opts.channels.join(',')}}` : undefined;
      await trx('notification_preferences').insert({
        tenant_id: tenant.id,
        account_id: a.id,
        ...(ch ? { info_channels: ch, important_channels: ch, urgent_channels: ch } : {}),
        ...opts.prefs,
      });
    }
  });
  // Each resident from their own address: logins are limited per address (30
  // per 15 minutes) and a test file seeds more residents than that.
  const browser = new Browser(h.ctx.app, tenant.host, residentIp());
  await browser.login(a.email);
  return { id: a.id, email: a.email, phone: a.phone, browser };
}

/** Waits for an alert's delivery workflow to complete, relaying SES events meanwhile (as SES and SNS would). */
export async function deliverAlert(
  h: Harness,
  tenant: TestTenant,
  alertId: string,
  timeoutMs = 90_000,
): Promise<AlertDeliveryResult> {
  const handle = h.ctx.temporal.client.workflow.getHandle(
    workflowId(tenant.slug, ALERT_DELIVERY_KIND, alertId),
  );
  let done = false;
  const result = handle.result().finally(() => (done = true));
  // Bounded: a delivery that never ends fails here, with its rows, instead of
  // relaying receipts into the next test until the file times out.
  const deadline = Date.now() + timeoutMs;
  while (!done) {
    if (Date.now() > deadline) {
      const rows = await withTenant(h.ctx.ownerDb, tenant.id, (trx) =>
        trx('deliveries')
          .where({ alert_id: alertId })
          .select('channel', 'status', 'reason', 'batch_no', 'not_before'),
      );
      throw new Error(
        `alert ${alertId} still delivering after ${timeoutMs} ms: ${JSON.stringify(rows)}; workflow ${(await handle.describe()).status.name}`,
      );
    }
    await h.relaySesDeliveries();
    await new Promise((r) => setTimeout(r, 200));
  }
  return (await result) as AlertDeliveryResult;
}
