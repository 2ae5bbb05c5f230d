// Vitest global setup: one embedded PostgreSQL (durability off) and one Temporal
// dev server (in memory) for the whole run, a migrated template database, and
// the workflow bundle built once. Test files receive all of it through inject().
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../embedded/postgres.js';
import { findTemporalCli, startEmbeddedTemporal } from '../embedded/temporal.js';
import { bootstrapDatabase } from '../embedded/bootstrap.js';
import { bundleWorkflows } from '../temporal/worker.js';
import { loadConfig } from '../config/config.js';
import { migrate } from '../main/runtime.js';
import { freePort } from './ports.js';
import { TEMPLATE_DB, testPlugins, type TestEnvironment } from './environment.js';
import { installTemporalRuntime } from '../main/start.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  installTemporalRuntime('ERROR');
  const root = path.resolve(import.meta.dirname, '../../..');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigie-test-'));
  chmodSync(dir, 0o755);
  const superuserPassword = 'test-superuser';
  const [pgPort, temporalPort] = [await freePort(), await freePort()];
  const temporalCli = findTemporalCli({ explicit: process.env.TEMPORAL_CLI, toolsDir: path.join(root, '.vigie', 'tools') });

  const [pg, temporal] = await Promise.all([
    startEmbeddedPostgres({ dir: path.join(dir, 'pg'), port: pgPort, superuserPassword, ephemeral: true, maxConnections: 300 }),
    startEmbeddedTemporal({ cli: temporalCli, port: temporalPort, headless: true, namespace: 'default' }),
  ]);
  const stop = async () => {
    await temporal.stop();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ownerTemplateUrl = await bootstrapDatabase(pg.superuserUrl, TEMPLATE_DB, 'test-owner');
    const config = loadConfig({ NODE_ENV: 'test', VIGIE_DB_APP_PASSWORD: 'test-app', VIGIE_DB_OPERATOR_PASSWORD: 'test-operator' });
    const [, bundle] = await Promise.all([migrate(config, ownerTemplateUrl, await testPlugins()), bundleWorkflows()]);
    const bundlePath = path.join(dir, 'workflow-bundle.js');
    writeFileSync(bundlePath, 'code' in bundle ? bundle.code : '');
    const env: TestEnvironment = {
      superuserUrl: pg.superuserUrl,
      ownerTemplateUrl,
      ownerPassword: 'test-owner',
      appPassword: 'test-app',
      operatorPassword: 'test-operator',
      temporalAddress: temporal.address,
      temporalCli,
      bundlePath,
      tmpDir: dir,
      repoRoot: root,
    };
    project.provide('vigie', env);
  } catch (err) {
    await stop();
    throw err;
  }
  return stop;
}
