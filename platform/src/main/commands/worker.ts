import http from 'node:http';
import type { Knex } from 'knex';
import type { Command } from './index.js';
import { loadConfig } from '../../config/config.js';
import { openRuntime } from '../runtime.js';
import { installedPlugins } from '../installed-plugins.js';
import { assemble } from '../assembly.js';
import { metricsAllowed, type Metrics } from '../../lib/metrics.js';
import { installTemporalRuntime } from '../start.js';
import type { RunningWorker } from '../../temporal/index.js';
import { externalServices, processLogger, stopSignal } from './process-roots.js';

// The Temporal worker process of a deployment (infra/helm): it bundles the
// workflows, registers the platform's and plugins' activities and polls the task
// queue. It serves only /healthz and /readyz on PORT, for the orchestrator's probes.
export const workerCommand: Command = {
  summary: 'run the Temporal worker only, against DATABASE_URL and TEMPORAL_ADDRESS (deployments)',
  async run() {
    const config = loadConfig();
    const services = externalServices(config, 'worker');
    const log = processLogger(config, 'worker');
    installTemporalRuntime();
    const runtime = await openRuntime(
      config,
      services.databaseUrl,
      services.temporalAddress,
      installedPlugins,
      'worker',
    );
    let worker: RunningWorker;
    let metrics: Metrics;
    try {
      const vigie = await assemble({ ...runtime, log });
      metrics = vigie.metrics;
      worker = await vigie.startWorkers();
      await vigie.ensureSchedules();
    } catch (err) {
      await runtime.close();
      throw err;
    }
    const probes = await listenProbes(config, worker, runtime.db, metrics);
    log.info({ taskQueue: config.temporalTaskQueue, port: config.port }, 'worker polling');

    // A worker that stops on its own (lost connection beyond retries, fatal error) exits non-zero so the orchestrator restarts it.
    const outcome = await Promise.race([
      stopSignal(log).then(() => 'signal' as const),
      worker.done.then(
        () => 'stopped' as const,
        () => 'failed' as const,
      ),
    ]);
    probes.close();
    await worker.shutdown().catch((err: unknown) => log.error({ err }, 'worker did not stop cleanly'));
    await runtime.close();
    if (outcome !== 'signal') log.error({ outcome }, 'the worker stopped by itself');
    return outcome === 'signal' ? 0 : 1;
  },
};

function listenProbes(
  config: { host: string; port: number; metricsToken: string | undefined },
  worker: RunningWorker,
  db: Knex,
  metrics: Metrics,
): Promise<http.Server> {
  const { host, port } = config;
  const server = http.createServer((req, res) => {
    const running = worker.worker.getState() === 'RUNNING';
    const reply = (ok: boolean) => {
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: ok ? 'ok' : 'down' }));
    };
    if (req.url === '/healthz') return reply(running);
    if (req.url === '/metrics') {
      if (!metricsAllowed(req.headers.authorization, req.socket.remoteAddress, config.metricsToken)) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 'UNAUTHENTICATED' }));
        return;
      }
      metrics.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': metrics.registry.contentType });
          res.end(text);
        },
        () => reply(false),
      );
      return;
    }
    if (req.url === '/readyz') {
      db.raw('select 1').then(
        () => reply(running),
        () => reply(false),
      );
      return;
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
