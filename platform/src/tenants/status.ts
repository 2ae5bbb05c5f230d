// A commune's lifecycle as the platform sees it: list, suspend, reactivate.
// A suspended commune is read-only for its residents and staff (the request
// spine refuses writes with TENANT_SUSPENDED), except alerts to the police.
// Every change is audited in both logs (see audit.ts).
import type { Knex } from 'knex';
import { VigieError } from '../lib/errors.js';
import { recordTenantEvent, type Actor } from './audit.js';
import type { TenantStatus } from './schema.js';
import { enabledPlugins } from './plugins.js';

export interface TenantSummary {
  id: string;
  slug: string;
  name: string;
  inseeCode: string;
  postalCodes: string[];
  status: TenantStatus;
  domains: string[];
  /** Enabled plugin ids. */
  plugins: string[];
  createdAt: string;
}

interface Row {
  id: string;
  slug: string;
  name: string;
  insee_code: string;
  postal_codes: string[];
  status: TenantStatus;
  created_at: Date;
}

/** Every commune, for operators (operator pool). */
export async function listTenants(operatorDb: Knex): Promise<TenantSummary[]> {
  const rows = await operatorDb<Row>('tenants')
    .orderBy('slug')
    .select('id', 'slug', 'name', 'insee_code', 'postal_codes', 'status', 'created_at');
  const domains: Array<{ tenant_id: string; domain: string }> = await operatorDb('tenant_domains')
    .orderBy('domain')
    .select('tenant_id', 'domain');
  // RLS shows one commune's tenant_plugins at a time: rebind one transaction per commune in turn.
  return operatorDb.transaction(async (trx) => {
    const out: TenantSummary[] = [];
    for (const r of rows) {
      await trx.raw("select set_config('app.tenant_id', ?, true)", [r.id]);
      const plugins = [...(await enabledPlugins(trx, r.id)).keys()].sort();
      out.push(
        summary(
          r,
          domains.filter((d) => d.tenant_id === r.id).map((d) => d.domain),
          plugins,
        ),
      );
    }
    return out;
  });
}

export async function findTenantId(db: Knex | Knex.Transaction, slug: string): Promise<string> {
  const row = await db('tenants').where({ slug }).first('id');
  if (!row) throw new VigieError('TENANT_NOT_FOUND', `Commune inconnue : « ${slug} ».`, { slug });
  return row.id as string;
}

export interface StatusChange {
  slug: string;
  status: TenantStatus;
  previousStatus: TenantStatus;
  changed: boolean;
}

/**
 * Suspends a commune (unpaid subscription, end of trial, a mairie's request).
 * Suspending a suspended commune changes nothing and audits nothing.
 */
export async function suspendTenant(
  operatorDb: Knex,
  slug: string,
  actor: Actor,
  reason?: string,
  requestId?: string,
): Promise<StatusChange> {
  return setStatus(operatorDb, slug, actor, requestId, async (current) => {
    if (current === 'suspended') return undefined;
    return {
      status: 'suspended',
      action: 'tenant.suspended',
      meta: { previousStatus: current, ...(reason ? { reason } : {}) },
    };
  });
}

/**
 * Reactivates a suspended commune. Without `status`, it gets back the status it
 * had when it was suspended (a commune on trial stays on trial), read from the
 * audit log; `active` if that is unknown.
 */
export async function reactivateTenant(
  operatorDb: Knex,
  slug: string,
  actor: Actor,
  status?: 'trial' | 'active',
  requestId?: string,
): Promise<StatusChange> {
  return setStatus(operatorDb, slug, actor, requestId, async (current, trx, tenantId) => {
    if (current !== 'suspended') return undefined;
    const target = status ?? (await statusBeforeSuspension(trx, tenantId));
    return { status: target, action: 'tenant.reactivated', meta: { status: target } };
  });
}

async function setStatus(
  operatorDb: Knex,
  slug: string,
  actor: Actor,
  requestId: string | undefined,
  decide: (
    current: TenantStatus,
    trx: Knex.Transaction,
    tenantId: string,
  ) => Promise<{ status: TenantStatus; action: string; meta: Record<string, unknown> } | undefined>,
): Promise<StatusChange> {
  return operatorDb.transaction(async (trx) => {
    const row = await trx<Row>('tenants').where({ slug }).forUpdate().first('id', 'status');
    if (!row) throw new VigieError('TENANT_NOT_FOUND', `Commune inconnue : « ${slug} ».`, { slug });
    await trx.raw("select set_config('app.tenant_id', ?, true)", [row.id]);
    const next = await decide(row.status, trx, row.id);
    if (!next) return { slug, status: row.status, previousStatus: row.status, changed: false };
    await trx('tenants').where({ id: row.id }).update({ status: next.status, updated_at: trx.fn.now() });
    await recordTenantEvent(trx, actor, {
      tenantId: row.id,
      action: next.action,
      meta: next.meta,
      ...(requestId ? { requestId } : {}),
    });
    return { slug, status: next.status, previousStatus: row.status, changed: true };
  });
}

async function statusBeforeSuspension(trx: Knex.Transaction, tenantId: string): Promise<'trial' | 'active'> {
  const last = await trx('operator_audit_log')
    .where({ tenant_id: tenantId, action: 'tenant.suspended' })
    .orderBy('id', 'desc')
    .first('meta');
  const previous = (last?.meta as { previousStatus?: unknown } | undefined)?.previousStatus;
  return previous === 'trial' ? 'trial' : 'active';
}

function summary(r: Row, domains: string[], plugins: string[]): TenantSummary {
  return {
    id: r.id,
    slug: r.slug,
    name: r.name,
    inseeCode: r.insee_code,
    postalCodes: r.postal_codes,
    status: r.status,
    domains,
    plugins,
    createdAt: new Date(r.created_at).toISOString(),
  };
}
