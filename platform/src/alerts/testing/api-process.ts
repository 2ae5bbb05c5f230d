// An API in a process of its own, for the fan-out benchmark: the status
// callbacks of the SMS go to it over HTTP, as they go to `vigie api` in
// production, so that their cost is measured apart from the workers'. Built
// from the one assembly, like `vigie api` (main/commands/api.ts). Its
// configuration comes from VIGIE_TEST_API (JSON); it prints `ready <port>`.
import pino from 'pino';
import { loadConfig } from '../../config/config.js';
import { createKnex, deriveUrls } from '../../db/knex.js';
import { assemble } from '../../main/assembly.js';
import { installTemporalRuntime } from '../../main/start.js';
import { installedPlugins } from '../../main/installed-plugins.js';
import { connectTemporal } from '../../temporal/client.js';

interface ApiProcessInput {
  env: Record<string, string>;
  appPassword: string;
  operatorPassword: string;
  poolSize: number;
}

const input = JSON.parse(process.env.VIGIE_TEST_API ?? '{}') as ApiProcessInput;
installTemporalRuntime('ERROR');
const config = loadConfig(input.env);
const urls = deriveUrls(config.databaseUrl!, {
  appPassword: input.appPassword,
  operatorPassword: input.operatorPassword,
});
const db = createKnex(urls.app, input.poolSize, 'vigie-bench-api');
const operatorDb = createKnex(urls.operator, 2, 'vigie-bench-api-operator');
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
  plugins: installedPlugins,
});
const app = await vigie.buildApp({ logger: false, web: false });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.stdout.write(`ready ${typeof address === 'object' && address ? address.port : 0}\n`);
process.on('SIGTERM', () => {
  void app.close().then(async () => {
    await db.destroy();
    await operatorDb.destroy();
    process.exit(0);
  });
});
