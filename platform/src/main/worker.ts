import { ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import type { Logger } from 'pino';
import { RETENTION_SWEEP_SCHEDULE_ID, RETENTION_SWEEP_WORKFLOW } from '@vigie/workflows/contracts';
import { bundleWorkflows, startWorker, type RunningWorker } from '../temporal/worker.js';
import type { Runtime } from './runtime.js';
import { allActivities } from './activities.js';
import { coreModules } from './core-modules.js';
import { createPlatformServices } from '../plugins/services.js';

export async function startPlatformWorker(rt: Runtime, log: Logger): Promise<RunningWorker> {
  const bundle = await bundleWorkflows();
  const worker = await startWorker({
    address: rt.temporal.settings.address,
    namespace: rt.temporal.settings.namespace,
    taskQueue: rt.temporal.settings.taskQueue,
    bundle,
    activities: allActivities({ config: rt.config, db: rt.db, log, services: createPlatformServices({ temporal: rt.temporal }) }, coreModules, rt.plugins),
  });
  await ensureSchedules(rt);
  return worker;
}

/** The platform's recurring workflows, as Temporal schedules (caught up after downtime). */
export async function ensureSchedules(rt: Runtime): Promise<void> {
  try {
    await rt.temporal.client.schedule.create({
      scheduleId: RETENTION_SWEEP_SCHEDULE_ID,
      spec: { calendars: [{ hour: 3, minute: 17 }], timezone: 'Europe/Paris' },
      action: { type: 'startWorkflow', workflowType: RETENTION_SWEEP_WORKFLOW, taskQueue: rt.temporal.settings.taskQueue, args: [{}] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
}
