import { condition, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  BILLING_PAID_SIGNAL,
  type BillingActivities,
  type BillingGraceInput,
  type BillingGraceResult,
  type BillingSweepInput,
  type BillingSweepResult,
} from './contract.js';

const { billingGraceExpired, billingSweep: sweep } = proxyActivities<BillingActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

export const invoicePaid = defineSignal(BILLING_PAID_SIGNAL);

/** Waits out the grace period, unless told an invoice was paid; the activity re-reads the database. */
export async function billingGrace(input: BillingGraceInput): Promise<BillingGraceResult> {
  let paid = false;
  setHandler(invoicePaid, () => {
    paid = true;
  });
  const waitMs = Math.max(0, Date.parse(input.graceUntil) - Date.now());
  if (await condition(() => paid, waitMs)) return 'paid';
  return billingGraceExpired({ tenantId: input.tenantId, invoiceId: input.invoiceId });
}

export async function billingSweep(input: BillingSweepInput = {}): Promise<BillingSweepResult> {
  return sweep({ asOf: input.asOf ?? workflowInfo().startTime.toISOString() });
}

// The billing module has one workflow file: each concern keeps its own next to it.
export * from './invoices.js';
export * from './sms-usage.js';
export * from '../billing-deletion/workflow.js';
