import { proxyActivities } from '@temporalio/workflow';
import type {
  BillingFacturxInput,
  BillingFacturxResult,
  BillingInvoiceActivities,
} from './invoices-contract.js';

const { billingGenerateFacturx } = proxyActivities<BillingInvoiceActivities>({
  startToCloseTimeout: '2 minutes',
  // A broken converter is fixed by a deploy: keep trying, slowly, rather than lose the document.
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '1 hour' },
});

export async function billingFacturx(input: BillingFacturxInput): Promise<BillingFacturxResult> {
  return billingGenerateFacturx(input);
}
