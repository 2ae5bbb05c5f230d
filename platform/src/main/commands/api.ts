import type { Command } from './index.js';
import { loadConfig } from '../../config/config.js';
import { openRuntime } from '../runtime.js';
import { installedPlugins } from '../installed-plugins.js';
import { assemble } from '../assembly.js';
import { externalServices, processLogger, stopSignal } from './process-roots.js';

// The API process of a deployment (infra/helm): HTTP, GraphQL and subscriptions,
// no worker, no migrations (the `vigie migrate` job runs them before a release).
// Without a worker it never loads Temporal's worker SDK: the client is enough.
export const apiCommand: Command = {
  summary: 'run the API only, against DATABASE_URL and TEMPORAL_ADDRESS (deployments)',
  async run() {
    const config = loadConfig();
    const services = externalServices(config, 'api');
    const log = processLogger(config, 'api');
    const runtime = await openRuntime(
      config,
      services.databaseUrl,
      services.temporalAddress,
      installedPlugins,
      'api',
    );
    const app = await assemble({ ...runtime, log })
      .then((vigie) => vigie.buildApp())
      .catch(async (err: unknown) => {
        await runtime.close();
        throw err;
      });
    try {
      await app.listen({ host: config.host, port: config.port });
    } catch (err) {
      await app.close();
      await runtime.close();
      throw err;
    }
    await stopSignal(log);
    // close() stops accepting connections and lets in-flight requests finish.
    await app.close();
    await runtime.close();
    return 0;
  },
};
