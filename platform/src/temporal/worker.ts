import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type {
  DefaultLogger,
  NativeConnection,
  Worker,
  WorkerOptions as WorkerOptionsOfSdk,
  WorkflowBundleOption,
} from '@temporalio/worker';
import type { Logger } from 'pino';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityFn } from '../plugins/index.js';
import { isVigieError } from '../lib/errors.js';

const require = createRequire(import.meta.url);

/**
 * Temporal's worker SDK, loaded by the first worker or bundle of the process
 * (Node caches the module). Loading it costs about 17 MB resident (its native
 * bridge, the webpack bundler): a process that only serves the API (`vigie api`)
 * never needs it, so nothing imports it eagerly.
 */
const workerSdk = () => import('@temporalio/worker');

type RuntimeLogLevel = 'WARN' | 'ERROR';
// Temporal's Runtime (the native core's threads and its logger) is one per
// process by the SDK's design: the first caller's level wins, and it is
// installed just before the process's first worker connection.
let runtimeLevel: RuntimeLogLevel | undefined;
let runtimeInstalled = false;

/** Sets the log level of the process's Temporal Runtime; installed once a worker connects. */
export function configureWorkerRuntime(level: RuntimeLogLevel = 'WARN'): void {
  runtimeLevel ??= level;
}

/** The process's worker connection, the Runtime installed first (with the configured level). */
export async function connectWorkers(address: string): Promise<NativeConnection> {
  const sdk = await workerSdk();
  if (!runtimeInstalled) {
    runtimeInstalled = true;
    sdk.Runtime.install({ logger: quietLogger(sdk.DefaultLogger, runtimeLevel ?? 'WARN') });
  }
  return sdk.NativeConnection.connect({ address });
}

/**
 * The SDK's logger, without the warning every activity-only worker prints at
 * start (a module's send queue has no workflows by design: they run on the main queue).
 */
function quietLogger(Base: typeof DefaultLogger, level: RuntimeLogLevel): DefaultLogger {
  class QuietLogger extends Base {
    override log(
      level: Parameters<DefaultLogger['log']>[0],
      message: string,
      meta?: Record<string, unknown>,
    ): void {
      if (message.startsWith('No workflows registered')) return;
      super.log(level, message, meta);
    }
  }
  return new QuietLogger(level);
}

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
    const { bundleWorkflowCode } = await workerSdk();
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

/** What bundleWorkflowsApart asks of its child process (bundle-process.ts). */
export interface BundleRequest {
  sources: Array<{ owner: string; file: string }>;
  interceptorModules: string[];
  /** Where the child writes the bundle's code. */
  out: string;
}

/**
 * The same bundle as bundleWorkflows, built by a child process. Webpack's
 * compilation grows the heap of the process that runs it by about 90 MB, and
 * V8 keeps that size for the life of the process: a long-running worker (or
 * `vigie start`) would carry it forever for a bundle of 2 MB. The child also
 * checks the workflow names, so a clash still stops the start with its message.
 */
export async function bundleWorkflowsApart(
  sources: readonly WorkflowSource[],
  interceptorModules: readonly string[] = [],
): Promise<WorkflowBundleOption> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigie-bundle-'));
  const request: BundleRequest = {
    sources: sources.map((s) => ({ owner: s.owner, file: s.file.href })),
    interceptorModules: [...interceptorModules],
    out: path.join(dir, 'workflows.js'),
  };
  try {
    // The workflow files are TypeScript: the child runs them through tsx, as this process does.
    const tsx = pathToFileURL(require.resolve('tsx')).href;
    const child = spawn(
      process.execPath,
      [
        '--import',
        tsx,
        fileURLToPath(new URL('./bundle-process.ts', import.meta.url)),
        JSON.stringify(request),
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-8000)));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (code !== 0) throw new Error(`The workflow bundle did not build (exit ${code}):\n${stderr.trim()}`);
    return { code: readFileSync(request.out, 'utf8') };
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
  const { Worker } = await workerSdk();
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
