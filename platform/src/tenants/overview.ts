// What the operator console lists: every commune with its status, plan, SMS
// used this month, members, last alert and health, and the audit of status
// and billing transitions.
//
// Counts are read commune by commune in each one's own tenant transaction (the
// app role under RLS: no role of ours reads across communes), four indexed
// aggregates each; a thousand communes is a thousand short transactions, about
// a second, which an operator page opened now and then can afford.
// Failing workflows come from Temporal's visibility (failed or timed out in the
// last 7 days, grouped by the TenantId search attribute); when Temporal does
// not answer within 2 s the column says so instead of holding the page.
import type { Knex } from 'knex';
import { withTenant } from '../db/index.js';
import { webhookRefusals, type RefusalCount } from '../notifications/index.js';
import { BILLING_DELETION_KIND, workflowId } from '@vigie/workflows/contracts';
import { TenantIdKey, type Temporal } from '../temporal/index.js';

export interface CommuneOverview {
  slug: string;
  name: string;
  inseeCode: string;
  status: string;
  createdAt: string;
  plan: {
    tier: string | null;
    state: string;
    graceUntil: string | null;
    /** A cancelled commune's data deletion: when, and the workflow to watch in the Temporal UI. */
    deletion: { dueAt: string | null; deletedAt: string | null; workflowId: string } | null;
  };
  smsThisMonth: number;
  members: number;
  addresses: number;
  sectors: number;
  lastAlertAt: string | null;
  health: {
    /** Deliveries that ended failed in the last 7 days. */
    failedDeliveries7d: number;
    /** Workflows of the commune that failed or timed out in the last 7 days; null when Temporal did not answer. */
    failingWorkflows7d: number | null;
    /** Webhook requests naming the commune that were refused in the last 7 days (bad signature, malformed…). */
    webhooksRefused7d: number;
  };
}

export async function communesOverview(deps: {
  operatorDb: Knex;
  db: Knex;
  temporal?: Temporal | undefined;
}): Promise<CommuneOverview[]> {
  const tenants: Array<{
    id: string;
    slug: string;
    name: string;
    insee_code: string;
    status: string;
    created_at: Date;
    tier: string | null;
    state: string | null;
    grace_until: Date | null;
    deletion_due_at: Date | null;
    data_deleted_at: Date | null;
  }> = await deps
    .operatorDb('tenants as t')
    .leftJoin('billing_accounts as b', 'b.tenant_id', 't.id')
    .orderBy('t.slug')
    .select(
      't.id',
      't.slug',
      't.name',
      't.insee_code',
      't.status',
      't.created_at',
      'b.tier',
      'b.state',
      'b.grace_until',
      'b.deletion_due_at',
      'b.data_deleted_at',
    );
  const failing = await failingWorkflows(deps.temporal);
  const refused = (await webhookRefusals(deps.operatorDb)).byTenant;
  const out: CommuneOverview[] = [];
  for (const t of tenants) {
    const c = await withTenant(deps.db, t.id, async (trx) => {
      const r = await trx.raw<{
        rows: Array<{
          sms: number;
          members: number;
          addresses: number;
          sectors: number;
          last_alert: Date | null;
          failed: number;
        }>;
      }>(
        `select
           coalesce((select segments_sent from sms_usage where month = date_trunc('month', now() at time zone 'Europe/Paris')::date), 0)::int as sms,
           (select count(*) from accounts where status = 'active')::int as members,
           (select count(*) from addresses)::int as addresses,
           (select count(*) from sectors where status = 'active')::int as sectors,
           (select max(created_at) from alerts) as last_alert,
           (select count(*) from deliveries where status = 'failed' and failed_at > now() - interval '7 days')::int as failed`,
      );
      return r.rows[0]!;
    });
    out.push({
      slug: t.slug,
      name: t.name,
      inseeCode: t.insee_code,
      status: t.status,
      createdAt: t.created_at.toISOString(),
      plan: {
        tier: t.tier,
        state: t.state ?? 'none',
        graceUntil: t.grace_until?.toISOString() ?? null,
        deletion:
          t.state === 'cancelled' && (t.deletion_due_at || t.data_deleted_at)
            ? {
                dueAt: t.deletion_due_at?.toISOString() ?? null,
                deletedAt: t.data_deleted_at?.toISOString() ?? null,
                workflowId: workflowId(t.slug, BILLING_DELETION_KIND, t.id),
              }
            : null,
      },
      smsThisMonth: c.sms,
      members: c.members,
      addresses: c.addresses,
      sectors: c.sectors,
      lastAlertAt: c.last_alert ? new Date(c.last_alert).toISOString() : null,
      health: {
        failedDeliveries7d: c.failed,
        failingWorkflows7d: failing ? (failing.get(t.id) ?? 0) : null,
        webhooksRefused7d: refused.get(t.id) ?? 0,
      },
    });
  }
  return out;
}

async function failingWorkflows(temporal: Temporal | undefined): Promise<Map<string, number> | null> {
  if (!temporal) return null;
  const since = new Date(Date.now() - 7 * 86_400_000).toISOString();
  const counts = new Map<string, number>();
  const list = async () => {
    let n = 0;
    for await (const wf of temporal.client.workflow.list({
      query: `(ExecutionStatus = 'Failed' OR ExecutionStatus = 'TimedOut') AND CloseTime > '${since}'`,
    })) {
      const id = wf.typedSearchAttributes.get(TenantIdKey);
      if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
      if (++n >= 5000) break;
    }
    return counts;
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      list(),
      new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), 2000))),
    ]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

export interface PlatformHealth {
  /** Webhook requests refused in the last 7 days that named no commune (Stripe, SNS, or a commune unknown). */
  webhooksRefused7d: { total: number; byCode: RefusalCount[] };
}

export async function platformHealth(operatorDb: Knex): Promise<PlatformHealth> {
  const { platform } = await webhookRefusals(operatorDb);
  return {
    webhooksRefused7d: { total: platform.reduce((n, r) => n + r.count, 0), byCode: platform },
  };
}

export interface TransitionEntry {
  at: string;
  slug: string | null;
  action: string;
  /** 'operator' (a person), 'billing' (a Stripe event), 'system'. */
  source: string;
  operatorEmail: string | null;
  meta: Record<string, unknown>;
}

/** Status and billing transitions, newest first (operator_audit_log). */
export async function transitions(
  operatorDb: Knex,
  opts: { slug?: string; limit?: number } = {},
): Promise<TransitionEntry[]> {
  const q = operatorDb('operator_audit_log as l')
    .leftJoin('tenants as t', 't.id', 'l.tenant_id')
    .leftJoin('operators as o', 'o.id', 'l.operator_id')
    .where((w) =>
      w
        .where('l.action', 'like', 'billing.%')
        .orWhereIn('l.action', ['tenant.created', 'tenant.suspended', 'tenant.reactivated']),
    )
    .orderBy('l.id', 'desc')
    .limit(Math.min(500, opts.limit ?? 100))
    .select('l.at', 't.slug', 'l.action', 'l.meta', 'o.email');
  if (opts.slug) q.where('t.slug', opts.slug);
  const rows: Array<{
    at: Date;
    slug: string | null;
    action: string;
    meta: Record<string, unknown>;
    email: string | null;
  }> = await q;
  return rows.map((r) => ({
    at: r.at.toISOString(),
    slug: r.slug,
    action: r.action,
    source: r.email ? 'operator' : r.meta?.source === 'billing' ? 'billing' : 'system',
    operatorEmail: r.email,
    meta: r.meta ?? {},
  }));
}
