// The SMS and emails a notice asks for, written in the notifying transaction
// (notice_sends) and handed to their workflow once it commits. A start lost
// after the commit (Temporal unreachable) is picked up by the sweep.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import {
  NOTICE_DELIVERY_KIND,
  NOTICE_DELIVERY_WORKFLOW,
  type NoticeDeliveryInput,
} from '@vigie/workflows/contracts';
import { afterCommit } from '../db/index.js';
import type { Temporal } from '../temporal/index.js';
import { tenantWorkflowOptions } from '../temporal/index.js';

export type NoticeChannel = 'sms' | 'email';
export type NoticeSeverity = 'info' | 'important' | 'urgent';

export async function enqueueNoticeSends(
  trx: Knex.Transaction,
  temporal: () => Temporal,
  n: {
    tenantId: string;
    /** The in-app notifications just stored (one per account). */
    notifications: Array<{ id: string; accountId: string }>;
    channels: readonly NoticeChannel[];
    severity: NoticeSeverity;
  },
): Promise<string | null> {
  if (n.notifications.length === 0 || n.channels.length === 0) return null;
  const batchId = randomUUID();
  const rows = n.notifications.flatMap((x) =>
    n.channels.map((channel) => ({
      tenant_id: n.tenantId,
      batch_id: batchId,
      notification_id: x.id,
      account_id: x.accountId,
      channel,
      severity: n.severity,
    })),
  );
  // A notification stored twice (a retried activity) is one row per channel: the first batch keeps it.
  const inserted = await trx('notice_sends')
    .insert(rows)
    .onConflict(['tenant_id', 'notification_id', 'channel'])
    .ignore()
    .returning('id');
  if (inserted.length === 0) return null;
  const { slug } = (await trx('tenants').where({ id: n.tenantId }).first('slug')) as { slug: string };
  afterCommit(trx, () => startNoticeBatch(temporal(), { id: n.tenantId, slug }, batchId));
  return batchId;
}

export async function startNoticeBatch(
  t: Temporal,
  tenant: { id: string; slug: string },
  batchId: string,
): Promise<void> {
  const input: NoticeDeliveryInput = { tenantId: tenant.id, batchId };
  try {
    await t.client.workflow.start(NOTICE_DELIVERY_WORKFLOW, {
      ...tenantWorkflowOptions(t, tenant, NOTICE_DELIVERY_KIND, batchId),
      args: [input],
    });
  } catch (err) {
    // Started already (the sweep, or a retry): the batch is on its way.
    if ((err as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw err;
  }
}
