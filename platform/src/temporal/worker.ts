import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NativeConnection, WorkerOptions as WorkerOptionsOfSdk } from '@temporalio/worker';
import { bundleWorkflowCode, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { Logger } from 'pino';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityFn } from '../plugins/index.js';
import { isVigieError } from '../lib/errors.js';

const require = createRequire(import.meta.url);

/** A module's or plugin's workflow file, with its owner for error messages. */
export interface WorkflowSource {
  owner: string;
  file: URL;
}

/**
 * Bundles the workflow files of the installed modules and plugins into one
 * bundle (an entry that re-exports each), shared by every worker of the
 * process. Two owners exporting the same workflow name are refused here, not
 * left to whichever the bundler keeps.
 */
export async function bundleWorkflows(
  sources: readonly WorkflowSource[],
  /** Workflow interceptor modules (tracing's), bundled with the workflows. */
  interceptorModules: readonly string[] = [],
): Promise<WorkflowBundleOption> {
  const owners = new Map<string, string>();
  for (const s of sources) {
    const exported = (await import(s.file.href)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exported)) {
      if (typeof value !== 'function') continue;
      const prev = owners.get(name);
      if (prev) throw new Error(`Workflow ${name} is exported by both ${prev} and ${s.owner}`);
      owners.set(name, s.owner);
    }
  }
  // The entry lives in a temporary folder (the image's node_modules is read-only); the
  // bundler resolves @temporalio/workflow from the node_modules that holds it.
  const modulesDir = require.resolve('@temporalio/workflow').split(`${path.sep}@temporalio${path.sep}`)[0]!;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigie-workflows-'));
  const entry = path.join(dir, 'index.js');
  writeFileSync(
    entry,
    sources
      .map((s) => `export * from ${JSON.stringify(fileURLToPath(s.file))};`)
      .join('\n')
      .concat('\n'),
  );
  try {
    return await bundleWorkflowCode({
      workflowsPath: entry,
      ...(interceptorModules.length ? { workflowInterceptorModules: [...interceptorModules] } : {}),
      logger: quietBundlerLogger,
      webpackConfigHook: (config) => ({
        ...config,
        resolve: {
          ...config.resolve,
          modules: [...(config.resolve?.modules ?? ['node_modules']), modulesDir],
        },
      }),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** The workflows; a worker without them runs activities only (a provider's send queue). */
  bundle?: WorkflowBundleOption;
  activities: Record<string, ActivityFn>;
  log?: Logger;
  maxConcurrentActivityTaskExecutions?: number;
  /** Per-queue rate limit of activity starts, per second (providers' throughput caps). */
  maxActivitiesPerSecond?: number;
  /** Activity interceptors and sinks (tracing's). */
  interceptors?: WorkerOptionsOfSdk['interceptors'];
  sinks?: WorkerOptionsOfSdk['sinks'];
}

export interface RunningWorker {
  /** The main queue's worker (workflows and activities). */
  worker: Worker;
  /** Resolves when every worker of the group has stopped. */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

/** One worker on one task queue, on a connection the caller owns. */
export async function startWorker(opts: WorkerOptions): Promise<{ worker: Worker; done: Promise<void> }> {
  const worker = await Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    ...(opts.bundle ? { workflowBundle: opts.bundle } : {}),
    activities: opts.activities,
    maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivityTaskExecutions ?? 50,
    ...(opts.maxActivitiesPerSecond ? { maxTaskQueueActivitiesPerSecond: opts.maxActivitiesPerSecond } : {}),
    shutdownGraceTime: '10s',
    ...(opts.interceptors ? { interceptors: opts.interceptors } : {}),
    ...(opts.sinks ? { sinks: opts.sinks } : {}),
  });
  return { worker, done: worker.run() };
}
