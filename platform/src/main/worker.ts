import { ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import type { Logger } from 'pino';
import { RETENTION_SWEEP_SCHEDULE_ID, RETENTION_SWEEP_WORKFLOW } from '@vigie/workflows/contracts';
import { bundleWorkflows, startWorker, type RunningWorker } from '../temporal/worker.js';
import type { Runtime } from './runtime.js';
import { allActivities } from './activities.js';
import { coreModules } from './core-modules.js';
import { createPlatformServices } from '../plugins/services.js';
import { ensureAlertSchedules, startSendWorkers, withSendWorkers } from '../alerts/worker.js';

export async function startPlatformWorker(rt: Runtime, log: Logger): Promise<RunningWorker> {
  const bundle = await bundleWorkflows();
  const activities = allActivities(
    { config: rt.config, db: rt.db, log, services: createPlatformServices({ temporal: rt.temporal }) },
    coreModules,
    rt.plugins,
  );
  const worker = await startWorker({
    address: rt.temporal.settings.address,
    namespace: rt.temporal.settings.namespace,
    taskQueue: rt.temporal.settings.taskQueue,
    bundle,
    activities,
  });
  await ensureSchedules(rt);
  // [alerts hook] The SMS and email send queues, each rate-limited for its provider
  // (platform/src/alerts/worker.ts), and the alert housekeeping schedule.
  const send = await startSendWorkers({
    address: rt.temporal.settings.address,
    namespace: rt.temporal.settings.namespace,
    taskQueue: rt.temporal.settings.taskQueue,
    activities,
  });
  await ensureAlertSchedules(rt.temporal.client, rt.temporal.settings.taskQueue);
  return withSendWorkers(worker, send);
}

/** The platform's recurring workflows, as Temporal schedules (caught up after downtime). */
export async function ensureSchedules(rt: Runtime): Promise<void> {
  try {
    await rt.temporal.client.schedule.create({
      scheduleId: RETENTION_SWEEP_SCHEDULE_ID,
      spec: { calendars: [{ hour: 3, minute: 17 }], timezone: 'Europe/Paris' },
      action: {
        type: 'startWorkflow',
        workflowType: RETENTION_SWEEP_WORKFLOW,
        taskQueue: rt.temporal.settings.taskQueue,
        args: [{}],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
}
