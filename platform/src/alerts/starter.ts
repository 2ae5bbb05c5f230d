// Starting and waking an alert's delivery workflow from the API process.
// Starting happens after the alert's transaction commits; if Temporal is
// unreachable at that moment the alert stays recorded without
// `delivery_started_at`, and the housekeeping schedule starts it within
// minutes. Signals are hints: the database is the source of truth.
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { FastifyBaseLogger } from 'fastify';
import {
  ALERT_ACKNOWLEDGED_SIGNAL,
  ALERT_DELIVERY_KIND,
  ALERT_DELIVERY_WORKFLOW,
  DELIVERIES_PENDING_SIGNAL,
  workflowId,
} from '@vigie/workflows/contracts';
import { tenantWorkflowOptions, type Temporal } from '../temporal/index.js';

export interface TenantRef {
  id: string;
  slug: string;
}

export async function startAlertDelivery(
  temporal: Temporal | undefined,
  tenant: TenantRef,
  alertId: string,
  log: FastifyBaseLogger,
): Promise<boolean> {
  if (!temporal) {
    log.warn({ alertId }, 'no Temporal in this process: alert delivery left to housekeeping');
    return false;
  }
  try {
    await temporal.client.workflow.start(ALERT_DELIVERY_WORKFLOW, {
      ...tenantWorkflowOptions(temporal, tenant, ALERT_DELIVERY_KIND, alertId),
      args: [{ tenantId: tenant.id, alertId }],
    });
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return true;
    log.error({ err, alertId }, 'alert delivery not started; housekeeping will start it');
    return false;
  }
}

/** Tells a running delivery that the police acknowledged the alert (cancels its escalation timer). */
export async function signalAcknowledged(
  temporal: Temporal | undefined,
  tenant: TenantRef,
  alertId: string,
  log: FastifyBaseLogger,
): Promise<void> {
  if (!temporal) return;
  try {
    await temporal.client.workflow
      .getHandle(workflowId(tenant.slug, ALERT_DELIVERY_KIND, alertId))
      .signal(ALERT_ACKNOWLEDGED_SIGNAL);
  } catch (err) {
    // Finished already, or never started: the escalation step reads the alert's status anyway.
    if (!(err instanceof WorkflowNotFoundError))
      log.warn({ err, alertId }, 'acknowledgement not signalled to the delivery workflow');
  }
}

/**
 * New deliveries exist outside the workflow (a receipt's fallback). A running
 * workflow is woken; a finished one is started again and, the recipients
 * being resolved already, only sends what is pending.
 */
export async function wakeAlertDelivery(
  temporal: Temporal | undefined,
  tenant: TenantRef,
  alertId: string,
  log: FastifyBaseLogger,
): Promise<void> {
  if (!temporal) return;
  try {
    await temporal.client.workflow.signalWithStart(ALERT_DELIVERY_WORKFLOW, {
      ...tenantWorkflowOptions(temporal, tenant, ALERT_DELIVERY_KIND, alertId),
      args: [{ tenantId: tenant.id, alertId }],
      signal: DELIVERIES_PENDING_SIGNAL,
      signalArgs: [],
    });
  } catch (err) {
    log.error({ err, alertId }, 'alert delivery not woken for a fallback');
  }
}
