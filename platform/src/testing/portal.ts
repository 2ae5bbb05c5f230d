// The browser tests' server: `vigie start` itself (migrations, the demo
// communes from tenants/, the worker, the API serving the built pages), in this
// process, against the test run's PostgreSQL (a fresh database) and Temporal.
// Pages are opened at http://<commune>.localhost:<port>, which Chromium resolves
// to 127.0.0.1 without DNS.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { start, type Started } from '../main/start.js';
import pg from 'pg';
import { bootstrapDatabase } from '../embedded/bootstrap.js';
import { freePort, testEnv, uniqueId } from './index.js';
import type { SeedReport } from '../main/seed.js';
import { startStripeMock, type StripeMock } from './stripe-mock.js';

export interface Portal {
  port: number;
  started: Started;
  /** http://<slug>.localhost:<port><path> */
  url(slug: string, path?: string): string;
  /** One query on the portal's database as its owner (to read what a page cannot show, e.g. a Stripe customer id). */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

export async function startPortal(opts: { stripe?: boolean } = {}): Promise<Portal> {
  const env = testEnv();
  // Billing pages need Stripe: the real SDK against stripe-mock.
  const stripe: StripeMock | undefined = opts.stripe ? await startStripeMock(env.repoRoot) : undefined;
  // An empty database migrated by `vigie start` itself (the test template also
  // holds the test-only plugins' tables, which start does not know).
  const name = uniqueId('portal_');
  const ownerUrl = await bootstrapDatabase(env.superuserUrl, name, env.ownerPassword);
  const database = {
    ownerUrl,
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
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vigie-portal-'));
  const started = await start({
    cwd: env.repoRoot,
    // built once by the global setup: files starting side by side must not race two Vite builds
    buildWeb: false,
    env: {
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: database.ownerUrl,
      TEMPORAL_ADDRESS: env.temporalAddress,
      TEMPORAL_TASK_QUEUE: uniqueId('portal-'),
      VIGIE_SECRET: `portal-secret-${uniqueId()}-${uniqueId()}`,
      VIGIE_DB_APP_PASSWORD: env.appPassword,
      VIGIE_DB_OPERATOR_PASSWORD: env.operatorPassword,
      VIGIE_DATA_DIR: dataDir,
      ...stripe?.env,
    },
  });
  return {
    port,
    started,
    url: (slug, p = '/') => `http://${slug}.localhost:${port}${p}`,
    async sql<T>(text: string, params: unknown[] = []) {
      const c = new pg.Client({ connectionString: database.ownerUrl });
      await c.connect();
      try {
        return (await c.query(text, params)).rows as T[];
      } finally {
        await c.end();
      }
    },
    async stop() {
      await started.stop();
      await database.drop();
      await stripe?.close();
    },
  };
}

export type { SeedReport };
