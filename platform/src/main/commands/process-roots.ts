// What `vigie api` and `vigie worker` share: both run against external services
// only (a deployment never starts an embedded database), and both stop on the
// orchestrator's SIGTERM by finishing in-flight work first.
import pino, { type Logger } from 'pino';
import type { Config } from '../../config/config.js';
import { StartupError } from '../../embedded/index.js';

export interface ExternalServices {
  /** Owner URL, or the app URL when only the app and operator URLs are given (the API never migrates). */
  databaseUrl: string;
  temporalAddress: string;
}

export function externalServices(config: Config, command: string): ExternalServices {
  const databaseUrl =
    config.databaseUrl ??
    (config.databaseAppUrl && config.databaseOperatorUrl ? config.databaseAppUrl : undefined);
  if (!databaseUrl || !config.temporalAddress) {
    const missing = [
      databaseUrl ? undefined : 'DATABASE_URL (or DATABASE_APP_URL and DATABASE_OPERATOR_URL)',
      config.temporalAddress ? undefined : 'TEMPORAL_ADDRESS',
    ].filter(Boolean);
    throw new StartupError(
      `vigie ${command} runs against external services and needs ${missing.join(' and ')}: use npm start for the single-machine setup.`,
    );
  }
  return { databaseUrl, temporalAddress: config.temporalAddress };
}

export function processLogger(config: Config, role: string): Logger {
  return pino({ level: config.logLevel, base: { role }, redact: ['*.password', '*.token'] });
}

/** Resolves with the first SIGTERM or SIGINT; a second one exits at once. */
export function stopSignal(log: Logger): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const on = (signal: NodeJS.Signals) => {
      if (received) process.exit(130);
      received = true;
      log.info({ signal }, 'stopping');
      resolve(signal);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}
