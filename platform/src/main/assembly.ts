// The one assembly of Vigie. `vigie start`, `vigie api`, `vigie worker`, the
// test context and the benchmarks all call `assemble`: it runs the lifecycle of
// every core module and installed plugin on a new instance, then builds from
// that instance the app, the workers (the main queue and every module's own
// queues) and the schedules. Nothing else creates a worker.
// Temporal's worker SDK is only a type here: the temporal module loads it with
// the first worker, so that `vigie api` never does.
import type { WorkflowBundleOption } from '@temporalio/worker';
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { CoreModule } from '../core/module.js';
import { runLifecycle } from '../core/instance.js';
import type { InstanceLookup, Ref } from '../core/lifecycle.js';
import { coreExtensions, coreServices, internalServices } from '../core/refs.js';
import { createStatistics } from '../core/statistics.js';
import { createSmsReplies } from '../core/sms-replies.js';
import { createPhoneCalls } from '../core/phone-calls.js';
import { createMetrics, type Metrics } from '../lib/metrics.js';
import { createFileStore } from '../files/index.js';
import { sortByDependencies, type ActivityFn, type VigiePlugin } from '../plugins/index.js';
import { createPlatformServices, type PlatformServices } from '../plugins/index.js';
import type { RetentionTargetImpl } from '../retention/index.js';
import { buildApp } from '../server/index.js';
import type { Temporal } from '../temporal/index.js';
import type { ActivityDeps, FileAccess } from '../temporal/index.js';
import {
  bundleWorkflowsApart,
  connectWorkers,
  mergeActivities,
  startWorker,
  type RunningWorker,
  type WorkflowSource,
} from '../temporal/index.js';
import type { WebAssets } from '../web/index.js';
import type { Tracing } from '../telemetry/index.js';
import { coreModules } from './core-modules.js';

export interface AssembleInput {
  config: Config;
  /** Application pool (vigie_app, RLS). */
  db: Knex;
  /** Operator pool. */
  operatorDb: Knex;
  temporal: Temporal | undefined;
  log: Logger;
  plugins: readonly VigiePlugin[];
  /** The core modules; every process runs all of them (main/core-modules.ts). */
  modules?: readonly CoreModule[];
  /** The process's OpenTelemetry (openRuntime starts it), given to the app and the workers. */
  tracing?: Tracing | undefined;
}

export interface WorkersOptions {
  /** The main task queue (config's by default); module queues are `<main>-<name>`. */
  taskQueue?: string;
  /** A bundle built earlier (tests build one per run); bundled from the installed workflows otherwise. */
  bundle?: WorkflowBundleOption;
  /** Rate per module queue, by queue name (`sms: 5000`): tests and benchmarks lift the providers' limits. */
  rates?: Record<string, number>;
  /** Activities in flight per queue worker, overriding each queue's own. */
  concurrency?: number;
  /** Replaces the instance's activities (a test that injects a failure). */
  activities?: Record<string, ActivityFn>;
}

/** A running instance of Vigie: its lifecycle done, ready to serve and to work. */
export interface Vigie extends InstanceLookup {
  config: Config;
  db: Knex;
  operatorDb: Knex;
  temporal: Temporal | undefined;
  log: Logger;
  modules: readonly CoreModule[];
  /** In dependency order. */
  plugins: VigiePlugin[];
  services: PlatformServices;
  files: FileAccess;
  metrics: Metrics;
  tracing: Tracing | undefined;
  /** Every module's and plugin's activities under unique names (built once per instance). */
  activities(): Record<string, ActivityFn>;
  /** The workflow files of the modules and plugins, for the bundle. */
  workflowSources(): WorkflowSource[];
  buildApp(o?: {
    logger?: FastifyServerOptions['logger'];
    web?: WebAssets | false;
  }): Promise<FastifyInstance>;
  /** The main worker and one worker per module queue, on one connection, seen as one. */
  startWorkers(o?: WorkersOptions): Promise<RunningWorker>;
  /** Creates the modules' schedules on the main queue (idempotent). */
  ensureSchedules(taskQueue?: string): Promise<void>;
}

