// Webhook requests refused (a bad signature, an unknown customer, a malformed
// callback…), counted for the operator console's health column: a provider
// whose every callback is refused is a misconfiguration (a rotated secret, a
// wrong VIGIE_PUBLIC_URL) that nobody would otherwise see until SMS receipts
// or invoices went missing.
//
// One hook covers every route under /webhooks/, whoever registered it (Twilio,
// SES, Stripe, voice calls), by the error code the route answered with. What
// is kept is a counter per day, provider, code and commune: no payload, no
// phone number, no address, no IP. The commune is the one the request names
// (Twilio's signed status URL carries it); for a forged request that is the
// commune it claims, which is still where an operator would look. Stripe
// events and SNS messages name no commune before their signature is checked:
// their refusals are platform-wide.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Knex } from 'knex';
import { VigieError } from '../../lib/errors.js';

const NO_TENANT = '00000000-0000-0000-0000-000000000000';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CODE = /^[A-Z0-9_]{1,64}$/;
const PROVIDER = /^[a-z0-9-]{1,32}$/;

export interface Refusal {
  provider: string;
  code: string;
  tenantId: string | null;
}

/** Adds one refusal to its day's counter (a commune that does not exist counts platform-wide). */
export async function recordWebhookRefusal(db: Knex, r: Refusal, at: Date = new Date()): Promise<void> {
  const tenantId = r.tenantId && UUID.test(r.tenantId) ? r.tenantId : null;
  await db.raw(
    `insert into webhook_refusals (day, provider, code, tenant_id, count, last_at)
     values ((?::timestamptz at time zone 'Europe/Paris')::date, ?, ?, (select id from tenants where id = ?::uuid), 1, ?)
     on conflict (day, provider, code, (coalesce(tenant_id, '${NO_TENANT}'::uuid)))
     do update set count = webhook_refusals.count + 1, last_at = excluded.last_at`,
    [at, r.provider, CODE.test(r.code) ? r.code : 'OTHER', tenantId, at],
  );
}

/** What a refused request was: its provider (the path's second segment), code and claimed commune. */
export function refusalOf(req: FastifyRequest, statusCode: number, err: unknown): Refusal | null {
  const path = req.routeOptions.url ?? '';
  if (!path.startsWith('/webhooks/')) return null;
  const provider = path.split('/')[2] ?? '';
  if (!PROVIDER.test(provider)) return null;
  const code = err instanceof VigieError ? err.code : statusCode >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST';
  const query = req.query as Record<string, unknown> | undefined;
  const t = typeof query?.t === 'string' ? query.t : null;
  return { provider, code, tenantId: t };
}

/**
 * Counts every refused webhook request. Registered by the notifications
 * module before the other modules' routes (billing's Stripe webhook, calls'
 * voice webhooks), so that their routes have the hook too.
 */
export function countWebhookRefusals(app: FastifyInstance): void {
  app.addHook('onError', async (req, reply, err) => {
    const r = refusalOf(req, reply.statusCode, err);
    if (!r) return;
    // A counter that cannot be written must not change what the provider is answered.
    await recordWebhookRefusal(app.db, r).catch((e: unknown) =>
      req.log.warn({ err: e }, 'webhook refusal not counted'),
    );
  });
}

export interface RefusalCount {
  provider: string;
  code: string;
  count: number;
}

/** The last `days` days: per commune (tenant id → total), and platform-wide by provider and code. */
export async function webhookRefusals(
  db: Knex,
  days = 7,
): Promise<{ byTenant: Map<string, number>; platform: RefusalCount[] }> {
  const rows: Array<{ tenant_id: string | null; provider: string; code: string; n: number }> = await db(
    'webhook_refusals',
  )
    .whereRaw(`day > (now() at time zone 'Europe/Paris')::date - ?::int`, [days])
    .groupBy('tenant_id', 'provider', 'code')
    .orderBy([{ column: 'provider' }, { column: 'code' }])
    .select('tenant_id', 'provider', 'code', db.raw('sum(count)::int as n'));
  const byTenant = new Map<string, number>();
  const platform: RefusalCount[] = [];
  for (const r of rows) {
    if (r.tenant_id) byTenant.set(r.tenant_id, (byTenant.get(r.tenant_id) ?? 0) + r.n);
    else platform.push({ provider: r.provider, code: r.code, count: r.n });
  }
  return { byTenant, platform };
}
