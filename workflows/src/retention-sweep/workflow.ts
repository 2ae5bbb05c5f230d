import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { RetentionSweepActivities, RetentionSweepInput, RetentionSweepResult } from './contract.js';

const { listRetentionTargets, purgeRetentionTarget } = proxyActivities<RetentionSweepActivities>({
  startToCloseTimeout: '10 minutes',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 10,
  },
});

/** Purges each target in turn; one failing target does not stop the others from being purged. */
export async function retentionSweep(input: RetentionSweepInput = {}): Promise<RetentionSweepResult> {
  const asOf = input.asOf ?? workflowInfo().startTime.toISOString();
  const result: RetentionSweepResult = {};
  for (const target of await listRetentionTargets()) {
    result[target.name] = await purgeRetentionTarget({ target: target.name, asOf });
  }
  return result;
}
