// A worker in a process of its own, for the crash test: it runs the production
// workers (the main queue and the alert send queues) from the one assembly,
// exactly as `vigie worker` would, and is killed with SIGKILL in the middle of
// a fan-out. Configuration comes from the VIGIE_TEST_WORKER environment variable (JSON).
import pino from 'pino';
import { loadConfig } from '../../config/config.js';
import { createKnex, deriveUrls } from '../../db/knex.js';
import { assemble } from '../../main/assembly.js';
import { installTemporalRuntime } from '../../main/start.js';
import { connectTemporal } from '../../temporal/client.js';
import { queueRates } from './harness.js';

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
const operatorDb = createKnex(urls.operator, 2, 'vigie-test-worker-process-operator');
const temporal = await connectTemporal({
  address: config.temporalAddress!,
  namespace: config.temporalNamespace,
  taskQueue: config.temporalTaskQueue,
});
const vigie = await assemble({
  config,
  db,
  operatorDb,
  temporal,
  log: pino({ level: 'silent' }),
  plugins: [],
});
await vigie.startWorkers({ bundle: { codePath: input.bundlePath }, ...queueRates(input.rates) });
process.stdout.write('ready\n');
