// The delivery harness outside vitest, for bench/alert-fanout.bench.ts: it
// starts its own PostgreSQL (durability off) and Temporal dev server the way
// the test run's global setup does, migrates, bundles the workflows, and
// hands the delivery harness those services.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/config.js';
import { bootstrapDatabase } from '../../embedded/bootstrap.js';
import { startEmbeddedPostgres } from '../../embedded/postgres.js';
import { findTemporalCli, startEmbeddedTemporal } from '../../embedded/temporal.js';
import { installedPlugins } from '../../main/installed-plugins.js';
import { migrate } from '../../main/runtime.js';
import { installTemporalRuntime } from '../../main/start.js';
import { bundleWorkflows } from '../../temporal/worker.js';
import { freePort } from '../../testing/ports.js';
import type { TestEnvironment } from '../../testing/environment.js';
import { startHarness, type Harness, type HarnessOptions } from './harness.js';

export { RAISE, seedCommune, seedMembers, createSectorRow, deliveryCounts, waitFor, TEST_RATES, type Harness, type SeededCommunity } from './harness.js';

export async function startBenchRig(opts: Omit<HarnessOptions, 'base'> = {}): Promise<Harness> {
  installTemporalRuntime('ERROR');
  const root = path.resolve(import.meta.dirname, '../../../..');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigie-bench-alerts-'));
  // PostgreSQL may run as another user: it must be able to reach its folder.
  chmodSync(dir, 0o755);
  const [pgPort, temporalPort] = [await freePort(), await freePort()];
  const temporalCli = findTemporalCli({ explicit: process.env.TEMPORAL_CLI, toolsDir: path.join(root, '.vigie', 'tools') });
  const [pg, temporal] = await Promise.all([
    startEmbeddedPostgres({ dir: path.join(dir, 'pg'), port: pgPort, superuserPassword: 'bench-superuser', ephemeral: true, maxConnections: 200 }),
    startEmbeddedTemporal({ cli: temporalCli, port: temporalPort, headless: true, namespace: 'default' }),
  ]);
  const stop = async () => {
    await temporal.stop();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ownerUrl = await bootstrapDatabase(pg.superuserUrl, 'vigie_bench', 'bench-owner');
    const config = loadConfig({ NODE_ENV: 'test', VIGIE_DB_APP_PASSWORD: 'bench-app', VIGIE_DB_OPERATOR_PASSWORD: 'bench-operator' });
    const [, bundle] = await Promise.all([migrate(config, ownerUrl, installedPlugins), bundleWorkflows()]);
    const bundlePath = path.join(dir, 'workflow-bundle.js');
    writeFileSync(bundlePath, 'code' in bundle ? bundle.code : '');
    const env: TestEnvironment = {
      superuserUrl: pg.superuserUrl,
      ownerTemplateUrl: ownerUrl,
      ownerPassword: 'bench-owner',
      appPassword: 'bench-app',
      operatorPassword: 'bench-operator',
      temporalAddress: temporal.address,
      temporalCli,
      bundlePath,
      tmpDir: dir,
      repoRoot: root,
    };
    const h = await startHarness({ ...opts, base: { env, database: { name: 'vigie_bench', ownerUrl, drop: async () => undefined } } });
    return {
      ...h,
      async close() {
        await h.close();
        await stop();
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
