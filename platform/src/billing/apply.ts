// Applies a billing event to a commune: the row, both audit logs and the
// commune's status change in one transaction on the operator pool (only the
// operator role may write `tenants`), idempotent by Stripe event id. What
// follows the commit (the grace timer, the mairie admins' notices) is redone
// safely: workflow ids and notice dedupe keys are business keys.
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import {
  BILLING_DELETION_KIND,
  BILLING_DELETION_WORKFLOW,
  BILLING_GRACE_KIND,
  BILLING_GRACE_WORKFLOW,
  BILLING_PAID_SIGNAL,
  type BillingDeletionInput,
  type BillingGraceInput,
} from '@vigie/workflows/contracts';
import { audit } from '../lib/audit.js';
import { withTenant } from '../db/index.js';
import { recordWebhookEvent, storeInAppMany } from '../notifications/index.js';
import { reactivateTenant, suspendTenant, type Actor } from '../tenants/index.js';
import { tenantWorkflowOptions, type Temporal } from '../temporal/index.js';
import { decide, type BillingEvent, type BillingRow, type Decision, type Effect } from './transitions.js';
import { adminNotice } from './messages.js';

export const BILLING_ACTOR: Actor = { type: 'system', source: 'billing' };

export interface BillingDeps {
  operatorDb: Knex;
  /** App pool: the mairie admins' notices. */
  db: Knex;
  temporal: Temporal | undefined;
  graceDays: number;
  log: Pick<Logger, 'warn' | 'error'>;
}

export interface Applied {
  outcome: 'applied' | 'unchanged' | 'duplicate';
  decision?: Decision;
}

interface LockedRow extends BillingRow {
  tenant_id: string;
  slug: string;
}

export async function applyBillingEvent(
  deps: BillingDeps,
  tenantId: string,
  event: BillingEvent,
  o: { eventId?: string; requestId?: string; now?: Date } = {},
): Promise<Applied> {
  const now = o.now ?? new Date();
  const result = await deps.operatorDb.transaction(async (trx) => {
    await trx.raw("select set_config('app.tenant_id', ?, true)", [tenantId]);
    // The row lock serialises two webhooks about one commune (the same invoice
    // paid twice at once): the second decides on what the first committed.
    const row = await trx('billing_accounts as b')
      .join('tenants as t', 't.id', 'b.tenant_id')
      .where('b.tenant_id', tenantId)
      .forUpdate('b')
      .first<LockedRow | undefined>('b.*', 't.slug');
    if (!row) return undefined;
    if (o.eventId && !(await recordWebhookEvent(trx, 'stripe', o.eventId, tenantId)))
      return { slug: row.slug, applied: { outcome: 'duplicate' } as Applied };
    const d = decide(row, event, { now, graceDays: deps.graceDays });
    if (Object.keys(d.patch).length > 0)
      await trx('billing_accounts')
        .where({ tenant_id: tenantId })
        .update({ ...d.patch, updated_at: trx.fn.now() });
    if (d.action) await auditTransition(trx, tenantId, row.state, d, event, o);
    if (d.effects.includes('suspend_tenant'))
      await suspendTenant(trx, row.slug, BILLING_ACTOR, d.action ?? 'billing', o.requestId);
    if (d.effects.includes('reactivate_tenant'))
      await reactivateTenant(trx, row.slug, BILLING_ACTOR, undefined, o.requestId);
    // A new cancellation starts a new read-only period: a date left by an earlier one must not delete early.
    if (d.effects.includes('plan_deletion'))
      await trx('billing_accounts')
        .where({ tenant_id: tenantId })
        .whereNull('data_deleted_at')
        .update({ deletion_due_at: null });
    return {
      slug: row.slug,
      graceUntil: (d.patch.grace_until as Date | undefined) ?? row.grace_until,
      unpaidInvoiceId: row.last_invoice_id,
      applied: {
        outcome: d.action ? 'applied' : 'unchanged',
        decision: d,
      } as Applied,
    };
  });
  if (!result) return { outcome: 'unchanged' };
  const d = result.applied.decision;
  if (d)
    await afterCommit(deps, { id: tenantId, slug: result.slug }, event, d, {
      graceUntil: result.graceUntil ?? null,
      unpaidInvoiceId: result.unpaidInvoiceId ?? null,
    });
  return result.applied;
}

async function auditTransition(
  trx: Knex.Transaction,
  tenantId: string,
  from: string,
  d: Decision,
  event: BillingEvent,
  o: { eventId?: string; requestId?: string },
): Promise<void> {
  const meta = {
    from,
    to: d.state,
    event: event.type,
    ...('invoiceId' in event ? { invoiceId: event.invoiceId } : {}),
    ...(o.eventId ? { stripeEventId: o.eventId } : {}),
    ...(d.patch.grace_until ? { graceUntil: d.patch.grace_until.toISOString() } : {}),
    source: 'billing',
  };
  await trx('operator_audit_log').insert({
    operator_id: null,
    action: d.action,
    tenant_id: tenantId,
    meta: JSON.stringify(meta),
  });
  await audit(trx, {
    tenantId,
    actor: { type: 'system' },
    action: d.action!,
    target: { type: 'tenant', id: tenantId },
    meta,
    ...(o.requestId ? { requestId: o.requestId } : {}),
  });
}

