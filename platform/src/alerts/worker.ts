// The provider send queues. SMS, email and web push sends run on their own task queues
// (`<queue>-sms`, `<queue>-email`, `<queue>-push`) so that each provider gets its own rate
// limit: `maxTaskQueueActivitiesPerSecond` is enforced by the Temporal server
// across every worker polling the queue, so the limit holds however many
// worker processes run. These workers run activities only; the workflows stay
// on the main queue.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import {
  ALERT_HOUSEKEEPING_SCHEDULE_ID,
  ALERT_HOUSEKEEPING_WORKFLOW,
  emailTaskQueue,
  pushTaskQueue,
  smsTaskQueue,
} from '@vigie/workflows/contracts';
import type { ActivityFn } from '../plugins/contract.js';
import type { RunningWorker } from '../temporal/worker.js';

export interface SendRates {
  /** Twilio: a Messaging Service sends about 10 segments per second per sender in France; default 30/s. */
  smsPerSecond: number;
  /** Amazon SES: the account's sending rate (14/s out of the sandbox at first). */
  emailPerSecond: number;
  /** Web push: the browsers' push services take far more; this only keeps a city-wide alert from flooding one. */
  pushPerSecond: number;
  /** Sends in flight per worker process. */
  concurrency: number;
}

export const DEFAULT_SEND_RATES: SendRates = {
  smsPerSecond: 30,
  emailPerSecond: 14,
  pushPerSecond: 200,
  concurrency: 50,
};

export interface SendWorkersOptions {
  address: string;
  namespace: string;
  /** The main task queue; the send queues derive from it. */
  taskQueue: string;
  activities: Record<string, ActivityFn>;
  rates?: Partial<SendRates>;
}

async function activityWorker(
  o: SendWorkersOptions,
  taskQueue: string,
  perSecond: number,
  concurrency: number,
): Promise<RunningWorker> {
  const connection = await NativeConnection.connect({ address: o.address });
  try {
    const worker = await Worker.create({
      connection,
      namespace: o.namespace,
      taskQueue,
      activities: o.activities,
      maxConcurrentActivityTaskExecutions: concurrency,
      maxTaskQueueActivitiesPerSecond: perSecond,
      shutdownGraceTime: '10s',
    });
    const done = worker.run().finally(() => connection.close());
    return {
      worker,
      connection,
      done,
      async shutdown() {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await done;
      },
    };
  } catch (err) {
    await connection.close();
    throw err;
  }
}

/** Starts the SMS, email and web push send workers of this process. */
export async function startSendWorkers(o: SendWorkersOptions): Promise<RunningWorker[]> {
  const r = { ...DEFAULT_SEND_RATES, ...o.rates };
  const queues: Array<[string, number]> = [
    [smsTaskQueue(o.taskQueue), r.smsPerSecond],
    [emailTaskQueue(o.taskQueue), r.emailPerSecond],
    [pushTaskQueue(o.taskQueue), r.pushPerSecond],
  ];
  const started: RunningWorker[] = [];
  try {
    for (const [queue, perSecond] of queues)
      started.push(await activityWorker(o, queue, perSecond, r.concurrency));
    return started;
  } catch (err) {
    await Promise.all(started.map((w) => w.shutdown()));
    throw err;
  }
}

/** The main worker and the send workers, seen as one (composition roots keep one handle). */
export function withSendWorkers(main: RunningWorker, send: RunningWorker[]): RunningWorker {
  return {
    worker: main.worker,
    connection: main.connection,
    done: Promise.all([main.done, ...send.map((w) => w.done)]).then(() => undefined),
    async shutdown() {
      await Promise.all([main.shutdown(), ...send.map((w) => w.shutdown())]);
    },
  };
}

/** Every five minutes: restart lost delivery starts, send due daily digests (caught up after downtime). */
export async function ensureAlertSchedules(client: Client, taskQueue: string): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: ALERT_HOUSEKEEPING_SCHEDULE_ID,
      spec: { intervals: [{ every: '5 minutes' }] },
      action: { type: 'startWorkflow', workflowType: ALERT_HOUSEKEEPING_WORKFLOW, taskQueue, args: [{}] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
}
