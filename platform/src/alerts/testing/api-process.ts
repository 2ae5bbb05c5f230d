// An API in a process of its own, for the fan-out benchmark: the status
// callbacks of the SMS go to it over HTTP, as they go to `vigie api` in
// production, so that their cost is measured apart from the workers'. Built
// from the one assembly, like `vigie api` (main/commands/api.ts). Its
// configuration comes from VIGIE_TEST_API (JSON); it prints `ready <port>`.
import { installedPlugins } from '../../main/installed-plugins.js';
import { openProcessInstance, type ProcessInstanceInput } from './process-instance.js';

interface ApiProcessInput extends ProcessInstanceInput {
  poolSize: number;
}

const input = JSON.parse(process.env.VIGIE_TEST_API ?? '{}') as ApiProcessInput;
const { vigie, db, operatorDb } = await openProcessInstance(input, {
  name: 'vigie-bench-api',
  poolSize: input.poolSize,
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