export async function assemble(input: AssembleInput): Promise<Vigie> {
  const modules = input.modules ?? coreModules;
  const plugins = sortByDependencies([...input.plugins]);
  const files: FileAccess = { store: createFileStore(input.config.files), secret: input.config.secret };
  const retention: RetentionTargetImpl[] = [
    ...modules.flatMap((m) => m.retention ?? []),
    ...plugins.flatMap((p) => p.retention),
  ];
  // The services reach what modules provide through the instance, once it exists.
  let lookup: InstanceLookup | undefined;
  const get = <T>(ref: Ref<T>): T => {
    if (!lookup) throw new Error(`${ref.id} was asked for before the instance finished its lifecycle`);
    return lookup.get(ref);
  };
  const metrics = createMetrics({
    pools: { app: input.db, operator: input.operatorDb },
    processMetrics: input.config.env !== 'test',
  });
  const services = createPlatformServices({
    temporal: input.temporal,
    log: input.log,
    get,
    secret: input.config.secret,
  });
  lookup = await runLifecycle(
    [
      [coreServices.config, input.config],
      [coreServices.db, input.db],
      [internalServices.operatorDb, input.operatorDb],
      [coreServices.log, input.log],
      [coreServices.temporal, input.temporal],
      [coreServices.files, files],
      [coreServices.plugins, plugins],
      [coreServices.platform, services],
      [coreServices.retentionTargets, retention],
      [coreExtensions.statistics, createStatistics()],
      [coreExtensions.smsReplies, createSmsReplies()],
      [coreExtensions.phoneCalls, createPhoneCalls()],
      [coreServices.metrics, metrics],
    ],
    [...modules, ...plugins],
  );
  const deps: ActivityDeps = { config: input.config, db: input.db, log: input.log, services, files };
  let activities: Record<string, ActivityFn> | undefined;

  const vigie: Vigie = {
    config: input.config,
    db: input.db,
    operatorDb: input.operatorDb,
    temporal: input.temporal,
    log: input.log,
    modules,
    plugins,
    services,
    files,
    metrics,
    tracing: input.tracing,
    get,
    activities() {
      if (!activities) {
        const sets: Array<[string, Record<string, ActivityFn>]> = [];
        for (const m of modules) if (m.activities) sets.push([m.id, m.activities(deps)]);
        for (const p of plugins) if (p.activities) sets.push([p.id, p.activities(deps)]);
        activities = mergeActivities(sets);
      }
      return activities;
    },
    workflowSources: () => workflowSources(modules, plugins),
    buildApp: (o = {}) => buildApp({ vigie, ...o }),
    async startWorkers(o = {}) {
      const temporal = requireTemporal(input.temporal);
      const taskQueue = o.taskQueue ?? temporal.settings.taskQueue;
      // A bundle built earlier without tracing's workflow modules starts no workflow span.
      // Built by a child process: webpack's memory leaves with it (worker.ts).
      const bundle =
        o.bundle ?? (await bundleWorkflowsApart(vigie.workflowSources(), input.tracing?.workflowModules));
      const acts = o.activities ?? vigie.activities();
      const connection = await connectWorkers(temporal.settings.address);
      const started: Array<Awaited<ReturnType<typeof startWorker>>> = [];
      try {
        const common = {
          connection,
          namespace: temporal.settings.namespace,
          activities: acts,
          ...input.tracing?.worker,
        };
        started.push(await startWorker({ ...common, taskQueue, bundle }));
        for (const q of [...modules, ...plugins].flatMap((m) => m.taskQueues ?? [])) {
          started.push(
            await startWorker({
              ...common,
              taskQueue: `${taskQueue}-${q.name}`,
              maxActivitiesPerSecond: o.rates?.[q.name] ?? q.perSecond,
              maxConcurrentActivityTaskExecutions: o.concurrency ?? q.concurrency ?? 50,
            }),
          );
        }
      } catch (err) {
        for (const w of started) if (w.worker.getState() === 'RUNNING') w.worker.shutdown();
        await Promise.allSettled(started.map((w) => w.done));
        await connection.close();
        throw err;
      }
      const done = Promise.all(started.map((w) => w.done)).then(
        () => connection.close(),
        async (err: unknown) => {
          await connection.close();
          throw err;
        },
      );
      return {
        worker: started[0]!.worker,
        done,
        async shutdown() {
          for (const w of started) if (w.worker.getState() === 'RUNNING') w.worker.shutdown();
          await done;
        },
      };
    },
    async ensureSchedules(taskQueue) {
      const temporal = requireTemporal(input.temporal);
      for (const s of [...modules, ...plugins].flatMap((m) => m.schedules ?? [])) {
        try {
          await temporal.client.schedule.create({
            scheduleId: s.id,
            spec:
              'every' in s.spec
                ? { intervals: [{ every: s.spec.every as '1 minute' }] }
                : { calendars: s.spec.calendars, timezone: 'Europe/Paris' },
            action: {
              type: 'startWorkflow',
              workflowType: s.workflowType,
              taskQueue: taskQueue ?? temporal.settings.taskQueue,
              args: s.args ?? [{}],
            },
            policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: s.catchupWindow as '1 day' },
          });
        } catch (err) {
          if (!(err instanceof ScheduleAlreadyRunning)) throw err;
        }
      }
    },
  };
  return vigie;
}

/** The workflow files of these modules and plugins (what the worker's bundle holds). */
export function workflowSources(
  modules: readonly CoreModule[],
  plugins: readonly VigiePlugin[],
): WorkflowSource[] {
  return [
    ...modules.flatMap((m) => (m.workflows ? [{ owner: m.id, file: m.workflows }] : [])),
    ...plugins.flatMap((p) => (p.workflows ? [{ owner: p.id, file: p.workflows }] : [])),
  ];
}

function requireTemporal(t: Temporal | undefined): Temporal {
  if (!t) throw new Error('This process has no Temporal connection: it cannot run workers or schedules');
  return t;
}
