// Test helpers: a fresh database per test file, cloned from the migrated
// template, and the app assembled exactly as production assembles it.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import pg from 'pg';
import type { Knex } from 'knex';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../config/config.js';
import { createKnex, deriveUrls, withDatabase } from '../db/knex.js';
import { connectTemporal, type Temporal } from '../temporal/client.js';
import type { RunningWorker } from '../temporal/worker.js';
import { assemble, type Vigie, type WorkersOptions } from '../main/assembly.js';
import { installTemporalRuntime } from '../main/start.js';
import { startTracing } from '../telemetry/index.js';
import type { ActivityFn, VigiePlugin } from '../plugins/contract.js';
import { TEMPLATE_DB, testPlugins, type TestEnvironment } from './environment.js';
import pino from 'pino';
// inject('vigie') is typed by global-setup's vitest augmentation; packages
// that type-check these helpers (plugins) need it in scope too.
import type {} from './global-setup.js';

export { freePort } from './ports.js';
export type { TestEnvironment } from './environment.js';

export function testEnv(): TestEnvironment {
  return inject('vigie');
}

export function uniqueId(prefix = 't'): string {
  return `${prefix}${randomBytes(6).toString('hex')}`;
}

export interface TestDatabase {
  name: string;
  ownerUrl: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const env = testEnv();
  const name = uniqueId('test_');
  const client = new pg.Client({ connectionString: env.superuserUrl });
  await client.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`create database ${name} template ${TEMPLATE_DB} owner vigie_owner`);
        break;
      } catch (err) {
        // Two files cloning at the same instant: the template is briefly "in use".
        if (attempt > 20 || !String((err as Error).message).includes('being accessed')) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await client.end();
  }
  return {
    name,
    ownerUrl: withDatabase(env.ownerTemplateUrl, name),
    async drop() {
      const c = new pg.Client({ connectionString: env.superuserUrl });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

export interface TestContext {
  env: TestEnvironment;
  config: Config;
  database: TestDatabase;
  /** Owner connection: bypasses nothing (RLS is forced) but may read system catalogs and set up fixtures. */
  ownerDb: Knex;
  db: Knex;
  operatorDb: Knex;
  temporal: Temporal;
  taskQueue: string;
  plugins: VigiePlugin[];
  /** The context's instance (main/assembly.ts), as production assembles it. */
  vigie: Vigie;
  app: FastifyInstance;
  /**
   * Starts the production workers (the main queue and every module's queue)
   * on this context's task queue, with the instance's activities or the given ones.
   */
  startWorker(
    activities?: Record<string, ActivityFn>,
    o?: Omit<WorkersOptions, 'activities'>,
  ): Promise<RunningWorker>;
  close(): Promise<void>;
}

export interface TestContextOptions {
  plugins?: VigiePlugin[];
  env?: Record<string, string>;
  /** Connections of the app pool (10): more for tests that receive thousands of webhooks at once. */
  appPool?: number;
  /** Services started elsewhere (a benchmark's own), instead of the test run's and a fresh database. */
  base?: { env: TestEnvironment; database: TestDatabase };
}

export async function createTestContext(opts: TestContextOptions = {}): Promise<TestContext> {
  const env = opts.base?.env ?? testEnv();
  const database = opts.base?.database ?? (await createTestDatabase());
  const taskQueue = uniqueId('tq-');
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    VIGIE_DB_APP_PASSWORD: env.appPassword,
    VIGIE_DB_OPERATOR_PASSWORD: env.operatorPassword,
    DATABASE_URL: database.ownerUrl,
    TEMPORAL_ADDRESS: env.temporalAddress,
    TEMPORAL_TASK_QUEUE: taskQueue,
    VIGIE_DATA_DIR: `${env.tmpDir}/${database.name}`,
    ...opts.env,
  });
  const urls = deriveUrls(database.ownerUrl, {
    appPassword: env.appPassword,
    operatorPassword: env.operatorPassword,
  });
  const ownerDb = createKnex(urls.owner, 3, 'vigie-test-owner');
  const db = createKnex(urls.app, opts.appPool ?? 10, 'vigie-test-app');
  const operatorDb = createKnex(urls.operator, 3, 'vigie-test-operator');
  // With VIGIE_OTEL_ENDPOINT in opts.env, this process's tracer provider (one per test file at most).
  const tracing = await startTracing(config, 'test');
  const temporal = await connectTemporal(
    { address: env.temporalAddress, namespace: 'default', taskQueue },
    tracing ? { interceptors: tracing.clientInterceptors } : {},
  );
  const log = pino({ level: 'silent' });
  const vigie = await assemble({
    config,
    db,
    operatorDb,
    temporal,
    log,
    plugins: opts.plugins ?? (await testPlugins()),
    tracing,
  });
  const plugins = vigie.plugins;
  const app = await vigie.buildApp({ logger: false });
  await app.ready();
  const workers: RunningWorker[] = [];
  return {
    env,
    config,
    database,
    ownerDb,
    db,
    operatorDb,
    temporal,
    taskQueue,
    plugins,
    vigie,
    app,
    async startWorker(activities, o = {}) {
      installTemporalRuntime('ERROR');
      const worker = await vigie.startWorkers({
        ...o,
        taskQueue,
        // The run's bundle has no tracing interceptors: a traced context bundles its own.
        ...(tracing ? {} : { bundle: { codePath: env.bundlePath } }),
        ...(activities ? { activities } : {}),
      });
      workers.push(worker);
      return worker;
    },
    async close() {
      await app.close();
      await Promise.all(workers.map((w) => w.shutdown()));
      await temporal.close();
      await Promise.all([ownerDb.destroy(), db.destroy(), operatorDb.destroy()]);
      await database.drop();
      await tracing?.shutdown();
    },
  };
}
export {
  createTenant,
  createTestAccount,
  Browser,
  staffBrowser,
  type TestTenant,
  type GqlResult,
} from './fixtures.js';
export {
  signedStripeEvent,
  startStripeMock,
  stripeInvoiceObject,
  STRIPE_TEST_WEBHOOK_SECRET,
  type StripeMock,
} from './stripe-mock.js';
export { putOnDoNotCall, twilioForTests, TWILIO_TEST_PUBLIC_URL } from './twilio-context.js';
export { twilioSignature, type TwilioStandIn } from './twilio-standin.js';
