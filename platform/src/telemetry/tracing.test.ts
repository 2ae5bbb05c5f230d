// Traces from the GraphQL mutation to the provider call, received by a local
// OTLP/HTTP endpoint as a collector would receive them: one trace id from the
// request through the delivery workflow and its activities to the Twilio call
// (the real SDK against the stand-in), with no personal data in any span.
// Off by default: without VIGIE_OTEL_ENDPOINT nothing is exported, no tracer
// provider is registered and no OpenTelemetry package is even loaded.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_DELIVERY_KIND, workflowId } from '@vigie/workflows/contracts';
import { withTenant } from '../db/tenant.js';
import { createTestAccount, createTestContext, type TestContext } from '../testing/index.js';
import { startTwilioStandIn, type TwilioStandIn } from '../testing/twilio-standin.js';
import { installTemporalRuntime } from '../main/start.js';
import { RAISE, seedCommune, waitFor, type SeededCommunity } from '../alerts/testing/harness.js';

const require = createRequire(import.meta.url);

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Array<{ key: string; value: OtlpValue }>;
}
interface Received {
  bodies: string[];
  spans: Array<OtlpSpan & { service: string }>;
}

/** A collector's OTLP/HTTP traces endpoint, JSON encoding. */
async function startReceiver(): Promise<{ url: string; got: Received; close(): Promise<void> }> {
  const got: Received = { bodies: [], spans: [] };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      got.bodies.push(body);
      const parsed = JSON.parse(body) as {
        resourceSpans: Array<{
          resource: { attributes: Array<{ key: string; value: OtlpValue }> };
          scopeSpans: Array<{ spans: OtlpSpan[] }>;
        }>;
      };
      for (const rs of parsed.resourceSpans) {
        const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
        for (const ss of rs.scopeSpans) for (const s of ss.spans) got.spans.push({ ...s, service });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    got,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

const attr = (s: OtlpSpan, key: string) => {
  const v = s.attributes.find((a) => a.key === key)?.value;
  return v?.stringValue ?? v?.intValue ?? v?.boolValue ?? v?.doubleValue;
};

const otelGlobal = () =>
  (globalThis as Record<symbol, Record<string, unknown> | undefined>)[Symbol.for('opentelemetry.js.api.1')];
// The API is not among them: prom-client loads it for its exemplars, and without an SDK it does nothing.
const SDK_PACKAGES =
  /node_modules[\\/](@opentelemetry[\\/](?!api[\\/])|@fastify[\\/]otel[\\/]|@temporalio[\\/]interceptors-opentelemetry[\\/])/;
const loadedSdkPackages = () => Object.keys(require.cache).filter((k) => SDK_PACKAGES.test(k));

let receiver: Awaited<ReturnType<typeof startReceiver>>;
let twilio: TwilioStandIn;
let ctxRef: TestContext | undefined;

beforeAll(async () => {
  installTemporalRuntime('ERROR');
  receiver = await startReceiver();
  twilio = await startTwilioStandIn({
    sink: async (url, headers, body) => {
      const u = new URL(url);
      const res = await ctxRef!.app.inject({
        method: 'POST',
        url: u.pathname + u.search,
        headers,
        payload: body,
      });
      return res.statusCode;
    },
  });
});
afterAll(async () => {
  await twilio?.close();
  await receiver?.close();
});

function providerEnv(): Record<string, string> {
  return {
    VIGIE_PUBLIC_URL: 'https://api.vigie.test',
    TWILIO_ACCOUNT_SID: twilio.accountSid,
    TWILIO_AUTH_TOKEN: twilio.authToken,
    TWILIO_MESSAGING_SERVICE_SID: twilio.messagingServiceSid,
    TWILIO_API_BASE_URL: twilio.url,
  };
}

/** A verified resident of the sector, reached by SMS only. */
async function seedResident(ctx: TestContext, c: SeededCommunity, phone: string) {
  const a = await createTestAccount(ctx.db, c.tenant.id, {
    phone,
    phoneVerified: true,
    displayName: 'Mireille Tracassin',
  });
  await withTenant(ctx.ownerDb, c.tenant.id, async (trx) => {
    await trx('residences').insert({
      tenant_id: c.tenant.id,
      account_id: a.id,
      sector_id: c.sectorId,
      address_label: '3 rue des Lilas',
      status: 'active',
      source: 'manual',
      activated_at: new Date(),
    });
    await trx('notification_preferences').insert({
      tenant_id: c.tenant.id,
      account_id: a.id,
      info_channels: '{sms}',
      important_channels: '{sms}',
      urgent_channels: '{sms}',
    });
  });
  return a;
}

async function raise(c: SeededCommunity, text: string): Promise<string> {
  const r = await c.police.browser.ok<{ raiseAlert: { id: string } }>(RAISE, {
    input: {
      category: 'vehicule-reperage',
      severity: 'urgent',
      text,
      target: { kind: 'sectors', sectorIds: [c.sectorId] },
    },
  });
  return r.raiseAlert.id;
}

// In this order: once a provider is registered, the process has one.
describe('OpenTelemetry traces', () => {
  it('are off without VIGIE_OTEL_ENDPOINT: nothing exported, no provider registered, no SDK loaded', async () => {
    // The standard variable alone (a cluster may inject it everywhere) does not turn tracing on.
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.url;
    const ctx = await createTestContext({ env: providerEnv() });
    ctxRef = ctx;
    try {
      expect(ctx.config.tracing).toBeUndefined();
      expect(ctx.vigie.tracing).toBeUndefined();
      const c = await seedCommune(ctx);
      await seedResident(ctx, c, '+33611223344');
      await raise(c, 'Deux individus relèvent les boîtes aux lettres rue des Lilas.');
      await new Promise((r) => setTimeout(r, 500));
      expect(receiver.got.bodies).toEqual([]);
      expect(otelGlobal()?.trace).toBeUndefined();
      expect(loadedSdkPackages()).toEqual([]);
    } finally {
      delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
      await ctx.close();
    }
  }, 60_000);

  it('link the GraphQL mutation, the delivery workflow, its activities and the Twilio call in one trace, without personal data', async () => {
    const ctx = await createTestContext({ env: { ...providerEnv(), VIGIE_OTEL_ENDPOINT: receiver.url } });
    ctxRef = ctx;
    try {
      expect(ctx.vigie.tracing?.serviceName).toBe('vigie-test');
      // What the first test found absent is there now (so that its check can fail).
      expect(loadedSdkPackages().length).toBeGreaterThan(0);
      await ctx.startWorker(undefined, { rates: { sms: 1000 } });
      const c = await seedCommune(ctx, { alerts: { retryInitialSeconds: 0.2 } });
      const phone = '+33698765432';
      const resident = await seedResident(ctx, c, phone);
      const text = 'Camionnette blanche sans plaque devant le 3 rue des Lilas.';
      const alertId = await raise(c, text);
      await ctx.temporal.client.workflow
        .getHandle(workflowId(c.tenant.slug, ALERT_DELIVERY_KIND, alertId))
        .result();
      expect(twilio.sendsTo(phone)).toBe(1);

      const spans = receiver.got.spans;
      const byId = new Map<string, OtlpSpan>();
      /** The provider span's ancestors, up to the root, once every one of them has arrived. */
      const chain = await waitFor(
        'the provider span and all its ancestors',
        async () => {
          await ctx.vigie.tracing!.forceFlush();
          for (const s of spans) byId.set(s.spanId, s);
          const send = spans.find((s) => s.name === 'sms send' && attr(s, 'vigie.provider') === 'twilio');
          if (!send) return undefined;
          const up: OtlpSpan[] = [send];
          for (let s: OtlpSpan = send; s.parentSpanId;) {
            const parent = byId.get(s.parentSpanId);
            if (!parent) return undefined;
            up.push((s = parent));
          }
          return up;
        },
        20_000,
      );

      const names = chain.map((s) => s.name);
      const traceIds = new Set(chain.map((s) => s.traceId));
      expect(traceIds.size).toBe(1);
      // From the provider call up to the request: activity, workflows, the workflow start, the HTTP request.
      expect(names[0]).toBe('sms send');
      expect(names.some((n) => n.startsWith('RunActivity:'))).toBe(true);
      expect(names).toContain('RunWorkflow:alertDelivery');
      expect(names).toContain('StartWorkflow:alertDelivery');
      const root = chain.at(-1)!;
      expect(root.name).toBe('request');
      expect(attr(root, 'http.route')).toBe('/graphql');
      expect(attr(root, 'http.request.method')).toBe('POST');
      expect(attr(chain[0]!, 'vigie.tenant_id')).toBe(c.tenant.id);

      // What a collector receives, every body of the run: no phone, email, name or alert text.
      const sent = receiver.got.bodies.join('\n');
      const staff = (await withTenant(ctx.ownerDb, c.tenant.id, (trx) =>
        trx('accounts').where({ id: c.police.accountId }).first('email'),
      )) as { email: string };
      const personal = [phone, phone.slice(1), resident.email, staff.email, 'Tracassin', text, 'Camionnette'];
      for (const secret of personal) {
        expect(sent, `a span carries ${secret}`).not.toContain(secret);
      }
    } finally {
      await ctx.close();
    }
  }, 90_000);
});
