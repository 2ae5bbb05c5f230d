import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type {
  BillingSmsUsageActivities,
  BillingSmsUsageInput,
  BillingSmsUsageResult,
} from './sms-usage-contract.js';

const { billingReportSmsUsage } = proxyActivities<BillingSmsUsageActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  // The next hour's run takes over what this one could not send.
  retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumAttempts: 5 },
});

export async function billingSmsUsage(input: BillingSmsUsageInput = {}): Promise<BillingSmsUsageResult> {
  return billingReportSmsUsage({ asOf: input.asOf ?? workflowInfo().startTime.toISOString() });
}
