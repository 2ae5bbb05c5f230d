// A cancelled commune's data deletion, the activities of the workflow
// `<slug>/billing-deletion/<tenantId>` (workflows/src/billing-deletion).
//
// The commune keeps read access for its data export for the configured days
// (VIGIE_BILLING_DELETION_DAYS, 90), then its data is deleted, reusing what
// RGPD erasure already does for one resident (eraseAccountEverywhere: the
// address-verification workflow stopped, proofs deleted from the store,
// plugins' personal data erased), then every tenant-owned row and stored file.
// What stays is the tombstone: the `tenants` row (suspended), its billing
// account with the date of deletion, its invoices (ten years, Code de
// commerce L123-22), its SMS meter reports (counts only) and the operator
// audit log that says who, when and how much.
import { heartbeat } from '@temporalio/activity';
import type { Knex } from 'knex';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import {
  BILLING_DELETION_KIND,
  BILLING_DELETION_WORKFLOW,
  workflowId,
  type BillingDeletionActivities,
  type BillingDeletionInput,
  type BillingDeletionReport,
} from '@vigie/workflows/contracts';
import { withTenant } from '../db/index.js';
import { tenantFiles } from '../files/index.js';
import { eraseAccountEverywhere, residentsServices } from '../residents/index.js';
import type { ActivityDeps } from '../temporal/index.js';
import type { PlatformServices } from '../plugins/index.js';
import type { StartDeletion } from './activities.js';
import { noticeAdmins } from './apply.js';
import { formatDate } from './messages.js';

const DAY_MS = 86_400_000;

/** Tenant-owned tables whose rows outlive the commune's data: billing records, no person's data. */
const KEPT = new Set(['sms_meter_reports', 'sms_meter_lines']);
/** Columns that name a file of the commune in the store. */
const FILE_COLUMNS = ['storage_key', 'photo_key'];

export function deletionWorkflowId(tenant: { id: string; slug: string }): string {
  return workflowId(tenant.slug, BILLING_DELETION_KIND, tenant.id);
}

interface Deps {
  /** App pool: the commune's rows under RLS; billing_accounts (platform). */
  db: Knex;
  /** Operator pool: the operator audit log. */
  operatorDb: Knex;
  files: ActivityDeps['files'];
  services: ActivityDeps['services'];
  deletionDays: number;
  /** The running workflows to stop (absent: none are). */
  workflows?: () => Client;
  beat?: (what: string) => void;
}

async function operatorAudit(
  operatorDb: Knex,
  tenantId: string,
  action: string,
  meta: Record<string, unknown>,
): Promise<void> {
  await operatorDb('operator_audit_log').insert({
    operator_id: null,
    action,
    tenant_id: tenantId,
    meta: JSON.stringify({ ...meta, source: 'billing' }),
  });
}

