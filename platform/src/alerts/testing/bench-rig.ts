// The delivery harness outside vitest, for bench/alert-fanout.bench.ts: it
// starts its own PostgreSQL and Temporal dev server the way the test run's
// global setup does, and hands the delivery harness those services.
import { installedPlugins } from '../../main/installed-plugins.js';
import { startTestServices } from '../../testing/services.js';
import { startHarness, type Harness, type HarnessOptions } from './harness.js';

export {
  RAISE,
  seedCommune,
  seedMembers,
  createSectorRow,
  deliveryCounts,
  waitFor,
  TEST_RATES,
  type Harness,
  type SeededCommunity,
} from './harness.js';

export async function startBenchRig(opts: Omit<HarnessOptions, 'base'> = {}): Promise<Harness> {
  const database = 'vigie_bench';
  const services = await startTestServices({
    database,
    plugins: installedPlugins,
    maxConnections: 200,
    tmpPrefix: 'vigie-bench-alerts-',
  });
  try {
    const h = await startHarness({
      ...opts,
      base: {
        env: services.env,
        database: { name: database, ownerUrl: services.env.ownerTemplateUrl, drop: async () => undefined },
      },
    });
    return {
      ...h,
      async close() {
        await h.close();
        await services.stop();
      },
    };
  } catch (err) {
    await services.stop();
    throw err;
  }
}
export { startPushEndpoint } from '../../testing/push-endpoint.js';
export { childProcessInput } from './process-instance.js';
export { startApiProcess, startWorkerProcess } from './child-process.js';
