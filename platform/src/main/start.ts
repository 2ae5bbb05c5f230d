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
import { randomBytes } from 'node:crypto';
import { findStripeMock, loadPriceList, startStripeStandIn, type StripeStandIn } from '../billing/index.js';

export interface StartOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Print the banner (the CLI does, tests do not). */
  banner?: boolean;
  /** A local Stripe (stripe-mock and simulated webhooks) when no Stripe key is set; default: with the banner. */
  stripeStandIn?: boolean;
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
  let stripeStandIn: StripeStandIn | undefined;
  let runtime: Runtime | undefined;
  let worker: RunningWorker | undefined;
  let app: FastifyInstance | undefined;
  const stop = async () => {
    await app?.close().catch((err: unknown) => log.error({ err }, 'API did not close cleanly'));
    await worker?.shutdown().catch((err: unknown) => log.error({ err }, 'worker did not stop cleanly'));
    await runtime?.close();
    await stripeStandIn?.stop().catch(() => undefined);
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
    const withSecret: Config =
      env.VIGIE_SECRET || base.env === 'production' || !creds ? base : { ...base, secret: creds.secret };
    services = await startServices(withSecret, creds ?? { pgSuperuser: '', pgOwner: '', secret: '' }, {
      info: (m) => log.info(m),
      debug: (m) => log.debug(m),
    });
    // `npm start` without Stripe keys: a local Stripe, so that a mairie can
    // subscribe and see its invoice (never in production, never in the tests,
    // which start their own).
    if (!withSecret.stripe && withSecret.env !== 'production' && (opts.stripeStandIn ?? opts.banner)) {
      const bin = findStripeMock(path.join(cwd, '.vigie', 'tools'), {
        install: true,
        log: (m) => log.info(m),
      });
      if (bin) {
        const port = withSecret.port;
        stripeStandIn = await startStripeStandIn({
          bin,
          webhookSecret: `whsec_local_${randomBytes(18).toString('base64url')}`,
          webhookUrl: () => `http://127.0.0.1:${port}/webhooks/stripe`,
          priceList: loadPriceList(),
          log,
        });
      }
    }
    const config: Config = stripeStandIn
      ? {
          ...withSecret,
          stripe: {
            secretKey: stripeStandIn.secretKey,
            webhookSecret: stripeStandIn.webhookSecret,
            apiBaseUrl: stripeStandIn.url,
          },
        }
      : withSecret;
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
    if (opts.banner) printBanner(config, services, seed, stripeStandIn);
    return { config, app, runtime, vigie, services, worker, stop };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}

function printBanner(
  config: Config,
  services: Services,
  seed: SeedReport,
  stripe: StripeStandIn | undefined,
): void {
  const api = `http://localhost:${config.port}`;
  const lines = [
    '',
    'Vigie est prête. / Vigie is ready.',
    `  API          ${api}   (santé : ${api}/readyz, OpenAPI : ${api}/openapi.json)`,
    `  GraphQL      ${api}/graphql   (GraphiQL : ${api}/graphiql)`,
    `  Temporal UI  ${services.temporalUiUrl ?? '(external Temporal: see your cluster)'}`,
    `  PostgreSQL   ${services.embedded.postgres ? services.ownerUrl : redactUrl(services.ownerUrl)}`,
    `  Stripe       ${
      config.stripe
        ? stripe
          ? `${stripe.url} (stripe-mock local, webhooks simulés / local stripe-mock, simulated webhooks)`
          : (config.stripe.apiBaseUrl ?? 'https://api.stripe.com')
        : '(non configuré : souscription fermée / not configured: no subscription)'
    }`,
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
