// A worker in a process of its own, for the crash test: it runs the platform's
// activities and the alert send queues exactly as `vigie worker` would, and is
// killed with SIGKILL in the middle of a fan-out. Configuration comes from the
// VIGIE_TEST_WORKER environment variable (JSON).
import pino from 'pino';
import { loadConfig } from '../../config/config.js';
import { createKnex, deriveUrls } from '../../db/knex.js';
import { allActivities } from '../../main/activities.js';
import { coreModules } from '../../main/core-modules.js';
import { installTemporalRuntime } from '../../main/start.js';
import { createPlatformServices } from '../../plugins/services.js';
import { startWorker } from '../../temporal/worker.js';
import { startSendWorkers } from '../worker.js';

interface WorkerProcessInput {
  env: Record<string, string>;
  appPassword: string;
  operatorPassword: string;
  bundlePath: string;
  rates: { smsPerSecond: number; emailPerSecond: number; concurrency: number };
}

const input = JSON.parse(process.env.VIGIE_TEST_WORKER ?? '{}') as WorkerProcessInput;
installTemporalRuntime('ERROR');
const config = loadConfig(input.env);
const urls = deriveUrls(config.databaseUrl!, {
  appPassword: input.appPassword,
  operatorPassword: input.operatorPassword,
});
const db = createKnex(urls.app, 10, 'vigie-test-worker-process');
const log = pino({ level: 'silent' });
const activities = allActivities(
  { config, db, log, services: createPlatformServices({ temporal: undefined }) },
  coreModules,
  [],
);
const common = {
  address: config.temporalAddress!,
  namespace: config.temporalNamespace,
  taskQueue: config.temporalTaskQueue,
};
await startWorker({ ...common, bundle: { codePath: input.bundlePath }, activities });
await startSendWorkers({ ...common, activities, rates: input.rates });
process.stdout.write('ready\n');
