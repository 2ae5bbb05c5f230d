// Vitest global setup: one embedded PostgreSQL (durability off) and one Temporal
// dev server (in memory) for the whole run, a migrated template database, and
// the workflow bundle built once. Test files receive all of it through inject().
import type { TestProject } from 'vitest/node';
import { TEMPLATE_DB, testPlugins } from './environment.js';
import { startTestServices } from './services.js';
import { ensureWebBuilt } from '../web/build.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The browser tests serve the built pages; built once here, skipped when fresh.
  const web = ensureWebBuilt();
  const services = await startTestServices({
    database: TEMPLATE_DB,
    plugins: await testPlugins(),
    maxConnections: 300,
    tmpPrefix: 'vigie-test-',
  });
  await web;
  project.provide('vigie', services.env);
  return services.stop;
}
