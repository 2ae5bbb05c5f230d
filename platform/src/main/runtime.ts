// Everything a process of Vigie holds open: the database pools, the Temporal
// client, the plugins. The API, the worker and `vigie start` all build one.
import type { Knex } from 'knex';
import type { Config } from '../config/config.js';
import { createKnex, deriveUrls, type DbUrls } from '../db/index.js';
import { ensureRoles } from '../db/index.js';
import { CORE_MIGRATIONS, migrateLatest, type MigrationSet } from '../db/index.js';
import { connectTemporal, ensureSearchAttributes, type Temporal } from '../temporal/index.js';
import { sortByDependencies, type VigiePlugin } from '../plugins/index.js';
import { startTracing, type ProcessRole, type Tracing } from '../telemetry/index.js';

export interface Runtime {
  config: Config;
  urls: DbUrls;
  db: Knex;
  operatorDb: Knex;
  temporal: Temporal;
  plugins: VigiePlugin[];
  /** OpenTelemetry, when VIGIE_OTEL_ENDPOINT is set. */
  tracing: Tracing | undefined;
  close(): Promise<void>;
}

export function migrationSets(plugins: VigiePlugin[]): MigrationSet[] {
  return [
    CORE_MIGRATIONS,
    ...sortByDependencies(plugins).flatMap((p) =>
      p.migrations ? [{ owner: p.id, directory: p.migrations }] : [],
    ),
  ];
}

/** Runs as the owner role: creates the login roles, then applies core and plugin migrations. */
export async function migrate(config: Config, ownerUrl: string, plugins: VigiePlugin[]): Promise<string[]> {
  const owner = createKnex(ownerUrl, 2, 'vigie-migrate');
  try {
    await ensureRoles(owner, { app: config.dbAppPassword, operator: config.dbOperatorPassword });
    return await migrateLatest(owner, migrationSets(plugins));
  } finally {
    await owner.destroy();
  }
}

export async function openRuntime(
  config: Config,
  ownerUrl: string,
  temporalAddress: string,
  plugins: VigiePlugin[],
  role: ProcessRole = 'all-in-one',
): Promise<Runtime> {
  // Before the Temporal client: its interceptor is what carries a trace into the workflows.
  const tracing = await startTracing(config, role);
  const urls = deriveUrls(ownerUrl, {
    appUrl: config.databaseAppUrl,
    operatorUrl: config.databaseOperatorUrl,
    appPassword: config.dbAppPassword,
    operatorPassword: config.dbOperatorPassword,
  });
  const db = createKnex(urls.app, config.dbPoolMax, 'vigie-app');
  const operatorDb = createKnex(
    urls.operator,
    Math.max(2, Math.floor(config.dbPoolMax / 4)),
    'vigie-operator',
  );
  let temporal: Temporal | undefined;
  try {
    temporal = await connectTemporal(
      {
        address: temporalAddress,
        namespace: config.temporalNamespace,
        taskQueue: config.temporalTaskQueue,
      },
      tracing ? { interceptors: tracing.clientInterceptors } : {},
    );
    await ensureSearchAttributes(temporal);
  } catch (err) {
    await Promise.all([db.destroy(), operatorDb.destroy(), tracing?.shutdown()]);
    throw err;
  }
  const t = temporal;
  return {
    config,
    urls,
    db,
    operatorDb,
    temporal: t,
    plugins: sortByDependencies(plugins),
    tracing,
    async close() {
      await t.close().catch(() => undefined);
      await Promise.all([db.destroy(), operatorDb.destroy()]);
      await tracing?.shutdown().catch(() => undefined);
    },
  };
}
