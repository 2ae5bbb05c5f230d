// `vigie start`: everything on one machine. Embedded PostgreSQL and the Temporal
// dev server unless DATABASE_URL / TEMPORAL_ADDRESS are set, then migrations,
// the demo communes, the worker and the API, in one process.
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { loadConfig, type Config } from '../config/config.js';
import { lockDataDir, type DataDirLock } from '../embedded/index.js';
import { assertPortFree } from '../embedded/index.js';
import { redactUrl } from '../db/index.js';
import { localCredentials } from './credentials.js';
import { startServices, type Services } from './services.js';
import { migrate, openRuntime, type Runtime } from './runtime.js';
import { assemble, type Vigie } from './assembly.js';
import { installedPlugins } from './installed-plugins.js';
import { seedDemo, type SeedReport } from './seed.js';
import { configureWorkerRuntime, type RunningWorker } from '../temporal/index.js';
import type { FastifyInstance } from 'fastify';
import { ensureWebBuilt } from '../web/index.js';

export interface StartOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Print the banner (the CLI does, tests do not). */
  banner?: boolean;
  /** Build the web front end when its sources changed (default); the tests build it once in their global setup. */
  buildWeb?: boolean;
}

export interface Started {
  config: Config;
  app: FastifyInstance;
  runtime: Runtime;
  /** The one instance the API and the worker share in this process. */
  vigie: Vigie;
  services: Services;
  worker: RunningWorker;
  stop(): Promise<void>;
}

/**
 * Sets the level of Temporal's Runtime logger for this process (the first call
 * wins). It is installed with the first worker connection, so a process that
 * runs no worker never loads Temporal's worker SDK.
 */
export function installTemporalRuntime(level: 'WARN' | 'ERROR' = 'WARN'): void {
  configureWorkerRuntime(level);
}

export async function start(opts: StartOptions = {}): Promise<Started> {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const base = loadConfig(env, { cwd });
  const log: Logger = pino({ level: base.logLevel, redact: ['*.password', '*.token'] });
  installTemporalRuntime();

  await assertPortFree(base.port, 'the API', 'PORT', '127.0.0.1');
  const needsLocal = !base.databaseUrl || !base.temporalAddress || !env.VIGIE_SECRET;
  let lock: DataDirLock | undefined;
  if (!base.databaseUrl || !base.temporalAddress) lock = lockDataDir(base.dataDir);
  let services: Services | undefined;
  let runtime: Runtime | undefined;
  let worker: RunningWorker | undefined;
  let app: FastifyInstance | undefined;
  const stop = async () => {
    await app?.close().catch((err: unknown) => log.error({ err }, 'API did not close cleanly'));
    await worker?.shutdown().catch((err: unknown) => log.error({ err }, 'worker did not stop cleanly'));
    await runtime?.close();
    await services?.stop();
    lock?.release();
  };
  // The web front end builds (when its sources changed) while the services start.
  const webBuilt = (
    opts.buildWeb === false ? Promise.resolve({ built: false, ms: 0 }) : ensureWebBuilt((m) => log.info(m))
  ).then(
    (r) => {
      if (r.built) log.info({ ms: r.ms }, 'web front end built');
      return undefined;
    },
    (err: unknown) => err,
  );
  try {
    const creds = needsLocal ? localCredentials(base.dataDir) : undefined;
    const config: Config =
      env.VIGIE_SECRET || base.env === 'production' || !creds ? base : { ...base, secret: creds.secret };
    services = await startServices(config, creds ?? { pgSuperuser: '', pgOwner: '', secret: '' }, {
      info: (m) => log.info(m),
      debug: (m) => log.debug(m),
    });
    await migrate(config, services.ownerUrl, installedPlugins);
    runtime = await openRuntime(config, services.ownerUrl, services.temporalAddress, installedPlugins);
    const vigie = await assemble({ ...runtime, log });
    const seed = await seedDemo(vigie, path.join(cwd, 'tenants'), log);
    worker = await vigie.startWorkers();
    await vigie.ensureSchedules();
    const webError = await webBuilt;
    if (webError) throw webError;
    app = await vigie.buildApp();
    await app.listen({ host: config.host, port: config.port });
    if (opts.banner) printBanner(config, services, seed);
    return { config, app, runtime, vigie, services, worker, stop };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}

function printBanner(config: Config, services: Services, seed: SeedReport): void {
  const api = `http://localhost:${config.port}`;
  const lines = [
    '',
    'Vigie est prête. / Vigie is ready.',
    `  API          ${api}   (santé : ${api}/readyz, OpenAPI : ${api}/openapi.json)`,
    `  GraphQL      ${api}/graphql   (GraphiQL : ${api}/graphiql)`,
    `  Temporal UI  ${services.temporalUiUrl ?? '(external Temporal: see your cluster)'}`,
    `  PostgreSQL   ${services.embedded.postgres ? services.ownerUrl : redactUrl(services.ownerUrl)}`,
    ...seed.portals.map(
      (p) => `  Commune      ${p.name}: http://${p.slug}.${config.baseDomain}:${config.port}`,
    ),
    seed.logins.length
      ? '  Comptes de démonstration / demo logins:'
      : '  No demo login yet (no commune under tenants/).',
    ...seed.logins.map((l) => `    ${l.role.padEnd(14)} ${l.email} / ${l.password}  (${l.tenant})`),
    ...(seed.operator
      ? [
          `  Console opérateur / operator console: ${api}/operateur`,
          `    ${seed.operator.email} / ${seed.operator.password}, TOTP key ${seed.operator.totpSecret}`,
          '    (current code: npm run vigie -- operators demo-code)',
        ]
      : []),
    '',
    'Ctrl-C arrête tout proprement. / Ctrl-C stops everything cleanly.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
