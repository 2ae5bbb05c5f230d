// The services a test run or a benchmark needs, started on this machine: one
// embedded PostgreSQL (durability off), one Temporal dev server (in memory), a
// migrated database, and the workflow bundle built once.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config/config.js';
import { bootstrapDatabase } from '../embedded/bootstrap.js';
import { startEmbeddedPostgres } from '../embedded/postgres.js';
import { findTemporalCli, startEmbeddedTemporal } from '../embedded/temporal.js';
import { migrate } from '../main/runtime.js';
import { installTemporalRuntime } from '../main/start.js';
import type { VigiePlugin } from '../plugins/contract.js';
import { bundleWorkflows } from '../temporal/worker.js';
import { workflowSources } from '../main/assembly.js';
import { coreModules } from '../main/core-modules.js';
import type { TestEnvironment } from './environment.js';
import { freePort } from './ports.js';

export interface TestServices {
  env: TestEnvironment;
  stop(): Promise<void>;
}

export async function startTestServices(o: {
  database: string;
  plugins: readonly VigiePlugin[];
  maxConnections: number;
  tmpPrefix: string;
}): Promise<TestServices> {
  installTemporalRuntime('ERROR');
  const root = path.resolve(import.meta.dirname, '../../..');
  const dir = mkdtempSync(path.join(os.tmpdir(), o.tmpPrefix));
  // PostgreSQL may run as another user (as root, `postgres`): it must reach its folder.
  chmodSync(dir, 0o755);
  const [pgPort, temporalPort] = [await freePort(), await freePort()];
  const temporalCli = findTemporalCli({
    explicit: process.env.TEMPORAL_CLI,
    toolsDir: path.join(root, '.vigie', 'tools'),
  });
  const [pg, temporal] = await Promise.all([
    startEmbeddedPostgres({
      dir: path.join(dir, 'pg'),
      port: pgPort,
      superuserPassword: 'test-superuser',
      ephemeral: true,
      maxConnections: o.maxConnections,
    }),
    startEmbeddedTemporal({ cli: temporalCli, port: temporalPort, headless: true, namespace: 'default' }),
  ]);
  const stop = async () => {
    await temporal.stop();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ownerUrl = await bootstrapDatabase(pg.superuserUrl, o.database, 'test-owner');
    const config = loadConfig({
      NODE_ENV: 'test',
      VIGIE_DB_APP_PASSWORD: 'test-app',
      VIGIE_DB_OPERATOR_PASSWORD: 'test-operator',
    });
    const [, bundle] = await Promise.all([
      migrate(config, ownerUrl, [...o.plugins]),
      bundleWorkflows(workflowSources(coreModules, o.plugins)),
    ]);
    const bundlePath = path.join(dir, 'workflow-bundle.js');
    writeFileSync(bundlePath, 'code' in bundle ? bundle.code : '');
    const env: TestEnvironment = {
      superuserUrl: pg.superuserUrl,
      ownerTemplateUrl: ownerUrl,
      ownerPassword: 'test-owner',
      appPassword: 'test-app',
      operatorPassword: 'test-operator',
      temporalAddress: temporal.address,
      temporalCli,
      bundlePath,
      tmpDir: dir,
      repoRoot: root,
    };
    return { env, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
