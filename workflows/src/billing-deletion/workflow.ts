import { CancellationScope, isCancellation, proxyActivities, sleep } from '@temporalio/workflow';
import type { BillingDeletionActivities, BillingDeletionInput, BillingDeletionResult } from './contract.js';

const { billingDeletionPlan, billingDeletionWithdrawn } = proxyActivities<BillingDeletionActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

// A large commune is tens of thousands of accounts: the activity heartbeats and
// resumes where it stopped, so a long timeout costs nothing when all goes well.
const { billingDeleteCommuneData } = proxyActivities<BillingDeletionActivities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '1 hour' },
});

/**
 * Waits out the period of read access, then deletes the commune's data.
 * Cancelling the workflow (the commune resubscribed) withdraws the deletion.
 */
export async function billingDeletion(input: BillingDeletionInput): Promise<BillingDeletionResult> {
  try {
    const plan = await billingDeletionPlan(input);
    if (!plan.deleteAt) return 'kept';
    await sleep(Math.max(0, Date.parse(plan.deleteAt) - Date.now()));
  } catch (err) {
    if (isCancellation(err))
      await CancellationScope.nonCancellable(() => billingDeletionWithdrawn({ tenantId: input.tenantId }));
    throw err;
  }
  // Past this point the deletion runs to its end: cancelling now would leave half a commune.
  const report = await CancellationScope.nonCancellable(() =>
    billingDeleteCommuneData({ tenantId: input.tenantId }),
  );
  return report ? 'deleted' : 'kept';
}
