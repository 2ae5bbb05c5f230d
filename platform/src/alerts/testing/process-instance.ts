// What a test's or a benchmark's child process (a worker, an API) builds
// first: the configuration it was handed, its own pools, its Temporal
// connection and its instance from the one assembly, as `vigie worker` and
// `vigie api` do. And the environment such a child needs from a harness.
import path from 'node:path';
import pino from 'pino';
import type { Knex } from 'knex';
import { loadConfig, type Config } from '../../config/config.js';
import { createKnex, deriveUrls } from '../../db/knex.js';
import { assemble, type Vigie } from '../../main/assembly.js';
import type { VigiePlugin } from '../../plugins/contract.js';
import { connectTemporal } from '../../temporal/client.js';
import type { Harness } from './harness.js';

export interface ProcessInstanceInput {
  env: Record<string, string>;
  appPassword: string;
  operatorPassword: string;
}

export async function openProcessInstance(
  input: ProcessInstanceInput,
  o: { name: string; poolSize: number; plugins: VigiePlugin[] },
): Promise<{ config: Config; db: Knex; operatorDb: Knex; vigie: Vigie }> {
  const config = loadConfig(input.env);
  const urls = deriveUrls(config.databaseUrl!, {
    appPassword: input.appPassword,
    operatorPassword: input.operatorPassword,
  });
  const db = createKnex(urls.app, o.poolSize, o.name);
  const operatorDb = createKnex(urls.operator, 2, `${o.name}-operator`);
  const temporal = await connectTemporal({
    address: config.temporalAddress!,
    namespace: config.temporalNamespace,
    taskQueue: config.temporalTaskQueue,
  });
  const vigie = await assemble({
    config,
    db,
    operatorDb,
    temporal,
    log: pino({ level: 'silent' }),
    plugins: o.plugins,
  });
  return { config, db, operatorDb, vigie };
}

/** The harness's database, Temporal and provider stand-ins, for a child process of its own (`dataDir`: its folder). */
export function childProcessInput(h: Harness, dataDir: string): ProcessInstanceInput {
  return {
    env: {
      ...h.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: h.ctx.database.ownerUrl,
      VIGIE_DB_APP_PASSWORD: h.ctx.env.appPassword,
      VIGIE_DB_OPERATOR_PASSWORD: h.ctx.env.operatorPassword,
      TEMPORAL_ADDRESS: h.ctx.env.temporalAddress,
      TEMPORAL_TASK_QUEUE: h.ctx.taskQueue,
      VIGIE_DATA_DIR: path.join(h.ctx.env.tmpDir, `${h.ctx.database.name}-${dataDir}`),
    },
    appPassword: h.ctx.env.appPassword,
    operatorPassword: h.ctx.env.operatorPassword,
  };
}
