// Notices beyond the in-app inbox: services.notify's `channels` ask for SMS
// and email too; this module sends them (one workflow per batch, quiet hours,
// retries) and sweeps for a batch whose start was lost.
import { NOTICE_SWEEP_SCHEDULE_ID, NOTICE_SWEEP_WORKFLOW } from '@vigie/workflows/contracts';
import { defineCoreModule, workflowFile } from '../core/module.js';
import { coreServices } from '../core/refs.js';
import type { ActivityFn } from '../plugins/index.js';
import { createChannels } from '../notifications/index.js';
import { createNoticeActivities } from './activities.js';

export const noticesModule = defineCoreModule({
  id: 'notices',
  workflows: workflowFile('@vigie/workflows/notice-delivery', import.meta.url),
  schedules: [
    {
      id: NOTICE_SWEEP_SCHEDULE_ID,
      workflowType: NOTICE_SWEEP_WORKFLOW,
      spec: { every: '5 minutes' },
      catchupWindow: '10 minutes',
    },
  ],
  activities: (deps) =>
    createNoticeActivities({
      db: deps.db,
      config: deps.config,
      log: deps.log,
      channels: createChannels(deps.config, { db: deps.db, timeoutMs: 10_000 }),
      temporal: () => {
        const t = deps.services.get(coreServices.temporal);
        if (!t) throw new Error('The notice sweep needs Temporal');
        return t;
      },
    }) as unknown as Record<string, ActivityFn>,
});