export function createDeletionActivities(deps: Deps): BillingDeletionActivities {
  const beat = deps.beat ?? (() => undefined);
  async function billingDeletionWithdrawn({ tenantId }: { tenantId: string }): Promise<void> {
    const cleared = await deps
      .db('billing_accounts')
      .where({ tenant_id: tenantId })
      .whereNotNull('deletion_due_at')
      .whereNull('data_deleted_at')
      .update({ deletion_due_at: null }, ['tenant_id']);
    if (cleared.length > 0) await operatorAudit(deps.operatorDb, tenantId, 'billing.deletion_withdrawn', {});
  }
  return {
    billingDeletionWithdrawn,

    async billingDeletionPlan({ tenantId, cancelledAt }) {
      const row = await deps
        .db('billing_accounts as b')
        .join('tenants as t', 't.id', 'b.tenant_id')
        .where('b.tenant_id', tenantId)
        .first('b.state', 'b.deletion_due_at', 'b.data_deleted_at', 't.slug');
      if (!row || row.state !== 'cancelled' || row.data_deleted_at) return { deleteAt: null };
      if (row.deletion_due_at) return { deleteAt: new Date(row.deletion_due_at).toISOString() };
      const due = new Date(Date.parse(cancelledAt) + deps.deletionDays * DAY_MS);
      const set = await deps
        .db('billing_accounts')
        .where({ tenant_id: tenantId })
        .whereNull('deletion_due_at')
        .update({ deletion_due_at: due }, ['deletion_due_at']);
      if (set.length > 0) {
        await operatorAudit(deps.operatorDb, tenantId, 'billing.deletion_planned', {
          deleteAt: due.toISOString(),
          workflowId: deletionWorkflowId({ id: tenantId, slug: row.slug }),
        });
        // The mairie admins learn the date itself (the period is configuration), in their language, once.
        for (const locale of ['fr', 'en'] as const)
          await noticeAdmins(
            deps.db,
            tenantId,
            'billing.deletion_planned',
            `billing.deletion_planned:${due.toISOString()}:${locale}`,
            null,
            { deleteAt: formatDate(due, locale) },
            locale,
          );
      }
      return { deleteAt: new Date(set[0]?.deletion_due_at ?? due).toISOString() };
    },

    async billingDeleteCommuneData({ tenantId }) {
      const row = await deps
        .db('billing_accounts as b')
        .join('tenants as t', 't.id', 'b.tenant_id')
        .where('b.tenant_id', tenantId)
        .first('b.state', 'b.deletion_due_at', 'b.data_deleted_at', 't.slug');
      if (!row) return null;
      if (row.data_deleted_at) return { accountsErased: 0, rowsDeleted: 0, filesDeleted: 0 };
      // The database decides: a commune that subscribed again keeps everything.
      if (row.state !== 'cancelled' || !row.deletion_due_at || new Date(row.deletion_due_at) > new Date()) {
        await billingDeletionWithdrawn({ tenantId });
        return null;
      }
      const tenant = { id: tenantId as string, slug: row.slug as string };
      await stopWorkflows(deps, tenant);
      const report = await deleteCommuneData(deps, tenantId, beat);
      await deps
        .db('billing_accounts')
        .where({ tenant_id: tenantId })
        .update({ data_deleted_at: new Date() });
      await operatorAudit(deps.operatorDb, tenantId, 'billing.data_deleted', { ...report });
      return report;
    },
  };
}

/** The commune's other running workflows (an alert's delivery, a verification…) would write into what is being deleted. */
async function stopWorkflows(deps: Deps, tenant: { id: string; slug: string }): Promise<void> {
  if (!deps.workflows) return;
  const client = deps.workflows();
  const self = deletionWorkflowId(tenant);
  for await (const wf of client.workflow.list({
    query: `TenantId = '${tenant.id}' AND ExecutionStatus = 'Running'`,
  })) {
    if (wf.workflowId === self) continue;
    await client.workflow
      .getHandle(wf.workflowId, wf.runId)
      .terminate('the commune was cancelled and its data is deleted')
      .catch(() => undefined);
  }
}

/**
 * Deletes every row and file of the commune, idempotently (a retry after a
 * crash starts again from what is left). Accounts go through the RGPD erasure
 * first, so that everything a plugin declared as personal data is handled
 * the way a resident's own erasure handles it.
 */
