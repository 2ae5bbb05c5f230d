import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RETENTION_SWEEP_WORKFLOW, type RetentionSweepResult } from '@vigie/workflows/contracts';
import { createTestContext, uniqueId, type TestContext } from '../testing/index.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.startWorker();
});
afterAll(async () => ctx?.close());

describe('retention sweep workflow (real Temporal dev server)', () => {
  it('purges webhook events older than their retention period and keeps the recent ones', async () => {
    const now = new Date('2026-11-27T03:17:00Z');
    const old = new Date(now.getTime() - 31 * 86_400_000);
    const recent = new Date(now.getTime() - 2 * 86_400_000);
    await ctx.ownerDb('webhook_events').insert([
      { provider: 'twilio', event_id: 'SM-old', received_at: old },
      { provider: 'stripe', event_id: 'evt-old', received_at: old },
      { provider: 'twilio', event_id: 'SM-recent', received_at: recent },
    ]);

    const result = await ctx.temporal.client.workflow.execute<
      (i: { asOf: string }) => Promise<RetentionSweepResult>
    >(RETENTION_SWEEP_WORKFLOW, {
      taskQueue: ctx.taskQueue,
      workflowId: `platform/retention-sweep/${uniqueId()}`,
      args: [{ asOf: now.toISOString() }],
    });

    expect(result).toMatchObject({ webhook_events: 2 });
    const left = await ctx.ownerDb('webhook_events').select('event_id');
    expect(left.map((r) => r.event_id)).toEqual(['SM-recent']);
  });
});
