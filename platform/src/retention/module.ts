// The retention module: the nightly sweep that deletes what every module and
// plugin keeps past its period (`retention` in their definitions). The
// targets are gathered per instance by the assembly (coreServices.retentionTargets).
import { RETENTION_SWEEP_SCHEDULE_ID, RETENTION_SWEEP_WORKFLOW } from '@vigie/workflows/contracts';
import { defineCoreModule, workflowFile } from '../core/module.js';
import { coreServices } from '../core/refs.js';
import type { ActivityFn } from '../plugins/index.js';
import { coreRetentionTargets, createRetentionActivities } from './activities.js';

export const retentionModule = defineCoreModule({
  id: 'retention',
  workflows: workflowFile('@vigie/workflows/retention-sweep', import.meta.url),
  schedules: [
    {
      id: RETENTION_SWEEP_SCHEDULE_ID,
      workflowType: RETENTION_SWEEP_WORKFLOW,
      spec: { calendars: [{ hour: 3, minute: 17 }] },
      catchupWindow: '1 day',
    },
  ],
  activities: (deps) =>
    createRetentionActivities(deps, [
      ...coreRetentionTargets,
      ...deps.services.get(coreServices.retentionTargets),
    ]) as unknown as Record<string, ActivityFn>,
});