export async function deleteCommuneData(
  deps: Pick<Deps, 'db' | 'files' | 'services'>,
  tenantId: string,
  beat: (what: string) => void = () => undefined,
): Promise<BillingDeletionReport> {
  const hooks = deps.services.get(residentsServices.hooks);
  const accounts: string[] = await withTenant(deps.db, tenantId, (trx) =>
    trx('accounts').whereNot({ status: 'deleted' }).pluck('id'),
  );
  for (const id of accounts) {
    await eraseAccountEverywhere(
      { db: deps.db, files: deps.files, temporal: undefined, hooks },
      tenantId,
      id,
      {
        actor: 'system',
        action: 'billing.commune_data_deleted',
      },
    );
    beat(`account ${id}`);
  }

  const tables = (await tenantTables(deps.db)).filter((t) => !KEPT.has(t));
  const filesDeleted = await deleteFiles(deps, tenantId, tables);
  beat('files');

  // Foreign keys between the commune's tables: a table whose rows are still
  // referenced (ON DELETE RESTRICT) waits for the next pass, after its children.
  let left = tables.filter((t) => t !== 'audit_log');
  let rowsDeleted = 0;
  while (left.length > 0) {
    const blocked: string[] = [];
    for (const t of left) {
      try {
        rowsDeleted += await withTenant(deps.db, tenantId, (trx) => trx(t).delete());
      } catch (err) {
        // foreign_key_violation, or restrict_violation for ON DELETE RESTRICT.
        if (!['23503', '23001'].includes((err as { code?: string }).code ?? '')) throw err;
        blocked.push(t);
      }
      beat(t);
    }
    if (blocked.length === left.length)
      throw new Error(
        `Could not delete the commune's rows of ${blocked.join(', ')}: they reference each other`,
      );
    left = blocked;
  }
  // The app role cannot delete audit rows; the owner's function can, one commune at a time.
  const purged = await withTenant(deps.db, tenantId, (trx) =>
    trx.raw('select purge_audit_log(?::uuid, ?::timestamptz) as n', [tenantId, new Date(Date.now() + 1000)]),
  );
  rowsDeleted += Number(purged.rows[0]?.n ?? 0);
  return { accountsErased: accounts.length, rowsDeleted, filesDeleted };
}

/** Every table with RLS and a tenant_id column: the tenant-owned tables, plugins' included. */
export async function tenantTables(db: Knex): Promise<string[]> {
  const res = await db.raw<{ rows: Array<{ name: string }> }>(
    `select c.relname as name from pg_class c
     join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = current_schema() and c.relkind = 'r' and c.relrowsecurity
       and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
     order by 1`,
  );
  return res.rows.map((r) => r.name);
}

async function deleteFiles(
  deps: Pick<Deps, 'db' | 'files'>,
  tenantId: string,
  tables: string[],
): Promise<number> {
  const cols = await deps.db.raw<{ rows: Array<{ table_name: string; column_name: string }> }>(
    `select table_name, column_name from information_schema.columns
     where table_schema = current_schema() and column_name = any(?) and table_name = any(?)`,
    [FILE_COLUMNS, tables],
  );
  const store = tenantFiles(deps.files.store, deps.files.secret, tenantId);
  const keys = new Set<string>();
  for (const c of cols.rows) {
    const found: string[] = await withTenant(deps.db, tenantId, (trx) =>
      trx(c.table_name).whereNotNull(c.column_name).distinct().pluck(c.column_name),
    );
    for (const k of found) keys.add(k);
  }
  // Bytes first, rows after (as for a proof): a row never points at bytes gone astray.
  for (const k of keys) await store.delete(k);
  return keys.size;
}

export function deletionActivityDeps(deps: ActivityDeps, operatorDb: Knex): Deps {
  return {
    db: deps.db,
    operatorDb,
    files: deps.files,
    services: deps.services,
    deletionDays: deps.config.billingDeletionDays,
    workflows: () => deps.services.workflows.client(),
    beat: (what) => heartbeat(what),
  };
}

/** The sweep's way to start a deletion workflow whose start was lost (apply.ts starts it in the normal case). */
export function deletionStarter(workflows: PlatformServices['workflows']): StartDeletion {
  return async (tenant, cancelledAt) => {
    const input: BillingDeletionInput = { tenantId: tenant.id, cancelledAt: cancelledAt.toISOString() };
    try {
      await workflows.client().workflow.start(BILLING_DELETION_WORKFLOW, {
        ...workflows.options(tenant, BILLING_DELETION_KIND, tenant.id),
        args: [input],
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  };
}
