// The append-only audit log of security events and staff actions. The app role
// may insert and read it, never update or delete it (see 0002_identity).
import type { Knex } from 'knex';

export interface AuditEntry {
  tenantId: string;
  actor: { type: 'account' | 'system' | 'operator' | 'anonymous'; id?: string | null };
  action: string;
  target?: { type: string; id: string };
  /** Never a password, a token, a document or a full phone number. */
  meta?: Record<string, unknown>;
  requestId?: string;
}

export async function audit(trx: Knex.Transaction | Knex, e: AuditEntry): Promise<void> {
  await trx('audit_log').insert({
    tenant_id: e.tenantId,
    actor_type: e.actor.type,
    actor_id: e.actor.id ?? null,
    action: e.action,
    target_type: e.target?.type ?? null,
    target_id: e.target?.id ?? null,
    meta: JSON.stringify(e.meta ?? {}),
    request_id: e.requestId ?? null,
  });
}

export interface AuditRow {
  id: number;
  at: Date;
  actor_type: string;
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  meta: Record<string, unknown>;
}

export async function listAudit(
  trx: Knex.Transaction,
  opts: { limit: number; before?: number; action?: string; actorId?: string },
): Promise<AuditRow[]> {
  const q = trx<AuditRow>('audit_log').orderBy('id', 'desc').limit(Math.min(opts.limit, 200));
  if (opts.before) q.where('id', '<', opts.before);
  if (opts.action) q.where('action', 'like', `${opts.action.replace(/[%_]/g, '')}%`);
  if (opts.actorId) q.where('actor_id', opts.actorId);
  return q;
}

/** Masks a phone number for logs and audit: +33 6 •• •• •• 78. */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  return `${phone.slice(0, 4)}••••${phone.slice(-2)}`;
}
