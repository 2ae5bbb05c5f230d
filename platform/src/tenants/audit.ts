// Who changed a commune, as both audit logs see it. Operators' actions go to
// operator_audit_log (the platform's view, operator role only) and to the
// commune's own audit_log, so that a mairie can see that the platform suspended
// it or switched a module on. A mairie admin's action goes to audit_log only.
import type { Knex } from 'knex';
import { audit } from '../lib/audit.js';

export type Actor =
  /** A logged-in platform operator (operator API). */
  | { type: 'operator'; id: string }
  /** `vigie tenants …` or the demo seed: an operator at a terminal, no account. */
  | { type: 'system'; source: 'cli' | 'seed' | 'test' }
  /** The billing module, acting on a verified Stripe webhook or its grace-period timer. */
  | { type: 'system'; source: 'billing' }
  /** A staff account of the commune itself (mairie admin). */
  | { type: 'account'; id: string };

export interface TenantEvent {
  tenantId: string;
  action: string;
  /** Ids, field names and values of configuration only: never a password, a token or a document. */
  meta?: Record<string, unknown>;
  requestId?: string;
}

/**
 * Both logs in one go. `trx` is bound to `e.tenantId` (withTenant) on the
 * operator pool, unless the actor is an account (app pool, tenant log only).
 */
export async function recordTenantEvent(trx: Knex.Transaction, actor: Actor, e: TenantEvent): Promise<void> {
  if (actor.type !== 'account') await recordOperatorEvent(trx, actor, e);
  await recordTenantLog(trx, actor, e);
}

/** The platform's log (operator role only; operator_audit_log has no RLS). */
export async function recordOperatorEvent(
  db: Knex | Knex.Transaction,
  actor: Exclude<Actor, { type: 'account' }>,
  e: TenantEvent,
): Promise<void> {
  await db('operator_audit_log').insert({
    operator_id: actor.type === 'operator' ? actor.id : null,
    action: e.action,
    tenant_id: e.tenantId,
    meta: JSON.stringify(withSource(actor, e.meta)),
  });
}

/** The commune's own log (app or operator role, inside withTenant). */
export async function recordTenantLog(trx: Knex.Transaction, actor: Actor, e: TenantEvent): Promise<void> {
  await audit(trx, {
    tenantId: e.tenantId,
    actor: actor.type === 'system' ? { type: 'system' } : { type: actor.type, id: actor.id },
    action: e.action,
    target: { type: 'tenant', id: e.tenantId },
    meta: withSource(actor, e.meta),
    ...(e.requestId ? { requestId: e.requestId } : {}),
  });
}

function withSource(actor: Actor, meta: Record<string, unknown> | undefined): Record<string, unknown> {
  return { ...(meta ?? {}), ...(actor.type === 'system' ? { source: actor.source } : {}) };
}

export interface OperatorAuditRow {
  id: number;
  at: Date;
  operator_id: string | null;
  action: string;
  tenant_id: string | null;
  meta: Record<string, unknown>;
}

/** The platform's view of what happened to one commune, newest first (operator pool). */
export async function operatorAuditOf(
  operatorDb: Knex,
  tenantId: string,
  limit = 50,
): Promise<OperatorAuditRow[]> {
  return operatorDb<OperatorAuditRow>('operator_audit_log')
    .where({ tenant_id: tenantId })
    .orderBy('id', 'desc')
    .limit(Math.min(limit, 500));
}
