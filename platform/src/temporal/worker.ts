import { createRequire } from 'node:module';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { Logger } from 'pino';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityFn } from '../plugins/contract.js';
import { isVigieError } from '../server/errors.js';

const require = createRequire(import.meta.url);

/** Bundles @vigie/workflows once; the bundle is then shared by every worker of the process. */
export async function bundleWorkflows(): Promise<WorkflowBundleOption> {
  const workflowsPath = require.resolve('@vigie/workflows');
  const bundle = await bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger });
  return bundle;
}

const noop = () => undefined;
const quietBundlerLogger = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: console.error,
  log: noop,
};

/** Merges activity sets, refusing two implementations under one name. */
/**
 * A VigieError thrown by an activity reaches the workflow (and, through an Update
 * or a workflow failure, the client) as an ApplicationFailure whose type is the
 * code: the error carries its own spec, so the worker needs no registry to know
 * it. 4xx codes are refusals that a retry would repeat: not retryable.
 */
function withStableFailures(fn: ActivityFn): ActivityFn {
  const call = fn as (...args: unknown[]) => Promise<unknown>;
  return async (...args: unknown[]) => {
    try {
      return await call(...args);
    } catch (err) {
      if (!isVigieError(err)) throw err;
      throw ApplicationFailure.create({
        type: err.code,
        message: err.message,
        nonRetryable: err.statusCode < 500,
        details: err.details ? [err.details] : [],
        cause: err,
      });
    }
  };
}

export function mergeActivities(
  sets: Array<[owner: string, acts: Record<string, ActivityFn>]>,
): Record<string, ActivityFn> {
  const out: Record<string, ActivityFn> = {};
  const owners = new Map<string, string>();
  for (const [owner, acts] of sets) {
    for (const [name, fn] of Object.entries(acts)) {
      const prev = owners.get(name);
      if (prev) throw new Error(`Activity ${name} is defined by both ${prev} and ${owner}`);
      owners.set(name, owner);
      out[name] = withStableFailures(fn);
    }
  }
  return out;
}

export interface WorkerOptions {
  address: string;
  namespace: string;
  taskQueue: string;
  bundle: WorkflowBundleOption;
  activities: Record<string, ActivityFn>;
  log?: Logger;
  maxConcurrentActivityTaskExecutions?: number;
  /** Per-queue rate limit of activity starts, per second (providers' throughput caps). */
  maxActivitiesPerSecond?: number;
}

export interface RunningWorker {
  worker: Worker;
  connection: NativeConnection;
  /** Resolves when the worker has stopped. */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

export async function startWorker(opts: WorkerOptions): Promise<RunningWorker> {
  const connection = await NativeConnection.connect({ address: opts.address });
  const worker = await Worker.create({
    connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    workflowBundle: opts.bundle,
    activities: opts.activities,
    maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivityTaskExecutions ?? 50,
    ...(opts.maxActivitiesPerSecond ? { maxTaskQueueActivitiesPerSecond: opts.maxActivitiesPerSecond } : {}),
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
}