async function afterCommit(
  deps: BillingDeps,
  tenant: { id: string; slug: string },
  event: BillingEvent,
  d: Decision,
  { graceUntil, unpaidInvoiceId }: { graceUntil: Date | null; unpaidInvoiceId: string | null },
): Promise<void> {
  const has = (e: Effect) => d.effects.includes(e);
  const invoiceId = 'invoiceId' in event ? event.invoiceId : null;
  try {
    if (has('start_grace') && invoiceId && graceUntil) await startGrace(deps, tenant, invoiceId, graceUntil);
    if (has('stop_grace') && unpaidInvoiceId) await stopGrace(deps, tenant, unpaidInvoiceId);
    if (has('plan_deletion')) await planDeletion(deps.temporal, tenant, new Date());
    if (has('withdraw_deletion')) await withdrawDeletion(deps.temporal, tenant);
    if ((has('warn_admins') || has('tell_admins')) && d.action)
      await noticeAdmins(deps.db, tenant.id, d.action, `${d.action}:${invoiceId ?? event.type}`, graceUntil);
  } catch (err) {
    // The state is committed; the daily billing sweep catches a lost timer.
    deps.log.error({ err, tenantId: tenant.id, action: d.action }, 'billing follow-up failed');
  }
}

async function startGrace(
  deps: BillingDeps,
  tenant: { id: string; slug: string },
  invoiceId: string,
  graceUntil: Date,
): Promise<void> {
  if (!deps.temporal) return;
  const input: BillingGraceInput = { tenantId: tenant.id, invoiceId, graceUntil: graceUntil.toISOString() };
  try {
    await deps.temporal.client.workflow.start(BILLING_GRACE_WORKFLOW, {
      ...tenantWorkflowOptions(deps.temporal, tenant, BILLING_GRACE_KIND, invoiceId),
      args: [input],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/** Ends the grace period opened by the invoice that was unpaid (the timer would find nothing to do anyway). */
async function stopGrace(
  deps: BillingDeps,
  tenant: { id: string; slug: string },
  invoiceId: string,
): Promise<void> {
  if (!deps.temporal) return;
  const { workflowId } = tenantWorkflowOptions(deps.temporal, tenant, BILLING_GRACE_KIND, invoiceId);
  try {
    await deps.temporal.client.workflow.getHandle(workflowId).signal(BILLING_PAID_SIGNAL);
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
}

/**
 * Starts the workflow that deletes a cancelled commune's data after its
 * read-only period (the workflow records the date, from the worker's config).
 * Also called by the daily sweep for a commune whose start was lost.
 */
export async function planDeletion(
  temporal: Temporal | undefined,
  tenant: { id: string; slug: string },
  cancelledAt: Date,
): Promise<void> {
  if (!temporal) return;
  const input: BillingDeletionInput = { tenantId: tenant.id, cancelledAt: cancelledAt.toISOString() };
  try {
    await temporal.client.workflow.start(BILLING_DELETION_WORKFLOW, {
      ...deletionWorkflowOptions(temporal, tenant),
      // Still running from an earlier cancellation (the commune came back by invoice, which the
      // workflow would only find at its date): this cancellation's own period replaces it.
      workflowIdConflictPolicy: 'TERMINATE_EXISTING',
      args: [input],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

export function deletionWorkflowOptions(temporal: Temporal, tenant: { id: string; slug: string }) {
  return tenantWorkflowOptions(temporal, tenant, BILLING_DELETION_KIND, tenant.id);
}

/** The commune resubscribed: cancelling the workflow withdraws the deletion (it audits that itself). */
export async function withdrawDeletion(
  temporal: Temporal | undefined,
  tenant: { id: string; slug: string },
): Promise<void> {
  if (!temporal) return;
  const { workflowId } = deletionWorkflowOptions(temporal, tenant);
  try {
    await temporal.client.workflow.getHandle(workflowId).cancel();
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
}

/** In-app notice to every mairie admin of the commune, once per transition and invoice. */
export async function noticeAdmins(
  db: Knex,
  tenantId: string,
  action: string,
  dedupeKey: string,
  graceUntil: Date | null,
  extra: Record<string, string> = {},
  /** Only the admins who read this language (each language's text is built by the caller). */
  onlyLocale?: 'fr' | 'en',
): Promise<number> {
  return withTenant(db, tenantId, async (trx) => {
    const admins: Array<{ id: string; locale: string | null }> = await trx('role_assignments as r')
      .join('accounts as a', 'a.id', 'r.account_id')
      .where({ 'r.role': 'mairie_admin', 'a.status': 'active' })
      .whereNull('r.scope_id')
      .distinct('a.id', 'a.locale');
    const lang = (a: { locale: string | null }) => (a.locale === 'en' ? 'en' : 'fr');
    return storeInAppMany(
      trx,
      admins
        .filter((a) => !onlyLocale || lang(a) === onlyLocale)
        .map((a) => {
          const text = adminNotice(action, lang(a), { graceUntil, ...extra });
          return {
            tenantId,
            accountId: a.id,
            kind: 'billing',
            title: text.title,
            body: text.body,
            link: '/mairie/abonnement',
            meta: { action },
            idempotencyKey: `${dedupeKey}:${a.id}`,
          };
        }),
    );
  });
}
