// A throw-away PostgreSQL for a benchmark: the embedded binaries on a free
// port, a data directory under the OS temp dir, bootstrapped and migrated like
// the test template, with the app pool (RLS enforced) the API would use.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import {
  bootstrapDatabase,
  createKnex,
  deriveUrls,
  loadConfig,
  migrate,
  startEmbeddedPostgres,
} from '@vigie/platform';

export interface BenchDatabase {
  /** Owner pool (fixtures: tenants). */
  owner: Knex;
  /** Application pool: the role the API uses, subject to row-level security. */
  app: Knex;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startBenchDatabase(): Promise<BenchDatabase> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigie-bench-'));
  // PostgreSQL runs as the postgres user when we are root: it must reach the folder.
  chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres({
    dir: path.join(dir, 'pg'),
    port: await freePort(),
    superuserPassword: 'bench',
    ephemeral: true,
  });
  try {
    const ownerUrl = await bootstrapDatabase(pg.superuserUrl, 'vigie_bench', 'bench-owner');
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      VIGIE_DB_APP_PASSWORD: 'bench-app',
      VIGIE_DB_OPERATOR_PASSWORD: 'bench-operator',
    });
    await migrate(config, ownerUrl, []);
    const urls = deriveUrls(ownerUrl, { appPassword: 'bench-app', operatorPassword: 'bench-operator' });
    const owner = createKnex(urls.owner, 2, 'vigie-bench-owner');
    const app = createKnex(urls.app, 4, 'vigie-bench-app');
    return {
      owner,
      app,
      async stop() {
        await Promise.all([owner.destroy(), app.destroy()]);
        await pg.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

export async function createCommune(
  db: BenchDatabase,
  slug: string,
  inseeCode: string,
  name: string,
): Promise<string> {
  const [row] = await db
    .owner('tenants')
    .insert({ slug, name, insee_code: inseeCode, postal_codes: ['77700'], status: 'active' })
    .returning('id');
  return row.id as string;
}

/** p-th percentile (0..100) of a sorted list of durations. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function summary(samples: number[]): {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  n: number;
} {
  const s = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    max: s[s.length - 1] ?? NaN,
    n: s.length,
  };
}

export const ms = (v: number) => `${v.toFixed(2)} ms`;
