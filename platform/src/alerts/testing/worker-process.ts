// A worker in a process of its own, for the crash test: it runs the production
// workers (the main queue and the alert send queues) from the one assembly,
// exactly as `vigie worker` would, and is killed with SIGKILL in the middle of
// a fan-out. Configuration comes from the VIGIE_TEST_WORKER environment variable (JSON).
import { installTemporalRuntime } from '../../main/start.js';
import { queueRates } from './harness.js';
import { openProcessInstance, type ProcessInstanceInput } from './process-instance.js';

interface WorkerProcessInput extends ProcessInstanceInput {
  bundlePath: string;
  rates: { smsPerSecond: number; emailPerSecond: number; concurrency: number };
}

const input = JSON.parse(process.env.VIGIE_TEST_WORKER ?? '{}') as WorkerProcessInput;
installTemporalRuntime('ERROR');
const { vigie } = await openProcessInstance(input, {
  name: 'vigie-test-worker-process',
  poolSize: 10,
  plugins: [],
});
await vigie.startWorkers({ bundle: { codePath: input.bundlePath }, ...queueRates(input.rates) });
process.stdout.write('ready\n');
